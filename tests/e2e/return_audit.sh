#!/bin/bash
# `nrmhub return audit`: a published return built from the test cases
# passes; a hand-made folder where Table_4's Labour (28) minus Table_5's
# Labour (25) gives the hidden "Labour & Criminal" away (issue 14) exits
# 65 naming the cell and its interval [3, 3]; an official return fails for
# its shown small counts; bad input is refused with the file named.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/returns
mkdir -p "$tmp/pub" "$tmp/leak"
expect_exit 0 "$NRMHUB" return build --quarter 2024Q1 --site hull --audience published \
	-o "$tmp/pub" --now 2024-07-02T09:00:00Z --key "$tmp/hull.key" \
	--from case-jsonl "$data/cases.jsonl"
expect_exit 0 "$NRMHUB" return audit "$tmp/pub"
assert_grep '^.*/pub: [0-9]+ cells audited, 0 fail$' "$tmp/stdout"
assert_grep 'Table_5 labour\+criminal referrals \[1, [0-9]+\] protected' "$tmp/stdout"
# The classic audit, hidden counts from 0: wider intervals still.
expect_exit 0 "$NRMHUB" return audit --zero-lower-bound "$tmp/pub"
assert_grep 'Table_5 labour\+criminal referrals \[0, [0-9]+\] protected' "$tmp/stdout"
expect_exit 0 "$NRMHUB" return audit --json "$tmp/pub/return.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["failed"]==0 and d[0]["cells"]' \
	"$tmp/stdout" && pass || fail "return audit --json output"

# The worked example: everything shown but four cells of Tables 4 and 5.
python3 - "$tmp/pub/return.json" "$tmp/leak/return.json" <<'PYTHON'
import json, sys
r = json.load(open(sys.argv[1]))
r["referrals"] = {
    "total": 40,
    "by_age_band": {"0-11": 10, "12-15": 15, "16-17": 15, "unknown": 0},
    "by_gender": {"female": 20, "male": 20, "other": 0, "unknown": 0},
    "by_exploitation_type": {"criminal": 11, "domestic": 0, "labour": 28, "sexual": "[c]",
                             "organ_harvesting": 0, "not_specified": 0},
    "by_exploitation_combination": {"Labour": 25, "Labour & Criminal": "[c]",
                                    "Criminal": "[c]", "Sexual": "[c]"},
    "by_nationality": {"GB": 40},
    "by_location": {"uk": 40, "overseas": 0, "uk_and_overseas": 0, "unknown": 0},
    "by_first_responder_type": {"government_agency": 0, "ngo": 0, "police": 40,
                                "local_authority": 0, "unknown": 0},
    "county_lines": 6,
}
for f in ("age_at_exploitation", "gender", "nationality", "exploitation_types",
          "exploitation_location", "first_responder_type"):
    r["quality"]["missing"][f] = 0
r["series"][-1]["referrals"] = 40
json.dump(r, open(sys.argv[2], "w"), indent=2)
PYTHON
expect_exit 65 "$NRMHUB" return audit "$tmp/leak"
assert_grep 'leak: 2024Q1 Table_5 labour\+criminal referrals \(\$\.referrals\.by_exploitation_combination\["Labour & Criminal"\]\) \[3, 3\]: derivable exactly' "$tmp/stderr"
assert_grep 'leak: 2024Q1 Table_5 sexual referrals .* \[4, 4\]: derivable exactly' "$tmp/stderr"
assert_grep 'leak: [0-9]+ cells audited, [1-9][0-9]* fail' "$tmp/stdout"
# A wider protection level than any interval can have fails the good one too.
expect_exit 65 "$NRMHUB" return audit --protection 1000 "$tmp/pub"
assert_grep 'narrower than the protection level' "$tmp/stderr"
# Both folders: the worst status, every failure named.
expect_exit 65 "$NRMHUB" return audit "$tmp/pub" "$tmp/leak"

# Differencing across quarters: 2024Q2's series repeats 2024Q1's figures.
# Built from the same cases, the two pass together (the series' row for
# 2024Q1 hides what 2024Q1's own return hides).
mkdir -p "$tmp/q2" "$tmp/q2-shows"
expect_exit 0 "$NRMHUB" return build --quarter 2024Q2 --site hull --audience published \
	-o "$tmp/q2" --now 2024-07-02T09:00:00Z --key "$tmp/hull.key" \
	--from case-jsonl "$data/cases.jsonl"
