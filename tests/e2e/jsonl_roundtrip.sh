#!/bin/bash
# case-jsonl is the canonical case's own format, so converting it to itself
# must give the canonical spelling of every record: keys in schema order, no
# spaces, null or "unknown" or [] for what is not known, exploitation types in
# their fixed order, status "open" by default.  The expected bytes are written
# out by hand in tests/data/case/valid-canonical.jsonl, not produced by the
# code under test.  The same output must come from a file, from standard
# input, and from the canonical file itself (idempotence).  Then the lines the
# importer must refuse, each at line 2 so a wrong line count shows: not JSON,
# an array, duplicate keys, a NUL in a string, a number for a date; and the
# ones it must take: a blank line (skipped, but counted), CRLF line ends, a
# last line without a newline.

. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/case
canonical=$data/valid-canonical.jsonl

# The canonical file lists the records in this (byte-sorted) order.
valid=()
while IFS= read -r f; do
	valid+=("$f")
done < <(printf '%s\n' "$data"/valid/*.json | LC_ALL=C sort)
assert_eq "$(wc -l <"$canonical")" "${#valid[@]}" "lines of valid-canonical.jsonl, one per valid fixture"

to_jsonl() {
	"$NRMHUB" convert --from case-jsonl --to case-jsonl "$@"
}

# converts_to INPUT EXPECTED: converting one file gives EXPECTED's bytes.
converts_to() {
	rm -f "$tmp/out.jsonl"
	expect_exit 0 to_jsonl -o "$tmp/out.jsonl" "$1" &&
		assert_same "$2" "$tmp/out.jsonl"
}

# names_line INPUT LINE [FIELD]: $tmp/stderr has "INPUT:LINE: " or
# "INPUT:LINE:COLUMN: ", followed by "FIELD: " when FIELD is given.  Plain
# string comparison, so nothing in a path is taken as a pattern.
names_line() {
	if awk -v prefix="$1:$2:" -v field="${3:+ $3: }" '
		index($0, prefix) == 1 {
			rest = substr($0, length(prefix) + 1)
			sub(/^[0-9]+:/, "", rest)
			if (field == "" || index(rest, field) == 1)
				found = 1
		}
		END { exit !found }' "$tmp/stderr"; then
		pass
	else
		fail "no '$1:$2:${3:+ $3:}' message"
		sed 's/^/  | /' "$tmp/stderr" | head -n 5 >&2
	fi
}

# refused INPUT LINE [FIELD]: convert exits 65, writes no output file, and
# names the line (and the field).
refused() {
	rm -f "$tmp/out.jsonl"
	expect_exit 65 to_jsonl -o "$tmp/out.jsonl" "$1" || return
	assert_no_file "$tmp/out.jsonl"
	names_line "$@"
}

# ---- the round trip -----------------------------------------------------

rm -f "$tmp/out.jsonl"
expect_exit 0 to_jsonl -o "$tmp/out.jsonl" "${valid[@]}" &&
	assert_same "$canonical" "$tmp/out.jsonl"

# Idempotence: the canonical spelling is a fixed point.
converts_to "$canonical" "$canonical"

cat "${valid[@]}" >"$tmp/all.jsonl"
expect_exit 0 to_jsonl - <"$tmp/all.jsonl" &&
	assert_same "$canonical" "$tmp/stdout"

# ---- lines that must be taken ---------------------------------------------

sed 's/$/\r/' "$canonical" >"$tmp/crlf.jsonl"
converts_to "$tmp/crlf.jsonl" "$canonical"

head -c -1 "$canonical" >"$tmp/no-final-newline.jsonl"
converts_to "$tmp/no-final-newline.jsonl" "$canonical"

# Blank lines are skipped: they carry no record, so they are not errors.
{
	cat "$data/valid/minimal.json"
	echo
	cat "$data/valid/full.json"
} >"$tmp/blank.jsonl"
{
	grep -F '"case_id":"HULL-0001"' "$canonical"
	grep -F '"case_id":"HULL-0002"' "$canonical"
} >"$tmp/blank-expected.jsonl"
converts_to "$tmp/blank.jsonl" "$tmp/blank-expected.jsonl"

# ---- lines that must be refused ---------------------------------------------

# bad_second_line NAME LINE: a file whose first line is good and whose second
# is LINE, so a wrong line count shows.
bad_second_line() {
	{
		cat "$data/valid/minimal.json"
		printf '%s\n' "$2"
	} >"$tmp/$1.jsonl"
}

good='"site":"hull","referral_date":"2025-01-15"'
bad_second_line not-json '{"case_id":"J-2",'"$good"
refused "$tmp/not-json.jsonl" 2
bad_second_line array '["J-2","hull","2025-01-15"]'
refused "$tmp/array.jsonl" 2
bad_second_line scalar '"J-2"'
refused "$tmp/scalar.jsonl" 2
bad_second_line duplicate-key '{"case_id":"J-2","case_id":"J-3",'"$good"'}'
refused "$tmp/duplicate-key.jsonl" 2
bad_second_line nul-in-string '{"case_id":"J\u00002",'"$good"'}'
refused "$tmp/nul-in-string.jsonl" 2
bad_second_line number-for-date '{"case_id":"J-2","site":"hull","referral_date":20250115}'
refused "$tmp/number-for-date.jsonl" 2 referral_date

# Line numbers still count a skipped blank line.
{
	cat "$data/valid/minimal.json"
	echo
	printf '%s\n' '{"case_id":"J-3",'"$good"',"age_at_exploitation":18}'
} >"$tmp/blank-then-bad.jsonl"
refused "$tmp/blank-then-bad.jsonl" 3 age_at_exploitation

finish
