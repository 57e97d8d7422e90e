#!/bin/bash
# Round trips through the XML formats, and the validity of everything they
# write.  tests/data/formats/xml-all-fields.jsonl uses every canonical field
# and every code value (written by hand, in the canonical spelling).
#
# - police-xml carries every canonical field: case-jsonl -> police-xml ->
#   case-jsonl gives back the fixture byte for byte.
# - scotland-xml carries Scottish cases only, and drops two fields:
#   first_responder_org (no free text in the Scottish Government's layout)
#   and status_date of an open case (only a closure has a date).  The
#   expected result, xml-all-fields.scotland.jsonl, is the fixture's Scottish
#   cases with those two fields null, also written by hand.
# Every XML output is checked with `xmllint --noout --schema`, the
# schema-checking tool independent of the hub.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/formats
fixture=$data/xml-all-fields.jsonl
scottish=$data/xml-all-fields.scotland.jsonl
examples=$SRCDIR/examples/site/data

# valid FORMAT FILE: xmllint finds FILE valid against the format's XSD.
valid() {
	if xmllint --noout --schema "$SRCDIR/schemas/$1.xsd" "$2" 2>"$tmp/xmllint.err"; then
		pass
	else
		fail "$2 is not valid against $1.xsd"
		head -n 5 "$tmp/xmllint.err" >&2
	fi
}

convert() {
	"$NRMHUB" convert "$@"
}

# The fixture is in the canonical spelling: case-jsonl gives it back as is.
expect_exit 0 convert --from case-jsonl --to case-jsonl -o "$tmp/canon.jsonl" "$fixture" &&
	assert_same "$fixture" "$tmp/canon.jsonl"

# ---- police-xml: nothing dropped ---------------------------------------------

expect_exit 0 convert --from case-jsonl --to police-xml -o "$tmp/all.police.xml" "$fixture"
valid police-xml "$tmp/all.police.xml"
expect_exit 0 convert --from police-xml --to case-jsonl -o "$tmp/back.jsonl" "$tmp/all.police.xml" &&
	assert_same "$fixture" "$tmp/back.jsonl"
# Markup characters in an organisation's name are escaped, not lost.
assert_grep '&amp; &quot;Partners&quot; &lt;team&gt;|&amp; "Partners" &lt;team&gt;' "$tmp/all.police.xml"

# ---- scotland-xml: Scottish cases, two fields dropped -------------------------

# By default a case from outside Scotland is refused, naming the field, and
# nothing is written.
rm -f "$tmp/all.scotland.xml"
expect_exit 65 convert --from case-jsonl --to scotland-xml -o "$tmp/all.scotland.xml" "$fixture"
assert_grep 'local_authority: case 7 has E08000025, which is not Scottish: scotland-xml carries only Scottish cases' "$tmp/stderr"
assert_no_file "$tmp/all.scotland.xml"

expect_exit 0 convert --from case-jsonl --to scotland-xml --option outside-scotland=skip \
	-o "$tmp/all.scotland.xml" "$fixture"
assert_grep 'left out 7 cases from outside Scotland' "$tmp/stderr"
valid scotland-xml "$tmp/all.scotland.xml"
expect_exit 0 convert --from scotland-xml --to case-jsonl -o "$tmp/back.jsonl" "$tmp/all.scotland.xml" &&
	assert_same "$scottish" "$tmp/back.jsonl"
# The Scottish cases alone need no option, and say the same.
expect_exit 0 convert --from case-jsonl --to scotland-xml -o "$tmp/s.xml" "$scottish"
valid scotland-xml "$tmp/s.xml"
expect_exit 0 convert --from scotland-xml --to case-jsonl -o "$tmp/back.jsonl" "$tmp/s.xml" &&
	assert_same "$scottish" "$tmp/back.jsonl"
# The two dropped fields are really in the fixture's Scottish cases, so the
# comparison above shows they are dropped, not merely absent.
assert_grep '"case_id":"GCC-2025-0001".*"first_responder_org":"Glasgow' "$fixture"
assert_grep '"case_id":"EDN-2025-0001".*"status":"open","status_date":"2024-03-01"' "$fixture"

# ---- XML to XML, and the examples ------------------------------------------