expect_exit 0 "$NRMHUB" return audit "$tmp/pub" "$tmp/q2"
assert_grep 'q2: 2024Q2 Table_16 2024-Q1 cg_decisions \[' "$tmp/stdout"
# A 2024Q2 whose series shows 2024Q1's hidden CG decisions (3) and mean days
# to RG (32.2): each alone a figure, together with 2024Q1's return a leak.
python3 - "$tmp/q2/return.json" "$tmp/q2-shows/return.json" <<'PYTHON'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["series"][-2]["quarter"] == "2024Q1" and r["series"][-2]["cg_decisions"] == "[c]"
r["series"][-2]["cg_decisions"] = 3
r["series"][-2]["mean_days_rg"] = 32.2
json.dump(r, open(sys.argv[2], "w"), indent=2)
PYTHON
expect_exit 65 "$NRMHUB" return audit "$tmp/pub" "$tmp/q2-shows"
assert_grep 'pub: 2024Q1 Table_11 cg decisions \(\$\.days_to_decision\.cg\.count\) \[3, 3\]: derivable exactly' "$tmp/stderr"
assert_grep 'q2-shows: 2024Q2 Table_16 2024-Q1 mean_days_rg .*a statistic of a hidden count is shown' "$tmp/stderr"
# Alone, the 2024Q1 return is safe: only the pair leaks.
expect_exit 0 "$NRMHUB" return audit "$tmp/pub"

# The official return shows its small counts.
mkdir -p "$tmp/off"
cp "$data/expected-2024Q1.json" "$tmp/off/return.json"
expect_exit 65 "$NRMHUB" return audit "$tmp/off"
assert_grep 'Table_3 other referrals .*a small count is shown' "$tmp/stderr"

# A site's own threshold: more hidden, and audited at that threshold.
mkdir -p "$tmp/pub6"
expect_exit 0 "$NRMHUB" return build --quarter 2024Q1 --site hull --audience published \
	--threshold 6 -o "$tmp/pub6" --now 2024-07-02T09:00:00Z --key "$tmp/hull.key" \
	--from case-jsonl "$data/cases.jsonl"
expect_exit 0 "$NRMHUB" return audit --threshold 6 "$tmp/pub6"
assert_grep 'Table_2 12-15 referrals \[' "$tmp/stdout"
expect_exit 65 "$NRMHUB" return audit --threshold 6 "$tmp/pub"
expect_exit 64 "$NRMHUB" return build --quarter 2024Q1 --site hull --audience published \
	--threshold 0 -o "$tmp/pub6" --from case-jsonl "$data/cases.jsonl"

# The threshold from the site configuration reaches the scheduled return job.
site=$tmp/site
mkdir -p "$site/state/keys" "$site/state/outbox" "$site/state/drop"
cp -r "$SRCDIR/examples/site/data" "$site/"
python3 - "$SRCDIR/examples/site/nrmhub.json" "$site/nrmhub.json" <<'PYTHON'
import json, sys
c = json.load(open(sys.argv[1]))
c["site"]["suppression_threshold"] = 9
for j in c["jobs"]:
    if j["kind"] == "return":
        j["audiences"] = ["published"]
json.dump(c, open(sys.argv[2], "w"), indent=2)
PYTHON
"$NRMHUB" keygen -o "$site/state/keys/birmingham" >/dev/null
for job in import-council import-police import-homeoffice quarterly-return; do
	expect_exit 0 "$NRMHUB" --config "$site/nrmhub.json" run --job "$job" \
		--now 2025-07-02T06:00:00Z
done
bundle=$(ls "$site/state/outbox/"*.tar.gz | head -n 1)
mkdir -p "$tmp/bag"
tar -xzf "$bundle" -C "$tmp/bag"
ret=$(ls "$tmp/bag"/*/data/return.json)
expect_exit 0 "$NRMHUB" return audit --threshold 9 "$ret"
# At the default threshold it holds no shown count from 5 to 9 either way;
# at 9 every count 1 to 9 is hidden, so a shown 5 to 9 would fail.
assert_no_grep 'a small count is shown' "$tmp/stderr"

# Bad input, each refused naming the file.
expect_exit 66 "$NRMHUB" return audit "$tmp/nowhere"
printf '{"schema": "nrmhub-return/1",' >"$tmp/broken.json"
expect_exit 65 "$NRMHUB" return audit "$tmp/broken.json"
assert_grep 'broken.json:1:' "$tmp/stderr"
printf '{"schema": "nrmhub-return/1"}' >"$tmp/short.json"
expect_exit 65 "$NRMHUB" return audit "$tmp/short.json"
assert_grep 'short.json: \$\.site' "$tmp/stderr"
expect_exit 64 "$NRMHUB" return audit --threshold 0 "$tmp/pub"
expect_exit 64 "$NRMHUB" return audit
expect_exit 0 "$NRMHUB" return audit --help
assert_grep '^Usage: nrmhub return audit' "$tmp/stdout"

finish
