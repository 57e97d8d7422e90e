#!/bin/bash
# Bad records: stop at the first by default; with --keep-going write the good
# ones and a rejects report; validate counts both.
. "$SRCDIR/tests/e2e/lib.sh"

in="$tmp/mixed.jsonl"
cat >"$in" <<'JSONL'
{"case_id":"K-1","site":"testsite","referral_date":"2025-01-02"}
{"case_id":"K-2","site":"testsite","referral_date":"2025-01-02","age_at_exploitation":18}
{"case_id":"K-3","site":"testsite","referral_date":"2025-01-03"}
not json at all
{"case_id":"K-5","site":"testsite","referral_date":"2025-01-05","rg_outcome":"positive"}
{"case_id":"K-6","site":"testsite","referral_date":"2025-01-06"}
JSONL
printf '%s\n' '{"case_id":"K-7","site":"testsite","referral_date":"2025-01-07"}' >"$tmp/second.jsonl"

# Default: the first bad record stops everything.
expect_exit 65 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/out" "$in"
assert_eq "$(cat "$tmp/stderr")" "$in:2: age_at_exploitation: 18 is not a child's age: must be 0 to 17 (adults are not in the pilot)" "first error"
assert_no_file "$tmp/out"

# --keep-going: good records out, every bad one reported, still 65.
expect_exit 65 "$NRMHUB" convert -k --rejects "$tmp/rejects" --from case-jsonl --to case-jsonl \
	-o "$tmp/out" "$in" "$tmp/second.jsonl"
assert_eq "$(grep -o '"case_id":"K-[0-9]"' "$tmp/out" | tr '\n' ' ')" \
	'"case_id":"K-1" "case_id":"K-3" "case_id":"K-6" "case_id":"K-7" ' "records kept"
assert_grep "^$in:4:[0-9]+: not valid JSON: " "$tmp/stderr"
assert_grep "^$in:5: rg_decision_date: is missing, but rg_outcome is given" "$tmp/stderr"
assert_grep "3 records converted, 3 rejected|4 records converted, 3 rejected" "$tmp/stderr"
assert_eq "$(wc -l <"$tmp/rejects")" 3 "lines in the rejects report"
/usr/bin/python3 - "$tmp/rejects" "$in" <<'PY' && pass || fail "rejects report content"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [2, 4, 5], rows
assert all(r["file"] == sys.argv[2] for r in rows), rows
assert rows[0]["field"] == "age_at_exploitation" and rows[0]["column"] is None, rows[0]
assert rows[1]["field"] is None and rows[1]["column"] >= 1, rows[1]
assert rows[2]["field"] == "rg_decision_date", rows[2]
assert all(set(r) == {"file", "line", "column", "path", "field", "reason"} for r in rows)
PY

# validate: reads everything, counts good and bad.
expect_exit 65 "$NRMHUB" validate --from case-jsonl "$in" "$tmp/second.jsonl"
assert_eq "$(cat "$tmp/stdout")" "7 records: 4 good, 3 bad" "validate summary"
assert_eq "$(wc -l <"$tmp/stderr")" 3 "validate error lines"
expect_exit 65 "$NRMHUB" validate --json --from case-jsonl "$in"
assert_eq "$(cat "$tmp/stdout")" '{"records":6,"good":3,"bad":3}' "validate --json"
expect_exit 0 "$NRMHUB" validate --from case-jsonl "$tmp/second.jsonl"
assert_eq "$(cat "$tmp/stdout")" "1 records: 1 good, 0 bad" "clean validate"

# Bounded messages: a file of bad rows under --keep-going prints the first
# 100 problems (or --max-problems N) and one line counting the rest; every
# one is in --rejects (issue 19: a million rows, a million journal lines).
many="$tmp/many-bad.jsonl"
for i in $(seq 1 250); do
	printf '{"case_id":"M-%d","site":"testsite","referral_date":"2025-01-02","age_at_exploitation":18}\n' "$i"
done >"$many"
expect_exit 65 "$NRMHUB" convert -k --rejects "$tmp/many.rejects" --from case-jsonl --to case-jsonl \
	-o "$tmp/many.out" "$many"
assert_eq "$(grep -c "^$many:[0-9]*: age_at_exploitation" "$tmp/stderr")" 100 "problems shown"
assert_grep "^\.\.\. and 150 more problems, not shown: all are in $tmp/many\.rejects$" "$tmp/stderr"
assert_eq "$(wc -l <"$tmp/many.rejects")" 250 "problems in the rejects report"
expect_exit 65 "$NRMHUB" --max-problems 5 import -k --from case-jsonl --store "$tmp/many.db" "$many"
assert_eq "$(grep -c "^$many:[0-9]*: age_at_exploitation" "$tmp/stderr")" 5 "problems shown with --max-problems 5"
assert_grep "^\.\.\. and 245 more problems, not shown: give --rejects FILE to have them all$" "$tmp/stderr"
expect_exit 64 "$NRMHUB" --max-problems 0 validate --from case-jsonl "$many"

finish
