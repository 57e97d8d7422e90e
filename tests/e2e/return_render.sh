#!/bin/bash
# `nrmhub return render` on the hand-written returns in tests/data/returns/:
# every CSV, the CSVW metadata, SDMX-CSV, the ODS package and the HTML page
# are checked value by value against return.json by check_return.py (which
# spells out the expected tables on its own); then broken returns, each
# refused with exit 65, the JSON path and the rule, and nothing written.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/returns
check=$SRCDIR/tests/e2e/check_return.py

# checks MODE RETURN TARGET: check_return.py agrees.
checks() {
	if python3 "$check" "$1" "$2" "$3" >"$tmp/check.out" 2>&1; then
		pass
	else
		fail "check_return.py $1 $(basename "$2"):"
		head -n 20 "$tmp/check.out" >&2
	fi
}

for audience in official published; do
	ret=$data/render-$audience.json
	out=$tmp/$audience
	expect_exit 0 "$NRMHUB" return render -o "$out" "$ret"
	checks csv "$ret" "$out"
	checks sdmx "$ret" "$out"
	checks ods "$ret" "$out"
	checks html "$ret" "$out/report.html"
	assert_eq "$(ls "$out" | wc -l)" 21 "files written for the $audience return"
	# No temporary file is left beside the outputs.
	assert_eq "$(ls -A "$out" | grep -c '^\.')" 0 "hidden files left in $out"
done

# Suppressed cells stay "[c]" in CSV and are Q with no value in SDMX-CSV;
# statistics of no cases are [z] and M.
assert_grep '^2025,Q2,rg,Reasonable grounds,\[c\],\[c\],\[c\]' "$tmp/published/table_13.csv"
assert_grep '^2025,Q2,cg,Conclusive grounds,0,\[z\],\[z\]' "$tmp/published/table_13.csv"
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),E09000028,AWAITING,(_T,){9}RG,(_T,){4}Q,2025-Q2,,Q,NR' \
	"$tmp/published/return.sdmx.csv"
assert_grep '^NRMHUB:DF_DDM_SITE_RETURN\(1\.0\),E09000028,AGE_MEAN,(_T,){9}CG,(_T,){4}Q,2025-Q2,,M,DAY' \
	"$tmp/published/return.sdmx.csv"
# Every code in the shipped structure's codelists, every key once.
assert_sdmx "$tmp/official/return.sdmx.csv" "$tmp/published/return.sdmx.csv"
# SDMX-CSV 2.0 on request: the same observations behind STRUCTURE,
# STRUCTURE_ID and ACTION; the other files as before.
expect_exit 0 "$NRMHUB" return render --sdmx 2.0 -o "$tmp/v2" "$data/render-published.json"
assert_grep '^STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,MEASURE,' "$tmp/v2/return.sdmx.csv"
assert_eq "$(tail -n +2 "$tmp/v2/return.sdmx.csv" | sed 's/^dataflow,\([^,]*\),I,/\1,/' | md5sum)" \
	"$(tail -n +2 "$tmp/published/return.sdmx.csv" | md5sum)" "2.0 holds 1.0's observations"
assert_same "$tmp/v2/table_1.csv" "$tmp/published/table_1.csv"
assert_sdmx "$tmp/v2/return.sdmx.csv"
# csv-metadata.json describes the 2.0 file's columns (and every other CSV).
if python3 "$check" csvw "$tmp/v2" >"$tmp/check.out" 2>&1; then
	pass
else
	fail "check_return.py csvw (SDMX-CSV 2.0):"
	head -n 20 "$tmp/check.out" >&2
fi
expect_exit 64 "$NRMHUB" return render --sdmx 3.0 -o "$tmp/v3" "$data/render-published.json"
assert_grep 'sdmx must be 1\.0 or 2\.0' "$tmp/stderr"
assert_no_grep '\[c\]' "$tmp/official/table_1.csv"
# Home Office labels, spelt exactly.
assert_grep '^2025,Q1,sexual\+labour\+criminal,"Sexual, Labour & Criminal",1' \
	"$tmp/official/table_5.csv"
assert_grep '^2025,Q1,ngo,NGO and third sector,1' "$tmp/official/table_8.csv"
assert_grep '^2025,Q1,uk_and_overseas,UK and Overseas,1' "$tmp/official/table_7.csv"

