#!/bin/bash
# The comparison of issue 15 on a fixture worked out by hand
# (tests/data/comparison/): two sites, hull (in the pilot since 2021) and
# telford (joined 2025-02-15, in the middle of 2025Q1), and the Home
# Office's own cases from Leeds (E08000035, never a pilot area).  Every
# figure below is written out here, not computed by the code under test:
#
# hull: H1 is 101 days from 18 at referral (in scope), DDM panel, RG after
#   10 days (positive), CG after 70 (positive); H2 is 99 days from 18
#   (near_18): not counted; H3 is age-disputed: not in cases.csv at all; H4
#   was handed back to the Home Office (SCA), RG after 31 days, negative:
#   the third group; H5, DDM panel, RG after 60 days, negative.
# telford: T1 was referred 2025-02-01, before telford joined: not counted;
#   T2, referred 2025-02-20, DDM panel, RG after 10 days, CG after 28, both
#   positive.
# Home Office (Leeds): O1 SCA, RG 5 days (positive), CG 60 (positive); O2
#   IECA, RG 7 days in 2024Q2 (cumulative only), CG 243 days in 2025Q1
#   (negative); O3 has no area, O4 is 99 days from 18, O5 has no date of
#   birth: none counted; O6's RG (2021-05-01) precedes the pilot, its CG
#   after 122 days (2021-07-01, positive) counts in the cumulative figures.
# The same children reach the intake store twice: H1 and H4 are also
# imported through homeoffice-json (pilot area: counted from hull's return
# only), and H1 reaches hull's own store through both case-jsonl and
# homeoffice-json (one case).
#
# Pilot, 2025Q1: RG 10, 60, 10: count 3, mean 26.7, median 10, p90 60,
#   positive 2 (66.7%), within 45 days 2 (66.7%); CG 70, 28: count 2, mean
#   49.0, median 49, p90 70, positive 2 (100.0%), within 45 days 1.  Cumulative: the same
#   (no earlier return).
# Home Office, 2025Q1: RG 5: count 1, 100.0% positive; CG 60, 243: count 2,
#   mean 151.5, median 151.5, p90 243, positive 1 (50.0%).  Cumulative: RG
#   5, 7 (mean 6.0, median 6, p90 7); CG 60, 243, 122: mean 141.7, median
#   122, p90 243, positive 2 (66.7%).
# Pilot sites decided by the Home Office: RG 31: count 1, positive 0 (0.0%),
#   within 45 days 1 (100.0%); no CG.
# cardiff, a Welsh site in the register, sends no return: Wales is listed
# with [x] and the national figures are marked incomplete.
. "$SRCDIR/tests/e2e/lib.sh"

data="$SRCDIR/tests/data/comparison"
now=2025-04-02T09:00:00Z
store=home-office.db
cd "$tmp" || exit 1

mkdir out inbox
for site in hull telford; do
	expect_exit 0 "$NRMHUB" keygen -o "$site"
	expect_exit 0 "$NRMHUB" import --store "$site.db" --from case-jsonl "$data/$site.jsonl"
done
# The same child through a second format, at the site and at the Home Office.
grep -E '"case_id":"H[14]"' "$data/hull.jsonl" >shared.jsonl
expect_exit 0 "$NRMHUB" convert --from case-jsonl --to homeoffice-json -o shared.json shared.jsonl
expect_exit 0 "$NRMHUB" import --store hull.db --from homeoffice-json shared.json
expect_exit 0 "$NRMHUB" export --store hull.db --to case-jsonl
assert_eq "$(grep -c '"case_id":"H1"' "$tmp/stdout")" 1 "H1 is one case at hull"
expect_exit 0 "$NRMHUB" bundle create --store hull.db --quarter 2025Q1 --key hull.key \
	--area E06000010 --now "$now" -o inbox
expect_exit 0 "$NRMHUB" bundle create --store telford.db --quarter 2025Q1 --key telford.key \
	--joined 2025-02-15 --site-name "Telford & Wrekin Council" --now "$now" -o inbox
