#!/bin/bash
# Hostile and broken XML, given to both XML importers (police-xml and
# scotland-xml) through the real binary: each must exit 65, name the file,
# the line and column (or element path) and the rule broken, never echo what
# an entity points to, and leave no output file.  The large inputs (50 MB,
# 10,000 levels) are made here, in the temporary directory.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

# refused FORMAT FILE PATTERN: converting FILE from FORMAT fails with 65,
# stderr matches PATTERN, and no output file is left.
refused() {
	local format=$1 file=$2 pattern=$3
	rm -f "$tmp/out.jsonl"
	expect_exit 65 "$NRMHUB" convert --from "$format" --to case-jsonl \
		-o "$tmp/out.jsonl" "$file" || return
	assert_grep "$pattern" "$tmp/stderr"
	assert_no_file "$tmp/out.jsonl"
}

for format in police-xml scotland-xml; do
	case $format in
	police-xml)
		ns=urn:nrmhub:police-xml:1 root=NrmCaseExtract version='schemaVersion="1"'
		record='<Case caseId="A-1" site="birmingham">' end_record='</Case>'
		first='' text_element=NrmReference example=$SRCDIR/examples/site/data/police-cases.xml
		;;
	scotland-xml)
		ns=urn:nrmhub:scotland-xml:1 root=child-nrm-referrals version='layout-version="1"'
		record='<referral>' end_record='</referral>'
		first='<identifiers site="glasgow" case-reference="G-1"/>' text_element=referral-date example=$SRCDIR/examples/site/data/scotland-referrals.xml
		;;
	esac
	d=$tmp/$format
	mkdir -p "$d"
	open_root="<$root xmlns=\"$ns\" $version>"

	# An external entity naming /etc/passwd: refused at the DOCTYPE, before
	# anything in it is parsed; nothing of the file appears anywhere.
	printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n%s\n%s&xxe;%s\n</%s>\n' \
		"$open_root" "$record" "$end_record" "$root" >"$d/xxe.xml"
	refused $format "$d/xxe.xml" \
		"xxe\\.xml:2:1: a DOCTYPE or other markup declaration is not allowed in $format"
	assert_no_grep 'root:' "$tmp/stderr"
	assert_no_grep 'root:' "$tmp/stdout"
	# Where strace works (it needs ptrace), show the file is never opened.
	if strace -f -o /dev/null true >/dev/null 2>&1; then
		strace -f -e trace=open,openat -o "$tmp/trace" "$NRMHUB" convert --from $format \
			--to case-jsonl -o "$tmp/out.jsonl" "$d/xxe.xml" >/dev/null 2>&1
		assert_grep 'xxe\.xml' "$tmp/trace"
		assert_no_grep '/etc/passwd' "$tmp/trace"
	fi

	# Billion laughs: ten levels of ten-fold entity expansion.
	{
		printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
		prev=lol
		for i in 1 2 3 4 5 6 7 8 9; do
			printf ' <!ENTITY lol%d "' "$i"
			for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$prev"; done
			printf '">\n'
			prev=lol$i
		done
		printf ']>\n%s&lol9;</%s>\n' "$open_root" "$root"
	} >"$d/laughs.xml"
	refused $format "$d/laughs.xml" "laughs\\.xml:2:1: a DOCTYPE or other markup declaration"

	# An external DTD: never fetched, refused.
	printf '<?xml version="1.0"?>\n<!DOCTYPE %s SYSTEM "http://127.0.0.1:9/evil.dtd">\n%s</%s>\n' \
		"$root" "$open_root" "$root" >"$d/external-dtd.xml"
	refused $format "$d/external-dtd.xml" "external-dtd\\.xml:2:1: a DOCTYPE"

	# Any DOCTYPE at all, even an empty one, after a comment.
	printf '<?xml version="1.0"?>\n<!-- <not a tag> -->\n  <!DOCTYPE %s>\n%s</%s>\n' \
		"$root" "$open_root" "$root" >"$d/doctype.xml"
	refused $format "$d/doctype.xml" "doctype\\.xml:3:3: a DOCTYPE"

	# 10,000 nested elements inside the root: refused at the first one the
	# schema does not allow (line 2, column 1 of the nest), without recursion.
	{
		printf '<?xml version="1.0"?>\n%s\n' "$open_root"
		for _ in $(seq 10000); do printf '<a>'; done
		for _ in $(seq 10000); do printf '</a>'; done
		printf '\n</%s>\n' "$root"
	} >"$d/deep.xml"
	refused $format "$d/deep.xml" "deep\\.xml:3:[0-9]+: not valid against $format\\.xsd: .*'\\{$ns\\}a': This element is not expected"

	# Deep nesting of elements the schema never sees (no namespace root).
	{
		for _ in $(seq 10000); do printf '<%s>' "$root"; done
	} >"$d/deep-root.xml"
	refused $format "$d/deep-root.xml" \
		"deep-root\\.xml:1:1: the document element is '$root' in the namespace '\\(none\\)'"

	# A 50 MB element and a 50 MB attribute: refused at the tag holding
	# them, naming the limit, without being held.
	{
		printf '<?xml version="1.0"?>\n%s\n  %s%s\n    <%s>' "$open_root" "$record" "$first" "$text_element"
		head -c 52428800 /dev/zero | tr '\0' 'x'
		printf '</%s>\n  %s\n</%s>\n' "$text_element" "$end_record" "$root"
	} >"$d/big-element.xml"
	refused $format "$d/big-element.xml" \
		"big-element\\.xml:4:5: more than 1048576 bytes of text or tag without markup: .*max-value-size"
	{
		printf '<?xml version="1.0"?>\n%s\n  %s note="' "$open_root" "${record%>}"
		head -c 52428800 /dev/zero | tr '\0' 'x'
		printf '">\n  %s\n</%s>\n' "$end_record" "$root"
	} >"$d/big-attribute.xml"
	refused $format "$d/big-attribute.xml" \
		"big-attribute\\.xml:3:3: more than 1048576 bytes of text or tag without markup"
	# Not held: where GNU time is installed, the peak memory of refusing the
	# 50 MB attribute stays within 16 MiB of converting the small example
	# (libxml2 holds up to max-value-size, 1 MiB, in a buffer that doubles:
	# about 2 MiB more in a plain build, 6 MiB under AddressSanitizer, whose
	# quarantine keeps freed buffers).
	if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
		peak_kib() {
			/usr/bin/time -o "$tmp/rss" -f %M "$NRMHUB" convert --from $format \
				--to case-jsonl -o "$tmp/peak.jsonl" "$1" >/dev/null 2>&1
			tail -n 1 "$tmp/rss"
		}
		small=$(peak_kib "$example")
		large=$(peak_kib "$d/big-attribute.xml")
		if [ "$((large - small))" -lt 16384 ]; then
			pass
		else
			fail "a 50 MB attribute raised peak memory from $small KiB to $large KiB"
		fi
	fi
	# The limit is an option.
	expect_exit 65 "$NRMHUB" convert --from $format --to case-jsonl \
		--option max-value-size=2k "$d/big-attribute.xml"
	assert_grep "big-attribute\\.xml:3:3: more than 2048 bytes" "$tmp/stderr"
	rm -f "$d/big-element.xml" "$d/big-attribute.xml"

	# The right root in the wrong namespace.
	printf '<?xml version="1.0"?>\n<%s xmlns="urn:example:other" %s></%s>\n' \
		"$root" "$version" "$root" >"$d/namespace.xml"
	refused $format "$d/namespace.xml" \
		"namespace\\.xml:2:1: the document element is '$root' in the namespace 'urn:example:other', but a $format document is '$root' in the namespace '$ns'"

	# An element the schema forbids, inside a record, on line 4.
	printf '<?xml version="1.0"?>\n%s\n  %s\n    <shoe/>\n  %s\n</%s>\n' \
		"$open_root" "$record" "$end_record" "$root" >"$d/forbidden.xml"
	refused $format "$d/forbidden.xml" \
		"forbidden\\.xml:4:[0-9]+: not valid against $format\\.xsd: Element '\\{$ns\\}shoe': This element is not expected"

	# Truncated: the example cut in the middle of its sixth line.
	head -n 5 "$example" >"$d/truncated.xml"
	sed -n 6p "$example" | head -c 20 >>"$d/truncated.xml"
	refused $format "$d/truncated.xml" \
		"truncated\\.xml:6:[0-9]+: not well-formed XML: the document ends before it is complete"

	# Empty, and only white space.
	: >"$d/empty.xml"
	refused $format "$d/empty.xml" "empty\\.xml:1:1: empty file: a $format document needs its '$root' element"
	printf '\n  \n' >"$d/blank.xml"
	refused $format "$d/blank.xml" "blank\\.xml:1:1: empty file"

	# Content after the document element.
	printf '<?xml version="1.0"?>\n%s</%s>\n<%s/>\n' "$open_root" "$root" "$root" >"$d/trailing.xml"
	refused $format "$d/trailing.xml" "trailing\\.xml:3:[0-9]+: not well-formed XML: Extra content at the end of the document"
	# A big file that is not XML is refused at once, not for its size.
	{
		printf 'Case ID,Site\n'
		head -c 2000000 /dev/zero | tr '\0' 'x'
	} >"$d/big.csv"
	refused $format "$d/big.csv" "big\\.csv:1:1: not an XML document"

	# Another encoding declared, and bytes that are not UTF-8.
	printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n%s</%s>\n' "$open_root" "$root" >"$d/latin1.xml"
	refused $format "$d/latin1.xml" "latin1\\.xml:1:1: $format documents are UTF-8; this one declares the encoding 'ISO-8859-1'"
	printf '<?xml version="1.0"?>\n%s\n<!-- caf\351 -->\n</%s>\n' "$open_root" "$root" >"$d/not-utf8.xml"
	refused $format "$d/not-utf8.xml" "not-utf8\\.xml:3:[0-9]+: not well-formed XML: .*UTF-8"
	assert_no_grep '0xE9' "$tmp/stderr"

	# The wrong format given to --from: the council's CSV, and the other
	# XML format.
	refused $format "$SRCDIR/examples/site/data/council-cases.csv" \
		"council-cases\\.csv:1:1: not an XML document \\(it does not begin with '<'\\): is it really $format\\? Check --from"
	other=$SRCDIR/examples/site/data/police-cases.xml
	[ $format = police-xml ] && other=$SRCDIR/examples/site/data/scotland-referrals.xml
	refused $format "$other" "is it really $format\\? Check --from"
