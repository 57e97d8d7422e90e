#!/bin/bash
# A simulated month of `run --due` with --now steps (every 3 hours, hourly
# over the night the clocks change, and days with the machine off): every
# job runs exactly as often as its schedule says, missed runs are caught up
# once, and both clock changes of 2026 (29 March, 25 October) are kept:
# a job at 01:30 runs once on each of those days.
. "$SRCDIR/tests/e2e/lib.sh"

# steps FIRST LAST OFF_FROM OFF_TO CHANGE_DAY: the --now times, UTC.
steps() {
	python3 - "$@" <<'PY'
import sys
from datetime import datetime, timedelta
first, last, off_from, off_to, change = (datetime.fromisoformat(a) for a in sys.argv[1:6])
t, out = first, set()
while t <= last:
    out.add(t)
    t += timedelta(hours=3)
for h in range(0, 4):
    out.add(change + timedelta(hours=h))
for t in sorted(out):
    if not (off_from <= t < off_to):
        print(t.strftime("%Y-%m-%dT%H:%M:%SZ"))
PY
}

# simulate NAME FIRST LAST OFF_FROM OFF_TO CHANGE_DAY
simulate() {
	local site="$tmp/$1" t n=0 failed=0
	shift
	mkdir -p "$site/empty" "$site/drop"
	cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "targets": {"drop": {"folder": "drop"}},
  "jobs": [
    {"name": "daily-0130", "kind": "deliver", "target": "drop", "from": "empty",
     "schedule": "30 1 * * *"},
    {"name": "hourly-15", "kind": "deliver", "target": "drop", "from": "empty",
     "schedule": "15 * * * *"},
    {"name": "weekly", "kind": "deliver", "target": "drop", "from": "empty",
     "schedule": "@weekly"},
    {"name": "monthly", "kind": "deliver", "target": "drop", "from": "empty",
     "schedule": "@monthly"},
    {"name": "by-hand", "kind": "deliver", "target": "drop", "from": "empty"}
  ]
}
JSON
	for t in $(steps "$@"); do
		"$NRMHUB" --config "$site/nrmhub.json" run --due --now "$t" 2>>"$site/log" ||
			failed=$((failed + 1))
		n=$((n + 1))
	done
	assert_eq "$failed" 0 "runs that failed in $site"
	echo "$n" >"$site/steps"
	"$NRMHUB" --config "$site/nrmhub.json" status --json --now "$t" >"$site/status.json"
}

runs() { # SITE JOB
	python3 -c 'import json,sys
for j in json.load(open(sys.argv[1]))["jobs"]:
    if j["job"] == sys.argv[2]: print(j["runs"])' "$tmp/$1/status.json" "$2"
}

# --- spring: 20 March to 5 April; off 24 to 26 March; clocks go forward
# at 01:00 GMT on 29 March, so 01:30 does not exist that day.
simulate spring 2026-03-20T00:00:00 2026-04-05T00:00:00 2026-03-24T00:00:00 \
	2026-03-27T00:00:00 2026-03-29T00:00:00
# Daily at 01:30 (worked by hand): 20, 21, 22, 23 March (4); the runs of
# 24-26 March caught up once at 00:00 on the 27th (1); 27, 28 March (2);
# 29 March at 02:00 BST, the first instant after the gap (1); 30 March to
# 4 April (6): 14.
assert_eq "$(runs spring daily-0130)" 14 "spring: daily at 01:30"
# Sundays at 00:00: 22 March, 29 March (GMT), 5 April (BST, 23:00Z on the 4th,
# caught at the 00:00Z step): 3.  The first of the month: 1 April (BST): 1.
assert_eq "$(runs spring weekly)" 3 "spring: @weekly"
assert_eq "$(runs spring monthly)" 1 "spring: @monthly"
# Hourly at :15: once at every step after the first (each step is an hour
# or more after the last; the days off are caught up once).
assert_eq "$(runs spring hourly-15)" $(($(cat "$tmp/spring/steps") - 1)) "spring: hourly at :15"
assert_eq "$(runs spring by-hand)" 0 "spring: a job with no schedule"

# --- autumn: 18 October to 2 November; off 20 and 21 October; clocks go
# back at 01:00 GMT on 25 October, so 01:30 happens twice that day.
simulate autumn 2026-10-18T00:00:00 2026-11-02T00:00:00 2026-10-20T00:00:00 \
	2026-10-22T00:00:00 2026-10-25T00:00:00
# Daily at 01:30: 18, 19 October (2); 20-21 caught up once on the 22nd at
# 00:00Z (1); 22, 23, 24 October (3); 25 October at the first 01:30 (BST,
# 00:30Z) only, not again at 01:30 GMT (1); 26 October to 1 November (7): 14.
assert_eq "$(runs autumn daily-0130)" 14 "autumn: daily at 01:30"
# Sundays: 18 October 00:00 BST is before the job was first seen; 25
# October 00:00 BST; 1 November 00:00 GMT: 2.  The first: 1 November: 1.
assert_eq "$(runs autumn weekly)" 2 "autumn: @weekly"
assert_eq "$(runs autumn monthly)" 1 "autumn: @monthly"
assert_eq "$(runs autumn hourly-15)" $(($(cat "$tmp/autumn/steps") - 1)) "autumn: hourly at :15"

# A dry run says what would run and why, and runs nothing.
expect_exit 0 "$NRMHUB" --config "$tmp/autumn/nrmhub.json" run --due --dry-run --now 2026-11-03T02:00:00Z
assert_grep '^daily-0130: would run: due at 2026-11-02T01:30:00\+00:00 \(30 1 \* \* \*\)' "$tmp/stdout"
assert_grep '^weekly: not due: next at 2026-11-08T00:00:00\+00:00' "$tmp/stdout"
assert_grep '^by-hand: not due: no schedule' "$tmp/stdout"
expect_exit 0 "$NRMHUB" --config "$tmp/autumn/nrmhub.json" status --json --now 2026-11-03T02:00:00Z
assert_eq "$(python3 -c 'import json,sys; print([j["runs"] for j in json.load(sys.stdin)["jobs"] if j["job"] == "daily-0130"][0])' <"$tmp/stdout")" 14 "a dry run records nothing"
finish
