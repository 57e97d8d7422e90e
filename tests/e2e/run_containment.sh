#!/bin/bash
# A job cannot outlive or fool its run (issue 19).  A plugin whose child
# leaves the job's session (fork, setsid, wait forever) left it holding the
# run lock, and every later run exited 75: now the run ends and reaps it
# and the next run goes ahead; a lock held by anything but a run is named
# with its PID and command.  A plugin that calls exit(0) was recorded
# "ok": now the job failed, and a direct import exits 70.  Nothing here
# waits on the clock: the orphan says when it is ready through a file
# written before the job goes on.
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/plugins" "$site/in"
for m in job-orphan job-exit misbehave-print; do
	cp "$NRM_TEST_MODULES/$m.so" "$site/plugins/"
done
cp "$SRCDIR/tests/data/plugin-check/lines.txt" "$site/in/lines.txt"
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
    {"name": "good-import", "kind": "import", "format": "council-csv", "input": "in/council.csv"},
    {"name": "printing", "kind": "import", "format": "check-lines", "input": "in/lines.txt"}
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

# ---- a lock held by something that is not a run -------------------------------------
# A process that is not an nrmhub run holds the lock (as a job's orphan did):
# the run names it, with its PID and command, and exits 70 (a person is
# needed), not 75 (which systemd takes for success); status shows it.
coproc STRAY { python3 -u -c 'import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.fcntl(fd, 37, struct.pack("hh4xqqi4x", fcntl.F_WRLCK, 0, 0, 0, 0))  # F_OFD_SETLK
print(os.getpid()); sys.stdin.read()' "$site/nrmhub.db.lock"; }
read -r stray <&"${STRAY[0]}"
[ -n "$stray" ] && pass || fail "the stray holder did not start"
expect_exit 70 "${hub[@]}" run --job good-import --now 2026-03-02T03:20:00Z
assert_grep "the lock .*nrmhub\.db\.lock is held by PID $stray \(python3\), not by an nrmhub run" "$tmp/stderr"
expect_exit 0 "${hub[@]}" status --now 2026-03-02T03:21:00Z
assert_grep "^lock: held by PID $stray \(python3\), not an nrmhub run" "$tmp/stdout"
expect_exit 0 "${hub[@]}" status --json --now 2026-03-02T03:21:00Z
assert_eq "$(python3 -c 'import json,sys; l = json.load(sys.stdin)["lock"]; print(l["held"], l["pid"], l["nrmhub_run"])' <"$tmp/stdout")" \
	"True $stray False" "status --json lock"
exec {STRAY[1]}>&-
wait "$STRAY_PID" 2>/dev/null
expect_exit 0 "${hub[@]}" run --job good-import --now 2026-03-02T03:25:00Z
expect_exit 0 "${hub[@]}" status --json --now 2026-03-02T03:26:00Z
assert_eq "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["lock"]["held"])' <"$tmp/stdout")" \
	False "status --json lock after"

# ---- a plugin that prints ----------------------------------------------------------
# What it prints goes to the job's log (the run's stderr), not into the
# job's result: the import's counts are still read and recorded.  Run
# directly, `import --json` prints its answer alone on standard output.
expect_exit 0 "${hub[@]}" run --job printing --now 2026-03-02T03:30:00Z
assert_grep '^read line 1$' "$tmp/stderr"
assert_no_grep 'read line' "$tmp/stdout"
expect_exit 0 "$NRMHUB" import --store "$tmp/direct.db" --plugin-path "$site/plugins" \
	--from check-lines --json "$site/in/lines.txt"
assert_grep '^read line 1$' "$tmp/stderr"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/stdout" && pass ||
	fail "import --json printed more than its answer: $(head -c 200 "$tmp/stdout")"
expect_exit 0 "${hub[@]}" status --json --now 2026-03-02T03:31:00Z
python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
r = [j for j in s["jobs"] if j["job"] == "printing"][0]
sys.exit(0 if r["result"] == "ok" and " records: " in r["message"] else 1)' "$tmp/stdout" &&
	pass || fail "the printing job's counts were not recorded"

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
