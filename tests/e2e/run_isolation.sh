#!/bin/bash
# Jobs in their own processes: a plugin that crashes (SIGSEGV) and one that
# hangs (past its job's time limit) fail only their own jobs, named with
# the plugin and the signal or the timeout; the jobs around them succeed;
# the exit status says a person is needed (70); the ledger has every run.
. "$SRCDIR/tests/e2e/lib.sh"
ulimit -c 0

site="$tmp/site"
mkdir -p "$site/plugins" "$site/in" "$site/out"
cp "$NRM_TEST_MODULES/job-crash.so" "$NRM_TEST_MODULES/job-hang.so" "$site/plugins/"
cp "$SRCDIR/plugins/council-csv/sample.csv" "$site/in/council.csv"
echo "anything" >"$site/in/other.txt"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "plugin_path": "plugins",
  "jobs": [
    {"name": "crashing", "kind": "import", "format": "job-crash", "input": "in/other.txt"},
    {"name": "good-import", "kind": "import", "format": "council-csv", "input": "in/council.csv"},
    {"name": "hanging", "kind": "import", "format": "job-hang", "input": "in/other.txt",
     "timeout": "1s"},
    {"name": "good-export", "kind": "export", "format": "case-jsonl",
     "output": "out/cases-{quarter}-{date}.jsonl"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
expect_exit 0 "${hub[@]}" config check

expect_exit 70 "${hub[@]}" run --all --now 2026-03-02T03:00:00Z
assert_grep 'job crashing: failed: plugin job-crash crashed with SIGSEGV' "$tmp/stderr"
assert_grep 'job hanging: failed: plugin job-hang timed out after 1 s' "$tmp/stderr"
assert_no_grep 'good-(import|export)' "$tmp/stderr"
# The good jobs did their work: the export holds the imported cases, and
# its name carries the quarter and the date of the run (London).
n=$(wc -l <"$site/out/cases-2026Q1-2026-03-02.jsonl")
# (sample.csv holds 12 records, one with a line break inside a quoted field.)
assert_eq "$n" 12 "cases exported after the crash"

expect_exit 0 "${hub[@]}" status --json --now 2026-03-02T04:00:00Z
cp "$tmp/stdout" "$tmp/status.json"
result() {
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))
for j in s["jobs"]:
    if j["job"] == sys.argv[2]: print(j["result"], j["runs"])' "$tmp/status.json" "$1"
}
assert_eq "$(result crashing)" "failed 1" "the crashing job in the ledger"
assert_eq "$(result hanging)" "failed 1" "the hanging job in the ledger"
assert_eq "$(result good-import)" "ok 1" "the good import in the ledger"
assert_eq "$(result good-export)" "ok 1" "the good export in the ledger"
assert_grep '"message": "plugin job-crash crashed with SIGSEGV' "$tmp/status.json"
assert_grep '"message": "12 records: 12 new, 0 changed' "$tmp/status.json"

# One job alone: only its failure counts.
expect_exit 0 "${hub[@]}" run --job good-import --now 2026-03-02T05:00:00Z
expect_exit 70 "${hub[@]}" run --job crashing --now 2026-03-02T05:00:00Z
expect_exit 64 "${hub[@]}" run --job no-such-job
assert_grep "no job named 'no-such-job'" "$tmp/stderr"
finish
