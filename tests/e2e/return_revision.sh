#!/bin/bash
# Provisional and revised (issue 16): hull's 2024Q1 return is bundled and
# delivered by a deliver job (so the ledger knows what was sent), a late
# record arrives, and the quarter is built again.  The rebuild needs a
# reason; its figures that differ from the ones delivered are [r] in the
# CSVs' Status column, in return.ods, in report.html and as OBS_STATUS R in
# return.sdmx.csv; revisions.csv lists them, worked out here by hand from
# tests/data/returns/NOTES.md.  The next quarter's series shows its 2024 Q1
# row as the 2024Q1 bundle sent it, marked [r] where a recomputation now
# differs, revisions.csv listing the recomputed figures.  [p] follows the provisional
# policy, by quarters and by months; nothing is [r] when nothing was sent.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/returns
check=$SRCDIR/tests/e2e/check_return.py
now=2024-07-02T09:00:00Z
export NRMHUB_PLUGIN_PATH=$BUILDDIR/plugins/.libs
site=$tmp/site
mkdir -p "$site/state/keys" "$site/state/outbox" "$site/state/drop"
cd "$tmp" || exit 1
"$NRMHUB" keygen -o "$site/state/keys/hull" >/dev/null || fail "keygen"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "hull", "joined": "2021-06-01"},
  "store": "state/nrmhub.db",
  "keys": {"secret_key": "state/keys/hull.key", "pseudonym_key": "state/keys/hull.pseudonym.key"},
  "targets": {"drop": {"folder": "state/drop", "audience": "official"}},
  "jobs": [
    {"name": "deliver-returns", "kind": "deliver", "target": "drop", "from": "state/outbox"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
db=$site/state/nrmhub.db
keys=(--key "$site/state/keys/hull.key" --pseudonym-key "$site/state/keys/hull.pseudonym.key")
build() {
	"${hub[@]}" --store "$db" return build --now "$now" --site hull \
		--key "$site/state/keys/hull.pseudonym.key" "$@"
}
# checks MODE DIR: check_return.py finds DIR's outputs to agree with its
# return.json ($.revision included).
checks() {
	local target=$2
	[ "$1" = html ] && target=$2/report.html
	if python3 "$check" "$1" "$2/return.json" "$target" >"$tmp/check.out" 2>&1; then
		pass
	else
		fail "check_return.py $1 $2:"
		head -n 10 "$tmp/check.out" >&2
	fi
}

expect_exit 0 "$NRMHUB" import --store "$db" --from case-jsonl "$data/cases.jsonl"

# ---- nothing sent: [p] on the quarter just ended, nothing [r] -------------------
mkdir first
expect_exit 0 build --quarter 2024Q1 -o first
assert_grep '^2024,Q1,referrals,Referrals,14,\[p\].?$' first/table_1.csv
# The series: the quarter's own row [p], the ones before it not (its 13
# columns of figures, then Status).
assert_grep '^2024,Q1,14,.*,\[p\].?$' first/table_16.csv
assert_grep '^2023,Q4,([^,]*,){13}.?$' first/table_16.csv
assert_no_grep '\[r\]' first/table_*.csv
assert_no_file first/revisions.csv
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),_U,REFERRALS,(_T,){14}Q,2024-Q1,14,P,NR' first/return.sdmx.csv
assert_no_grep ',R,' first/return.sdmx.csv
for mode in csv sdmx ods html; do checks "$mode" first; done
assert_sdmx first/return.sdmx.csv

# ---- the provisional policy --------------------------------------------------
mkdir p2 p0 m4 m7 cfg
expect_exit 0 build --quarter 2024Q1 -o p2 --provisional-quarters 2
assert_grep '^2023,Q4,.*,\[p\].?$' p2/table_16.csv
assert_grep '^2023,Q3,([^,]*,){13}.?$' p2/table_16.csv
expect_exit 0 build --quarter 2024Q1 -o p0 --provisional-quarters 0
assert_no_grep '\[p\]' p0/table_*.csv
assert_no_grep ',P,' p0/return.sdmx.csv
# Months, at --now 2024-07-02: 2024Q1 ended on 2024-03-31, 3 months and 2
# days before; 2023Q4 on 2023-12-31, 6 months and 2 days before.
expect_exit 0 build --quarter 2024Q1 -o m4 --provisional-months 4
assert_grep '^2024,Q1,14,.*,\[p\].?$' m4/table_16.csv
assert_grep '^2023,Q4,([^,]*,){13}.?$' m4/table_16.csv
expect_exit 0 build --quarter 2024Q1 -o m7 --provisional-months 7
assert_grep '^2023,Q4,.*,\[p\].?$' m7/table_16.csv
assert_grep '^2023,Q3,([^,]*,){13}.?$' m7/table_16.csv
checks csv m7
# The site configuration's site.provisional, taken by a build beside it.
python3 - "$site/nrmhub.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["site"]["provisional"] = {"months": 7}
json.dump(cfg, open(sys.argv[1], "w"))
PY
expect_exit 0 "${hub[@]}" config check
expect_exit 0 build --quarter 2024Q1 -o cfg
assert_grep '^2023,Q4,.*,\[p\].?$' cfg/table_16.csv
python3 - "$site/nrmhub.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["site"]["provisional"] = {"weeks": 2}
json.dump(cfg, open(sys.argv[1] + ".bad", "w"))
del cfg["site"]["provisional"]
json.dump(cfg, open(sys.argv[1], "w"))
PY
expect_exit 78 "$NRMHUB" --config "$site/nrmhub.json.bad" config check
assert_grep 'site\.provisional' "$tmp/stderr"
expect_exit 64 build --quarter 2024Q1 -o p0 --provisional-quarters 41
expect_exit 64 build --quarter 2024Q1 -o p0 --provisional-quarters 1 --provisional-months 3

# ---- sent: bundled and delivered, the ledger records it ---------------------------
expect_exit 0 "${hub[@]}" bundle create --store "$db" --quarter 2024Q1 --site hull "${keys[@]}" \
	--now "$now" -o "$site/state/outbox"
expect_exit 0 "${hub[@]}" run --job deliver-returns --now 2024-07-02T10:00:00Z
[ -f "$site/state/drop/hull_2024Q1_001.tar.gz" ] && pass || fail "the bundle was not delivered"

# The late record (return_diff.sh's): a Polish girl of 14 referred by the
# police on 2024-03-15, criminally exploited in the UK, awaiting her RG
# decision at the quarter's end.
cat >late.jsonl <<'JSON'
{"case_id":"HULL-99","site":"hull","nrm_ref":"NRM-HULL-99","referral_date":"2024-03-15","first_responder_type":"police","first_responder_org":"Org HULL-99","local_authority":"E06000010","police_force":"E23000012","age_at_exploitation":14,"age_disputed":false,"gender":"female","nationality":["PL"],"exploitation_types":["criminal"],"county_lines":false,"exploitation_location":"uk","rg_decision_date":null,"rg_outcome":null,"cg_decision_date":null,"cg_outcome":null,"decision_maker":"ddm_panel","status":"open","status_date":null,"updated_at":"2024-07-02T08:00:00Z"}
JSON
expect_exit 0 "$NRMHUB" import --store "$db" --from case-jsonl late.jsonl

# ---- the quarter again: a reason is required ----------------------------------------
mkdir again
expect_exit 64 build --quarter 2024Q1 -o again
assert_grep '2024Q1 was sent before \(hull_2024Q1_001\.tar\.gz\): give --reason TEXT' "$tmp/stderr"
assert_no_file again/return.json
expect_exit 64 build --quarter 2024Q1 -o again --reason " leading space"
assert_grep '[-]-reason must not start or end with a space' "$tmp/stderr"
expect_exit 64 build --quarter 2024Q1 -o again --reason "$(printf 'two\nlines')"
assert_grep '[-]-reason must be one line' "$tmp/stderr"
expect_exit 64 build --quarter 2024Q1 -o again --reason "$(head -c 501 /dev/zero | tr '\0' x)"
assert_grep '[-]-reason must be from 1 to 500 bytes' "$tmp/stderr"
reason="A referral recorded late by the council"
expect_exit 0 build --quarter 2024Q1 -o again --reason "$reason"

# revisions.csv by hand.  The late case adds one to every total and to the
# rows it falls in: Child (17 or under) and 12 to 15; Female; Criminal,
# both as a type and as the combination "Criminal" alone; Polish, a row
# that was not there (added); UK; Police; and the series' own row.  It is
# awaiting RG at 2024-03-31, 16 days after its referral: the four cases
# awaiting before were 0, 30, 71 and 290 days old (NOTES.md), so now five,
# sum 407, mean 81.4 (was 97.8), median 30.0 (was 50.5), and the 0 to 45
# days band 3 (was 2); the series' own row's referrals and awaiting RG.
# Table_17's own row: against 2023Q4 (5 referrals, 3 awaiting RG) the
# referrals' change 10 (was 9), 200.0% (was 180.0%), the awaiting RG's 2
# (was 1), 66.7% (was 33.3%); against 2023Q1 (0 and 0: percent [z], the
# same) 15 (was 14) and 5 (was 4).  Decisions and the comparison are
# unchanged.
cat >want.csv <<'CSV'
Year,Quarter,Table,Row code,Row,Column,Change,Previously sent,Now,Difference,Compared with
2024,Q1,Table_1,referrals,Referrals,value,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_1,awaiting_rg,Awaiting a reasonable grounds decision at the end of the quarter,value,changed,4,5,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_2,child,Child (17 or under),referrals,changed,13,14,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_2,12-15,12 to 15 (local breakdown),referrals,changed,6,7,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_2,total,Total,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_3,female,Female,referrals,changed,4,5,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_3,total,Total,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_4,criminal,Criminal,referrals,changed,8,9,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_5,criminal,Criminal,referrals,changed,6,7,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_5,total,Total,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_6,PL,Polish,referrals,added,,1,,hull_2024Q1_001.tar.gz
2024,Q1,Table_6,total,Total,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_7,uk,UK,referrals,changed,11,12,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_7,total,Total,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_8,police,Police,referrals,changed,8,9,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_8,total,Total,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_13,rg,Reasonable grounds,cases,changed,4,5,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_13,rg,Reasonable grounds,mean_age_days,changed,97.8,81.4,-16.4,hull_2024Q1_001.tar.gz
2024,Q1,Table_13,rg,Reasonable grounds,median_age_days,changed,50.5,30.0,-20.5,hull_2024Q1_001.tar.gz
2024,Q1,Table_14,0-45,0 to 45 days,awaiting_rg,changed,2,3,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_14,total,Total,awaiting_rg,changed,4,5,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_16,2024 Q1,2024 Q1,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_16,2024 Q1,2024 Q1,awaiting_rg,changed,4,5,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_17,2024 Q1,2024 Q1,referrals_change_quarter,changed,9,10,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_17,2024 Q1,2024 Q1,referrals_percent_change_quarter,changed,180.0,200.0,+20.0,hull_2024Q1_001.tar.gz
2024,Q1,Table_17,2024 Q1,2024 Q1,referrals_change_year,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_17,2024 Q1,2024 Q1,awaiting_rg_change_quarter,changed,1,2,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_17,2024 Q1,2024 Q1,awaiting_rg_percent_change_quarter,changed,33.3,66.7,+33.4,hull_2024Q1_001.tar.gz
2024,Q1,Table_17,2024 Q1,2024 Q1,awaiting_rg_change_year,changed,4,5,+1,hull_2024Q1_001.tar.gz
CSV
tr -d '\r' <again/revisions.csv >got.csv
assert_same got.csv want.csv
assert_grep '"name": "revisions.csv"' again/return.json
assert_grep "\"reason\": \"$reason\"" again/return.json
assert_grep '"bundle": "hull_2024Q1_001.tar.gz"' again/return.json
# [r] beside [p] in the Status column of each row that changed, and only there.
assert_grep '^2024,Q1,referrals,Referrals,15,\[p\] \[r\].?$' again/table_1.csv
assert_grep '^2024,Q1,county_lines,Referrals flagged as county lines,6,\[p\].?$' again/table_1.csv
assert_grep '^2024,Q1,PL,Polish,1,\[p\] \[r\].?$' again/table_6.csv
assert_grep '^2024,Q1,male,Male,[0-9]+,\[p\].?$' again/table_3.csv
assert_eq "$(grep -c '\[r\]' again/table_*.csv | awk -F: '{s += $2} END {print s}')" 21 \
	"rows marked [r] (29 figures: the awaiting RG row's three in one row, the series' two in one, Table_17's six in one)"
# SDMX-CSV: R for each figure revised (the referrals total, met in five
# tables, is one observation), P for the others of the quarter.
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),_U,REFERRALS,(_T,){14}Q,2024-Q1,15,R,NR' again/return.sdmx.csv
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),_U,REFERRALS,(_T,){4}PL,_Z,(_T,){8}Q,2024-Q1,1,R,NR' again/return.sdmx.csv
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),_U,COUNTY_LINES,(_T,){14}Q,2024-Q1,6,P,NR' again/return.sdmx.csv
assert_sdmx again/return.sdmx.csv
# The report: "What changed and why", the reason, [r] beside the figure.
assert_grep 'What changed and why' again/report.html
assert_grep "Why: $reason" again/report.html
assert_grep '<td class="num">15 \[p\] \[r\]</td>' again/report.html
# return.ods: its sheets read back, the Status column and revisions sheet included.
for mode in csv sdmx ods html; do checks "$mode" again; done
unzip -p again/return.ods content.xml >content.xml
assert_grep "Why: $reason" content.xml
assert_grep 'The Status column shows each row.{1,6}s shorthand: \[p\] provisional, \[r\] revised' content.xml
# The bundle of the revision verifies, its payload agreeing with return.json.
expect_exit 0 "${hub[@]}" bundle create --store "$db" --quarter 2024Q1 --site hull "${keys[@]}" \
	--now "$now" -o "$site/state/outbox" --reason "$reason"