# The same return renders to the same bytes (the ODS entries carry the
# return's generated_at, not the clock).
expect_exit 0 "$NRMHUB" return render -o "$tmp/again" "$data/render-official.json"
for f in "$tmp/official"/*; do
	assert_same "$f" "$tmp/again/$(basename "$f")"
done

# Without -o the outputs go beside RETURN.json; --json lists them.
mkdir "$tmp/beside"
cp "$data/render-official.json" "$tmp/beside/return.json"
expect_exit 0 "$NRMHUB" return render --json "$tmp/beside/return.json"
assert_grep '"directory": ".*/beside"' "$tmp/stdout"
assert_grep '"return.ods"' "$tmp/stdout"
assert_grep '"table_16.csv"' "$tmp/stdout"
assert_eq "$(ls "$tmp/beside" | wc -l)" 22 "files beside return.json"

# A return that records the site's name ($.site_name) is titled with it in
# every output; one without (as above) with the site's code.
python3 - "$data/render-official.json" "$tmp/named.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r = dict([(k, v) for k, v in r.items() if k == "site"] + [("site_name", "Southwark Council <Children & Families>")] +
         [(k, v) for k, v in r.items() if k != "site"])
json.dump(r, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect_exit 0 "$NRMHUB" return render -o "$tmp/named" "$tmp/named.json"
checks ods "$tmp/named.json" "$tmp/named"
checks html "$tmp/named.json" "$tmp/named/report.html"
site=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["site"])' "$tmp/named.json")
assert_grep '<title>NRM devolved decision-making: quarterly return, Southwark Council &lt;Children &amp; Families&gt;, 2025Q1</title>' \
	"$tmp/named/report.html"
assert_grep '<h1>National Referral Mechanism: devolved decision-making for child victims: Southwark Council &lt;Children &amp; Families&gt;</h1>' \
	"$tmp/named/report.html"
assert_grep "<dt>Site</dt><dd>Southwark Council &lt;Children &amp; Families&gt;</dd>" \
	"$tmp/named/report.html"
python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(z.read("content.xml").decode() + z.read("meta.xml").decode())' "$tmp/named/return.ods" >"$tmp/named-ods.txt"
assert_grep 'quarterly return for Southwark Council &lt;Children &amp; Families&gt;, 2025Q1' "$tmp/named-ods.txt"
assert_grep "<text:p>Southwark Council &lt;Children &amp; Families&gt;</text:p>" "$tmp/named-ods.txt"
assert_grep '<dc:title>NRM devolved decision-making quarterly return: Southwark Council &lt;Children &amp; Families&gt;, 2025Q1' \
	"$tmp/named-ods.txt"
assert_no_grep 'quarterly return for '"$site"', ' "$tmp/named-ods.txt"
assert_grep '<h1>National Referral Mechanism: devolved decision-making for child victims: '"$site"'</h1>' "$tmp/official/report.html"

# Strings from the return are escaped: a hostile generator version is text
# in the HTML and in the ODS XML, never markup.
python3 - "$data/render-official.json" "$tmp/hostile.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["generator"]["version"] = "<script>alert('x')</script>&\""
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit 0 "$NRMHUB" return render -o "$tmp/hostile" "$tmp/hostile.json"
assert_no_grep '<script' "$tmp/hostile/report.html"
assert_grep '&lt;script&gt;alert\(&#39;x&#39;\)&lt;/script&gt;&amp;&quot;' "$tmp/hostile/report.html"
# content.xml is well-formed and holds the version as text, not as an element.
if python3 -c 'import sys, zipfile, xml.dom.minidom as m
d = m.parseString(zipfile.ZipFile(sys.argv[1]).read("meta.xml"))
ok = not d.getElementsByTagName("script") and "<script>" in d.getElementsByTagName(
    "meta:generator")[0].firstChild.data
m.parseString(zipfile.ZipFile(sys.argv[1]).read("content.xml"))
sys.exit(0 if ok else 1)' "$tmp/hostile/return.ods"; then
	pass
else
	fail "the hostile version is not plain text in return.ods"
fi

# ---- broken returns -----------------------------------------------------
# broken NAME PYTHON PATTERN: return.json changed by PYTHON (on r) is refused
# with exit 65 and PATTERN on stderr, and no output directory appears.
broken() {
	local name=$1 code=$2 pattern=$3
	python3 - "$data/render-official.json" "$tmp/$name.json" "$code" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(r, open(sys.argv[2], "w"))
PY
	expect_exit 65 "$NRMHUB" return render -o "$tmp/out-$name" "$tmp/$name.json"
	assert_grep "$name\\.json: $pattern" "$tmp/stderr"
	assert_no_file "$tmp/out-$name"
}

