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

finish
