#!/bin/bash
# The return's series (formats/return.md, The series): six hand-made cases
# of a site that joined on 2023-05-10, one referred before it and one
# age-disputed; the 2024Q2 return's series worked out by hand (rows from
# the joining quarter, 2023Q2, the first one counting the case referred
# before it as that quarter's own return does), each row the figures of
# its own quarter's return, the changes on the previous quarter and the
# year before (a zero base [z], no base [x], a suppressed one [c]), and
# the published series passing `return audit` with that quarter's returns.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

cases=$tmp/cases.jsonl
python3 - "$SRCDIR/tests/data/returns/cases.jsonl" "$cases" <<'PYTHON'
import json, sys
base = json.loads(open(sys.argv[1]).readline())
def case(n, referred, rg=None, rg_outcome=None, cg=None, status="open", status_date=None,
         disputed=False):
    c = dict(base, case_id="S-%d" % n, nrm_ref="NRM-S-%d" % n, referral_date=referred,
             rg_decision_date=rg, rg_outcome=rg_outcome, cg_decision_date=cg,
             cg_outcome="positive" if cg else None, status=status, status_date=status_date,
             age_disputed=disputed, first_responder_org="Org S-%d" % n)
    return json.dumps(c)
rows = [
    case(1, "2023-02-01", "2023-04-20", "positive"),             # A: before joining
    case(2, "2023-05-15", "2023-06-30", "negative"),             # B
    case(3, "2023-08-01", "2023-08-11", "positive", "2024-01-15"),  # C
    case(4, "2023-12-31", status="withdrawn", status_date="2024-02-01"),  # D
    case(5, "2024-04-01", "2024-04-05", "positive"),             # E
    case(6, "2024-05-01", "2024-05-02", "positive", disputed=True),  # F: out of scope
]
open(sys.argv[2], "w").write("\n".join(rows) + "\n")
PYTHON

build() { # QUARTER AUDIENCE DIR [OPTION...]
	local q=$1 audience=$2 dir=$3
	shift 3
	mkdir -p "$dir"
	expect_exit 0 "$NRMHUB" return build --quarter "$q" --site hull --audience "$audience" \
		--joined 2023-05-10 -o "$dir" --now 2024-07-02T09:00:00Z --key "$tmp/hull.key" \
		--from case-jsonl "$@" "$cases"
}
build 2024Q2 official "$tmp/off"
build 2024Q2 published "$tmp/pub"
for q in 2023Q2 2023Q3 2023Q4 2024Q1; do
	build "$q" official "$tmp/off-$q" --force
	build "$q" published "$tmp/pub-$q" --force
done

# By hand (days are calendar days from referral):
#   2023Q2: B referred; A decided RG (78 days, positive), B (46, negative);
#           A awaits CG at 2023-06-30.
#   2023Q3: C referred and decided RG (10, positive); A and C await CG.
#   2023Q4: D referred 2023-12-31 and awaits RG on that day; A, C await CG.
#   2024Q1: C decided CG (167); D withdrawn 2024-02-01 awaits nothing; A awaits CG.
#   2024Q2: E referred, RG (4, positive); F age-disputed counts nowhere;
#           A and E await CG.
python3 - "$tmp" <<'PYTHON' && pass || fail "the series differs from the hand-worked one"
import json, sys
d = sys.argv[1]
r = json.load(open(d + "/off/return.json"))
want = [
    ["2023Q2", 1, 2, 1, 0, 0, 62.0, 62, None, None, 0, 1],
    ["2023Q3", 1, 1, 1, 0, 0, 10.0, 10, None, None, 0, 2],
    ["2023Q4", 1, 0, 0, 0, 0, None, None, None, None, 1, 2],
    ["2024Q1", 0, 0, 0, 1, 1, None, None, 167.0, 167, 0, 1],
    ["2024Q2", 1, 1, 1, 0, 0, 4.0, 4, None, None, 0, 2],
]
keys = ["quarter", "referrals", "rg_decisions", "rg_positive", "cg_decisions", "cg_positive",
        "mean_days_rg", "median_days_rg", "mean_days_cg", "median_days_cg", "awaiting_rg",
        "awaiting_cg"]
got = [[row[k] for k in keys] for row in r["series"]]
assert got == want, got
# Each row is its own quarter's return's figures.
for row in r["series"][:-1]:
    own = json.load(open("%s/off-%s/return.json" % (d, row["quarter"])))
    assert own["series"][-1] == row, (row, own["series"][-1])
    assert row["referrals"] == own["referrals"]["total"]
    assert row["awaiting_cg"] == own["awaiting"]["cg"]["count"]
    assert row["median_days_rg"] == own["days_to_decision"]["rg"]["median"]
PYTHON

