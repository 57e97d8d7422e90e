#!/bin/bash
# Plugin discovery: listing, describing, the search path, refusals, duplicates.
. "$SRCDIR/tests/e2e/lib.sh"

py=/usr/bin/python3

expect_exit 0 "$NRMHUB" plugins
assert_grep '^NAME +VERSION +ABI +FORMATS +DIRECTION +FILE' "$tmp/stdout"
assert_grep "^case-jsonl +1\.0\.0 +1\.1 +case-jsonl +import,export +$BUILDDIR/plugins/\.libs/case-jsonl\.so" "$tmp/stdout"
assert_grep "^council-csv +[0-9.]+ +1\.1 +council-csv +import" "$tmp/stdout"

expect_exit 0 "$NRMHUB" plugins --json
$py - "$tmp/stdout" <<'PY' && pass || fail "plugins --json"
import json, sys
plugins = {p["name"]: p for p in json.load(open(sys.argv[1]))}
p = plugins["case-jsonl"]
assert p["abi"] == "1.1" and p["formats"] == ["case-jsonl"], p
assert p["import"] is True and p["export"] is True, p
assert p["file"].endswith("/plugins/.libs/case-jsonl.so"), p
assert set(p) >= {"name", "version", "abi", "formats", "import", "export", "file", "description", "license"}
assert plugins["council-csv"]["import"] is True
PY

expect_exit 0 "$NRMHUB" plugins describe case-jsonl
assert_grep '^case-jsonl 1\.0\.0: ' "$tmp/stdout"
assert_grep '^max-line-size +size +1M +Longest line' "$tmp/stdout"
expect_exit 0 "$NRMHUB" plugins describe case-jsonl --json
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); o=d["options"][0]; assert (o["name"],o["type"],o["default"])==("max-line-size","size","1M"), o' "$tmp/stdout" && pass || fail "describe --json"

# Broken modules on the path are refused, one message each, and do not
# stop the good ones from loading.
expect_exit 0 "$NRMHUB" --plugin-path "$NRM_TEST_MODULES" plugins
err="$tmp/stderr"
m="$NRM_TEST_MODULES"
assert_grep "refusing plugin $m/bad-magic\.so: its descriptor has the wrong magic value" "$err"
assert_grep "refusing plugin $m/old-major\.so: it was built for plugin ABI 2\.1" "$err"
assert_grep "refusing plugin $m/newer-minor\.so: it was built for plugin ABI 1\.2, newer than this hub's 1\.1" "$err"
assert_grep "refusing plugin $m/no-name\.so: its name is missing" "$err"
assert_grep "refusing plugin $m/no-symbol\.so: it does not export the descriptor symbol" "$err"
assert_grep "plugin 'case-jsonl' in $m/dup-name\.so is ignored: $BUILDDIR/plugins/\.libs/case-jsonl\.so has the same name and was found first" "$err"
assert_grep "^case-jsonl .* $BUILDDIR/plugins/\.libs/case-jsonl\.so$" "$tmp/stdout"

# NRMHUB_PLUGIN_PATH is searched before --plugin-path.
mkdir -p "$tmp/env" "$tmp/flag"
cp "$m/dup-name.so" "$tmp/env/a.so"
cp "$m/dup-name.so" "$tmp/flag/b.so"
NRMHUB_PLUGIN_PATH="$tmp/env" "$NRMHUB" --plugin-path "$tmp/flag" plugins >/dev/null 2>"$tmp/order"
assert_eq "$(grep -o "$tmp/[a-z]*/[ab]\.so" "$tmp/order" | tr '\n' ' ')" "$tmp/env/a.so $tmp/flag/b.so " "search order"

# The --plugin-path option also works after the command.
expect_exit 0 "$NRMHUB" plugins --plugin-path "$tmp/flag"
assert_grep "$tmp/flag/b\.so is ignored" "$tmp/stderr"

finish
