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

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/case
canonical=$data/valid-canonical.jsonl

[ -n "${NRMHUB:-}" ] && [ -x "$NRMHUB" ] || fail "NRMHUB is not set to the nrmhub binary"

# The canonical file lists the records in this (byte-sorted) order.
shopt -s nullglob
valid=()
while IFS= read -r f; do
	valid+=("$f")
done < <(printf '%s\n' "$data"/valid/*.json | LC_ALL=C sort)
[ "${#valid[@]}" -gt 0 ] || fail "no valid fixtures"
[ "$(wc -l <"$canonical")" -eq "${#valid[@]}" ] ||
	fail "valid-canonical.jsonl has $(wc -l <"$canonical") lines for ${#valid[@]} valid fixtures"

to_jsonl() {
	"$NRMHUB" convert --from case-jsonl --to case-jsonl "$@"
}

# same_bytes EXPECTED ACTUAL WHAT
same_bytes() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -40 >&2
		fail "$3: output differs from $1"
	fi
}

# converts_to INPUT EXPECTED WHAT: converts one file into $tmp/out.jsonl.
converts_to() {
	rm -f "$tmp/out.jsonl"
	to_jsonl -o "$tmp/out.jsonl" "$1" 2>"$tmp/err" ||
		fail "$3: exit $?: $(cat "$tmp/err")"
	same_bytes "$2" "$tmp/out.jsonl" "$3"
}

# ---- the round trip -----------------------------------------------------

rm -f "$tmp/out.jsonl"
to_jsonl -o "$tmp/out.jsonl" "${valid[@]}" 2>"$tmp/err" ||
	fail "converting the valid fixtures exited $?: $(cat "$tmp/err")"
same_bytes "$canonical" "$tmp/out.jsonl" "valid fixtures as files"

converts_to "$canonical" "$canonical" "canonical file converted again"

cat "${valid[@]}" | to_jsonl - >"$tmp/stdin.jsonl" 2>"$tmp/err" ||
	fail "converting standard input exited $?: $(cat "$tmp/err")"
same_bytes "$canonical" "$tmp/stdin.jsonl" "valid fixtures through standard input"

# ---- lines that must be taken ---------------------------------------------

sed 's/$/\r/' "$canonical" >"$tmp/crlf.jsonl"
converts_to "$tmp/crlf.jsonl" "$canonical" "CRLF line ends"

head -c -1 "$canonical" >"$tmp/no-final-newline.jsonl"
converts_to "$tmp/no-final-newline.jsonl" "$canonical" "no newline after the last line"

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
converts_to "$tmp/blank.jsonl" "$tmp/blank-expected.jsonl" "a blank line between records"

# ---- lines that must be refused ---------------------------------------------

# names_line INPUT LINE [FIELD]: $tmp/err has "INPUT:LINE: " or
# "INPUT:LINE:COLUMN: ", followed by "FIELD: " when FIELD is given.
names_line() {
	awk -v prefix="$1:$2:" -v field="${3:+ $3: }" '
		index($0, prefix) == 1 {
			rest = substr($0, length(prefix) + 1)
			sub(/^[0-9]+:/, "", rest)
			if (field == "" || index(rest, field) == 1)
				found = 1
		}
		END { exit !found }' "$tmp/err"
}

# refused NAME LINE2 [FIELD]: a file whose first line is good and whose second
# is LINE2 makes convert exit 65, write no output, and name line 2 (and FIELD).
refused() {
	local name=$1 line=$2 field=${3:-} input=$tmp/$1.jsonl status
	{
		cat "$data/valid/minimal.json"
		printf '%s\n' "$line"
	} >"$input"
	rm -f "$tmp/out.jsonl"
	to_jsonl -o "$tmp/out.jsonl" "$input" >/dev/null 2>"$tmp/err"
	status=$?
	[ "$status" -eq 65 ] || fail "$name: exit $status, expected 65: $(cat "$tmp/err")"
	[ ! -e "$tmp/out.jsonl" ] || fail "$name: an output file was written"
	names_line "$input" 2 "$field" ||
		fail "$name: no '$input:2:${field:+ $field:}' message: $(cat "$tmp/err")"
}

good='"site":"hull","referral_date":"2025-01-15"'
refused not-json '{"case_id":"J-2",'"$good"
refused array '["J-2","hull","2025-01-15"]'
refused scalar '"J-2"'
refused duplicate-key '{"case_id":"J-2","case_id":"J-3",'"$good"'}'
refused nul-in-string '{"case_id":"J\u00002",'"$good"'}'
refused number-for-date '{"case_id":"J-2","site":"hull","referral_date":20250115}' referral_date
# Line numbers still count a skipped blank line.
{
	cat "$data/valid/minimal.json"
	echo
	printf '%s\n' '{"case_id":"J-3",'"$good"',"age_at_exploitation":18}'
} >"$tmp/blank-then-bad.jsonl"
rm -f "$tmp/out.jsonl"
to_jsonl -o "$tmp/out.jsonl" "$tmp/blank-then-bad.jsonl" 2>"$tmp/err"
status=$?
[ "$status" -eq 65 ] || fail "blank-then-bad: exit $status, expected 65"
[ ! -e "$tmp/out.jsonl" ] || fail "blank-then-bad: an output file was written"
names_line "$tmp/blank-then-bad.jsonl" 3 age_at_exploitation ||
	fail "blank-then-bad: no message naming line 3: $(cat "$tmp/err")"

echo "jsonl_roundtrip: ok"
