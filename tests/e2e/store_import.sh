#!/bin/bash
# `nrmhub import` as one transaction: a bad record (by the canonical rules,
# or by merging with the stored case) without --keep-going leaves the store
# exactly as it was; --keep-going keeps the good records and names the bad.
# Importing a file twice changes nothing.  The store is created mode 0600
# whatever the umask.  Nothing personal reaches stderr.

. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data
canonical=$data/case/valid-canonical.jsonl
store=$tmp/cases.db

import() {
	"$NRMHUB" import --store "$store" "$@"
}

# snapshot NAME: the whole store as case-jsonl, and the sources of one case.
snapshot() {
	"$NRMHUB" export --store "$store" --to case-jsonl -o "$tmp/$1.jsonl" &&
		"$NRMHUB" cases show --store "$store" --site hull --json HULL-0002 >"$tmp/$1.show"
}

# ---- the store file ---------------------------------------------------------

(umask 000 && import --from case-jsonl "$canonical" >/dev/null 2>&1)
assert_eq "$(stat -c %a "$store")" 600 "mode of a store created under umask 000"
for f in "$store-wal" "$store-shm"; do
	[ -e "$f" ] && assert_eq "$(stat -c %a "$f")" 600 "mode of $f"
done
expect_exit 0 "$NRMHUB" --store "$store" export --to case-jsonl &&
	assert_eq "$(wc -l <"$tmp/stdout")" "$(wc -l <"$canonical")" "cases stored"
assert_eq "$(head -c 15 "$store")" "SQLite format 3" "the store is an SQLite file"

# ---- importing the same file twice changes nothing ----------------------------

snapshot before
expect_exit 0 import --from case-jsonl --json "$canonical" &&
	assert_eq "$(cat "$tmp/stdout")" \
		'{"records":0,"new":0,"changed":0,"unchanged":0,"rejected":0,"files_skipped":1,"committed":true,"problems":[]}' \
		"counts of a second import"
snapshot again
assert_same "$tmp/before.jsonl" "$tmp/again.jsonl"
assert_same "$tmp/before.show" "$tmp/again.show"
# The same bytes under another name are the same source.
cp "$canonical" "$tmp/copy.jsonl"
expect_exit 0 import --from case-jsonl --json "$tmp/copy.jsonl" &&
	assert_grep '"files_skipped":1' "$tmp/stdout"
# Another file with the same records changes no value (the fields' setter
# becomes that file: it is the later import).
cp "$canonical" "$tmp/same-records.jsonl"
echo >>"$tmp/same-records.jsonl"
expect_exit 0 import --from case-jsonl --json "$tmp/same-records.jsonl" &&
	assert_grep '"new":0,"changed":0,' "$tmp/stdout"

# ---- a bad record rolls the whole import back ---------------------------------

snapshot before
{
	printf '%s\n' '{"case_id":"NEW-1","site":"hull","referral_date":"2025-02-01"}'
	printf '%s\n' '{"case_id":"HULL-0001","site":"hull","referral_date":"2025-01-15","gender":"male"}'
	printf '%s\n' '{"case_id":"NEW-2","site":"hull","referral_date":"2025-02-01","age_at_exploitation":18}'
	printf '%s\n' '{"case_id":"NEW-3","site":"hull","referral_date":"2025-02-01"}'
} >"$tmp/bad-third.jsonl"
expect_exit 65 import --from case-jsonl --json "$tmp/bad-third.jsonl"
assert_grep '"committed":false' "$tmp/stdout"
assert_grep "^$tmp/bad-third.jsonl:3: age_at_exploitation: " "$tmp/stderr"
assert_grep "the store is as it was" "$tmp/stderr"
snapshot after
assert_same "$tmp/before.jsonl" "$tmp/after.jsonl"
assert_same "$tmp/before.show" "$tmp/after.show"
# Rolled back means not recorded as imported: once fixed, it imports.
sed -i 's/"age_at_exploitation":18/"age_at_exploitation":17/' "$tmp/bad-third.jsonl"
expect_exit 0 import --from case-jsonl --json "$tmp/bad-third.jsonl" &&
	assert_grep '"records":4,"new":3,"changed":1,' "$tmp/stdout"

