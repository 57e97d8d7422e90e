#!/bin/bash
# return.ods against the OASIS ODF 1.2 schema with jing: the content,
# styles, meta and settings parts of both audiences' workbooks, of a Welsh
# site's (its texts in Welsh and English, each in a text style of its
# language), and of a workbook built from a store by `return build`.
# (intake.sh checks national.ods the same way.)  Skipped (77) only when jing or the schema is
# not installed; scripts/install-deps installs both (jing,
# libjopendocument-java).
. "$SRCDIR/tests/e2e/lib.sh"

odf_schema || exit 77
data=$SRCDIR/tests/data/returns

for audience in official published welsh; do
	expect_exit 0 "$NRMHUB" return render -o "$tmp/$audience" "$data/render-$audience.json" &&
		assert_odf_valid "$tmp/$audience/return.ods"
done
expect_exit 0 "$NRMHUB" return build --quarter 2024Q2 --site hull --from case-jsonl \
	--now 2024-07-03T08:00:00Z --audience published -o "$tmp/built" "$data/cases.jsonl" &&
	assert_odf_valid "$tmp/built/return.ods"

# The check can fail: a part in ODF 1.3, as the workbook was once written.
mkdir "$tmp/bad" && cp "$tmp/official/return.ods" "$tmp/bad/return.ods"
python3 - "$tmp/bad/return.ods" <<'PY'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
parts = {i.filename: src.read(i.filename) for i in src.infolist()}
parts["meta.xml"] = parts["meta.xml"].replace(b'office:version="1.2"', b'office:version="1.3"')
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, data in parts.items():
        z.writestr(name, data)
PY
if odf_valid "$tmp/bad/return.ods"; then
	fail "jing accepted a workbook whose meta.xml is ODF 1.3"
else
	assert_grep 'meta\.xml.*office:version' "$tmp/jing.out"
fi

finish
