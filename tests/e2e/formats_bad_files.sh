#!/bin/bash
# Truncated files, empty files, and the wrong format given to --from, for
# every format added with this test (council-csv, homeoffice-json, ni-json,
# wales-csv): each is refused by the real binary with a message naming the
# file and, where there is one, the position, the exit status that fits
# (65 bad data, 69 no such reader), no output file, and never a crash.

. "$SRCDIR/tests/e2e/lib.sh"

examples=$SRCDIR/examples/site/data
council=$examples/council-cases.csv
homeoffice=$examples/homeoffice-cases.json
ni=$examples/ni-referrals.jsonl

# refused FORMAT FILE PATTERN: exit 65, PATTERN (extended regex) on stderr,
# no output file.
refused() {
	rm -f "$tmp/out.jsonl"
	expect_exit 65 "$NRMHUB" convert --from "$1" --to case-jsonl -o "$tmp/out.jsonl" "$2"
	assert_grep "$3" "$tmp/stderr"
	assert_no_file "$tmp/out.jsonl"
}

# The examples themselves are good, so what follows tests the damage only.
for pair in "council-csv $council" "homeoffice-json $homeoffice" "ni-json $ni"; do
	set -- $pair
	expect_exit 0 "$NRMHUB" validate --from "$1" "$2"
done

# ---- empty files ------------------------------------------------------------

: >"$tmp/empty"
refused council-csv "$tmp/empty" 'empty:1: empty file: expected a header line'
refused homeoffice-json "$tmp/empty" 'empty:1:1: empty file: expected a Home Office JSON document'
refused ni-json "$tmp/empty" 'empty:1: empty file: expected one referral per line'
printf '\n  \r\n\t\n' >"$tmp/blank"
refused homeoffice-json "$tmp/blank" 'blank:4:1: empty file'
refused ni-json "$tmp/blank" 'blank:1: empty file'

# ---- truncated files ----------------------------------------------------------

# council-csv: cut inside a record's quoted field, and after a record's
# first fields.
head -c "$(grep -bo 'Public Protection' "$council" | cut -d: -f1)" "$council" >"$tmp/cut-in-quotes.csv"
refused council-csv "$tmp/cut-in-quotes.csv" \
	'cut-in-quotes\.csv:3:[0-9]+: quoted field not closed before the end of the file'
# (Record 2 spans lines 3 and 4: the record on line 5 is cut.)
head -n 5 "$council" | head -c -60 >"$tmp/cut-in-record.csv"
refused council-csv "$tmp/cut-in-record.csv" \
	'cut-in-record\.csv:5: expected 24 fields as in the header, found [0-9]+'

# homeoffice-json: every cut of the document short of its end is refused as
# truncated (a cut in a case or the header, between cases, before the final
# brace), at a position inside the file.
size=$(wc -c <"$homeoffice")
cuts=0
for ((at = 1; at < size - 2; at += 41)); do
	head -c "$at" "$homeoffice" >"$tmp/cut.json"
	rm -f "$tmp/out.jsonl"
	"$NRMHUB" convert --from homeoffice-json --to case-jsonl -o "$tmp/out.jsonl" \
		"$tmp/cut.json" >/dev/null 2>"$tmp/stderr"
	rc=$?
	if [ "$rc" -ne 65 ] || ! grep -Eq '^.*cut\.json:[0-9]+:[0-9]+: \$[^ ]*: truncated: ' "$tmp/stderr" ||
		[ -e "$tmp/out.jsonl" ]; then
		fail "homeoffice-json cut at byte $at: exit $rc"
		sed 's/^/  | /' "$tmp/stderr" | head -n 3 >&2
	else
		pass
	fi
	cuts=$((cuts + 1))
done
[ "$cuts" -gt 50 ] && pass || fail "only $cuts cuts of the Home Office example"

# ni-json: a line cut short is refused at its line; the lines before it are
# good (with --keep-going they are written).
head -c -40 "$ni" >"$tmp/cut.jsonl"
lines=$(wc -l <"$ni")
refused ni-json "$tmp/cut.jsonl" "cut\\.jsonl:$lines:[0-9]+: truncated: the document ends in the middle of a value"
expect_exit 65 "$NRMHUB" convert --from ni-json --to case-jsonl --keep-going -o "$tmp/out.jsonl" "$tmp/cut.jsonl"
assert_eq "$(wc -l <"$tmp/out.jsonl")" "$((lines - 1))" "good referrals kept before the cut line"

# ---- the wrong format given to --from -----------------------------------------

refused council-csv "$homeoffice" \
	"homeoffice-cases\\.json:1: no column of a council CSV export in the header \\(is --from right\\?"
refused council-csv "$ni" "ni-referrals\\.jsonl:1:[0-9]+: .*\\(is this a CSV file\\? is --from right\\?"
refused homeoffice-json "$council" \
	"council-cases\\.csv:1:1: \\\$: not a Home Office JSON document: expected '\\{' \\(is --from right\\?"
refused homeoffice-json "$ni" \
	"ni-referrals\\.jsonl:1:[0-9]+: \\\$: unknown member 'referralId': the document has only 'header' and 'cases' \\(is --from right\\?"
refused ni-json "$council" \
	"council-cases\\.csv:1:1: not valid JSON: .*\\(ni-json is one JSON object per line; is --from right\\?"
refused ni-json "$homeoffice" "homeoffice-cases\\.json:1:[0-9]+: .*is --from right\\?"
refused ni-json "$SRCDIR/tests/data/formats/all-fields.jsonl" \
	"all-fields\\.jsonl:1: not an ni-json referral: no referralId or dateReferred member"

# wales-csv is written, never read: asking to read it names what can be read.
rm -f "$tmp/out.jsonl"
expect_exit 69 "$NRMHUB" convert --from wales-csv --to case-jsonl -o "$tmp/out.jsonl" "$examples/wales-cases.csv"
assert_grep "no plugin can read format 'wales-csv'; formats that can be read: .*council-csv" "$tmp/stderr"
assert_no_file "$tmp/out.jsonl"
expect_exit 69 "$NRMHUB" validate --from wales-csv "$examples/wales-cases.csv"
# And reading it as the council's CSV fails on its bilingual header.
refused council-csv "$examples/wales-cases.csv" "wales-cases\\.csv:1: no column of a council CSV export"

finish
