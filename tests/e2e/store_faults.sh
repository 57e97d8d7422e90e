#!/bin/bash
# The store's faults reported, not trusted (issue 19): a damaged store is
# refused on opening (exit 65, how to restore it), before any import writes
# into it; after an import fails on a full disk, the WAL is emptied even
# while another connection (a run's own) keeps the store open; a store on a
# read-only medium can still be read by the reading commands.  The last two
# need tmpfs mounts (root in a container allows them); without, skipped.
. "$SRCDIR/tests/e2e/lib.sh"

gen="$BUILDDIR/bench/gen-council-csv"
[ -x "$gen" ] || { echo "store_faults: $gen is not built"; exit 99; }
outer=$tmp
trap 'umount "$outer/full" "$outer/ro" 2>/dev/null; rm -rf "$outer"' EXIT
"$gen" 40 leeds >"$tmp/small.csv"
"$gen" 3000 leeds >"$tmp/mid.csv"
"$gen" 20000 leeds >"$tmp/huge.csv"

# ---- a damaged store -------------------------------------------------------------
expect_exit 0 "$NRMHUB" -q import --from council-csv --store "$tmp/d.db" "$tmp/mid.csv"
# Two pages of garbage in the middle (16 KiB pages), as a bad sector or a
# stray write would leave.
head -c 32768 /dev/urandom | dd of="$tmp/d.db" bs=16384 seek=4 conv=notrunc 2>/dev/null
cp "$tmp/d.db" "$tmp/d-before.db"
expect_exit 65 "$NRMHUB" import --from council-csv --store "$tmp/d.db" "$tmp/small.csv"
assert_grep "the store $tmp/d\.db is damaged \(PRAGMA quick_check: .*\): nothing was read or written; restore it" "$tmp/stderr"
assert_eq "$(grep -c 'is damaged' "$tmp/stderr")" 1 "the message is one line"
cmp -s "$tmp/d.db" "$tmp/d-before.db" && pass || fail "the import wrote into the damaged store"
expect_exit 65 "$NRMHUB" export --to case-jsonl --store "$tmp/d.db" -o "$tmp/out.jsonl"
assert_grep 'is damaged' "$tmp/stderr"
assert_no_file "$tmp/out.jsonl"

# ---- the WAL after a failed import on a full disk --------------------------------
mkdir -p "$tmp/full" "$tmp/ro"
# 2 MB: room for the store and its first, small import (schema 11 and its
# WAL), not for the large one.
if ! mount -t tmpfs -o size=2m,mode=0700 nrmhub-full "$tmp/full" 2>/dev/null; then
	echo "store_faults: cannot mount a tmpfs here: full-disk and read-only checks skipped"
	finish
fi
expect_exit 0 "$NRMHUB" -q import --from council-csv --store "$tmp/full/store.db" "$tmp/small.csv"
# Another connection holds the store open, as `run` does while its job
# imports; it says "ready" once it has read, and goes when its input ends.
coproc HOLDER { python3 -u -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM nrm_case").fetchone()
print("ready"); sys.stdin.read()' "$tmp/full/store.db"; }
read -r ready <&"${HOLDER[0]}"
assert_eq "$ready" ready "the other connection"
expect_exit 74 "$NRMHUB" import --from council-csv --store "$tmp/full/store.db" "$tmp/huge.csv"
assert_grep 'disk is full' "$tmp/stderr"
wal=$(stat -c %s "$tmp/full/store.db-wal" 2>/dev/null || echo 0)
assert_eq "$wal" 0 "WAL bytes after the failed import"
exec {HOLDER[1]}>&-
wait "$HOLDER_PID" 2>/dev/null
expect_exit 0 "$NRMHUB" -q import --from council-csv --store "$tmp/full/store.db" "$tmp/small.csv"
umount "$tmp/full"

# ---- a store on a read-only medium -------------------------------------------------
mount -t tmpfs -o size=8m,mode=0700 nrmhub-ro "$tmp/ro" || fail "mount a tmpfs"
expect_exit 0 "$NRMHUB" -q import --from council-csv --store "$tmp/ro/store.db" "$tmp/small.csv"
expect_exit 0 "$NRMHUB" keygen -o "$tmp/site"
expect_exit 0 "$NRMHUB" keys add --store "$tmp/ro/store.db" --nation england leeds "$tmp/site.pub"
mount -o remount,ro "$tmp/ro" || fail "remount read-only"
expect_exit 0 "$NRMHUB" keys list --store "$tmp/ro/store.db"
assert_grep '^leeds +england' "$tmp/stdout"
expect_exit 0 "$NRMHUB" audit log --store "$tmp/ro/store.db" --json
expect_exit 0 "$NRMHUB" intake sites list --store "$tmp/ro/store.db"
# A command that writes still says why it cannot.
expect_exit 73 "$NRMHUB" import --from council-csv --store "$tmp/ro/store.db" "$tmp/small.csv"
assert_grep 'Read-only file system' "$tmp/stderr"
umount "$tmp/ro"
finish
