#!/bin/bash
# A job cannot outlive or fool its run (issue 19).  A plugin whose child
# leaves the job's session (fork, setsid, wait forever) left it holding the
# run lock, and every later run exited 75: now the run ends and reaps it
# and the next run goes ahead.  A plugin that calls exit(0) was recorded
# "ok": now the job failed, and a direct import exits 70.  Nothing here
# waits on the clock: the orphan says when it is ready through a file
# written before the job goes on.
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/plugins" "$site/in"
for m in job-orphan job-exit; do
	cp "$NRM_TEST_MODULES/$m.so" "$site/plugins/"
done
cp "$SRCDIR/plugins/council-csv/sample.csv" "$site/in/council.csv"
echo "anything" >"$site/in/other.txt"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "plugin_path": "plugins",
  "jobs": [
    {"name": "orphaning", "kind": "import", "format": "job-orphan", "input": "in/other.txt"},
    {"name": "exiting", "kind": "import", "format": "job-exit", "input": "in/other.txt"},
    {"name": "good-import", "kind": "import", "format": "council-csv", "input": "in/council.csv"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
orphan_file="$tmp/orphan.pid"
# Whatever happens, no orphan outlives the test.
trap '[ -s "$orphan_file" ] && kill -9 "$(cat "$orphan_file")" 2>/dev/null; rm -rf "$tmp"' EXIT

# ---- an orphan that left the job's session ----------------------------------------
NRM_TEST_ORPHAN_PID=$orphan_file expect_exit 0 "${hub[@]}" run --job orphaning \
	--now 2026-03-02T03:00:00Z
assert_grep 'job orphaning: .*left 1 process running outside its process group; ended' "$tmp/stderr"
orphan=$(cat "$orphan_file" 2>/dev/null)
[ -n "$orphan" ] && pass || fail "the orphan never said who it was"
if [ -n "$orphan" ] && kill -0 "$orphan" 2>/dev/null; then
	fail "the orphan (PID $orphan) outlived its run: $(tr '\0' ' ' <"/proc/$orphan/cmdline")"
else
	pass
fi
# The lock went with the run: the next one goes ahead.
expect_exit 0 "${hub[@]}" run --job good-import --now 2026-03-02T03:05:00Z
assert_no_grep 'holds the lock' "$tmp/stderr"

# ---- exit(0) inside a plugin --------------------------------------------------------
expect_exit 70 "${hub[@]}" run --job exiting --now 2026-03-02T03:10:00Z
assert_grep 'job exiting: failed: plugin job-exit ended its process itself \(exit status [0-9]+\) before the job returned: a plugin called exit\(\)' "$tmp/stderr"
assert_no_grep 'a plugin.s own output' "$tmp/stdout"
expect_exit 0 "${hub[@]}" status --json --now 2026-03-02T04:00:00Z
python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
r = [j for j in s["jobs"] if j["job"] == "exiting"][0]
sys.exit(0 if r["result"] == "failed" else 1)' "$tmp/stdout" && pass || fail "the exiting job is not failed in the ledger"
# Run directly, the command is not taken to have succeeded either.
expect_exit 70 "$NRMHUB" --plugin-path "$site/plugins" import --from job-exit \
	--store "$tmp/direct.db" "$site/in/other.txt"
assert_grep 'the command was ended from inside it \(a plugin called exit\(\)\)' "$tmp/stderr"
finish