expect_exit 0 "$NRMHUB" bundle verify --keys "$site/state/keys" "$site/state/outbox/hull_2024Q1_002.tar.gz"
# No identifying value of the late case anywhere in the revision.
assert_no_grep 'HULL-99|NRM-HULL|Org HULL' got.csv again/return.json again/report.html

# ---- return diff against the store: what a rebuild would change ------------------
# The bundle delivered against the store now: the same 29 figures.
expect_exit 1 "$NRMHUB" return diff --json --now "$now" --store "$db" \
	"$site/state/drop/hull_2024Q1_001.tar.gz"
assert_grep '"figures_changed": 29,' "$tmp/stdout"
assert_grep '"source": "'"$db"'"' "$tmp/stdout"
# The revision against the store: nothing (exit 0); the global --store too.
expect_exit 0 "$NRMHUB" return diff --store "$db" again
assert_grep '^0 figures changed in 0 tables$' "$tmp/stdout"
expect_exit 0 "$NRMHUB" --store "$db" return diff again
expect_exit 64 "$NRMHUB" return diff --store "$db" first again
expect_exit 64 "$NRMHUB" return diff --store "$db" --now yesterday first

# ---- at the Home Office: every revision kept, the latest used ---------------------
# Both bundles of hull's 2024Q1 (the delivered one and its revision) taken in.
mkdir inbox
cp "$site/state/drop/hull_2024Q1_001.tar.gz"* "$site/state/outbox/hull_2024Q1_002.tar.gz"* inbox/
touch -d '1 minute ago' inbox/*
ho=$tmp/home-office.db
expect_exit 0 "$NRMHUB" keys add --store "$ho" --nation england hull "$site/state/keys/hull.pub"
expect_exit 0 "$NRMHUB" intake --inbox inbox --store "$ho"
expect_exit 0 "$NRMHUB" intake history hull 2024Q1 --store "$ho"
cp "$tmp/stdout" history.txt
assert_grep '^hull 2024Q1: 2 returns received$' history.txt
assert_grep '^seq 1, received .*, signed by key [0-9A-F]{16}$' history.txt
assert_grep '^  the first received$' history.txt
assert_grep '^seq 2, received ' history.txt
assert_grep "^  reason: $reason\$" history.txt
assert_grep '^  29 figures changed in 12 tables since the sequence before$' history.txt
assert_grep '^    Table_1 Referrals, Number: 14 -> 15 \(\+1\)$' history.txt
assert_grep '^    Table_6 Polish, Number of referrals: \(none\) -> 1 \(added\)$' history.txt
assert_grep '^    Table_13 Reasonable grounds, Mean age of case in days: 97.8 -> 81.4 \(-16.4\)$' history.txt
expect_exit 0 "$NRMHUB" intake history hull 2024Q1 --store "$ho" --json
python3 - "$tmp/stdout" <<'PY' && pass || fail "intake history --json"
import json, sys
h = json.load(open(sys.argv[1]))
s1, s2 = h["sequences"]
assert (s1["seq"], s1["changes"], s1["reason"]) == (1, None, None), s1
assert (s2["seq"], s2["figures_changed"], s2["tables_changed"]) == (2, 29, 12), s2
assert {"table": "Table_3", "row": "Female", "old": 4, "new": 5, "difference": 1}.items() <= \
    next(c for c in s2["changes"] if c["row_code"] == "female").items(), s2
PY
expect_exit 66 "$NRMHUB" intake history hull 2023Q4 --store "$ho"
expect_exit 64 "$NRMHUB" intake history hull 2024q1 --store "$ho"
# national build uses seq 2 and says how much it changed: 29 figures; the
# headline counts' differences: referrals +1, RG and CG decisions 0.
mkdir nat
expect_exit 0 "$NRMHUB" national build --quarter 2024Q1 --store "$ho" --now "$now" -o nat
python3 - nat/national.json "$reason" <<'PY' && pass || fail "national.json's revised site"
import json, sys
n = json.load(open(sys.argv[1]))
assert n["sites_revised"] == ["hull"], n["sites_revised"]
s = n["by_site"][0]
assert (s["site"], s["seq"], s["referrals"]) == ("hull", 2, 15), s
assert s["revision_change"] == {"previous_seq": 1, "figures_changed": 29, "tables_changed": 12,
                                "referrals": 1, "rg_decisions": 0, "cg_decisions": 0,
                                "largest_headline_change": 1, "reason": sys.argv[2]}, s
PY
assert_grep '^2024,Q1,hull,hull,revised,2,29,1.?$' "$(grep -l 'revised' nat/table_*.csv | head -n 1)"
# Published: how many figures changed and why, not by how much each
# headline count moved (the joint suppression does not cover those).
mkdir natpub
expect_exit 0 "$NRMHUB" national build --quarter 2024Q1 --store "$ho" --now "$now" \
	--audience published -o natpub
python3 - natpub/national.json "$reason" <<'PY' && pass || fail "published national.json's revised site"
import json, sys
s = json.load(open(sys.argv[1]))["by_site"][0]
assert s["revision_change"] == {"previous_seq": 1, "figures_changed": 29, "tables_changed": 12,
                                "referrals": None, "rg_decisions": None, "cg_decisions": None,
                                "largest_headline_change": None, "reason": sys.argv[2]}, s
PY
assert_grep '^2024,Q1,hull,hull,revised,2,29,\[z\].?$' "$(grep -l 'revised' natpub/table_*.csv | head -n 1)"

# ---- the next quarter: its series' 2024 Q1 row as the 2024Q1 bundle sent it ----
# Delivered: hull_2024Q1_001 (14 referrals, 4 awaiting RG at 2024-03-31;
# hull_2024Q1_002 was made but never delivered).  Counted now, with the
# late case: 15 and 5.  The series' 2024 Q1 row shows what was sent, 14
# and 4, marked [r]; revisions.csv lists the recomputed 15 and 5; the
# rest of the row (decisions, days) is as sent and as counted, the same.
mkdir next
expect_exit 0 build --quarter 2024Q2 -o next
assert_grep '^2024,Q1,14,([^,]*,){10}4,[^,]*,\[r\].?$' next/table_16.csv
assert_grep '^2024,Q2,.*,\[p\].?$' next/table_16.csv
assert_eq "$(grep -c '\[r\]' next/table_*.csv | awk -F: '{s += $2} END {print s}')" 1 \
	"rows marked [r] in the next quarter (the series' 2024 Q1 row)"
tr -d '\r' <next/revisions.csv >next.csv
cat >want-next.csv <<'CSV'
Year,Quarter,Table,Row code,Row,Column,Change,Previously sent,Now,Difference,Compared with
2024,Q1,Table_16,2024 Q1,2024 Q1,referrals,changed,14,15,+1,hull_2024Q1_001.tar.gz
2024,Q1,Table_16,2024 Q1,2024 Q1,awaiting_rg,changed,4,5,+1,hull_2024Q1_001.tar.gz
CSV
assert_same next.csv want-next.csv
assert_grep '"revises": null' next/return.json
python3 - next/return.json <<'PY' && pass || fail "the next quarter's series row for 2024Q1 is the one sent"
import json, sys
r = json.load(open(sys.argv[1]))
q1 = next(e for e in r["series"] if e["quarter"] == "2024Q1")
assert (q1["referrals"], q1["awaiting_rg"]) == (14, 4), q1
assert r["series"][-1]["quarter"] == "2024Q2", r["series"][-1]
PY
# SDMX-CSV: the 2024 Q1 observations the series shows, 14 and 4, are R.
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),_U,REFERRALS,(_T,){14}Q,2024-Q1,14,R,NR' next/return.sdmx.csv
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),_U,AWAITING_RG,(_T,){14}Q,2024-Q1,4,R,NR' next/return.sdmx.csv
assert_grep '<td class="num">14 \[r\]</td>' next/report.html
for mode in csv sdmx ods html; do checks "$mode" next; done
# Nothing sent for a quarter (--store without its ledger's deliveries):
# the series as counted, nothing [r].
mkdir fresh
expect_exit 0 "$NRMHUB" return build --now "$now" --site hull --quarter 2024Q2 \
	--key "$site/state/keys/hull.pseudonym.key" -o fresh --from case-jsonl "$data/cases.jsonl"
assert_grep '^2024,Q1,14,' fresh/table_16.csv
assert_no_file fresh/revisions.csv

# ---- --revises: the return sent, given by hand, for a build with no ledger ----------
mkdir byhand
expect_exit 0 "$NRMHUB" --store "$db" return build --now "$now" --site hull --quarter 2024Q1 \
	--key "$site/state/keys/hull.pseudonym.key" -o byhand --revises first --reason "$reason"
tr -d '\r' <byhand/revisions.csv | cut -d, -f1-10 >byhand.csv
cut -d, -f1-10 want.csv >want-byhand.csv
assert_same byhand.csv want-byhand.csv
assert_grep ',first.?$' byhand/revisions.csv
expect_exit 64 "$NRMHUB" --store "$db" return build --now "$now" --site hull --quarter 2024Q2 \
	--key "$site/state/keys/hull.pseudonym.key" -o byhand --revises first --reason "$reason"
assert_grep '[-]-revises first is hull 2024Q1, not hull 2024Q2' "$tmp/stderr"

# ---- a return job: its revision_reason, else that it ran again ----------------------
python3 - "$site/nrmhub.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["jobs"].append({"name": "quarterly-return", "kind": "return", "audiences": ["official"],
                    "outbox": "state/outbox"})
json.dump(cfg, open(sys.argv[1], "w"))
cfg["jobs"][-1]["revision_reason"] = "two\nlines"
json.dump(cfg, open(sys.argv[1] + ".bad", "w"))
cfg["jobs"][-1]["revision_reason"] = "Corrections from the police"
json.dump(cfg, open(sys.argv[1] + ".why", "w"))
PY
expect_exit 78 "$NRMHUB" --config "$site/nrmhub.json.bad" config check
assert_grep 'jobs\[1\]\.revision_reason: must be one line' "$tmp/stderr"
expect_exit 0 "${hub[@]}" run --job quarterly-return --quarter 2024Q1 --now 2024-07-03T09:00:00Z
tar xzOf "$site/state/outbox/hull_2024Q1_003.tar.gz" hull_2024Q1_003/data/return.json >job.json
assert_grep '"reason": "built again by the return job quarterly-return on its schedule"' job.json
assert_grep '"bundle": "hull_2024Q1_001.tar.gz"' job.json
expect_exit 0 "$NRMHUB" --config "$site/nrmhub.json.why" run --job quarterly-return --quarter 2024Q1 \
	--now 2024-07-03T10:00:00Z
tar xzOf "$site/state/outbox/hull_2024Q1_004.tar.gz" hull_2024Q1_004/data/return.json >job.json
assert_grep '"reason": "Corrections from the police"' job.json

finish
