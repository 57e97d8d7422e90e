#!/bin/bash
# The installed SDK, as a new site's developer meets it: `make install` into
# a temporary DESTDIR installs the hub, its plugins, the header, the
# pkg-config file, schemas, format documents, fixtures, man page and the
# plugin template; the template, copied from the installed folder, builds
# against the installed SDK with pkg-config alone, passes `plugin check`,
# converts its sample both ways, and `make uninstall` removes everything.
# The installed hub then runs the template in a scheduled import job
# (`run --due`), which moves the file it imported into processed/.
. "$SRCDIR/tests/e2e/lib.sh"

: "${MAKE:=make}"
dest="$tmp/dest"
"$MAKE" -C "$BUILDDIR" install DESTDIR="$dest" >"$tmp/install.log" 2>&1 ||
	{ tail -n 20 "$tmp/install.log" >&2; fail "make install"; finish; }
pass

pc=$(find "$dest" -name nrmhub-plugin.pc)
assert_eq "$(echo "$pc" | grep -c .)" 1 "one nrmhub-plugin.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$dest"
unset PKG_CONFIG_LIBDIR
plugindir=$(pkg-config --variable=plugindir nrmhub-plugin)
incdir=$(pkg-config --cflags-only-I nrmhub-plugin | sed 's/^-I//; s/ *$//')
hub=$(find "$dest" -path '*/bin/nrmhub' -type f)
datadir=$(find "$dest" -type d -path '*/share/nrmhub')
template=$(find "$dest" -type d -name plugin-template)

# What is installed, and where pkg-config says it is.
[ -x "$hub" ] && pass || fail "no installed nrmhub"
for p in case-jsonl council-csv; do
	[ -f "$plugindir/$p.so" ] && pass || fail "$p.so not in plugindir $plugindir"
done
header="$incdir/nrmhub/plugin.h"
assert_same "$SRCDIR/hub/include/nrmhub/plugin.h" "$header"
# Every schema and format document in the tree is installed (automake has
# no wildcards: a new one must be added to Makefile.am's lists).
for schema in "$SRCDIR"/schemas/*; do
	assert_same "$schema" "$datadir/schemas/$(basename "$schema")"
done
for doc in "$SRCDIR"/formats/*.md; do
	assert_same "$doc" "$datadir/formats/$(basename "$doc")"
done
assert_same "$SRCDIR/tests/data/case/valid-canonical.jsonl" "$datadir/fixtures/valid-canonical.jsonl"
[ -n "$(find "$dest" -path '*/man1/nrmhub.1')" ] && pass || fail "no man page nrmhub(1)"
[ -n "$(find "$dest" -path '*/man7/nrmhub-plugin.7')" ] && pass || fail "no man page nrmhub-plugin(7)"
assert_eq "$(pkg-config --variable=abi_major nrmhub-plugin).$(pkg-config --variable=abi_minor nrmhub-plugin)" \
	"$(sed -n 's/^#define NRM_ABI_MAJOR //p' "$header").$(sed -n 's/^#define NRM_ABI_MINOR //p' "$header")" \
	"ABI version in the .pc"

# The template, copied from where it was installed, built with pkg-config
# alone: no path into the source or build tree.
cp -r "$template" "$tmp/site"
chmod -R u+w "$tmp/site"
if make -C "$tmp/site" >"$tmp/build.log" 2>&1; then
	pass
else
	fail "building the template"
	tail -n 20 "$tmp/build.log" >&2
fi
assert_grep "-I$dest" "$tmp/build.log"
so="$tmp/site/example-site-csv.so"
# It exports its descriptor and nothing else.
assert_eq "$(nm -D --defined-only "$so" | awk '{print $3}' | tr '\n' ' ')" "nrmhub_plugin " \
	"symbols the template exports"

# The installed hub checks it (the fixtures and case-jsonl are found under
# DESTDIR, not where a real install would put them).
run_hub() {
	"$hub" --plugin-path "$plugindir" "$@"
}
expect_exit 0 run_hub plugin check "$so" --sample "$tmp/site/sample.csv" \
	--fixtures "$datadir/fixtures/valid-canonical.jsonl" --timeout=120