expect_exit 64 "$NRMHUB" return build --store telford.db --quarter 2025Q1 --joined 2025-02-30 \
	-o out
assert_grep "joined '2025-02-30' is not a date" "$tmp/stderr"
expect_exit 0 "$NRMHUB" return build --store telford.db --quarter 2025Q1 --now "$now" -o out

# The site's own comparison (official returns): its two groups, worked by
# hand.  hull (from the pilot's start): pilot RG H1 10 days (positive), H5
# 60 (negative): count 2, 1 positive (50.0%), mean 35.0, median 35, p90 60,
# 1 within 45 days (50.0%); CG H1 70: 1, positive, mean 70.0, p90 70, none
# within 45 days.  Decided by the Home Office: H4 RG 31 days, negative.
# telford, --joined 2025-02-15: T1 (referred 2025-02-01) is no pilot case;
# T2 RG 10, CG 28, both positive.  Without --joined its cases count from
# the pilot's start, and T1 (SCA, RG 19 days, positive) is the third group.
tar -xzf inbox/hull_2025Q1_001.tar.gz -O hull_2025Q1_001/data/return.json >hull-return.json
tar -xzf inbox/telford_2025Q1_001.tar.gz -O telford_2025Q1_001/data/return.json >telford-return.json
python3 - hull-return.json telford-return.json out/return.json >"$tmp/check" 2>&1 <<'PY' && pass || { fail "site comparison figures"; cat "$tmp/check" >&2; }
import json, sys
bad = []
Z = (0, 0, None, None, None, None, 0, None)
def check(path, since, want):
    c = json.load(open(path))["comparison"]
    if c["since"] != since:
        bad.append("%s: since %r" % (path, c["since"]))
    got = [g["group"] for g in c["groups"]]
    if got != ["pilot", "pilot_site_home_office"]:
        bad.append("%s: groups %r" % (path, got))
    keys = ("count", "positive", "percent_positive", "mean", "median", "p90",
            "within_45_days", "percent_within_45_days")
    for g in c["groups"]:
        for when in ("quarter", "cumulative"):
            for st in ("rg", "cg"):
                f = g[when][st]
                w = want[g["group"]][st]
                for k, v in zip(keys, w):
                    if f[k] != v or type(f[k]) is not type(v):
                        bad.append("%s: %s.%s.%s.%s: got %r, expected %r"
                                   % (path, g["group"], when, st, k, f[k], v))
check(sys.argv[1], "2021-06-01", {
    "pilot": {"rg": (2, 1, 50.0, 35.0, 35, 60, 1, 50.0), "cg": (1, 1, 100.0, 70.0, 70, 70, 0, 0.0)},
    "pilot_site_home_office": {"rg": (1, 0, 0.0, 31.0, 31, 31, 1, 100.0), "cg": Z}})
check(sys.argv[2], "2025-02-15", {
    "pilot": {"rg": (1, 1, 100.0, 10.0, 10, 10, 1, 100.0), "cg": (1, 1, 100.0, 28.0, 28, 28, 1, 100.0)},
    "pilot_site_home_office": {"rg": Z, "cg": Z}})
check(sys.argv[3], "2021-06-01", {
    "pilot": {"rg": (1, 1, 100.0, 10.0, 10, 10, 1, 100.0), "cg": (1, 1, 100.0, 28.0, 28, 28, 1, 100.0)},
    "pilot_site_home_office": {"rg": (1, 1, 100.0, 19.0, 19, 19, 1, 100.0), "cg": Z}})
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
# The site's table of it, each percentage beside its counts.
tar -xzf inbox/hull_2025Q1_001.tar.gz -O hull_2025Q1_001/data/table_18.csv >hull-cmp.csv
assert_grep '^2025,Q1,pilot_rg_quarter,"Pilot: .*",2,1,50\.0,35\.0,35\.0,60,1,50\.0' hull-cmp.csv
assert_grep '^2025,Q1,pilot_site_home_office_cg_cumulative,"Pilot sites, decided by the Home Office: .*since 2021-06-01",0,0,\[z\],\[z\],\[z\],\[z\],0,\[z\]' hull-cmp.csv
# The published return carries the comparison, suppressed with the rest:
# hull's counts of 1 and 2 (pilot RG 2, 1 positive, 1 within 45 days; CG
# 1, positive; decided by the Home Office RG 1) are "[c]", and so are the
# percentages and statistics drawn from them; zeros (CG within 45 days,
# the Home Office's positives) are shown, and the empty rows stay 0 and
# null.  In every form: [c] in the table's CSV, OBS_STATUS Q in SDMX-CSV.
# And `return audit` passes on it, as a reader of the files would run it.
mkdir pub
expect_exit 0 "$NRMHUB" return build --store hull.db --quarter 2025Q1 --audience published \
	--now "$now" -o pub
