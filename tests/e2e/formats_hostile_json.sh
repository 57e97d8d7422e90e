#!/bin/bash
# Hostile JSON, for each JSON format this hub reads (homeoffice-json, one
# document; ni-json, JSON lines): duplicate keys, nesting 10,000 deep, numbers
# out of range, a document over the size cap, text that is not UTF-8, and
# \u0000 in a string.  Each must be refused by the real binary with exit 65,
# a message naming the file, the line and column, the JSON path where the
# format has one, and the rule broken, and no output file.  The bad value is
# always in the second case, after a good one, so a wrong position shows.
# Columns count characters from 1.  For a syntax error jansson names the last
# character of the offending token (the closing quote of a duplicate name,
# the last digit of a number, the bracket that opens level 2049); for bytes
# that are not UTF-8, the bad byte itself.  Each column below was counted by
# hand on the line written here.
# Messages must not quote the offending text (it may be personal data).

. "$SRCDIR/tests/e2e/lib.sh"

# refused FORMAT FILE PATTERN [OPTION...]: exit 65, PATTERN (a fixed string:
# FILE:LINE:COLUMN: PATH: rule) on stderr, no output file.
refused() {
	local format=$1 file=$2 pattern=$3
	shift 3
	rm -f "$tmp/out.jsonl"
	expect_exit 65 "$NRMHUB" convert --from "$format" --to case-jsonl "$@" \
		-o "$tmp/out.jsonl" "$file"
	if grep -Fq -- "$pattern" "$tmp/stderr"; then
		pass
	else
		fail "$format $(basename "$file"): no '$pattern' on stderr"
		sed 's/^/  | /' "$tmp/stderr" | head -n 5 >&2
	fi
	assert_no_file "$tmp/out.jsonl"
}

deep=$(python3 -c 'print("[" * 10000 + "]" * 10000)')

# ---- homeoffice-json ---------------------------------------------------------

# ho NAME SECOND-CASE: a document whose header is on line 1, its first case on
# line 2 and the case under test from line 3, column 5.
ho() {
	{
		printf '{"header": {"sender": "Home Office SCA", "generated_at": "2025-07-01T09:00:00Z", "schema_version": "1.0"},\n'
		printf ' "cases": [{"local_case": {"site": "birmingham", "case_id": "BCT-2025-0001"}, "referral": {"date": "2025-01-06"}},\n'
		printf '    %s\n  ]\n}\n' "$2"
	} >"$tmp/$1.json"
}

ho good '{"local_case": {"site": "birmingham", "case_id": "BCT-2025-0002"}, "referral": {"date": "2025-01-13"}}'
expect_exit 0 "$NRMHUB" convert --from homeoffice-json --to case-jsonl -o "$tmp/out.jsonl" "$tmp/good.json"
assert_eq "$(wc -l <"$tmp/out.jsonl")" 2 "cases read from the good document"

ho duplicate '{"local_case": {"site": "birmingham", "site": "hull"}}'
refused homeoffice-json "$tmp/duplicate.json" \
	"duplicate.json:3:48: \$.cases[1]: duplicate member name in an object (not allowed)"

ho deep '{"local_case": '"$deep"'}'
refused homeoffice-json "$tmp/deep.json" \
	"deep.json:3:2067: \$.cases[1]: nested deeper than 2048 levels (not allowed)"

ho big-integer '{"potential_victim": {"age_at_exploitation": 123456789012345678901234567890}}'
refused homeoffice-json "$tmp/big-integer.json" \
	"big-integer.json:3:79: \$.cases[1]: number out of range (integers must fit in 64 bits)"
ho big-real '{"potential_victim": {"age_at_exploitation": 1e999}}'
refused homeoffice-json "$tmp/big-real.json" \
	"big-real.json:3:54: \$.cases[1]: number out of range (too large for a double)"
# In range for JSON, out of range for the field: the record's own rule.
ho age-1000 '{"local_case": {"site": "birmingham", "case_id": "X-2"}, "referral": {"date": "2025-01-13"}, "potential_victim": {"age_at_exploitation": 100000}}'
refused homeoffice-json "$tmp/age-1000.json" \
	"age-1000.json:3:5: \$.cases[1].potential_victim.age_at_exploitation: age_at_exploitation: must be a whole number of years (0 to 17), or null"

