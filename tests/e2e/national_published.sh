#!/bin/bash
# national build --audience published (issue 14, national outputs): three
# sites, alpha and bravo in England and cymru, Wales's only reporting site,
# with 3 referrals (a small count).  Each site's published return is built
# by the site itself (return build --audience published); the national
# published tables must not, with those, give back any hidden cell:
#   - national total minus the other sites' published figures, path by
#     path, and a nation's row minus its other sites', are checked by
#     repeated single-unknown substitution (python, below), independent of
#     the LP audit in nrmhub;
#   - Wales is cymru: its row hides what cymru hides (3 referrals: [c]);
#   - bravo publishes with its own threshold, 6: its published return says
#     so, the national build reads bravo's pattern from its official return
#     and audits bravo's cells at 6 (return audit, with the return's rule);
#   - the official build is unchanged: exact, with the comparison;
#   - a bad --audience or --threshold is a usage error;
#   - refused: when cymru publishes with threshold 2, its 3 referrals are
#     out, and Wales's row cannot hide them: exit 65, nothing written.
. "$SRCDIR/tests/e2e/lib.sh"

now=2025-04-02T09:00:00Z
cd "$tmp" || exit 1
mkdir inbox
gen="$SRCDIR/tests/data/national_published/gen_cases.py"
python3 "$gen" alpha 40 1 E06000010 >alpha.jsonl
python3 "$gen" bravo 30 2 E06000020 >bravo.jsonl
python3 "$gen" cymru 3 3 W06000015 >cymru.jsonl
for site in alpha bravo cymru; do
	rule=()
	[ "$site" = bravo ] && rule=(--threshold 6)
	expect_exit 0 "$NRMHUB" keygen -o "$site"
	expect_exit 0 "$NRMHUB" import --store "$site.db" --from case-jsonl "$site.jsonl"
	expect_exit 0 "$NRMHUB" bundle create --store "$site.db" --quarter 2025Q1 --key "$site.key" \
		--now "$now" -o inbox "${rule[@]}"
	expect_exit 0 "$NRMHUB" return build --store "$site.db" --quarter 2025Q1 --now "$now" \
		--audience published -o "pub-$site" "${rule[@]}"
done
assert_grep '"threshold": 6' pub-bravo/return.json
expect_exit 0 "$NRMHUB" return audit pub-bravo
assert_grep ' 0 fail$' "$tmp/stdout"
expect_exit 0 "$NRMHUB" keys add --store ho.db --nation england alpha alpha.pub
expect_exit 0 "$NRMHUB" keys add --store ho.db --nation england bravo bravo.pub
# A nation by its GSS code, as the site's configuration names it, or by its
# name; anything else is a usage error.
expect_exit 0 "$NRMHUB" keys add --store ho.db --nation W92000004 cymru cymru.pub
expect_exit 64 "$NRMHUB" keys add --store ho.db --nation atlantis other alpha.pub
assert_grep "'atlantis' is not a nation" "$tmp/stderr"
expect_exit 0 "$NRMHUB" intake --inbox inbox --store ho.db --settle 0

expect_exit 64 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --audience public -o x
assert_grep "audience must be official or published" "$tmp/stderr"
expect_exit 64 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --threshold 0 -o x
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --now "$now" -o off
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --now "$now" \
	--audience official -o off2
assert_eq "$(cmp off/national.json off2/national.json && echo same)" same \
	"--audience official is the default"
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --now "$now" \
	--audience published -o pub
assert_grep '\[c\]' pub/table_1.csv
assert_grep ',Q,' pub/national.sdmx.csv
assert_sdmx pub/national.sdmx.csv
assert_grep '\[c\]' pub/report.html

python3 - off/national.json pub/national.json pub-alpha/return.json pub-bravo/return.json \
	pub-cymru/return.json >"$tmp/check" 2>&1 <<'PY' && pass || { fail "published national differencing"; cat "$tmp/check" >&2; }
