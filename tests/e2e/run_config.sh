#!/bin/bash
# The site configuration: each kind of mistake refused before anything runs,
# with its own message (file:line:column, JSON path, the allowed keys, the
# plugin's option, the schedule's field, an unsafe key mode); `config check`
# on a sound one; where the file is looked for.
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/in" "$site/outbox" "$site/drop" "$site/keys"
"$NRMHUB" keygen -o "$site/keys/site" >/dev/null
good() {
	cat <<JSON
{
  "site": {"code": "testsite", "name": "Test", "local_authority": "E08000025",
           "nation": "E92000001", "joined": "2025-04-01"},
  "store": "nrmhub.db",
  "keys": {"secret_key": "keys/site.key"},
  "targets": {"drop": {"folder": "drop", "retry": {"attempts": 2, "base_ms": 10, "cap_ms": 20}}},
  "jobs": [
    {"name": "import", "kind": "import", "schedule": "@daily", "format": "council-csv",
     "input": "in/*.csv", "options": {"site": "testsite"}},
    {"name": "return", "kind": "return", "schedule": "@quarterly", "outbox": "outbox"},
    {"name": "deliver", "kind": "deliver", "schedule": "*/30 * * * *", "target": "drop",
     "from": "outbox"}
  ]
}
JSON
}
good >"$site/nrmhub.json"

# --- a sound configuration ------------------------------------------------
expect_exit 0 "$NRMHUB" --config "$site/nrmhub.json" config check
assert_grep '3 jobs, 1 targets: ready' "$tmp/stdout"
expect_exit 0 "$NRMHUB" --config "$site/nrmhub.json" config check --json
assert_grep '"valid": true' "$tmp/stdout"
# Found through NRMHUB_CONFIG, then ./nrmhub.json; relative paths are the
# file's folder's, wherever nrmhub runs from.
expect_exit 0 env NRMHUB_CONFIG="$site/nrmhub.json" "$NRMHUB" config check
(cd "$site" && expect_exit 0 "$NRMHUB" config check) || fail "./nrmhub.json not found"
# (A subshell's counts are its own: its failure is counted here.)
(cd "$tmp" && expect_exit 66 "$NRMHUB" config check) ||
	fail "no configuration: expected exit 66"
assert_grep 'no site configuration' "$tmp/stderr"
expect_exit 0 "$NRMHUB" --config "$site/nrmhub.json" run --due --dry-run
assert_grep '^import: not due: next at' "$tmp/stdout"
rm -f "$site/nrmhub.db"*

# --- each mistake with its own message ------------------------------------
bad="$site/bad.json"
check_bad() { # WANT-EXIT PATTERN: `config check` and `run --due` both refuse
	expect_exit "$1" "$NRMHUB" --config "$bad" config check
	assert_grep "$2" "$tmp/stderr"
	expect_exit "$1" "$NRMHUB" --config "$bad" run --due
	assert_grep "$2" "$tmp/stderr"
	assert_no_file "$site/nrmhub.db"
}

# A syntax error: file, line and column.
good | sed 's/"store": "nrmhub.db",/"store": "nrmhub.db"/' >"$bad"
check_bad 78 'bad\.json:5:8: .\}. expected near ."keys"'
# An unknown key, with the keys allowed there.
good | sed 's/"timeout_missing"//; s/"format": "council-csv",/"format": "council-csv", "shedule": "@daily",/' >"$bad"
check_bad 78 '\$\.jobs\[0\]: unknown key .shedule.; allowed here: name, kind, schedule, timeout, memory, log_limit, format, input, url, options, processed, ca_file'
good | sed 's/"nation"/"nacion"/' >"$bad"
check_bad 78 "\\\$\\.site: unknown key 'nacion'; allowed here: code, name, local_authority, nation, joined"
# A plugin option the plugin does not have, and a bad value of one it has.
good | sed 's/"options": {"site": "testsite"}/"options": {"sight": "testsite"}/' >"$bad"
check_bad 78 '\$\.jobs\[0\]\.options\.sight: .*council-csv.*sight'
good | sed 's/"options": {"site": "testsite"}/"options": {"max-columns": "lots"}/' >"$bad"
check_bad 78 '\$\.jobs\[0\]\.options\.max-columns: '
# A schedule that cannot be read: the field and column.
good | sed 's/"schedule": "@daily"/"schedule": "0 2 * * 8"/' >"$bad"
check_bad 78 '\$\.jobs\[0\]\.schedule: .0 2 \* \* 8.: schedule: day-of-week at column 9: 8 is out of range'
good | sed 's/"schedule": "@daily"/"schedule": "@fortnightly"/' >"$bad"
check_bad 78 '\$\.jobs\[0\]\.schedule: '
# Rules: a kind, a target that is not there, a format no plugin reads.
good | sed 's/"kind": "import"/"kind": "imports"/' >"$bad"
check_bad 78 "\\\$\\.jobs\\[0\\]\\.kind: 'imports' is not a kind of job"
good | sed 's/"target": "drop"/"target": "dorp"/' >"$bad"
check_bad 78 "\\\$\\.jobs\\[2\\]: .target.: no target named 'dorp'"
good | sed 's/"format": "council-csv"/"format": "council-tsv"/' >"$bad"
check_bad 78 "\\\$\\.jobs\\[0\\]\\.format: no plugin can read 'council-tsv'"
good | sed 's/"local_authority": "E08000025"/"local_authority": "E92000001"/' >"$bad"
check_bad 78 '\$\.site\.local_authority: '
good | sed 's/"timeout_missing"//; s/"schedule": "@quarterly"/"schedule": "@quarterly", "timeout": "3 days"/' >"$bad"
check_bad 78 '\$\.jobs\[1\]\.timeout: '
# A count so large that it overflows once made milliseconds (found by
# fuzzing), as a string and as a number.
for t in '"400000880957474511s"' 9223372036854775807 '"4000000000000000000000000000000000s"'; do
	good | sed "s/\"schedule\": \"@quarterly\"/\"schedule\": \"@quarterly\", \"timeout\": $t/" >"$bad"
	check_bad 78 '\$\.jobs\[1\]\.timeout: a time limit from 1 second to 24 hours'
done
# Far larger than any configuration: refused before it is read.
{ good; head -c 1100000 /dev/zero | tr '\0' ' '; } >"$bad"
check_bad 78 ': 1[0-9]{6} bytes: a site configuration is at most 1048576 bytes'

# --- config check looks at this machine -----------------------------------
# A secret key others can read.
chmod 644 "$site/keys/site.key"
expect_exit 78 "$NRMHUB" --config "$site/nrmhub.json" config check
assert_grep 'keys/site\.key is a secret key that others can read \(mode 0644\): chmod 600 it' "$tmp/stderr"
chmod 600 "$site/keys/site.key"
# A folder that is not there.
rmdir "$site/drop"
expect_exit 78 "$NRMHUB" --config "$site/nrmhub.json" config check
assert_grep '\$\.targets\.drop: the folder .*/drop/ does not exist' "$tmp/stderr"
mkdir "$site/drop"
expect_exit 0 "$NRMHUB" --config "$site/nrmhub.json" config check

# --- help -----------------------------------------------------------------
expect_exit 0 "$NRMHUB" config --help
assert_grep 'config check' "$tmp/stdout"
expect_exit 0 "$NRMHUB" run --help
assert_grep 'due' "$tmp/stdout"
expect_exit 0 "$NRMHUB" status --help
expect_exit 64 "$NRMHUB" --config "$site/nrmhub.json" run
expect_exit 64 "$NRMHUB" --config "$site/nrmhub.json" run --due --job import
finish