ho not-utf8 $'{"nrm_reference": "NRM\xe9"}'
refused homeoffice-json "$tmp/not-utf8.json" "not-utf8.json:3:27: \$.cases[1]: not valid UTF-8"

ho nul '{"nrm_reference": "NRM\u00002"}'
refused homeoffice-json "$tmp/nul.json" \
	"nul.json:3:34: \$.cases[1]: \\u0000 in a string (NUL is not allowed)"

# The size cap: the default is documented, and a smaller one is honoured.
expect_exit 0 "$NRMHUB" plugins describe homeoffice-json
assert_grep '^max-document-size +size +1G ' "$tmp/stdout"
assert_grep '^max-case-size +size +64k ' "$tmp/stdout"
refused homeoffice-json "$tmp/deep.json" \
	"deep.json: the document is larger than max-document-size (1024 bytes)" \
	--option max-document-size=1k
# One case over max-case-size: refused without being held whole.
ho big-case "{\"nrm_reference\": \"$(head -c 70000 /dev/zero | tr '\0' 'x')\"}"
refused homeoffice-json "$tmp/big-case.json" \
	"big-case.json:3:5: \$.cases[1]: this element is larger than max-case-size (65536 bytes)"

# The envelope's own rules, each refusing the whole document at its place:
# a member name's problems at its opening quote, a missing member at the
# closing brace, anything else at the first character that is wrong.
envelope() {
	printf '%s' "$2" >"$tmp/$1.json"
}
header='"header": {"sender": "Home Office SCA", "generated_at": "2025-07-01T09:00:00Z", "schema_version": "1.0"}'
envelope version-2 '{"header": {"sender": "Home Office SCA", "generated_at": "2025-07-01T09:00:00Z", "schema_version": "2.0"}, "cases": []}'
refused homeoffice-json "$tmp/version-2.json" \
	"version-2.json:1:12: \$.header.schema_version: unsupported schema_version: this plugin reads version 1.x"
envelope no-sender '{"header": {"generated_at": "2025-07-01T09:00:00Z", "schema_version": "1.0"}, "cases": []}'
refused homeoffice-json "$tmp/no-sender.json" "no-sender.json:1:12: \$.header.sender: the header's sender is required"
envelope cases-first '{"cases": [], '"$header"'}'
refused homeoffice-json "$tmp/cases-first.json" "cases-first.json:1:2: \$.cases: the header must come before the cases"
envelope two-headers '{'"$header"', '"$header"', "cases": []}'
refused homeoffice-json "$tmp/two-headers.json" "two-headers.json:1:108: \$: duplicate member name 'header' (not allowed)"
envelope extra-member '{'"$header"', "notes": "x", "cases": []}'
refused homeoffice-json "$tmp/extra-member.json" \
	"extra-member.json:1:108: \$: unknown member 'notes': the document has only 'header' and 'cases'"
envelope no-cases '{'"$header"'}'
refused homeoffice-json "$tmp/no-cases.json" "no-cases.json:1:106: \$: missing member 'cases'"
envelope case-not-object '{'"$header"', "cases": ["BCT-2025-0001"]}'
refused homeoffice-json "$tmp/case-not-object.json" \
	"case-not-object.json:1:118: \$.cases[0]: expected a case (a JSON object)"
envelope after-end '{'"$header"', "cases": []} {}'
refused homeoffice-json "$tmp/after-end.json" "after-end.json:1:121: unexpected text after the document"
# An empty cases array is a good document with no cases.
envelope no-case '{'"$header"', "cases": [ ]}'
expect_exit 0 "$NRMHUB" convert --from homeoffice-json --to case-jsonl -o "$tmp/out.jsonl" "$tmp/no-case.json"
assert_eq "$(wc -c <"$tmp/out.jsonl")" 0 "bytes from a document without cases"

# A case that breaks a rule of its own is rejected alone: with --keep-going
# the cases after it are read.
ho bad-label '{"local_case": {"site": "birmingham", "case_id": "BCT-2025-0002"}, "referral": {"date": "2025-01-13"}, "potential_victim": {"gender": "female"}}, {"local_case": {"site": "birmingham", "case_id": "BCT-2025-0003"}, "referral": {"date": "2025-01-27"}}'
expect_exit 65 "$NRMHUB" convert --from homeoffice-json --to case-jsonl --keep-going -o "$tmp/out.jsonl" "$tmp/bad-label.json"
assert_grep 'bad-label.json:3:5: \$\.cases\[1\]\.potential_victim\.gender: gender: must be Female, Male, Other or Not specified' "$tmp/stderr"
assert_eq "$(cut -c1-26 "$tmp/out.jsonl" | tr '\n' ' ')" '{"case_id":"BCT-2025-0001" {"case_id":"BCT-2025-0003" ' "cases kept around a rejected one"