# Table_17: the changes.  Columns per headline figure (referrals, RG, CG,
# awaiting RG, awaiting CG): change and percent on the previous quarter,
# then on the same quarter a year earlier.
python3 - "$tmp/off/table_17.csv" "$tmp/pub/table_17.csv" <<'PYTHON' && pass || fail "Table_17's changes"
import csv, sys
off = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
# The last column, Status, is the row's [p] and [r] (return_marks.h).
assert off[0][0:2] == ["Year", "Quarter"] and len(off[0]) == 23, off[0]
assert off[0][-1] == "Status", off[0]
rows = {(r[0], r[1]): r[2:-1] for r in off[1:]}
assert len(rows) == 5
# 2023Q2, the first row: nothing to compare with.
assert rows[("2023", "Q2")] == ["[x]"] * 20, rows[("2023", "Q2")]
# 2023Q3 on 2023Q2: referrals 1 on 1, RG 1 on 2, awaiting CG 2 on 1.
q3 = rows[("2023", "Q3")]
assert q3[0:2] == ["0", "0.0"] and q3[2:4] == ["[x]", "[x]"], q3
assert q3[4:6] == ["-1", "-50.0"] and q3[16:18] == ["1", "100.0"], q3
# 2024Q2 on 2024Q1: referrals 1 on 0 (percent [z]), CG 0 on 1, awaiting
# RG 0 on 0; on 2023Q2: referrals 1 on 1, RG 1 on 2, awaiting CG 2 on 1.
q = rows[("2024", "Q2")]
assert q[0:4] == ["1", "[z]", "0", "0.0"], q
assert q[4:8] == ["1", "[z]", "-1", "-50.0"], q
assert q[8:12] == ["-1", "-100.0", "0", "[z]"], q
assert q[12:16] == ["0", "[z]", "0", "[z]"], q
assert q[16:20] == ["1", "100.0", "1", "100.0"], q
# Published: every count here is 1 to 4 or 0, so a change is [c] unless
# both its figures are 0 (2024Q1 and 2024Q2's awaiting RG: 0 on 0).
pub = {(r[0], r[1]): r[2:-1] for r in list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))[1:]}
p = pub[("2024", "Q2")]
assert p[0:4] == ["[c]"] * 4 and p[12:14] == ["0", "[z]"] and p[16:18] == ["[c]", "[c]"], p
PYTHON

# Without a joining day, from the pilot's start: 2021Q2 to 2024Q2, 13 rows,
# the early ones empty.
mkdir -p "$tmp/nojoin"
expect_exit 0 "$NRMHUB" return build --quarter 2024Q2 --site hull -o "$tmp/nojoin" \
	--now 2024-07-02T09:00:00Z --key "$tmp/hull.key" --from case-jsonl "$cases"
python3 - "$tmp/nojoin/return.json" <<'PYTHON' && pass || fail "the series from 2021Q2"
import json, sys
s = json.load(open(sys.argv[1]))["series"]
assert len(s) == 13 and s[0]["quarter"] == "2021Q2" and s[-1]["quarter"] == "2024Q2"
assert s[7]["quarter"] == "2023Q1" and s[7]["referrals"] == 1 and s[7]["awaiting_rg"] == 1
assert all(r["referrals"] == 0 for r in s[:7])
PYTHON

# The joining day from the site's configuration, without --joined (the
# site adopted from its cases): the same series as with --joined.
mkdir -p "$tmp/conf" "$tmp/fromconf"
printf '{"site": {"code": "hull", "joined": "2023-05-10"}, "store": "site.db", "jobs": []}\n' >"$tmp/conf/nrmhub.json"
expect_exit 0 "$NRMHUB" --config "$tmp/conf/nrmhub.json" return build --quarter 2024Q2 \
	-o "$tmp/fromconf" --now 2024-07-02T09:00:00Z --key "$tmp/hull.key" --from case-jsonl "$cases"
python3 - "$tmp/fromconf/return.json" "$tmp/off/return.json" <<'PYTHON' && pass || fail "the series from the configuration's joining day"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["series"] == b["series"], [r["quarter"] for r in a["series"]]
PYTHON

# The published series: alone, and with every quarter's own published
# return, no hidden cell is derivable (the changes included).
expect_exit 0 "$NRMHUB" return audit "$tmp/pub"
expect_exit 0 "$NRMHUB" return audit "$tmp/pub" "$tmp/pub-2023Q2" "$tmp/pub-2023Q3" \
	"$tmp/pub-2023Q4" "$tmp/pub-2024Q1"
assert_grep 'pub: [0-9]+ cells audited, 0 fail$' "$tmp/stdout"
# A series row showing what its quarter's own return hides is caught.
mkdir -p "$tmp/leak"
python3 - "$tmp/pub/return.json" "$tmp/leak/return.json" <<'PYTHON'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["series"][1]["quarter"] == "2023Q3" and r["series"][1]["awaiting_cg"] == "[c]"
r["series"][1]["awaiting_cg"] = 2
json.dump(r, open(sys.argv[2], "w"), indent=2)
PYTHON
expect_exit 65 "$NRMHUB" return audit "$tmp/leak" "$tmp/pub-2023Q3"
assert_grep 'pub-2023Q3: 2023Q3 .*awaiting.*\[2, 2\]: derivable exactly' "$tmp/stderr"

# A series that is not the consecutive quarters ending with the return's,
# or a row with more positive decisions than decisions, is refused, the
# row named, nothing written.
python3 - "$tmp/off/return.json" "$tmp" <<'PYTHON'
import json, sys
r = json.load(open(sys.argv[1]))
gap = json.loads(json.dumps(r))
del gap["series"][1]
json.dump(gap, open(sys.argv[2] + "/gap.json", "w"))
over = json.loads(json.dumps(r))
over["series"][0]["rg_positive"] = 3
json.dump(over, open(sys.argv[2] + "/over.json", "w"))
PYTHON
expect_exit 65 "$NRMHUB" return render -o "$tmp/gap-out" "$tmp/gap.json"
assert_grep 'series\[0\]: quarter is out of sequence' "$tmp/stderr"
assert_no_file "$tmp/gap-out"
expect_exit 65 "$NRMHUB" return render -o "$tmp/over-out" "$tmp/over.json"
assert_grep 'series\[0\]: rg_positive is more than rg_decisions' "$tmp/stderr"

# The outputs agree with return.json (every table, CSVW, SDMX, ODS, HTML).
for dir in off pub; do
	if python3 "$SRCDIR/tests/e2e/check_return.py" csv "$tmp/$dir/return.json" "$tmp/$dir" \
		>"$tmp/check.out" 2>&1; then
		pass
	else
		fail "check_return.py csv $dir:"
		head -n 10 "$tmp/check.out" >&2
	fi
done
finish
