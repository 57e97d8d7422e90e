#!/bin/bash
# The plugin registry (hub/registry.c, registry_cache.c, plugin_scan.c): a
# module is examined in a scanner process, never in the command's, so one
# whose constructor aborts or hangs is listed as bad with the reason and
# every other command works; what the scanner said is cached, keyed by the
# module's path, size and mtime, and a changed module is examined again.
. "$SRCDIR/tests/e2e/lib.sh"

py=/usr/bin/python3
reg=$NRMHUB_REGISTRY  # lib.sh puts it in $tmp
mods=$tmp/mods
mkdir -p "$mods"
cp "$NRM_CTOR_MODULES/ctor-abort.so" "$mods/"
NRMHUB_PLUGIN_PATH=$mods
# Each run of the module's constructor (a scan) adds a line here.
NRM_TEST_CTOR_COUNT=$tmp/scans
export NRMHUB_PLUGIN_PATH NRM_TEST_CTOR_COUNT
scans() {
	if [ -f "$NRM_TEST_CTOR_COUNT" ]; then wc -l <"$NRM_TEST_CTOR_COUNT" | tr -d ' '; else echo 0; fi
}
abort_reason='it crashed while being examined \(signal 6, SIGABRT\)'

# A command between two other formats works beside it (it used to die with
# the module's abort, exit 134); the module is named once, as before.
expect_exit 0 timeout 60 "$NRMHUB" convert --from council-csv --to case-jsonl \
	-o "$tmp/out.jsonl" "$SRCDIR/examples/site/data/council-cases.csv"
assert_same "$tmp/out.jsonl" "$SRCDIR/tests/data/council/expected-council-cases.jsonl"
assert_grep "^nrmhub: warning: refusing plugin $mods/ctor-abort\.so: $abort_reason$" "$tmp/stderr"
assert_eq "$(grep -c . "$tmp/stderr")" 1 "one warning"
assert_eq "$(scans)" 1 "examined once"
assert_eq "$(stat -c %a "$reg")" 600 "the registry's mode"

# `plugins` lists it as bad, with the reason, after the good ones; listing
# succeeds.  The registry answers: no second scan.
expect_exit 0 timeout 60 "$NRMHUB" plugins
assert_grep '^council-csv +[0-9.]+ +1\.1 +council-csv ' "$tmp/stdout"
assert_grep '^Bad modules, never loaded:$' "$tmp/stdout"
assert_grep "^  $mods/ctor-abort\.so: $abort_reason$" "$tmp/stdout"
assert_eq "$(scans)" 1 "not examined again"

expect_exit 0 "$NRMHUB" plugins --json
$py - "$tmp/stdout" "$mods/ctor-abort.so" <<'PY' && pass || fail "plugins --json lists the bad module"
import json, sys
entries = json.load(open(sys.argv[1]))
bad = [e for e in entries if e["status"] == "bad"]
assert [e["file"] for e in bad] == [sys.argv[2]], bad
assert bad[0]["reason"].startswith("it crashed while being examined"), bad
good = {e["name"]: e for e in entries if e["status"] == "ok"}
assert good["council-csv"]["import"] is True, good
PY

expect_exit 0 "$NRMHUB" -v plugins
assert_grep "plugin $mods/ctor-abort\.so: as the registry recorded it" "$tmp/stderr"
assert_no_grep "examining it in a scanner process" "$tmp/stderr"

# A module whose mtime changed is examined again; one that vanished is
# dropped from the registry.
touch -d '2020-01-02 03:04:05' "$mods/ctor-abort.so"
expect_exit 0 "$NRMHUB" plugins
assert_eq "$(scans)" 2 "examined again after touch"
expect_exit 0 "$NRMHUB" plugins
assert_eq "$(scans)" 2 "and then not"
assert_grep "\"$mods/ctor-abort\.so\"" "$reg"
mv "$mods/ctor-abort.so" "$tmp/ctor-abort.so"
expect_exit 0 "$NRMHUB" plugins
assert_no_grep "ctor-abort" "$reg"
assert_no_grep "Bad modules" "$tmp/stdout"
mv "$tmp/ctor-abort.so" "$mods/ctor-abort.so"

# A damaged registry is taken as empty and written again whole.
echo 'not JSON' >"$reg"
expect_exit 0 "$NRMHUB" plugins
assert_eq "$(scans)" 3 "a damaged registry: examined again"
$py -c 'import json,sys; json.load(open(sys.argv[1]))' "$reg" && pass || fail "the registry rewritten"

# Where the registry cannot be written (a read-only home), every run
# examines the modules and works all the same.
NRMHUB_REGISTRY=/proc/nrmhub/registry.json expect_exit 0 "$NRMHUB" plugins
assert_grep "^  $mods/ctor-abort\.so: $abort_reason$" "$tmp/stdout"
assert_eq "$(scans)" 4 "no registry: examined"

# A module that hangs in the scanner is killed at the time limit and
# recorded as bad; the next run does not wait for it again.
cp "$NRM_CTOR_MODULES/ctor-hang.so" "$mods/"
NRMHUB_PLUGIN_SCAN_TIMEOUT=1 expect_exit 0 timeout 60 "$NRMHUB" plugins
assert_grep "^  $mods/ctor-hang\.so: it did not finish being examined within 1 s \(a hang\?\) and was killed$" "$tmp/stdout"
assert_grep '^case-jsonl ' "$tmp/stdout"
# (Its own command line must not match: hence the [g].)
if grep -lasE "$mods/ctor-han[g]\.so" /proc/[0-9]*/cmdline >/dev/null; then
	fail "the hung scanner is still running"
else
	pass
fi
start=$(date +%s)
expect_exit 0 timeout 60 "$NRMHUB" plugins
assert_grep "^  $mods/ctor-hang\.so: it did not finish" "$tmp/stdout"
[ $(($(date +%s) - start)) -lt 5 ] && pass || fail "the second run waited for the hang again"
expect_exit 0 timeout 60 "$NRMHUB" convert --from council-csv --to case-jsonl \
	-o "$tmp/out2.jsonl" "$SRCDIR/examples/site/data/council-cases.csv"
assert_same "$tmp/out2.jsonl" "$SRCDIR/tests/data/council/expected-council-cases.jsonl"

finish
