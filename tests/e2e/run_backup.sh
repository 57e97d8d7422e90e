#!/bin/bash
# A "backup" job (issue 19: a rotating backup of the store, daily when so
# scheduled): the store copied beside itself with SQLite's online backup
# API, mode 0600, whole (integrity_check), holding the same cases; the
# older copies rotated, the newest three kept; recorded in the ledger.  An
# unknown kind of job names every kind allowed, backup among them.  A run
# prints one line a job on a terminal, nothing under cron.
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/in"
cp "$SRCDIR/plugins/council-csv/sample.csv" "$site/in/council.csv"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "jobs": [
    {"name": "import", "kind": "import", "format": "council-csv", "input": "in/council.csv"},
    {"name": "backup", "kind": "backup", "schedule": "0 2 * * *"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
expect_exit 0 "${hub[@]}" config check
expect_exit 0 "${hub[@]}" run --job import --now 2026-03-02T01:00:00Z
expect_exit 0 "${hub[@]}" run --job backup --now 2026-03-02T02:00:00Z
assert_eq "$(wc -c <"$tmp/stdout")" 0 "bytes on standard output off a terminal (cron)"
copy="$site/nrmhub.db.backup-1"
[ -f "$copy" ] && pass || fail "$copy is not there"
assert_eq "$(stat -c %a "$copy")" 600 "the backup's mode"
assert_eq "$(sqlite3 "$copy" 'PRAGMA integrity_check')" ok "the backup's integrity"
assert_eq "$(sqlite3 "$copy" 'SELECT count(*) FROM nrm_case')" \
	"$(sqlite3 "$site/nrmhub.db" 'SELECT count(*) FROM nrm_case')" "cases in the backup"
for day in 03 04 05; do
	expect_exit 0 "${hub[@]}" run --due --now "2026-03-${day}T02:30:00Z"
done
[ -f "$site/nrmhub.db.backup-3" ] && pass || fail "$site/nrmhub.db.backup-3 is not there"
assert_no_file "$site/nrmhub.db.backup-4"
expect_exit 0 "${hub[@]}" status --json --now 2026-03-05T03:00:00Z
python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
r = [j for j in s["jobs"] if j["job"] == "backup"][0]
sys.exit(0 if r["result"] == "ok" and "backup-1" in r["message"] and r["runs"] == 4 else 1)' \
	"$tmp/stdout" && pass || fail "the backup job's runs are not in the ledger: $(cat "$tmp/stdout")"

# On a terminal, one line a job says what happened (script(1) gives the run
# a terminal).
script -qec "$(printf '%q ' "${hub[@]}") run --job backup --now 2026-03-05T04:00:00Z" \
	/dev/null >"$tmp/tty.out" 2>&1
assert_grep '^backup: ok: the store copied to .*nrmhub\.db\.backup-1 \(the newest 3 kept\) \([0-9.]+ s\)' \
	"$tmp/tty.out"

sed -i 's/"kind": "backup"/"kind": "backups"/' "$site/nrmhub.json"
expect_exit 78 "${hub[@]}" config check
assert_grep "'backups' is not a kind of job; allowed: import, export, return, deliver, backup" \
	"$tmp/stderr"
finish