done

# A value the schema refuses names the element, the attribute and the rule;
# a name typed into a code field is not repeated.
sed '0,/gender="M"/s//gender="Jane"/' "$SRCDIR/examples/site/data/police-cases.xml" >"$tmp/gender.xml"
refused police-xml "$tmp/gender.xml" \
	"gender\\.xml:12:[0-9]+: not valid against police-xml\\.xsd: .*Child', attribute 'gender': .*'\\(value not shown\\)' is not an element of the set"
assert_no_grep Jane "$tmp/stderr"
# Nor in capitals, as police systems often write names; a date is shown.
sed '0,/gender="M"/s//gender="JANE"/' "$SRCDIR/examples/site/data/police-cases.xml" >"$tmp/gender.xml"
refused police-xml "$tmp/gender.xml" "gender\\.xml:12:[0-9]+: .*'\\(value not shown\\)'"
assert_no_grep JANE "$tmp/stderr"
sed '0,/date="2025-01-06"/s//date="2025-02-30"/' "$SRCDIR/examples/site/data/police-cases.xml" >"$tmp/date.xml"
refused police-xml "$tmp/date.xml" \
	"date\\.xml:9:[0-9]+: not valid against police-xml\\.xsd: .*Referral', attribute 'date': '2025-02-30' is not a valid value"

