#!/bin/bash
# Erasure, retention and the access log (issue 13): `cases erase` leaves no
# byte of the case in the store's files and records it by pseudonym only;
# an unknown id is refused without being quoted; `cases expire` and
# `run --due` apply the retention policy at a fixed --now (dry runs list,
# change nothing); `cases show` and `export` are in `audit log`.

. "$SRCDIR/tests/e2e/lib.sh"

site=$tmp/site
mkdir -p "$site/state"
case_line() { # ID NRM_REF ORG CG_DATE
	local cg=null out=null
	[ "$4" != - ] && cg="\"$4\"" out='"positive"'
	printf '{"case_id":"%s","site":"birmingham","nrm_ref":"%s","referral_date":"2017-01-10","first_responder_type":"ngo","first_responder_org":"%s","local_authority":"E08000025","police_force":"E23000014","age_at_exploitation":15,"age_disputed":false,"gender":"female","nationality":["AL"],"exploitation_types":["sexual"],"county_lines":false,"exploitation_location":"uk","rg_decision_date":"2017-02-01","rg_outcome":"positive","cg_decision_date":%s,"cg_outcome":%s,"decision_maker":"ddm_panel","status":"open","status_date":null,"updated_at":null}\n' \
		"$1" "$2" "$3" "$cg" "$out"
}
# Closed 2018-05-01 (past 6 years on 2025-01-01), closed 2019-01-01 (its
# limit is 2025-01-01 itself), closed 2020-03-01 (kept), open (kept).
{
	case_line CANARYID-7731 NRMCANARYREF9 "Canaryorg Trust" 2018-05-01
	case_line BOUNDARY-4 NRMBOUNDARY4 "Boundaryorg" 2019-01-01
	case_line RECENT-2 NRMRECENT2 "Recentorg" 2020-03-01
	case_line OPEN-3 NRMOPEN3 "Openorg" -
} >"$tmp/cases.jsonl"
cat >"$site/nrmhub.json" <<'JSON'
{"site": {"code": "birmingham", "name": "B", "local_authority": "E08000025",
          "nation": "E92000001", "joined": "2016-01-01"},
 "store": "state/nrmhub.db",
 "jobs": [],
 "retention": {"years_after_closed": 6}}
JSON
store=$site/state/nrmhub.db
hub=("$NRMHUB" --config "$site/nrmhub.json")
expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl --now 2024-01-01T00:00:00Z \
	"$tmp/cases.jsonl"
# Corrections of two cases' organisations, so that their first versions
# (with the canary values) are in the store's history (case_version), which
# erasure and expiry must clear as well: only the history holds them now.
{
	case_line CANARYID-7731 NRMCANARYREF9 "Secondorg" 2018-05-01
	case_line BOUNDARY-4 NRMBOUNDARY4 "Secondorg" 2019-01-01
} >"$tmp/fix.jsonl"
expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl --now 2024-02-01T00:00:00Z \
	"$tmp/fix.jsonl"
