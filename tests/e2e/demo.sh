#!/bin/bash
# The README's main job runs on the example site and leaves what it says.
. "$SRCDIR/tests/e2e/lib.sh"

expect_exit 0 env NRMHUB="$NRMHUB" OUT="$tmp/out" "$SRCDIR/examples/site/run-example"
assert_grep "Canonical cases written to $tmp/out/council-cases\.jsonl \([0-9]+ cases\)" "$tmp/stdout"
assert_grep '^[0-9]+ records: [0-9]+ good, 0 bad$' "$tmp/stdout"
cases=$(wc -l <"$tmp/out/council-cases.jsonl")
assert_eq "$(grep -o '^[0-9]* records' "$tmp/stdout" | cut -d' ' -f1)" "$cases" "cases written vs records read"
# What was written is itself valid canonical data.
expect_exit 0 "$NRMHUB" validate --from case-jsonl "$tmp/out/council-cases.jsonl"
assert_eq "$(stat -c %a "$tmp/out/council-cases.jsonl")" 600 "output mode"

finish