import json, sys
off, pub = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sites = {r["site"]: r for r in (json.load(open(p)) for p in sys.argv[3:])}
# A site's series is the national trend's source (national_build.c): its
# last eight quarters, by quarter, at the trend's paths.
for r in sites.values():
    rows = {e["quarter"]: e for e in r.pop("series")}
    y, q = int(r["quarter"][:4]), int(r["quarter"][5])
    r["trend"] = []
    for back in range(7, -1, -1):
        i = y * 4 + q - 1 - back
        e = rows.get("%dQ%d" % (i // 4, i % 4 + 1), {})
        row = {k: e.get(k, 0) for k in ("referrals", "rg_decisions", "cg_decisions")}
        row.update({k: e.get(k) for k in ("mean_days_rg", "mean_days_cg")})
        r["trend"].append(row)
bad = []
if "audience" in off or "comparison" not in off:
    bad.append("the official build changed")
if pub.get("audience") != "published" or "comparison" in pub or "headline" in pub:
    bad.append("the published build keeps the comparison")

def counts(node, path="$"):
    """Every integer or "[c]" leaf of a return, by path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from counts(v, "%s.%s" % (path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from counts(v, "%s[%d]" % (path, i))
    elif node == "[c]" or (isinstance(node, int) and not isinstance(node, bool)):
        yield path, node

skip = ("$.generated_at", "$.trend")  # trend rows: years and quarters are ints too
nat = {p: v for p, v in counts(pub["totals"]) if not p.startswith("$.quarter")}
per = {s: dict(counts(r)) for s, r in sites.items()}
# Relations a reader knows: national = sum of sites (path by path), a
# nation's row = sum of its sites'; value None = unknown.
known = {}
rels = []
for p, v in nat.items():
    if ".year" in p or p.endswith(".quarter") or p.startswith("$.period"):
        continue
    terms = [("national", p)] + [(s, p) for s in per if p in per[s]]
    for s in per:
        if p in per[s]:
            known[(s, p)] = per[s][p]
    known[("national", p)] = v
    rels.append(terms)
site_key = {"referrals": "$.referrals.total", "rg_positive": "$.decisions.rg.positive",
            "cg_positive": "$.decisions.cg.positive"}
for i, n in enumerate(pub["by_nation"]):
    for k, sp in site_key.items():
        mine = [s["site"] for s in pub["by_site"] if s["nation"] == n["nation"]]
        known[("nation%d" % i, k)] = n[k]
        for s in mine:
            known[(s, sp)] = per[s][sp]
        rels.append([("nation%d" % i, k)] + [(s, sp) for s in mine])
hidden = {c for c, v in known.items() if v == "[c]"}
val = {c: v for c, v in known.items() if v != "[c]"}
# Official values of hidden site cells are in the official national only
# through sums; recovery is what matters, not the value.
recovered = set()
changed = True
while changed:
    changed = False
    for terms in rels:
        unknown = [c for c in terms if c not in val]
        if len(unknown) == 1:
            c = unknown[0]
            total, parts = terms[0], terms[1:]
            if c == total:
                val[c] = sum(val[x] for x in parts)
            else:
                val[c] = val[total] - sum(val[x] for x in parts if x != c)
            recovered.add(c)
            changed = True
for c in sorted(recovered):
    bad.append("recovered %s %s = %s" % (c[0], c[1], val[c]))
# Wales is cymru.
wales = [n for n in pub["by_nation"] if n["nation"] == "wales"][0]
if wales["referrals"] != "[c]" or sites["cymru"]["referrals"]["total"] != "[c]":
    bad.append("cymru's 3 referrals are shown: wales %r" % wales["referrals"])
cy = [s for s in pub["by_site"] if s["site"] == "cymru"][0]
if cy["referrals"] != "[c]":
    bad.append("by_site shows cymru's referrals")
# The table by site is each site's own published return, as the site built it.
for row in pub["by_site"]:
    r = sites[row["site"]]
    for key, got in (("referrals", r["referrals"]["total"]),
                     ("rg_positive", r["decisions"]["rg"]["positive"]),
                     ("awaiting", r["awaiting"]["rg"]["count"])):
        mine = row["awaiting"]["rg"] if key == "awaiting" else row[key]
        if mine != got:
            bad.append("by_site %s %s is %r, the site published %r" % (row["site"], key, mine, got))
    if row["days_to_decision"]["rg"]["median"] != r["days_to_decision"]["rg"]["median"]:
        bad.append("by_site %s median differs from the site's" % row["site"])
if off["totals"]["referrals"]["total"] != 73:
    bad.append("fixture: %r referrals" % off["totals"]["referrals"]["total"])
if not hidden:
    bad.append("nothing is hidden")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# ---- return audit of the national tables beside the sites' returns ----------
expect_exit 0 "$NRMHUB" return audit pub pub-alpha pub-bravo pub-cymru
assert_grep '^pub: [0-9]+ national cells audited, 0 fail' "$tmp/stdout"
expect_exit 0 "$NRMHUB" return audit --json pub pub-alpha pub-bravo pub-cymru
python3 -c 'import json,sys
out = json.load(open(sys.argv[1]))
n = [o for o in out if o.get("national") == "pub"][0]
sys.exit(0 if n["failed"] == 0 and n["cells"] else 1)' "$tmp/stdout" && pass ||
	fail "return audit --json has no national cells"
expect_exit 66 "$NRMHUB" return audit pub pub-alpha
assert_grep 'pub: the national tables list bravo: give its published return for 2025Q1' "$tmp/stderr"
# Wales's hidden row shown again (cymru's 3 referrals): named, exit 65.
mkdir leak
python3 - pub/national.json leak/national.json <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))
for row in n["by_nation"]:
    if row["nation"] == "wales":
        row["referrals"] = 3
json.dump(n, open(sys.argv[2], "w"))
PY
expect_exit 65 "$NRMHUB" return audit leak pub-alpha pub-bravo pub-cymru
assert_grep 'leak: by_nation wales referrals .*a small count is shown' "$tmp/stderr"

# ---- the next quarter: its trend repeats this one's published figures -------
# 2025Q2's national trend row for 2025Q1 hides what 2025Q1's published
# national tables hide, and shows what they show, the same figures.  The
# sites' cases are all 2025Q1's, so their 2025Q2 returns are forced past
# the rule that refuses a return with no referrals and no decisions.
for site in alpha bravo cymru; do
	rule=()
	[ "$site" = bravo ] && rule=(--threshold 6)
	expect_exit 0 "$NRMHUB" bundle create --store "$site.db" --quarter 2025Q2 --key "$site.key" \
		--now 2025-07-02T09:00:00Z -o inbox --force "${rule[@]}"
done
expect_exit 0 "$NRMHUB" intake --inbox inbox --store ho.db --settle 0
expect_exit 0 "$NRMHUB" national build --quarter 2025Q2 --store ho.db \
	--now 2025-07-02T09:00:00Z --audience published -o pub2
python3 - pub/national.json pub2/national.json >"$tmp/check" 2>&1 <<'PY' && pass || { fail "2025Q2's trend against 2025Q1's published tables"; cat "$tmp/check" >&2; }
import json, sys
q1, q2 = (json.load(open(p))["totals"] for p in sys.argv[1:3])
row = q2["trend"][6]
own = {"referrals": q1["referrals"]["total"],
       "rg_decisions": q1["days_to_decision"]["rg"]["count"],
       "cg_decisions": q1["days_to_decision"]["cg"]["count"],
       "mean_days_rg": q1["days_to_decision"]["rg"]["mean"],
       "mean_days_cg": q1["days_to_decision"]["cg"]["mean"]}
bad = ["%s: 2025Q1 published %r, 2025Q2's trend %r" % (k, v, row[k])
       for k, v in own.items() if v != row[k]]
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# ---- refused: a single-site nation whose site publishes a small count --------
mkdir inbox2
expect_exit 0 "$NRMHUB" bundle create --store cymru.db --quarter 2025Q1 --key cymru.key \
	--now "$now" -o inbox2 --threshold 2
expect_exit 0 "$NRMHUB" keys add --store ho2.db --nation england alpha alpha.pub
expect_exit 0 "$NRMHUB" keys add --store ho2.db --nation Wales cymru cymru.pub
expect_exit 0 "$NRMHUB" bundle create --store alpha.db --quarter 2025Q1 --key alpha.key \
	--now "$now" -o inbox2
expect_exit 0 "$NRMHUB" intake --inbox inbox2 --store ho2.db --settle 0
expect_exit 65 "$NRMHUB" national build --quarter 2025Q1 --store ho2.db --now "$now" \
	--audience published -o refused
assert_grep 'cymru publishes with threshold 2, below the national 4' "$tmp/stderr"
assert_no_file refused
finish