# A record that is valid XML but breaks a canonical rule is reported at
# FILE:LINE:COLUMN with its element path and field.
sed '0,/date="2025-01-20"/s//date="2025-01-02"/' "$SRCDIR/examples/site/data/police-cases.xml" >"$tmp/rg.xml"
refused police-xml "$tmp/rg.xml" \
	'rg\.xml:5:3: /NrmCaseExtract/Case\[1\]: rg_decision_date: 2025-01-02 is before the referral_date 2025-01-06'
# validate reads on and writes the reject, with its position and path.
expect_exit 65 "$NRMHUB" validate --from police-xml --rejects "$tmp/rejects.jsonl" "$tmp/rg.xml"
assert_grep '^7 records: 6 good, 1 bad' "$tmp/stdout"
assert_grep '"line":5,"column":3,"path":"/NrmCaseExtract/Case\[1\]","field":"rg_decision_date"' \
	"$tmp/rejects.jsonl"
# With --keep-going the other six cases are written.
expect_exit 65 "$NRMHUB" convert --from police-xml --to case-jsonl --keep-going \
	-o "$tmp/kept.jsonl" "$tmp/rg.xml"
assert_eq "$(wc -l <"$tmp/kept.jsonl")" 6 "cases kept after a canonical rule broken"

# A value the schema allows but the plugin refuses names its element path:
# one exploitation type twice, in the second case (line 37).
awk '/<Type>SEXUAL<\/Type>/ && !done { print; print "      <Type>SEXUAL</Type>"; done = 1; next } { print }' \
	"$SRCDIR/examples/site/data/police-cases.xml" >"$tmp/twice.xml"
refused police-xml "$tmp/twice.xml" \
	'twice\.xml:37:7: /NrmCaseExtract/Case\[2\]/Exploitation/Type: exploitation_types: the same type is given twice'

# Two reasonable grounds decisions in one scotland-xml referral.
sed '0,/Positive conclusive grounds/s//Negative reasonable grounds/' \
	"$SRCDIR/examples/site/data/scotland-referrals.xml" >"$tmp/two-rg.xml"
refused scotland-xml "$tmp/two-rg.xml" \
	'two-rg\.xml:[0-9]+:[0-9]+: /child-nrm-referrals/referral\[1\]/decisions/decision/@outcome: rg_outcome: a second reasonable grounds decision'

finish