# Nothing from the input is quoted: not the duplicate name's value, not the
# long string.
assert_no_grep 'hull|xxxx' "$tmp/stderr"

# The cap is exact: a case of exactly max-case-size bytes (padded with
# spaces inside its braces) is read, one byte more is refused.
sized_case() { # BYTES
	python3 -c '
import sys
body = "\"local_case\": {\"site\": \"birmingham\", \"case_id\": \"X-2\"}, \"referral\": {\"date\": \"2025-01-13\"}}"
print("{" + " " * (int(sys.argv[1]) - 1 - len(body)) + body, end="")' "$1"
}
ho case-1024 "$(sized_case 1024)"
expect_exit 0 "$NRMHUB" convert --from homeoffice-json --to case-jsonl --option max-case-size=1k \
	-o "$tmp/out.jsonl" "$tmp/case-1024.json"
ho case-1025 "$(sized_case 1025)"
refused homeoffice-json "$tmp/case-1025.json" \
	"case-1025.json:3:5: \$.cases[1]: this element is larger than max-case-size (1024 bytes)" \
	--option max-case-size=1k

# ---- ni-json -------------------------------------------------------------------

# ni NAME SECOND-LINE: one good referral on line 1, the line under test on 2.
ni() {
	{
		printf '{"referralId":"NI-2025-0001","pilotArea":"northern-ireland","dateReferred":"2025-05-12","policeService":"PSNI"}\n'
		printf '%s\n' "$2"
	} >"$tmp/$1.jsonl"
}

ni good '{"referralId":"NI-2025-0002","pilotArea":"northern-ireland","dateReferred":"2025-05-20"}'
expect_exit 0 "$NRMHUB" convert --from ni-json --to case-jsonl -o "$tmp/out.jsonl" "$tmp/good.jsonl"
assert_grep '"police_force":"N92000002"' "$tmp/out.jsonl"

ni duplicate '{"referralId":"NI-2","referralId":"NI-3"}'
refused ni-json "$tmp/duplicate.jsonl" \
	"duplicate.jsonl:2:33: duplicate member name in an object (not allowed)"
ni deep '{"child":'"$deep"'}'
refused ni-json "$tmp/deep.jsonl" "deep.jsonl:2:2057: nested deeper than 2048 levels (not allowed)"
ni big-integer '{"child":{"ageAtExploitation":123456789012345678901234567890}}'
refused ni-json "$tmp/big-integer.jsonl" \
	"big-integer.jsonl:2:60: number out of range (integers must fit in 64 bits)"
ni big-real '{"child":{"ageAtExploitation":-1e999}}'
refused ni-json "$tmp/big-real.jsonl" \
	"big-real.jsonl:2:36: number out of range (too large for a double)"
ni age-negative '{"referralId":"NI-2","pilotArea":"northern-ireland","dateReferred":"2025-05-20","child":{"ageAtExploitation":-1}}'
refused ni-json "$tmp/age-negative.jsonl" \
	"age-negative.jsonl:2: \$.child.ageAtExploitation: age_at_exploitation: must be a whole number of years (0 to 17), or null"
ni not-utf8 $'{"nrmReference":"NRM\xff"}'
refused ni-json "$tmp/not-utf8.jsonl" "not-utf8.jsonl:2:21: not valid UTF-8"
ni nul '{"nrmReference":"NRM\u00002"}'
refused ni-json "$tmp/nul.jsonl" "nul.jsonl:2:28: \\u0000 in a string (NUL is not allowed)"
expect_exit 0 "$NRMHUB" plugins describe ni-json
assert_grep '^max-document-size +size +1G ' "$tmp/stdout"
refused ni-json "$tmp/deep.jsonl" \
	"deep.jsonl: the file is larger than max-document-size (1024 bytes)" \
	--option max-document-size=1k
refused ni-json "$tmp/deep.jsonl" "deep.jsonl:2: line longer than max-line-size (1024 bytes)" \
	--option max-line-size=1k

finish
