#!/bin/bash
# The example council export (examples/site/data/council-cases.csv: Excel's
# BOM and CRLF, dd/mm/yyyy dates, quoted names with commas, quotes and a line
# break) converts to exactly the case-jsonl written out by hand in
# tests/data/council/expected-council-cases.jsonl.  Then the same data in the
# other shapes councils send must give the same bytes: LF line ends, no BOM,
# columns in another order with headers in upper case and padded with spaces;
# and extra columns are ignored with exactly one warning naming them.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

example=$SRCDIR/examples/site/data/council-cases.csv
expected=$SRCDIR/tests/data/council/expected-council-cases.jsonl

# converts_to_expected NAME FILE: FILE converts cleanly, without a warning,
# to the expected records.
converts_to_expected() {
	local name=$1 file=$2
	rm -f "$tmp/$name.jsonl"
	expect_exit 0 "$NRMHUB" convert --from council-csv --to case-jsonl \
		-o "$tmp/$name.jsonl" "$file" &&
		assert_same "$tmp/$name.jsonl" "$expected"
	assert_no_grep . "$tmp/stderr"
}

# The example really is in Excel's shape, so the variants below differ from it.
assert_eq "$(head -c 3 "$example" | od -An -tx1 | tr -d ' \n')" efbbbf "the example's BOM"
assert_grep $'\r$' "$example"

converts_to_expected excel "$example"

# LF line ends (the line break inside a quoted name is already a bare LF).
sed 's/\r$//' "$example" >"$tmp/lf.csv"
converts_to_expected lf "$tmp/lf.csv"

# No byte order mark.
tail -c +4 "$example" >"$tmp/no-bom.csv"
converts_to_expected no-bom "$tmp/no-bom.csv"

# Neither.
tail -c +4 "$tmp/lf.csv" >"$tmp/plain.csv"
converts_to_expected plain "$tmp/plain.csv"

# Case ID and Site moved to the end of every record (neither is ever
# quoted), and the header in upper case with spaces around each name.  A
# record ends at a CR LF; a bare LF is inside a quoted field.
LC_ALL=C awk '
	{ record = record $0 }
	!/\r$/ { record = record "\n"; next }
	{
		sub(/\r$/, "", record)
		first = index(record, ",")
		second = first + index(substr(record, first + 1), ",")
		moved = substr(record, second + 1) "," substr(record, 1, second - 1)
		if (++n == 1) {
			moved = toupper(moved)
			gsub(/,/, " ,  ", moved)
		}
		printf "%s\r\n", moved
		record = ""
	}' "$tmp/no-bom.csv" >"$tmp/reordered.csv"
assert_grep '^NRM REFERENCE ,  REFERRAL DATE ,  ' "$tmp/reordered.csv"
converts_to_expected reordered "$tmp/reordered.csv"

# Two columns the format does not know: ignored, named once in one warning.
LC_ALL=C awk '
	{ record = record $0 }
	!/\r$/ { record = record "\n"; next }
	{
		sub(/\r$/, "", record)
		printf "%s,%s\r\n", record, ++n == 1 ? "Notes,Panel Room" : ",B2"
		record = ""
	}' "$tmp/no-bom.csv" >"$tmp/extra-columns.csv"
rm -f "$tmp/extra.jsonl"
expect_exit 0 "$NRMHUB" convert --from council-csv --to case-jsonl \
	-o "$tmp/extra.jsonl" "$tmp/extra-columns.csv" &&
	assert_same "$tmp/extra.jsonl" "$expected"
assert_eq "$(wc -l <"$tmp/stderr")" 1 "lines on stderr with unknown columns"
assert_grep 'extra-columns\.csv: ignoring unknown columns: Notes, Panel Room$' "$tmp/stderr"