versions() { python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM case_version WHERE case_id = ? AND first_responder_org LIKE ?", (sys.argv[2], sys.argv[3])).fetchone()[0])' "$store" "$1" "$2"; }
assert_eq "$(versions CANARYID-7731 Canaryorg%)" 1 "the canary's first version in the history"
assert_eq "$(versions BOUNDARY-4 Boundaryorg%)" 1 "the boundary case's first version in the history"

# ---- the access log -------------------------------------------------------
expect_exit 0 "${hub[@]}" cases show CANARYID-7731 --store "$store"
expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl -o "$tmp/out.jsonl"
expect_exit 0 "$NRMHUB" audit log --json --store "$store"
cp "$tmp/stdout" "$tmp/audit.json"
key=$site/state/keys/birmingham.pseudonym.key
pseudo() { python3 -c 'import hmac, hashlib, sys
print(hmac.new(open(sys.argv[1], "rb").read(), sys.argv[2].encode(), hashlib.sha256).hexdigest())' "$key" "$1"; }
canary=$(pseudo CANARYID-7731)
python3 - "$tmp/audit.json" "$canary" <<'PY' && pass || fail "the access log after cases show and export"
import json, sys
log = json.load(open(sys.argv[1]))
assert [e["command"] for e in log] == ["cases show", "export --to case-jsonl"], log
assert log[0]["cases"] == 1 and log[0]["pseudonyms"] == [sys.argv[2]], log[0]
assert log[1]["cases"] == 4 and sys.argv[2] in log[1]["pseudonyms"], log[1]
assert all(e["user"] for e in log)
PY
assert_no_grep 'CANARYID|RECENT-2|OPEN-3' "$tmp/audit.json"

# ---- erasure --------------------------------------------------------------
# A held extract with the case's row (and another's), in a folder --held names.
mkdir -p "$tmp/held/ret"
printf 'pseudonym,referral_date\n%s,2017-01-10\n%s,2017-01-10\n' "$canary" \
	"$(pseudo RECENT-2)" >"$tmp/held/ret/cases.csv"
# Before: the values are in the store (so the search below can fail).
cat "$store"* | grep -aqE 'CANARYID-7731|NRMCANARYREF9|Canaryorg Trust' && pass ||
	fail "the canaries are not in the store before the erasure"
expect_exit 66 "${hub[@]}" cases erase NO-SUCH-ID --site birmingham --reason "request"
assert_grep 'no case with that id' "$tmp/stderr"
assert_no_grep 'NO-SUCH-ID' "$tmp/stderr"
expect_exit 64 "${hub[@]}" cases erase CANARYID-7731 --site birmingham
expect_exit 64 "${hub[@]}" cases erase CANARYID-7731 --site birmingham --reason "re CANARYID-7731"
expect_exit 0 "${hub[@]}" cases erase CANARYID-7731 --site birmingham \
	--reason "guardian's request" --held "$tmp/held"
assert_grep "^  $canary\$" "$tmp/stdout"
assert_no_grep 'CANARYID' "$tmp/stdout"
assert_no_grep 'CANARYID' "$tmp/stderr"
for f in "$store" "$store-wal" "$store-shm"; do
	[ -e "$f" ] || continue
	if grep -aqE 'CANARYID-7731|NRMCANARYREF9|Canaryorg Trust' "$f"; then
		fail "$f still holds a value of the erased case"
	else
		pass
	fi
done
assert_eq "$(versions CANARYID-7731 %)" 0 "the erased case's history"
assert_eq "$(grep -c "$canary" "$tmp/held/ret/cases.csv")" 0 "the erased row in the held extract"
assert_eq "$(wc -l <"$tmp/held/ret/cases.csv")" 2 "lines left in the held extract"
expect_exit 66 "${hub[@]}" cases show CANARYID-7731 --store "$store"
expect_exit 0 "${hub[@]}" cases show RECENT-2 --store "$store"
expect_exit 0 "$NRMHUB" audit erasures --json --store "$store"
assert_grep "\"pseudonym\": \"$canary\"" "$tmp/stdout"
assert_grep '"reason": "guardian.s request"' "$tmp/stdout"

# ---- retention ------------------------------------------------------------
boundary=$(pseudo BOUNDARY-4)
expect_exit 0 "${hub[@]}" cases expire --dry-run --now 2024-12-31
assert_grep '^would erase 0 cases' "$tmp/stdout"
expect_exit 0 "${hub[@]}" cases expire --dry-run --now 2025-01-01
assert_grep '^would erase 1 case' "$tmp/stdout"
assert_grep "^  $boundary\$" "$tmp/stdout"
expect_exit 0 "${hub[@]}" run --due --dry-run --now 2025-01-01
assert_grep '^retention: would erase 1 case:' "$tmp/stdout"
assert_grep "^  $boundary\$" "$tmp/stdout"
expect_exit 0 "${hub[@]}" cases show BOUNDARY-4 --store "$store"
expect_exit 0 "${hub[@]}" run --due --now 2025-01-01
expect_exit 66 "${hub[@]}" cases show BOUNDARY-4 --store "$store"
expect_exit 0 "${hub[@]}" cases show RECENT-2 --store "$store"
expect_exit 0 "${hub[@]}" cases show OPEN-3 --store "$store"
expect_exit 0 "$NRMHUB" audit erasures --json --store "$store"
assert_grep "\"pseudonym\": \"$boundary\"" "$tmp/stdout"
assert_grep '"reason": "retention"' "$tmp/stdout"
grep -aqE 'BOUNDARY-4|NRMBOUNDARY4|Boundaryorg' "$store" && fail "the expired case is in the store" || pass
assert_eq "$(versions BOUNDARY-4 %)" 0 "the expired case's history"

# ---- the configuration's key ---------------------------------------------
# A site whose configuration names its pseudonym key: `cases show` and
# `export` log the pseudonyms its returns and erasures use, made with that key.
sed 's#"jobs": \[\],#"jobs": [], "keys": {"pseudonym_key": "state/keys/own.key"},#' \
	"$site/nrmhub.json" >"$site/own.json"
expect_exit 0 "$NRMHUB" --config "$site/own.json" cases show OPEN-3 --store "$store"
expect_exit 0 "$NRMHUB" --config "$site/own.json" export --store "$store" --to case-jsonl \
	-o "$tmp/own.jsonl"
expect_exit 0 "$NRMHUB" audit log --json --store "$store"
own=$(key=$site/state/keys/own.key pseudo OPEN-3)
python3 - "$tmp/stdout" "$own" <<'PY' && pass || fail "the access log with the configuration's key"
import json, sys
log = json.load(open(sys.argv[1]))
assert log[-2]["command"] == "cases show" and log[-2]["pseudonyms"] == [sys.argv[2]], log[-2]
assert log[-1]["command"].startswith("export") and sys.argv[2] in log[-1]["pseudonyms"], log[-1]
PY

# ---- the policy's checks --------------------------------------------------
for bad in '{"years_after_closed": 0}' '{}' '{"years": 6}' '"6 years"'; do
	sed "s/\"retention\": .*}}\$/\"retention\": $bad}/" "$site/nrmhub.json" >"$tmp/bad.json"
	expect_exit 78 "$NRMHUB" --config "$tmp/bad.json" cases expire --dry-run
	assert_grep 'retention' "$tmp/stderr"
done

finish
