#!/bin/bash
# nrmhub deliver into a drop folder (file://), and its command line: help,
# man page, usage errors.
. "$SRCDIR/tests/e2e/lib.sh"

expect_exit 0 "$NRMHUB" deliver --help && assert_grep '^Usage: nrmhub deliver FILE --to URL' "$tmp/stdout"
expect_exit 0 "$NRMHUB" help deliver && assert_grep '^Usage: nrmhub deliver' "$tmp/stdout"
expect_exit 0 "$NRMHUB" --help && assert_grep '^  deliver ' "$tmp/stdout"
# Every option in the README (and in the man page: man_help.sh).
for opt in $("$NRMHUB" deliver --help | grep -Eo -- '--[a-z][a-z-]+' | sort -u); do
	if grep -qF -- "$opt" "$SRCDIR/README.md"; then pass; else fail "README.md does not mention deliver $opt"; fi
done

bundle="$tmp/testsite_2026Q3_1.tar.gz"
head -c 100000 /dev/urandom >"$bundle"
want_sha=$(sha256sum "$bundle" | cut -d' ' -f1)
mkdir "$tmp/drop"

# Into the folder (trailing slash), keeping its name; the receipt says so.
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "file://$tmp/drop/" --json
assert_same "$bundle" "$tmp/drop/testsite_2026Q3_1.tar.gz"
assert_grep "\"sha256\": \"$want_sha\"" "$tmp/stdout"
assert_grep '"status": "delivered"' "$tmp/stdout"
assert_grep "\"url\": \"file://$tmp/drop/testsite_2026Q3_1.tar.gz\"" "$tmp/stdout"
assert_grep '"bytes": 100000' "$tmp/stdout"
assert_eq "$(stat -c %a "$tmp/drop/testsite_2026Q3_1.tar.gz")" 600 "mode of the delivered file"
# No temporary file is left behind.
assert_eq "$(ls -A "$tmp/drop" | wc -l)" 1 "files in the drop folder"
# A folder named without the slash is still a folder; a file name renames.
rm "$tmp/drop/testsite_2026Q3_1.tar.gz"
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "file://$tmp/drop"
assert_same "$bundle" "$tmp/drop/testsite_2026Q3_1.tar.gz"
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "file://$tmp/drop/renamed%20copy.tgz"
assert_same "$bundle" "$tmp/drop/renamed copy.tgz"
assert_grep '^status +delivered$' "$tmp/stdout"
assert_grep "^sha256 +$want_sha\$" "$tmp/stdout"
# An empty file is a file.
: >"$tmp/empty"
expect_exit 0 "$NRMHUB" deliver "$tmp/empty" --to "file://$tmp/drop/" --json
assert_grep '"sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"' "$tmp/stdout"

# A folder that does not exist: 73, nothing written.
expect_exit 73 "$NRMHUB" deliver "$bundle" --to "file://$tmp/nowhere/" --attempts 2 --backoff-base 1
assert_grep "cannot create $tmp/nowhere/testsite_2026Q3_1.tar.gz" "$tmp/stderr"
assert_no_file "$tmp/nowhere"

# Usage errors: 64, with the pointer to --help.
expect_exit 64 "$NRMHUB" deliver "$bundle" && assert_grep 'to URL is required' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver --to "file://$tmp/drop/" && assert_grep 'no FILE given' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" "$bundle" --to "file://$tmp/drop/"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "$tmp/drop/" && assert_grep 'is not a URL' "$tmp/stderr"
assert_grep "Try 'nrmhub deliver --help'" "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "ftp://example.org/in/" && assert_grep 'cannot deliver to ftp://' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "file://otherhost/in/" && assert_grep 'file://otherhost/in/' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "file://$tmp/drop/" --attempts 0
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "file://$tmp/drop/" --attempts many
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "file://$tmp/drop/" --backoff-base 5000 --backoff-cap 100
assert_grep 'above its cap' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "file://$tmp/drop/" --ca-file /etc/hostname
expect_exit 66 "$NRMHUB" deliver "$tmp/missing" --to "file://$tmp/drop/"
expect_exit 66 "$NRMHUB" deliver "$tmp" --to "file://$tmp/drop/"
assert_grep 'not a regular file' "$tmp/stderr"

finish