python3 - pub/return.json >"$tmp/check" 2>&1 <<'PY' && pass || { fail "published comparison"; cat "$tmp/check" >&2; }
import json, sys
c = json.load(open(sys.argv[1]))["comparison"]
bad = []
C = "[c]"
H = (C, C, C, C, C, C, C, C)
Z = (0, 0, None, None, None, None, 0, None)
keys = ("count", "positive", "percent_positive", "mean", "median", "p90", "within_45_days",
        "percent_within_45_days")
# A zero is shown: no CG within 45 days, no positive RG by the Home Office.
CG = (C, C, C, C, C, C, 0, C)
HO = (C, 0, C, C, C, C, C, C)
want = {("pilot", "quarter", "rg"): H, ("pilot", "quarter", "cg"): CG,
        ("pilot", "cumulative", "rg"): H, ("pilot", "cumulative", "cg"): CG,
        ("pilot_site_home_office", "quarter", "rg"): HO,
        ("pilot_site_home_office", "cumulative", "rg"): HO,
        ("pilot_site_home_office", "quarter", "cg"): Z,
        ("pilot_site_home_office", "cumulative", "cg"): Z}
if c["since"] != "2021-06-01":
    bad.append("since %r" % c["since"])
for g in c["groups"]:
    for when in ("quarter", "cumulative"):
        for st in ("rg", "cg"):
            got = tuple(g[when][st][k] for k in keys)
            if got != want[(g["group"], when, st)]:
                bad.append("%s.%s.%s: %r" % (g["group"], when, st, got))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
