#!/bin/bash
# Docs from the source: `plugins describe NAME --markdown`, and every
# formats/NAME.md with the options markers holds exactly that table
# (scripts/update-format-docs regenerates them).  Documents and plugins are
# found, not listed, so new formats are covered as they are added.
. "$SRCDIR/tests/e2e/lib.sh"

update="$SRCDIR/scripts/update-format-docs"
export NRMHUB

expect_exit 0 "$NRMHUB" plugins describe council-csv --markdown
assert_grep '^\| option \| type \| default \| description \|$' "$tmp/stdout"
assert_grep '^\| `delimiter` \| choice: `comma`, `semicolon`, `tab` \| `comma` \| The character between fields\. \|$' "$tmp/stdout"
assert_grep '^\| `max-field-size` \| size, 64 to 1G \| `1M` \| ' "$tmp/stdout"
assert_grep '^\| `max-columns` \| int, 1 to 100000 \| `256` \| ' "$tmp/stdout"
assert_grep '^\| `site` \| string \| none \| ' "$tmp/stdout"
assert_eq "$(grep -c '^| `' "$tmp/stdout")" 4 "council-csv option rows"
expect_exit 64 "$NRMHUB" plugins describe council-csv --markdown --json
expect_exit 64 "$NRMHUB" plugins --markdown
expect_exit 69 "$NRMHUB" plugins describe no-such-plugin --markdown

# Every document with markers is up to date.
expect_exit 0 "$update" --check --formats "$SRCDIR/formats"
assert_grep '^[1-9][0-9]* format document\(s\) checked$' "$tmp/stdout"
# Which documents lack the markers (a note, so merging new formats does not
# break this test; the list is in the log).
grep '^note:' "$tmp/stderr" >&2

# Each plugin that has a document with markers is among those checked.
for doc in "$SRCDIR"/formats/*.md; do
	grep -q '<!-- options:begin -->' "$doc" || continue
	name=$(basename "$doc" .md)
	"$NRMHUB" plugins describe "$name" --markdown >"$tmp/table" || { fail "describe $name"; continue; }
	awk '/<!-- options:begin -->/{on=1; next} /<!-- options:end -->/{on=0} on' "$doc" >"$tmp/in-doc"
	assert_same "$tmp/table" "$tmp/in-doc"
done

# A stale table is caught, and the script repairs it.
cp -r "$SRCDIR/formats" "$tmp/formats"
chmod -R u+w "$tmp/formats"
sed -i 's/| `256` |/| `512` |/' "$tmp/formats/council-csv.md"
expect_exit 1 "$update" --check --formats "$tmp/formats"
assert_grep 'out of date: .*council-csv\.md' "$tmp/stderr"
assert_grep '^-\| `max-columns` .*`512`' "$tmp/stderr"
expect_exit 0 "$update" --formats "$tmp/formats"
assert_grep 'updated .*council-csv\.md' "$tmp/stdout"
assert_same "$SRCDIR/formats/council-csv.md" "$tmp/formats/council-csv.md"

# Markers in a document no plugin has are an error.
printf '# x\n<!-- options:begin -->\n<!-- options:end -->\n' >"$tmp/formats/no-such-format.md"
expect_exit 1 "$update" --check --formats "$tmp/formats"
assert_grep "no plugin is named 'no-such-format'" "$tmp/stderr"

finish
