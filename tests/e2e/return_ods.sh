#!/bin/bash
# return.ods opened by LibreOffice (headless): every sheet converted to CSV
# and checked against return.json; the package and content.xml checked for
# the Analysis Function layout.  A Welsh site's workbook too: read by its
# English, and saved again by LibreOffice with each text's language kept
# (so that it checks each part's spelling in its language).  Skipped (77) only when LibreOffice is not
# installed; scripts/install-deps installs it (libreoffice-calc).

set -u
. "$SRCDIR/tests/e2e/lib.sh"

soffice=$(command -v soffice || command -v libreoffice) || {
	echo "return_ods.sh: LibreOffice (soffice) is not installed; skipped" >&2
	exit 77
}
data=$SRCDIR/tests/data/returns
check=$SRCDIR/tests/e2e/check_return.py

# A profile of its own, so that a user's LibreOffice (or another test) is
# neither used nor disturbed.
export HOME=$tmp/home
mkdir -p "$HOME" "$tmp/ods"

for audience in official published welsh; do
	ret=$data/render-$audience.json
	expect_exit 0 "$NRMHUB" return render -o "$tmp/$audience" "$ret"
	# content.xml is well-formed XML.
	python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("content.xml"))' \
		"$tmp/$audience/return.ods" "$tmp/$audience-content.xml"
	if command -v xmllint >/dev/null; then
		expect_exit 0 xmllint --noout --nonet "$tmp/$audience-content.xml"
	fi
	if python3 "$check" ods "$ret" "$tmp/$audience" >"$tmp/check.out" 2>&1; then
		pass
	else
		fail "return.ods ($audience) package:"
		head -n 20 "$tmp/check.out" >&2
	fi
	cp "$tmp/$audience/return.ods" "$tmp/ods/$audience.ods"
done

# The three workbooks in one LibreOffice run (it starts once).  The CSV filter:
# comma, double quote, UTF-8 (76), from line 1, and -1: every sheet to its
# own file, BASE-SHEET.csv (LibreOffice >= 7.2).
filter='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
timeout 300 "$soffice" --headless --norestore "-env:UserInstallation=file://$tmp/lo-profile" \
	--convert-to "$filter" --outdir "$tmp/sheets" \
	"$tmp/ods/official.ods" "$tmp/ods/published.ods" "$tmp/ods/welsh.ods" >"$tmp/soffice.log" 2>&1
for audience in official published welsh; do
	assert_eq "$(ls "$tmp/sheets" 2>/dev/null | grep -c "^$audience-")" 19 \
		"sheets LibreOffice found in the $audience return.ods"
	if python3 "$check" sheets "$data/render-$audience.json" "$tmp/sheets" "$audience" \
		>"$tmp/check.out" 2>&1; then
		pass
	else
		fail "return.ods ($audience) as LibreOffice reads it:"
		head -n 20 "$tmp/check.out" "$tmp/soffice.log" >&2
	fi
done
# "[c]" reaches the spreadsheet as "[c]".
assert_grep '^2025,Q2,0-11,0 to 11 \(local breakdown\),\[c\]$' "$tmp/sheets/published-Table_2.csv"
# A Welsh label is read as its Welsh above its English.
assert_eq "$(python3 -c 'import csv, sys
print(" | ".join(r[3].replace("\n", " / ") for r in csv.reader(open(sys.argv[1], encoding="utf-8"))
      if len(r) > 3 and r[2] == "female"))' "$tmp/sheets/welsh-Table_3.csv")" "Benyw / Female" \
	"Table_3's female row as LibreOffice reads it"

# Saved again by LibreOffice (flat ODF), the Welsh workbook's texts keep
# their languages: the Welsh of a label in a style of language cy, its
# English in one of en, both GB.
timeout 300 "$soffice" --headless --norestore "-env:UserInstallation=file://$tmp/lo-profile" \
	--convert-to fods --outdir "$tmp/fods" "$tmp/ods/welsh.ods" >>"$tmp/soffice.log" 2>&1
if python3 - "$tmp/fods/welsh.fods" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"}
root = ET.parse(sys.argv[1]).getroot()
lang = {}
for s in root.iter("{%s}style" % ns["style"]):
    p = s.find("style:text-properties", ns)
    if p is not None and p.get("{%s}language" % ns["fo"]):
        lang[s.get("{%s}name" % ns["style"])] = "%s-%s" % (
            p.get("{%s}language" % ns["fo"]), p.get("{%s}country" % ns["fo"]))
spans = {"".join(sp.itertext()): lang.get(sp.get("{%s}style-name" % ns["text"]))
         for sp in root.iter("{%s}span" % ns["text"])}
want = {"Benyw": "cy-GB", "Female": "en-GB", "Rhywedd": "cy-GB", "Gender": "en-GB",
        "Nodiadau": "cy-GB", "Notes": "en-GB"}
bad = {w: spans.get(w) for w in want if spans.get(w) != want[w]}
sys.exit("languages lost: %r" % bad if bad else 0)
PY
then
	pass
else
	fail "LibreOffice did not keep the Welsh workbook's languages"
	tail -n 5 "$tmp/soffice.log" >&2
fi

finish
