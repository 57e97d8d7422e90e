#!/bin/bash
# A site in Wales gets its return in Welsh and English, Welsh first
# (formats/return-outputs.md, "Welsh and English"): a return built from a
# store for a site whose nation is Wales (--area W92000004, as `run` passes
# a configuration's site.nation) and the hand-written published return of
# Cardiff (render-welsh.json, area W06000015), each checked by
# check_welsh.py (every part of return.ods, report.html and
# csv-metadata.json in Welsh, then English, each marked with its language)
# and by check_return.py (the same figures as ever, read by their English).
# Its CSVs are an English site's byte for byte, as other tools read them;
# an English site's return stays English only.  ods_schema.sh checks the
# Welsh workbook against ODF 1.2, return_ods.sh reads it with LibreOffice,
# return_html.sh has Chromium build its page.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/returns

# checks CHECKER ARGS...: tests/e2e/CHECKER.py ARGS agrees.
checks() {
	local checker=$1
	shift
	if python3 "$SRCDIR/tests/e2e/$checker.py" "$@" >"$tmp/check.out" 2>&1; then
		pass
	else
		fail "$checker.py $*:"
		head -n 20 "$tmp/check.out" >&2
	fi
}

# ---- a Welsh site's returns ------------------------------------------------
# cases.jsonl's hull cases as Cardiff's, built as `run` builds a site's.
sed 's/"site":"hull"/"site":"cardiff"/' "$data/cases.jsonl" >"$tmp/cases.jsonl"
expect_exit 0 "$NRMHUB" return build --quarter 2024Q2 --site cardiff --area W92000004 \
	--joined 2023-06-01 --from case-jsonl --now 2024-07-03T08:00:00Z -o "$tmp/built" \
	"$tmp/cases.jsonl"
checks check_welsh welsh "$tmp/built"
for mode in csv sdmx ods; do
	checks check_return "$mode" "$tmp/built/return.json" "$tmp/built"
done
# The comparison's rows, nrmhub's groups, are in Welsh too.
assert_grep 'Peilot: plant o fewn y cwmpas' "$tmp/built/report.html"
# A site's name is a name in either language: checked as bilingual as the
# rest, and the same in both titles.
expect_exit 0 "$NRMHUB" return build --quarter 2024Q2 --site cardiff --area W92000004 \
	--joined 2023-06-01 --site-name "Cyngor Caerdydd" --from case-jsonl \
	--now 2024-07-03T08:00:00Z -o "$tmp/named" "$tmp/cases.jsonl"
checks check_welsh welsh "$tmp/named"
checks check_return ods "$tmp/named/return.json" "$tmp/named"
assert_grep '<title>[^<]*Cyngor Caerdydd, 2024Q2 / NRM devolved decision-making: quarterly return, Cyngor Caerdydd, 2024Q2</title>' \
	"$tmp/named/report.html"
assert_grep '</span>: Cyngor Caerdydd</h1>' "$tmp/named/report.html"

expect_exit 0 "$NRMHUB" return render -o "$tmp/cardiff" "$data/render-welsh.json"
cp "$data/render-welsh.json" "$tmp/cardiff/return.json"
checks check_welsh welsh "$tmp/cardiff"
for mode in csv sdmx ods; do
	checks check_return "$mode" "$tmp/cardiff/return.json" "$tmp/cardiff"
done
checks check_return html "$tmp/cardiff/return.json" "$tmp/cardiff/report.html"
# The shorthand the published tables use, and the months, in Welsh.
python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("content.xml"))' \
	"$tmp/cardiff/return.ods" "$tmp/cardiff-content.xml"
assert_grep '1 Ebrill 2025 i 30 Mehefin 2025 \(Ch2 2025, 2025Q2\)' "$tmp/cardiff-content.xml"
assert_grep 'cyfrinachol: nifer fach neu ffigur' "$tmp/cardiff-content.xml"

# The same return of a site in England: the same CSVs, byte for byte (the
# header row and codes that other tools read), and English throughout.
python3 - "$data/render-welsh.json" "$tmp/england.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["area"] = "E09000028"
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit 0 "$NRMHUB" return render -o "$tmp/england" "$tmp/england.json"
for f in "$tmp/cardiff"/table_*.csv "$tmp/cardiff/notes.csv"; do
	assert_same "$f" "$tmp/england/$(basename "$f")"
done
cp "$tmp/england.json" "$tmp/england/return.json"
checks check_welsh english "$tmp/england"

# ---- English sites stay English ----------------------------------------------
expect_exit 0 "$NRMHUB" return render -o "$tmp/birmingham" "$data/render-official.json"
cp "$data/render-official.json" "$tmp/birmingham/return.json"
checks check_welsh english "$tmp/birmingham"
expect_exit 0 "$NRMHUB" return build --quarter 2024Q2 --site hull --area E06000010 \
	--joined 2023-06-01 --from case-jsonl --now 2024-07-03T08:00:00Z -o "$tmp/hull" \
	"$data/cases.jsonl"
checks check_welsh english "$tmp/hull"
# A return that records no area (built before it was recorded) is English.
python3 - "$data/render-welsh.json" "$tmp/no-area.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
del r["area"]
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit 0 "$NRMHUB" return render -o "$tmp/no-area" "$tmp/no-area.json"
cp "$tmp/no-area.json" "$tmp/no-area/return.json"
checks check_welsh english "$tmp/no-area"

# The same Welsh return renders to the same bytes.
expect_exit 0 "$NRMHUB" return render -o "$tmp/again" "$data/render-welsh.json"
for f in "$tmp/again"/*; do
	assert_same "$f" "$tmp/cardiff/$(basename "$f")"
done

finish
