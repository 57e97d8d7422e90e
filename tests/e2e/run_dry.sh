#!/bin/bash
# `run --due --dry-run` tells the truth (issue 18): at the same --now it
# names exactly the jobs `run --due` then runs, for a job seen before but
# never run, one run before and due again, and one not due; it records
# nothing; it checks the folders, keys and targets as `config check` does
# (a missing drop folder: exit 78, named); --check-targets tries each
# target (a folder: a file made and removed, nothing left behind).
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/empty" "$site/drop"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "targets": {"drop": {"folder": "drop"}},
  "jobs": [
    {"name": "daily", "kind": "deliver", "target": "drop", "from": "empty", "schedule": "0 6 * * *"},
    {"name": "hourly", "kind": "deliver", "target": "drop", "from": "empty", "schedule": "0 * * * *"},
    {"name": "yearly", "kind": "deliver", "target": "drop", "from": "empty", "schedule": "0 0 1 1 *"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
runs() {
	"${hub[@]}" status --json --now "$1" |
		python3 -c 'import json,sys; print(" ".join("%s=%d" % (j["job"], j["runs"]) for j in json.load(sys.stdin)["jobs"]))'
}
# 05:30: the first run only notes the jobs (none had a time to fall due).
expect_exit 0 "${hub[@]}" run --due --now 2026-03-02T05:30:00Z
# 07:10: daily (seen, never run) and hourly are due; yearly is not.
expect_exit 0 "${hub[@]}" run --due --dry-run --now 2026-03-02T07:10:00Z
cp "$tmp/stdout" "$tmp/plan1"
assert_grep '^daily: would run: due at 2026-03-02T06:00:00\+00:00' "$tmp/plan1"
assert_grep '^hourly: would run: due at 2026-03-02T06:00:00\+00:00' "$tmp/plan1"
assert_grep '^yearly: not due: next at 2027-01-01T00:00:00\+00:00' "$tmp/plan1"
assert_eq "$(runs 2026-03-02T07:10:00Z)" "daily=0 hourly=0 yearly=0" "a dry run records nothing"
expect_exit 0 "${hub[@]}" run --due --now 2026-03-02T07:10:00Z
assert_eq "$(runs 2026-03-02T07:10:00Z)" "daily=1 hourly=1 yearly=0" "the run ran what the dry run said"
# 08:05: hourly again (run before), daily not (ran at 07:10).
expect_exit 0 "${hub[@]}" run --due --dry-run --now 2026-03-02T08:05:00Z
assert_grep '^hourly: would run' "$tmp/stdout"
assert_grep '^daily: not due: next at 2026-03-03T06:00:00\+00:00' "$tmp/stdout"
expect_exit 0 "${hub[@]}" run --due --now 2026-03-02T08:05:00Z
assert_eq "$(runs 2026-03-02T08:05:00Z)" "daily=1 hourly=2 yearly=0" "again, as the dry run said"

# --check-targets: the folder's write test leaves nothing behind.
expect_exit 0 "${hub[@]}" run --due --dry-run --check-targets --now 2026-03-02T08:10:00Z
assert_grep "^target drop: reachable \(file://$site/drop/\)" "$tmp/stdout"
assert_eq "$(ls -A "$site/drop" | wc -l)" 0 "files left in the drop folder by the write test"
expect_exit 64 "${hub[@]}" run --due --check-targets --now 2026-03-02T08:10:00Z

# A missing drop folder: the dry run says so, and exits 78.
rmdir "$site/drop"
expect_exit 78 "${hub[@]}" run --due --dry-run --now 2026-03-02T08:20:00Z
assert_grep '\$\.targets\.drop' "$tmp/stderr"
assert_grep '^1 problem on this machine \(above\): the jobs they touch would fail' "$tmp/stdout"
expect_exit 78 "${hub[@]}" run --due --dry-run --check-targets --now 2026-03-02T08:20:00Z
assert_grep '^target drop: file://' "$tmp/stdout"
# A --now that is no time: a usage error naming it, for run and status alike.
expect_exit 64 "${hub[@]}" run --due --dry-run --now yesterday
assert_grep "run: --now 'yesterday': not an RFC 3339 time or a date" "$tmp/stderr"
expect_exit 64 "${hub[@]}" status --now yesterday
assert_grep "status: --now 'yesterday': not an RFC 3339 time or a date" "$tmp/stderr"
finish