assert_grep '^7 passed, 0 failed, 0 skipped$' "$tmp/stdout"

# It converts its sample, and back to the same bytes.
cd "$tmp/site"
expect_exit 0 run_hub --plugin-path "$tmp/site" convert --from example-site-csv \
	--to case-jsonl -o "$tmp/cases.jsonl" sample.csv
assert_eq "$(wc -l <"$tmp/cases.jsonl")" 5 "records converted"
assert_grep '^\{"case_id":"RIV-003",.*"first_responder_org":"Barnardo.s; Riverside project",.*"nationality":\["VN","GB"\]' "$tmp/cases.jsonl"
assert_grep '^\{"case_id":"RIV-005",.*"referral_date":"2025-03-03",.*"status":"transferred","status_date":"2025-07-01","updated_at":"2025-07-01T16:45:00Z","date_of_birth":null\}$' "$tmp/cases.jsonl"
expect_exit 0 run_hub --plugin-path "$tmp/site" convert --from case-jsonl \
	--to example-site-csv -o "$tmp/back.csv" "$tmp/cases.jsonl"
assert_same sample.csv "$tmp/back.csv"
# A bad date is reported with its line, column and column name.
sed 's#^RIV-002;riverside;;13/01/2025#RIV-002;riverside;;31/02/2025#' sample.csv >"$tmp/bad.csv"
expect_exit 65 run_hub --plugin-path "$tmp/site" validate --from example-site-csv "$tmp/bad.csv"
assert_grep "bad\.csv:3:20: referred_on: expected a real date as dd/mm/yyyy" "$tmp/stderr"
cd - >/dev/null

# The template's own install goes where pkg-config says plugins go, and the
# installed hub then finds it without being told.
make -C "$tmp/site" install >/dev/null 2>&1 && pass || fail "make install of the template"
[ -f "$plugindir/example-site-csv.so" ] && pass || fail "template not in $plugindir"
expect_exit 0 run_hub plugins
assert_grep "^example-site-csv .* $plugindir/example-site-csv\.so$" "$tmp/stdout"

# A scheduled job: the template's format, daily at 02:00 London time.
job="$tmp/job"
mkdir -p "$job/incoming" "$job/processed"
cp "$tmp/site/sample.csv" "$job/incoming/riverside-2025-07.csv"
cat >"$job/nrmhub.json" <<JSON
{
  "site": {"code": "riverside", "local_authority": "E08000025", "nation": "E92000001"},
  "store": "nrmhub.db",
  "plugin_path": "$plugindir",
  "jobs": [
    {"name": "import-riverside", "kind": "import", "schedule": "0 2 * * *", "timeout": "2m",
     "format": "example-site-csv", "input": "incoming/*.csv", "processed": "processed",
     "options": {"site": "riverside"}}
  ]
}
JSON
expect_exit 0 "$hub" --config "$job/nrmhub.json" config check
expect_exit 0 "$hub" --config "$job/nrmhub.json" run --due --now 2025-07-01T12:00:00Z
assert_eq "$(ls "$job/incoming")" riverside-2025-07.csv "nothing imported before the schedule"
expect_exit 0 "$hub" --config "$job/nrmhub.json" run --due --now 2025-07-02T02:30:00Z
assert_no_file "$job/incoming/riverside-2025-07.csv"
[ -f "$job/processed/riverside-2025-07.csv" ] && pass || fail "the imported file is not in processed/"
expect_exit 0 "$hub" --config "$job/nrmhub.json" status --json
assert_grep '"message": "5 records: 5 new, 0 changed' "$tmp/stdout"
assert_grep '"result": "ok"' "$tmp/stdout"
make -C "$tmp/site" uninstall >/dev/null 2>&1 && pass || fail "make uninstall of the template"

# Uninstalling leaves no file behind.
"$MAKE" -C "$BUILDDIR" uninstall DESTDIR="$dest" >/dev/null 2>&1 && pass || fail "make uninstall"
left=$(find "$dest" -type f | head -n 5)
assert_eq "$left" "" "files left after make uninstall"

finish
