#!/bin/bash
# Limits per job beside its time limit (issue 19): "memory" (its address
# space) and "log_limit" (bytes it may write to its log, which the run copies
# to its own standard error).  A plugin that eats memory and one that floods
# its output each fail only their own job, with their own message, and the
# run's own output stays bounded.  Neither waits on the clock: the eater
# reaches its limit, the flooder its byte count.
. "$SRCDIR/tests/e2e/lib.sh"
ulimit -c 0

site="$tmp/site"
mkdir -p "$site/plugins" "$site/in"
cp "$NRM_TEST_MODULES/job-memory.so" "$NRM_TEST_MODULES/job-flood.so" "$site/plugins/"
cp "$SRCDIR/plugins/council-csv/sample.csv" "$site/in/council.csv"
echo "anything" >"$site/in/other.txt"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "plugin_path": "plugins",
  "jobs": [
    {"name": "eating", "kind": "import", "format": "job-memory", "input": "in/other.txt",
     "memory": "256M"},
    {"name": "flooding", "kind": "import", "format": "job-flood", "input": "in/other.txt",
     "log_limit": "64K"},
    {"name": "good-import", "kind": "import", "format": "council-csv", "input": "in/council.csv",
     "memory": "1G", "log_limit": 65536}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
expect_exit 0 "${hub[@]}" config check

if [ -n "${NRM_SANITIZED:-}" ]; then
	echo "run_limits: built with AddressSanitizer: no memory limit to check"
else
	expect_exit 70 "${hub[@]}" run --job eating --now 2026-03-02T03:00:00Z
	assert_grep 'job eating: failed: .*ran out of memory: it used up its limit of 256 MiB' "$tmp/stderr"
fi

expect_exit 70 "${hub[@]}" run --job flooding --now 2026-03-02T03:05:00Z
assert_grep 'job flooding: failed: plugin job-flood wrote more than its log limit of 65536 bytes, and was killed' "$tmp/stderr"
bytes=$(wc -c <"$tmp/stderr")
[ "$bytes" -lt 80000 ] && pass || fail "the run wrote $bytes bytes to its stderr for a 64K log limit"
assert_grep 'job-flood: this plugin prints where it must not' "$tmp/stderr"

# The good job, under the same limits, is untouched.
expect_exit 0 "${hub[@]}" run --job good-import --now 2026-03-02T03:10:00Z

# Limits the configuration check refuses, naming the job's field.
sed -e 's/"memory": "256M"/"memory": "lots"/' -e 's/"log_limit": "64K"/"log_limit": 0/' \
	"$site/nrmhub.json" >"$site/bad.json"
expect_exit 78 "$NRMHUB" --config "$site/bad.json" config check
assert_grep 'jobs\[0\]\.memory.*from 16M to 1024G' "$tmp/stderr"
assert_grep 'jobs\[1\]\.log_limit.*from 1K to 1G' "$tmp/stderr"
finish