# The example's dates of birth give its scope rule something to work on
# (formats/return.md, "Pilot scope"), worked by hand for 2025Q2:
# 0009 (referred 2025-04-07, born 2007-06-01: 18 in 55 days) near_18;
# 0010 no date of birth: unknown; 0011 (born 2008-12-19) 16, in scope; 0008
# (born 2010-02-14) 15, in scope; 0006 is age-disputed: in no row.
mkdir "$tmp/q2"
expect_exit 0 "$NRMHUB" return build --quarter 2025Q2 --now 2025-07-02T09:00:00Z \
	--key "$tmp/q2.key" -o "$tmp/q2" --from council-csv "$example"
x=$tmp/q2/cases.csv
assert_grep '^[0-9a-f]{64},birmingham,2025-04-07,.*,17,near_18'$'\r''$' "$x"
assert_grep '^[0-9a-f]{64},birmingham,2025-04-22,.*,,unknown'$'\r''$' "$x"
assert_grep '^[0-9a-f]{64},birmingham,2025-05-12,.*,16,in_scope'$'\r''$' "$x"
assert_grep '^[0-9a-f]{64},birmingham,2025-03-24,.*,15,in_scope'$'\r''$' "$x"
assert_no_grep '^[0-9a-f]{64},birmingham,2025-03-03,' "$x"
assert_no_grep '2007-06-01|2008-12-19' "$x"
# The site's comparison, from the pilot's start (no --joined).  Pilot RG in
# Q2: 0011, 0012, 14 days each, positive.  Pilot CG in Q2: 0012 14 days
# (positive), 0001 98 (positive), 0005 100 (negative), 0002 119 (positive):
# 4, 3 positive (75.0%), mean 331 / 4 = 82.75 -> 82.8, median (98 + 100) / 2
# = 99, p90 the 4th, 119, 1 within 45 days (25.0%).  Cumulative RG adds Q1's
# 0001 14, 0002 17, 0003 14, 0004 21 (negative), 0005 14, 0007 21: 8, 7
# positive (87.5%), mean 129 / 8 = 16.125 -> 16.1, median 14, p90 the 8th,
# 21, all within 45 days.  0010 (DDM, RG in Q2) has no date of birth and
# counts in no group.  Decided by the Home Office: 0008, SCA, RG 14 days,
# negative.
python3 - "$tmp/q2/return.json" >"$tmp/check" 2>&1 <<'PY' && pass || { fail "example comparison"; cat "$tmp/check" >&2; }
import json, sys
c = json.load(open(sys.argv[1]))["comparison"]
g = {x["group"]: x for x in c["groups"]}
keys = ("count", "positive", "percent_positive", "mean", "median", "p90", "within_45_days",
        "percent_within_45_days")
Z = (0, 0, None, None, None, None, 0, None)
want = {
    ("pilot", "quarter", "rg"): (2, 2, 100.0, 14.0, 14, 14, 2, 100.0),
    ("pilot", "quarter", "cg"): (4, 3, 75.0, 82.8, 99, 119, 1, 25.0),
    ("pilot", "cumulative", "rg"): (8, 7, 87.5, 16.1, 14, 21, 8, 100.0),
    ("pilot", "cumulative", "cg"): (4, 3, 75.0, 82.8, 99, 119, 1, 25.0),
    ("pilot_site_home_office", "quarter", "rg"): (1, 0, 0.0, 14.0, 14, 14, 1, 100.0),
    ("pilot_site_home_office", "quarter", "cg"): Z,
    ("pilot_site_home_office", "cumulative", "rg"): (1, 0, 0.0, 14.0, 14, 14, 1, 100.0),
    ("pilot_site_home_office", "cumulative", "cg"): Z,
}
bad = []
for (grp, when, st), w in want.items():
    f = g[grp][when][st]
    for k, v in zip(keys, w):
        if f[k] != v or type(f[k]) is not type(v):
            bad.append("%s.%s.%s.%s: got %r, expected %r" % (grp, when, st, k, f[k], v))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

finish
