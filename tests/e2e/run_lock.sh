#!/bin/bash
# One run at a time: two `run --due` started together, while a job of the
# first is still going: one runs, the other exits 75 at once, naming the
# process that holds the lock beside the store.  The lock dies with its
# holder: the next run goes ahead.
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
     "schedule": "0 * * * *", "timeout": "3s"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
# The first sight of a job only records it.
expect_exit 0 "${hub[@]}" run --due --now 2026-05-01T09:30:00Z

"${hub[@]}" run --due --now 2026-05-01T10:30:00Z >"$tmp/a.out" 2>"$tmp/a.err" &
pid_a=$!
"${hub[@]}" run --due --now 2026-05-01T10:30:00Z >"$tmp/b.out" 2>"$tmp/b.err" &
pid_b=$!
wait "$pid_a"; rc_a=$?
wait "$pid_b"; rc_b=$?
# Which one won is up to the scheduler; exactly one did.
if [ "$rc_a" = 75 ]; then
	loser=a; winner_pid=$pid_b; rc_winner=$rc_b
else
	loser=b; winner_pid=$pid_a; rc_winner=$rc_a
fi
assert_eq "$(printf '%s\n' "$rc_a" "$rc_b" | sort | tr '\n' ' ')" "70 75 " "exit codes of the two runs"
assert_eq "$rc_winner" 70 "the run that held the lock (its job timed out)"
assert_grep "another nrmhub run \\(PID $winner_pid\\) holds the lock .*nrmhub\\.db\\.lock" "$tmp/$loser.err"
assert_no_grep 'job slow' "$tmp/$loser.err"

# The ledger has one run of the job, not two.
expect_exit 0 "${hub[@]}" status --json --now 2026-05-01T10:31:00Z
assert_grep '"runs": 1,' "$tmp/stdout"
# The lock went with its holder.
expect_exit 0 "${hub[@]}" run --due --now 2026-05-01T10:45:00Z
finish