# A record that breaks a rule only once merged: HULL-0002 has a positive RG
# and a CG; a later negative RG would leave a CG without a positive RG.
snapshot before
# On line 2, after a good record, so a wrong position shows.
{
	printf '%s\n' '{"case_id":"NEW-5","site":"hull","referral_date":"2025-02-01"}'
	printf '%s\n' '{"case_id":"HULL-0002","site":"hull","referral_date":"2025-01-20","rg_decision_date":"2025-02-03","rg_outcome":"negative","updated_at":"2025-07-01T00:00:00Z"}'
} >"$tmp/conflict.jsonl"
expect_exit 65 import --from case-jsonl "$tmp/conflict.jsonl"
assert_grep "^$tmp/conflict.jsonl:2: cg_decision_date: merged with the stored case, a conclusive grounds decision needs a positive reasonable grounds decision first\$" "$tmp/stderr"
snapshot after
assert_same "$tmp/before.jsonl" "$tmp/after.jsonl"

# A bad file among good ones: nothing of any of them is kept.
printf '%s\n' '{"case_id":"NEW-9","site":"hull","referral_date":"2025-02-01"}' >"$tmp/good.jsonl"
printf '%s\n' '{"case_id":"NEW-10","site":"hull","referral_date":"2025-13-01"}' >"$tmp/bad-date.jsonl"
expect_exit 65 import --from case-jsonl "$tmp/good.jsonl" "$tmp/bad-date.jsonl"
snapshot after
assert_same "$tmp/before.jsonl" "$tmp/after.jsonl"

# ---- --keep-going -----------------------------------------------------------

expect_exit 65 import --from case-jsonl --keep-going --json --rejects "$tmp/rejects.jsonl" \
	"$tmp/good.jsonl" "$tmp/bad-date.jsonl" "$tmp/conflict.jsonl" &&
	assert_grep '"records":4,"new":2,"changed":0,"unchanged":0,"rejected":2' "$tmp/stdout"
assert_eq "$(wc -l <"$tmp/rejects.jsonl")" 2 "rejects written"
assert_grep '"line":2,.*"field":"cg_decision_date"' "$tmp/rejects.jsonl"
assert_grep '"line":1,.*"field":"referral_date"' "$tmp/rejects.jsonl"
expect_exit 0 "$NRMHUB" cases show --store "$store" NEW-9

# ---- privacy: no case id or free text on stderr ------------------------------------

assert_no_grep 'HULL-0002|NEW-|Hull City Council' "$tmp/stderr"
expect_exit 66 "$NRMHUB" cases show --store "$store" NO-SUCH-CHILD-42
assert_no_grep 'NO-SUCH-CHILD-42' "$tmp/stderr"

# ---- usage ----------------------------------------------------------------------

expect_exit 0 "$NRMHUB" import --help && assert_grep '^Usage: nrmhub import' "$tmp/stdout"
expect_exit 64 import --from case-jsonl
expect_exit 64 import "$canonical"
# Standard input: the same bytes as a file imported before, so skipped.
expect_exit 0 import --from case-jsonl --json - <"$canonical" &&
	assert_grep '"files_skipped":1' "$tmp/stdout"
printf '%s\n' '{"case_id":"STDIN-1","site":"hull","referral_date":"2025-02-01"}' >"$tmp/stdin.jsonl"
expect_exit 0 import --from case-jsonl --json - <"$tmp/stdin.jsonl" &&
	assert_grep '"new":1,' "$tmp/stdout"
expect_exit 0 "$NRMHUB" cases show --store "$store" --json STDIN-1 &&
	assert_grep '"file": "-"' "$tmp/stdout"
printf '%s\n' '{"case_id":"STDIN-2","site":"hull","referral_date":"2025-02-31"}' >"$tmp/stdin-bad.jsonl"
expect_exit 65 import --from case-jsonl - <"$tmp/stdin-bad.jsonl" &&
	assert_grep '^-:1: ' "$tmp/stderr"
expect_exit 64 import --from case-jsonl - - <"$tmp/stdin.jsonl"
expect_exit 66 import --from case-jsonl "$tmp/no-such-file.jsonl"
expect_exit 69 import --from no-such-format "$canonical"
expect_exit 64 import --from council-csv --option no-such-option=1 "$canonical"
# The global --store names the same store.
expect_exit 0 "$NRMHUB" --store "$store" cases show --site hull HULL-0001

finish
