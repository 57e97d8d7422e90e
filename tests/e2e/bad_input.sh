#!/bin/bash
# Bad council CSV files, each converted by the real binary: every one must
# exit 65 (bad data), name the file, the line (and column where the problem
# is a byte, not a value) and the rule broken on stderr, and leave no output
# file behind.  The fixtures are in tests/data/council/; the bad record is on
# line 3, after a good one, so a wrong line count shows.  The 10 MB field and
# the 1,000 columns are made here, in the temporary directory.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/council

# bad_file FILE PATTERN: converting FILE fails with exit 65, stderr has a
# line matching PATTERN (which should include the file name and position),
# and no output file exists.
bad_file() {
	local file=$1 pattern=$2
	rm -f "$tmp/out.jsonl"
	expect_exit 65 "$NRMHUB" convert --from council-csv --to case-jsonl \
		-o "$tmp/out.jsonl" "$file"
	assert_grep "$pattern" "$tmp/stderr"
	assert_no_file "$tmp/out.jsonl"
}

bad_file "$data/empty-file.csv" \
	'empty-file\.csv:1: empty file: expected a header line'
bad_file "$data/header-only.csv" \
	'header-only\.csv:2: no records after the header'
bad_file "$data/missing-column.csv" \
	"missing-column\\.csv:1: missing required column 'Referral Date'\$"
bad_file "$data/not-a-real-date.csv" \
	'not-a-real-date\.csv:3: referral_date: 31/02/2025 is not a real date'
bad_file "$data/rg-before-referral.csv" \
	'rg-before-referral\.csv:3: rg_decision_date: 2025-01-10 is before the referral_date 2025-01-20'
bad_file "$data/outcome-without-date.csv" \
	'outcome-without-date\.csv:3: rg_decision_date: is missing, but rg_outcome is given'
bad_file "$data/age-18.csv" \
	"age-18\\.csv:3: age_at_exploitation: 18 is not a child's age"
bad_file "$data/bad-gss-code.csv" \
	'bad-gss-code\.csv:3: local_authority: .* is not a GSS local authority code'
bad_file "$data/unknown-nationality.csv" \
	'unknown-nationality\.csv:3: nationality: .* is not an ISO 3166-1 alpha-2 country code'
# The byte 0xE9 (Windows-1252 e-acute) is the 37th character of line 3.
bad_file "$data/not-utf8.csv" \
	'not-utf8\.csv:3:37: not valid UTF-8'
bad_file "$data/nul-byte.csv" \
	'nul-byte\.csv:3:8: NUL byte'
# Reported where the quote opened, not at the end of the file.
bad_file "$data/unterminated-quote.csv" \
	'unterminated-quote\.csv:3:23: quoted field not closed before the end of the file'

# A missing Site column is fine when the site is given as an option, and the
# message says so when it is not.
printf 'Case ID,Referral Date\r\nBCT-T-0001,06/01/2025\r\n' >"$tmp/no-site.csv"
bad_file "$tmp/no-site.csv" \
	"no-site\\.csv:1: missing required column 'Site' \\(give the site with --option site=CODE"
expect_exit 0 "$NRMHUB" convert --from council-csv --to case-jsonl \
	--option site=birmingham -o "$tmp/out.jsonl" "$tmp/no-site.csv"
assert_grep '^\{"case_id":"BCT-T-0001","site":"birmingham",' "$tmp/out.jsonl"

# A 10 MB organisation name on line 3: refused (at the field's first
# character) without being held: where GNU time is installed, the peak
# memory must stay within 4 MiB of converting the small example file.
huge=$tmp/huge-field.csv
{
	printf 'Case ID,Site,Referral Date,First Responder Organisation\r\n'
	printf 'BCT-T-0001,birmingham,06/01/2025,Birmingham Youth Service\r\n'
	printf 'BCT-T-0002,birmingham,13/01/2025,'
	head -c 10485760 /dev/zero | tr '\0' 'x'
	printf '\r\n'
} >"$huge"
bad_file "$huge" \
	'huge-field\.csv:3:34: field longer than 1048576 bytes \(the max-field-size option\)'
peak_kib() {
	/usr/bin/time -o "$tmp/rss" -f %M "$NRMHUB" convert --from council-csv \
		--to case-jsonl -o "$tmp/peak.jsonl" "$1" >/dev/null 2>&1
	tail -n 1 "$tmp/rss"
}
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
	small=$(peak_kib "$SRCDIR/examples/site/data/council-cases.csv")
	large=$(peak_kib "$huge")
	if [ "$((large - small))" -lt 4096 ]; then
		pass
	else
		fail "a 10 MB field raised peak memory from $small KiB to $large KiB"
	fi
fi

# 1,000 columns in the header: refused at the 257th, on line 1.
wide=$tmp/thousand-columns.csv
{
	printf 'Case ID,Site,Referral Date'
	for i in $(seq 4 1000); do printf ',Extra %d' "$i"; done
	printf '\r\nBCT-T-0001,birmingham,06/01/2025'
	for i in $(seq 4 1000); do printf ','; done
	printf '\r\n'
} >"$wide"
column=$(($(head -n 1 "$wide" | cut -d, -f1-256 | wc -c) + 1))
bad_file "$wide" \
	"thousand-columns\\.csv:1:$column: more than 256 columns \\(the max-columns option\\)"

# With --keep-going, a record the tokenizer rejects does not stop the rest:
# the NUL record is reported and the good records on lines 2 and 4 are written.
rm -f "$tmp/out.jsonl"
expect_exit 65 "$NRMHUB" convert --from council-csv --to case-jsonl --keep-going \
	-o "$tmp/out.jsonl" "$data/nul-byte.csv"
assert_grep 'nul-byte\.csv:3:8: NUL byte' "$tmp/stderr"
assert_eq "$(cut -d, -f1 "$tmp/out.jsonl" 2>/dev/null | tr '\n' ' ')" \
	'{"case_id":"BCT-T-0001" {"case_id":"BCT-T-0003" ' "records kept after a NUL byte"

finish