broken suppressed-official 'r["referrals"]["by_gender"]["male"] = "[c]"' \
	'\$\.referrals\.by_gender\.male: "\[c\]" is only allowed in a published return'
broken missing-key 'del r["referrals"]["by_location"]["unknown"]' \
	'\$\.referrals\.by_location\.unknown: is missing'
broken negative 'r["decisions"]["rg"]["by_decision_maker"]["sca"]["negative"] = -1' \
	'\$\.decisions\.rg\.by_decision_maker\.sca\.negative: must be an integer >= 0'
broken fraction 'r["withdrawn"] = 1.5' '\$\.withdrawn: must be an integer >= 0'
broken unknown-key 'r["referrals"]["by_gender"]["nonbinary"] = 1' \
	'\$\.referrals\.by_gender: unexpected key "nonbinary"'
broken combination-order 'r["referrals"]["by_exploitation_combination"]["Criminal & Sexual"] = 1' \
	'\$\.referrals\.by_exploitation_combination: "Criminal & Sexual" is not a Home Office'
broken combination-joined 'r["referrals"]["by_exploitation_combination"]["Sexual & Labour & Criminal"] = 1' \
	'\$\.referrals\.by_exploitation_combination: "Sexual & Labour & Criminal" is not'
broken nationality 'r["referrals"]["by_nationality"]["XX"] = 1' \
	'\$\.referrals\.by_nationality: "XX" is not an ISO 3166-1 alpha-2 code'
# One row per child: a dual national's key is its two codes in order, and
# the rows sum to the total (12 in render-official.json).
broken nationality-order 'r["referrals"]["by_nationality"]["PL+GB"] = 0' \
	'\$\.referrals\.by_nationality: "PL\+GB" is not an ISO 3166-1 alpha-2 code, two in'
broken nationality-twice 'r["referrals"]["by_nationality"]["GB+IE"] = 1' \
	'\$\.referrals\.by_nationality: the rows sum to 13, not the total 12: each child counts once'
# The site's comparison (official returns), every figure checked.
cmp='z = {"count": 0, "positive": 0, "percent_positive": None, "mean": None, "median": None, "p90": None, "within_45_days": 0, "percent_within_45_days": None}
g = lambda code: {"group": code, "label": "L", "quarter": {"rg": dict(z), "cg": dict(z)}, "cumulative": {"rg": dict(z), "cg": dict(z)}}
r["comparison"] = {"since": "2021-06-01", "groups": [g("pilot"), g("pilot_site_home_office")]}
'
broken comparison-since "$cmp"'r["comparison"]["since"] = "2021-13-01"' \
	'\$\.comparison\.since: must be a date YYYY-MM-DD'
broken comparison-group "$cmp"'r["comparison"]["groups"][1]["group"] = "elsewhere"' \
	'\$\.comparison\.groups\[1\]: group must be pilot, home_office or pilot_site_home_office'
broken comparison-positive "$cmp"'r["comparison"]["groups"][0]["quarter"]["rg"].update(count=1, positive=2, mean=3, median=3, p90=3, percent_positive=100, percent_within_45_days=0)' \
	'\$\.comparison\.groups\[0\]\.quarter\.rg\.positive: is more than the decisions counted'
broken comparison-null "$cmp"'r["comparison"]["groups"][0]["cumulative"]["cg"]["mean"] = 4.5' \
	'\$\.comparison\.groups\[0\]\.cumulative\.cg\.mean: must be a number >= 0, or null exactly when count is 0'
broken comparison-extra "$cmp"'r["comparison"]["groups"][0]["quarter"]["rg"]["x"] = 1' \
	'\$\.comparison\.groups\[0\]\.quarter\.rg: must be an object of the 8 figures'
python3 - "$data/render-official.json" "$tmp/cmp.json" "$cmp" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit 0 "$NRMHUB" return render -o "$tmp/out-cmp" "$tmp/cmp.json"
assert_grep '^2025,Q1,pilot_site_home_office_cg_cumulative,"L; conclusive grounds, since 2021-06-01",0,0,\[z\]' "$tmp/out-cmp/table_17.csv"
# A labels file with a bad row is refused naming its line; a dual national
# is labelled with the two Home Office labels (GB UK, IE from iso-codes).
printf 'code,label\nGB,UK\nGB,British\n' >"$tmp/labels.csv"
NRMHUB_NATIONALITY_LABELS=$tmp/labels.csv expect_exit 65 "$NRMHUB" return render \
	-o "$tmp/out-labels" "$data/render-official.json"
