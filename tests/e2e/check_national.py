#!/usr/bin/env python3
"""Checks every figure of the test's national.json against the values worked
out by hand in tests/data/intake/WORKING.md.  Prints each mismatch; exits 1
when there is one."""
import json
import sys

n = json.load(open(sys.argv[1]))
bad = []


def eq(path, want):
    v = n
    for p in path.split("."):
        v = v[int(p)] if isinstance(v, list) else v[p]
    if v != want or type(v) is not type(want):
        bad.append("%s: got %r, expected %r" % (path, v, want))


def stats(path, count, mean, median, p90, within):
    eq(path + ".count", count)
    eq(path + ".mean", mean)
    eq(path + ".median", median)
    eq(path + ".p90", p90)
    eq(path + ".within_45_days", within)


eq("schema", "nrmhub-national/1")
eq("quarter", "2025Q1")
eq("period.start", "2025-01-01")
eq("period.end", "2025-03-31")
eq("generated_at", "2025-04-02T09:00:00Z")
eq("sites_expected", 5)
eq("sites_reporting", 4)
eq("sites_missing", ["charlie"])
eq("sites_revised", ["alpha"])

t = "totals."
eq(t + "schema", "nrmhub-return/1")
eq(t + "site", "national")
eq(t + "audience", "official")
eq(t + "referrals.total", 10)
eq(t + "referrals.by_gender.female", 10)
eq(t + "referrals.by_exploitation_type.criminal", 10)
eq(t + "referrals.by_nationality.GB", 10)
eq(t + "decisions.rg.positive", 7)
eq(t + "decisions.rg.negative", 3)
eq(t + "decisions.rg.by_decision_maker.ddm_panel.positive", 7)
eq(t + "decisions.cg.positive", 2)
eq(t + "decisions.cg.negative", 1)
stats(t + "days_to_decision.rg", 10, 45.5, 45, 80, 5)
eq(t + "days_to_decision.rg.distribution", {"0-45": 5, "46-90": 5, "91-180": 0, "181-365": 0, "366+": 0})
stats(t + "days_to_decision.cg", 3, 77.7, 77, 86, 0)
eq(t + "days_to_decision.cg.distribution", {"0-45": 0, "46-90": 3, "91-180": 0, "181-365": 0, "366+": 0})
eq(t + "awaiting.rg.count", 1)
eq(t + "awaiting.rg.mean_age_days", 30.0)
eq(t + "awaiting.rg.median_age_days", 30)
eq(t + "awaiting.cg.count", 4)
eq(t + "awaiting.cg.mean_age_days", 65.8)
eq(t + "awaiting.cg.median_age_days", 63)
eq(t + "awaiting.cg.by_age_band", {"0-45": 0, "46-90": 4, "91-180": 0, "181-365": 0, "366+": 0})
eq(t + "trend.7.quarter", "2025Q1")
eq(t + "trend.7.referrals", 10)
eq(t + "trend.7.rg_decisions", 10)
eq(t + "trend.7.cg_decisions", 3)
eq(t + "trend.7.mean_days_rg", 45.5)
eq(t + "trend.7.mean_days_cg", 77.7)
eq(t + "trend.6.referrals", 1)   # echo's E4, referred 2024-12-31
eq(t + "trend.6.mean_days_rg", None)

# The exact national median is not the median of the sites' medians.
site_medians = sorted(s["days_to_decision"]["rg"]["median"] for s in n["by_site"])
eq("by_site.0.days_to_decision.rg.median", 20)
if site_medians != [5, 20, 45, 75]:
    bad.append("site medians %r" % site_medians)
mm = (site_medians[1] + site_medians[2]) / 2
if mm != 32.5 or mm == n["totals"]["days_to_decision"]["rg"]["median"]:
    bad.append("median of medians %r should be 32.5 and differ from the national 45" % mm)

sites = {s["site"]: s for s in n["by_site"]}
want_sites = {
    # site: nation, seq, revision, key_revoked, referrals, rg, cg, rg stats, cg stats, awaiting
    "alpha": ("england", 2, True, False, 3, 3, 1, (3, 20.0, 20, 30, 3), (1, 70.0, 70, 70, 0), (0, 1)),
    "bravo": ("england", 1, False, False, 3, 2, 1, (2, 45.0, 45, 50, 1), (1, 77.0, 77, 77, 0), (1, 1)),
    "delta": ("scotland", 1, False, True, 1, 1, 0, (1, 5.0, 5, 5, 1), (0, None, None, None, 0), (0, 1)),
    "echo": ("wales", 1, False, False, 3, 4, 1, (4, 75.0, 75, 90, 0), (1, 86.0, 86, 86, 0), (0, 1)),
}
eq("by_site.0.site", "alpha")
for i, name in enumerate(sorted(want_sites)):
    w = want_sites[name]
    p = "by_site.%d." % i
    eq(p + "site", name)
    eq(p + "nation", w[0])
    eq(p + "seq", w[1])
    eq(p + "revision", w[2])
    eq(p + "key_revoked", w[3])
    eq(p + "referrals", w[4])
    eq(p + "rg_decisions", w[5])
    eq(p + "cg_decisions", w[6])
    stats(p + "days_to_decision.rg", *w[7])
    stats(p + "days_to_decision.cg", *w[8])
    eq(p + "awaiting.rg", w[9][0])
    eq(p + "awaiting.cg", w[9][1])

want_nations = [
    ("england", 6, 5, 2, (5, 30.0, 30, 50, 4), (2, 73.5, 73.5, 77, 0), (1, 2)),
    ("scotland", 1, 1, 0, (1, 5.0, 5, 5, 1), (0, None, None, None, 0), (0, 1)),
    ("wales", 3, 4, 1, (4, 75.0, 75, 90, 0), (1, 86.0, 86, 86, 0), (0, 1)),
]
eq("by_nation", n["by_nation"][:3])
if len(n["by_nation"]) != 3:
    bad.append("by_nation has %d entries, expected 3" % len(n["by_nation"]))
for i, w in enumerate(want_nations):
    p = "by_nation.%d." % i
    eq(p + "nation", w[0])
    eq(p + "referrals", w[1])
    eq(p + "rg_decisions", w[2])
    eq(p + "cg_decisions", w[3])
    stats(p + "days_to_decision.rg", *w[4])
    stats(p + "days_to_decision.cg", *w[5])
    eq(p + "awaiting.rg", w[6][0])
    eq(p + "awaiting.cg", w[6][1])

# The comparison counts only children in the pilot's scope, which needs a
# date of birth; none of these cases has one, so every side is empty here
# (tests/e2e/national_comparison.sh has the comparison's own fixture).
c = "pilot_vs_non_pilot."
for side in ("pilot", "non_pilot"):
    for st in ("rg", "cg"):
        stats(c + side + "." + st, 0, None, None, None, 0)
for g in range(3):
    eq("comparison.groups.%d.quarter.rg.count" % g, 0)
    eq("comparison.groups.%d.cumulative.cg.count" % g, 0)
eq("headline.statistic", "mean")

for b in bad:
    print(b)
sys.exit(1 if bad else 0)