assert_grep '^2025,Q1,pilot_rg_quarter,"Pilot: .*",\[c\],\[c\],\[c\],\[c\],\[c\],\[c\],\[c\],\[c\]' pub/table_18.csv
assert_grep '^2025,Q1,pilot_site_home_office_cg_quarter,"Pilot sites, .*",0,0,\[z\],\[z\],\[z\],\[z\],0,\[z\]' pub/table_18.csv
assert_grep ',DECISIONS,(_T,){9}RG,(_T,){3}PILOT,Q,2025-Q1,,Q,NR' pub/return.sdmx.csv
# P: the quarter just ended is provisional (a site's default policy).
assert_grep ',WITHIN_45_DAYS,(_T,){9}CG,(_T,){3}PILOT,Q,2025-Q1,0,P,NR' pub/return.sdmx.csv
assert_sdmx pub/return.sdmx.csv
assert_grep 'reasonable grounds, decisions dated in the quarter</th><td class="num">\[c\]</td><td class="num">\[c\]</td>' pub/report.html
expect_exit 0 "$NRMHUB" return validate pub/return.json
expect_exit 0 "$NRMHUB" return audit pub
# The extract carries the age and scope, never the date of birth.
tar -xzf inbox/hull_2025Q1_001.tar.gz -O hull_2025Q1_001/data/cases.csv >hull-cases.csv
assert_no_grep '2007-04-17|birth' hull-cases.csv
assert_eq "$(grep -c ',17,in_scope' hull-cases.csv)" 1 "H1: 17, in scope"
assert_eq "$(grep -c ',17,near_18' hull-cases.csv)" 1 "H2: 17, near 18"
assert_eq "$(grep -c ',sca,' hull-cases.csv)" 1 "H3 (age disputed) left out, H4 in"
touch -d '1 minute ago' inbox/*

expect_exit 0 "$NRMHUB" keys add --store "$store" --nation england hull hull.pub
expect_exit 0 "$NRMHUB" keys add --store "$store" --nation england telford telford.pub
expect_exit 0 "$NRMHUB" intake --inbox inbox --store "$store"
# The register: bad files are refused whole, naming the line and column.
printf 'site,local_authority,joined,approximate,basis\nhull,E06000010,2021-06-31,no,x\n' >bad.csv
expect_exit 65 "$NRMHUB" intake sites load --store "$store" bad.csv
assert_grep 'bad.csv:2: joined: not a date' "$tmp/stderr"
printf 'site,local_authority,joined,approximate,basis\nhull,E06000010,2021-06-01,no,x\nyork,E06000010,2021-06-01,no,y\n' >bad.csv
expect_exit 65 "$NRMHUB" intake sites load --store "$store" bad.csv
assert_grep 'bad.csv:3: local_authority: already given' "$tmp/stderr"
expect_exit 66 "$NRMHUB" intake sites load --store "$store" no-such.csv
expect_exit 0 "$NRMHUB" intake sites load --store "$store" "$data/sites.csv"
expect_exit 0 "$NRMHUB" intake sites list --store "$store"
assert_grep '^telford,E06000020,2025-02-15,no,' "$tmp/stdout"
# The shipped example loads.
expect_exit 0 "$NRMHUB" intake sites load --store example.db "$SRCDIR/examples/pilot-sites.csv"

expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl "$data/home-office.jsonl"
expect_exit 0 "$NRMHUB" import --store "$store" --from homeoffice-json shared.json
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store "$store" --now "$now" -o nat
# -o in folders not made yet: made, as mkdir -p would.
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store "$store" --now "$now" \
	-o national/2025/Q1
assert_same national/2025/Q1/national.json nat/national.json

python3 - nat/national.json >"$tmp/check" 2>&1 <<'PY' && pass || { fail "comparison figures"; cat "$tmp/check" >&2; }
import json, sys
n = json.load(open(sys.argv[1]))
bad = []
groups = {g["group"]: g for g in n["comparison"]["groups"]}
def stage(group, when, st, count, positive, pct, mean, median, p90, within, pct45):
    got = groups[group][when][st]
    want = {"count": count, "positive": positive, "percent_positive": pct, "mean": mean,
            "median": median, "p90": p90, "within_45_days": within,
            "percent_within_45_days": pct45}
    for k, v in want.items():
        if got[k] != v or type(got[k]) is not type(v):
            bad.append("%s.%s.%s.%s: got %r, expected %r" % (group, when, st, k, got[k], v))
if list(groups) != ["pilot", "home_office", "pilot_site_home_office"]:
    bad.append("groups: %r" % list(groups))
if n["comparison"]["began"] != "2021-06-01":
    bad.append("began: %r" % n["comparison"]["began"])
for when in ("quarter", "cumulative"):
    stage("pilot", when, "rg", 3, 2, 66.7, 26.7, 10, 60, 2, 66.7)
    stage("pilot", when, "cg", 2, 2, 100.0, 49.0, 49, 70, 1, 50.0)
    stage("pilot_site_home_office", when, "rg", 1, 0, 0.0, 31.0, 31, 31, 1, 100.0)
    stage("pilot_site_home_office", when, "cg", 0, 0, None, None, None, None, 0, None)
stage("home_office", "quarter", "rg", 1, 1, 100.0, 5.0, 5, 5, 1, 100.0)
stage("home_office", "quarter", "cg", 2, 1, 50.0, 151.5, 151.5, 243, 0, 0.0)
stage("home_office", "cumulative", "rg", 2, 2, 100.0, 6.0, 6, 7, 2, 100.0)
stage("home_office", "cumulative", "cg", 3, 2, 66.7, 141.7, 122, 243, 0, 0.0)
# The older summary shows the same two sides.
p = n["pilot_vs_non_pilot"]
for side, st, count in (("pilot", "rg", 3), ("pilot", "cg", 2), ("non_pilot", "rg", 1), ("non_pilot", "cg", 2)):
    if p[side][st]["count"] != count:
        bad.append("pilot_vs_non_pilot.%s.%s.count: %r" % (side, st, p[side][st]["count"]))
# cardiff (Wales) is in the register and sent nothing: Wales is listed, and
# the totals are incomplete.
if n["nations_not_reporting"] != ["wales"] or n["complete"] is not False:
    bad.append("nations: %r, complete %r" % (n["nations_not_reporting"], n["complete"]))
h = n["headline"]
want = ("An average (mean) of 49 days from referral to conclusive grounds decision in pilot "
        "areas, against 141.7 days elsewhere (median 49 against 122 days; 2 and 3 decisions).")
if h["text"] != want:
    bad.append("headline: %r" % h["text"])
if h["statistic"] != "mean" or h["decision"] != "cg":
    bad.append("headline statistic: %r %r" % (h["statistic"], h["decision"]))
if "2021-06-01 to 2025-03-31" not in h["period"] or "more than 100 days" not in h["population"]:
    bad.append("headline period or population: %r %r" % (h["period"], h["population"]))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
# The national tables carry the comparison, each percentage beside its counts.
cat nat/table_*.csv >all-tables.csv
assert_grep '^2025,Q1,pilot_rg_quarter,"Pilot: .*",3,2,66\.7,26\.7,10\.0,60,2,66\.7' all-tables.csv
assert_grep '^2025,Q1,home_office_cg_cumulative,"Home Office: .*",3,2,66\.7,141\.7,122\.0,243,0,0\.0' all-tables.csv
assert_grep '^2025,Q1,pilot_site_home_office_cg_quarter,"Pilot sites, decided by the Home Office: .*",0,0,\[z\],\[z\],\[z\],\[z\],0,\[z\]' all-tables.csv
assert_grep '^2025,Q1,wales,Wales(,\[x\]){13}' all-tables.csv
# By nation and by site, the percentage positive beside the counts (the
# sites' tables count every child not age-disputed): hull RG H1, H2
# positive, H4, H5 negative (4, 2, 50.0%), CG H1 (1, 1, 100.0%); telford RG
# T1, T2 positive (2, 2, 100.0%), CG T2; England RG 6, 4 (66.7%), CG 2, 2.
# A site is listed by its name where its return records one (telford's),
# else by its code (hull's).
assert_grep '^2025,Q1,hull,hull,England,sequence 1,[0-9]+,4,2,50\.0,1,1,100\.0,' all-tables.csv
assert_grep '^2025,Q1,telford,Telford & Wrekin Council,England,sequence 1,[0-9]+,2,2,100\.0,1,1,100\.0,' all-tables.csv
assert_eq "$(python3 -c 'import json, sys
n = json.load(open(sys.argv[1]))
print([(s["site"], s.get("site_name")) for s in n["by_site"]], "site_name" in n["totals"], "area" in n["totals"])' nat/national.json)" \
	"[('hull', None), ('telford', 'Telford & Wrekin Council')] False False" "national.json's sites by name; the totals no site's"
assert_grep '<th scope="row">Telford &amp; Wrekin Council</th>' nat/report.html
assert_grep '>Telford &amp; Wrekin Council</text>' nat/report.html
python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("content.xml").decode())' \
	nat/national.ods >nat-ods.txt
assert_grep '<text:p>Telford &amp; Wrekin Council</text:p>' nat-ods.txt
assert_grep '^2025,Q1,england,England,[0-9]+,6,4,66\.7,2,2,100\.0,' all-tables.csv
assert_grep 'by nation, incomplete: a pilot site sent no return' nat/csv-metadata.json
# csv-metadata.json describes every CSV of the folder, national.sdmx.csv too.
if python3 "$SRCDIR/tests/e2e/check_return.py" csvw nat >"$tmp/check" 2>&1; then
	pass
else
	fail "csv-metadata.json of the national folder:"
	head -n 10 "$tmp/check" >&2
fi
assert_grep '"url": "national.sdmx.csv"' nat/csv-metadata.json
# So is every other table of totals: the trend, the comparison (its
# cumulative figures too), the pilot against non-pilot areas; and the report
# says so under the headline.
python3 - nat/csv-metadata.json >"$tmp/check" 2>&1 <<'PY' && pass || { fail "incomplete titles"; cat "$tmp/check" >&2; }
import json, sys
m = json.load(open(sys.argv[1]))
# notes.csv, and national.sdmx.csv: every table's figures, whose own
# titles say so.
titles = {t["url"]: t["dc:title"] for t in m["tables"]
          if t["url"] not in ("notes.csv", "national.sdmx.csv")}
bad = [u for u, t in titles.items()
       if "incomplete: a pilot site sent no return" not in t
       and not t.startswith(("Referrals, decisions and days to decision by site",
                             "Sites with no return"))]
need = ["Referrals, decisions and mean days to decision over the last eight", "The comparison", "Days from referral to decision"]
for n in need:
    if not any(t.startswith(n) and "incomplete" in t for t in titles.values()):
        bad.append("no incomplete title starting %r" % n)
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
assert_grep 'Incomplete: not every pilot site sent a return' nat/report.html
# In SDMX-CSV a figure not available is missing (O), one not applicable M.
assert_grep '^NRMHUB:DF_DDM_NATIONAL_RETURN\(1\.0\),W92000004,_T,[A-Z0-9_]+,(_T,){14}Q,2025-Q1,,O,' nat/national.sdmx.csv
assert_no_grep '^NRMHUB:DF_DDM_NATIONAL_RETURN\(1\.0\),W92000004,_T,.*,2025-Q1,[^,]*,[AMQ],' nat/national.sdmx.csv
assert_grep ',CG,(_T,){3}PILOT_SITE_HOME_OFFICE,Q,2025-Q1,,M,' nat/national.sdmx.csv
assert_sdmx nat/national.sdmx.csv
# The report prints every figure as its CSV does (a 90th percentile of 243
# days is 243 in both): each row of each table on the page is its CSV
# row less the columns the page leaves out (period, codes with a label).
python3 - nat >"$tmp/check" 2>&1 <<'PY' && pass || { fail "report.html against the CSVs"; cat "$tmp/check" >&2; }
import csv, html.parser, os, sys
d = sys.argv[1]
class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell = {}, None
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "table":
            self.rows = self.tables.setdefault(a["id"], [])
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and a.get("scope") != "col":
            self.cell = ""
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None
page = Rows()
page.feed(open(os.path.join(d, "report.html"), encoding="utf-8").read())
bad = []
for tid, rows in page.tables.items():
    body = [r for r in rows if r]
    want = list(csv.reader(open(os.path.join(d, tid.lower() + ".csv"), encoding="utf-8")))[1:]
    if len(body) != len(want):
        bad.append("%s: %d rows on the page, %d in the CSV" % (tid, len(body), len(want)))
    for got, row in zip(body, want):
        it = iter(row)
        if not all(any(cell == field for field in it) for cell in got):
            bad.append("%s: %r is not the CSV's %r" % (tid, got, row))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
# The report leads with the headline.
assert_grep 'An average \(mean\) of 49 days' nat/report.html

# Listing and revoking keys (intake.sh tests them fully; here they run
# under valgrind too, which runs this test and not intake.sh).
key_status() {
	"$NRMHUB" keys list --store "$store" --json |
		python3 -c 'import json,sys; print(" ".join("%s:%s" % (k["site"], k["status"]) for k in json.load(sys.stdin)))'
}
assert_eq "$(key_status)" "hull:active telford:active" "keys before a revocation"
expect_exit 0 "$NRMHUB" keys revoke --store "$store" hull
assert_eq "$(key_status)" "hull:revoked telford:active" "keys after hull's is revoked"

finish