assert_grep 'labels\.csv:3: code: already given' "$tmp/stderr"
assert_no_file "$tmp/out-labels"
printf 'code,label\nGB,UK\n' >"$tmp/labels.csv"
python3 - "$data/render-official.json" "$tmp/dual.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["referrals"]["by_nationality"]["GB"] -= 1
r["referrals"]["by_nationality"]["GB+IE"] = 1
json.dump(r, open(sys.argv[2], "w"))
PY
NRMHUB_NATIONALITY_LABELS=$tmp/labels.csv expect_exit 0 "$NRMHUB" return render \
	-o "$tmp/out-dual" "$tmp/dual.json"
assert_grep '^[0-9]{4},Q[1-4],GB\+IE,Ireland UK,1' "$tmp/out-dual/table_6.csv"
assert_grep '^[0-9]{4},Q[1-4],total,Total,12' "$tmp/out-dual/table_6.csv"
broken mean-text 'r["days_to_decision"]["rg"]["mean"] = "31.4"' \
	'\$\.days_to_decision\.rg\.mean: a string here must be "\[c\]"'
broken short-trend 'r["trend"].pop(0)' '\$\.trend: must be an array of exactly 8 quarters'
broken trend-order 'r["trend"][2], r["trend"][3] = r["trend"][3], r["trend"][2]' \
	'\$\.trend\[2\]: quarter is out of sequence'
broken period 'r["period"]["end"] = "2025-03-30"' \
	'\$\.period\.end: is not the last day of the quarter'
broken quarter 'r["quarter"] = "2025Q5"' '\$\.quarter: must be YYYYQn'
broken schema 'r["schema"] = "nrmhub-return/2"' '\$\.schema: must be "nrmhub-return/1"'
broken site 'r["site"] = "Birmingham"' '\$\.site: must be 2 to 64 lower-case letters'
broken generated 'r["generated_at"] = "yesterday"' '\$\.generated_at: must be an RFC 3339 time'
broken not-object 'r["awaiting"]["cg"] = []' '\$\.awaiting\.cg: must be an object'
broken site-name-line 'r["site_name"] = "Southwark\nAudience: published"' \
	'\$\.site_name: must be one line, without control characters'
broken site-name-empty 'r["site_name"] = ""' '\$\.site_name: must be from 1 to 200 bytes'
broken site-name-number 'r["site_name"] = 7' '\$\.site_name: must be a string'

printf '{"schema": "nrmhub-return/1",\n  "site": }\n' >"$tmp/syntax.json"
expect_exit 65 "$NRMHUB" return render -o "$tmp/out-syntax" "$tmp/syntax.json"
assert_grep 'syntax\.json:2:[0-9]+: not valid JSON' "$tmp/stderr"
printf '{"site": "a", "site": "b"}' >"$tmp/duplicate.json"
expect_exit 65 "$NRMHUB" return render -o "$tmp/out-dup" "$tmp/duplicate.json"
assert_grep 'duplicate\.json:1:[0-9]+: duplicate member name in an object' "$tmp/stderr"
assert_no_file "$tmp/out-dup"

# Every output is private to its owner, like every output of the hub.
assert_eq "$(stat -c %a "$tmp/official/return.ods" "$tmp/official/table_1.csv" \
	"$tmp/official/report.html" | sort -u)" 600 "modes of the outputs"

# `help return render` works (its options against the man page: man_help.sh).
expect_exit 0 "$NRMHUB" help return render
assert_grep '^Usage: nrmhub return render' "$tmp/stdout"

# Usage, missing input, and an output that cannot be created.
expect_exit 0 "$NRMHUB" return render --help
assert_grep '^Usage: nrmhub return render' "$tmp/stdout"
expect_exit 64 "$NRMHUB" return render
expect_exit 64 "$NRMHUB" return render --bogus "$data/render-official.json"
expect_exit 66 "$NRMHUB" return render "$tmp/no-such-return.json"
assert_grep 'no-such-return\.json: cannot open' "$tmp/stderr"
: >"$tmp/a-file"
expect_exit 73 "$NRMHUB" return render -o "$tmp/a-file" "$data/render-official.json"
assert_grep 'cannot create the directory .*a-file' "$tmp/stderr"

finish