expect_exit 0 convert --from police-xml --to police-xml -o "$tmp/p2p.xml" "$tmp/all.police.xml"
valid police-xml "$tmp/p2p.xml"
assert_same "$tmp/all.police.xml" "$tmp/p2p.xml"
expect_exit 0 convert --from scotland-xml --to police-xml -o "$tmp/s2p.xml" "$tmp/s.xml"
valid police-xml "$tmp/s2p.xml"
expect_exit 0 convert --from police-xml --to scotland-xml --option outside-scotland=skip \
	-o "$tmp/p2s.xml" "$tmp/all.police.xml"
valid scotland-xml "$tmp/p2s.xml"
assert_same "$tmp/all.scotland.xml" "$tmp/p2s.xml"

valid police-xml "$examples/police-cases.xml"
valid scotland-xml "$examples/scotland-referrals.xml"
expect_exit 0 convert --from police-xml --to case-jsonl -o "$tmp/police.jsonl" "$examples/police-cases.xml"
assert_eq "$(wc -l <"$tmp/police.jsonl")" 7 "cases in the police example"
# The police example is about some of the council example's children.
assert_eq "$(grep -c '"case_id":"BCT-2025-00\(01\|02\|06\|09\|12\)"' "$tmp/police.jsonl")" 5 \
	"police cases also in the council example"
for f in council-cases.csv:council-csv police-cases.xml:police-xml scotland-referrals.xml:scotland-xml; do
	file=${f%%:*} from=${f#*:}
	expect_exit 0 convert --from "$from" --to police-xml -o "$tmp/ex.police.xml" "$examples/$file"
	valid police-xml "$tmp/ex.police.xml"
	expect_exit 0 convert --from "$from" --to scotland-xml --option outside-scotland=skip \
		-o "$tmp/ex.scotland.xml" "$examples/$file"
	valid scotland-xml "$tmp/ex.scotland.xml"
done

# The namespace with a prefix instead of as the default: the same cases.
sed -e 's/<\([A-Z]\)/<p:\1/g' -e 's/<\/\([A-Z]\)/<\/p:\1/g' -e 's/xmlns=/xmlns:p=/' \
	"$examples/police-cases.xml" >"$tmp/prefixed.xml"
assert_grep '^<p:NrmCaseExtract xmlns:p="urn:nrmhub:police-xml:1"' "$tmp/prefixed.xml"
expect_exit 0 convert --from police-xml --to case-jsonl -o "$tmp/prefixed.jsonl" "$tmp/prefixed.xml" &&
	assert_same "$tmp/police.jsonl" "$tmp/prefixed.jsonl"

# From standard input, and from two files in one run.
expect_exit 0 convert --from police-xml --to case-jsonl - <"$examples/police-cases.xml" &&
	assert_same "$tmp/police.jsonl" "$tmp/stdout"
expect_exit 0 convert --from police-xml --to case-jsonl -o "$tmp/twice.jsonl" \
	"$examples/police-cases.xml" "$tmp/all.police.xml"
assert_eq "$(wc -l <"$tmp/twice.jsonl")" 20 "cases from two police-xml files"

# An empty extract is valid and has no cases.
printf '' >"$tmp/none.jsonl"
expect_exit 0 convert --from case-jsonl --to police-xml -o "$tmp/none.xml" "$tmp/none.jsonl"
valid police-xml "$tmp/none.xml"
expect_exit 0 convert --from police-xml --to case-jsonl -o "$tmp/none-back.jsonl" "$tmp/none.xml"
assert_eq "$(wc -c <"$tmp/none-back.jsonl")" 0 "bytes from an empty extract"

# U+FFFF passes the canonical rules but XML cannot carry it: refused, with
# the field named, and nothing written.
sed -n 1p "$fixture" | sed 's/"first_responder_org":"Glasgow/"first_responder_org":"\\uffffGlasgow/' >"$tmp/ffff.jsonl"
rm -f "$tmp/ffff.xml"
expect_exit 65 convert --from case-jsonl --to police-xml -o "$tmp/ffff.xml" "$tmp/ffff.jsonl"
assert_grep 'first_responder_org: contains U\+FFFE or U\+FFFF, which XML cannot carry' "$tmp/stderr"
assert_no_file "$tmp/ffff.xml"

finish
