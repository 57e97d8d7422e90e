#!/bin/bash
# One run at a time: a second `run --due` while a job of the first is still
# going exits 75 at once, naming the process that holds the lock beside the
# store.  The lock dies with its holder: the next run goes ahead.  No race
# against the clock: the first run's job says through a FIFO that it is
# under way (and hangs until it is killed from here), and only then is the
# second started.
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/plugins" "$site/in"
cp "$NRM_TEST_MODULES/job-hang.so" "$site/plugins/"
echo "anything" >"$site/in/other.txt"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "plugin_path": "plugins",
  "jobs": [
    {"name": "slow", "kind": "import", "format": "job-hang", "input": "in/other.txt",
     "schedule": "0 * * * *", "timeout": "10m"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
# The first sight of a job only records it.
expect_exit 0 "${hub[@]}" run --due --now 2026-05-01T09:30:00Z

fifo="$tmp/hang.fifo"
mkfifo "$fifo"
NRM_TEST_HANG_FIFO=$fifo "${hub[@]}" run --due --now 2026-05-01T10:30:00Z >"$tmp/a.out" \
	2>"$tmp/a.err" &
pid_a=$!
read -r job_a <"$fifo"
[ -n "$job_a" ] && pass || fail "the first run's job never started"
# The first run holds the lock while its job hangs.
expect_exit 75 "${hub[@]}" run --due --now 2026-05-01T10:30:00Z
assert_grep "another nrmhub run \\(PID $pid_a\\) holds the lock .*nrmhub\\.db\\.lock" "$tmp/stderr"
assert_no_grep 'job slow' "$tmp/stderr"
# Ended from here, not by its time limit: nothing waits on the clock.
kill -KILL "$job_a"
wait "$pid_a"; rc_a=$?
assert_eq "$rc_a" 70 "the run that held the lock (its job was killed)"
assert_grep 'job slow: failed: plugin job-hang crashed with SIGKILL' "$tmp/a.err"

# The ledger has one run of the job, not two.
expect_exit 0 "${hub[@]}" status --json --now 2026-05-01T10:31:00Z
assert_grep '"runs": 1,' "$tmp/stdout"
# The lock went with its holder.
expect_exit 0 "${hub[@]}" run --due --now 2026-05-01T10:45:00Z
finish
