#!/bin/bash
# The README's main job on the example site, run from its configuration:
# every party's sample data imported into one store, the quarter's return
# built, bundled, signed, delivered and verified, and everything left where
# the job says.  Run twice: the second run imports nothing again and makes
# and delivers the quarter's next bundle.
. "$SRCDIR/tests/e2e/lib.sh"

out=$tmp/out
# run_example: runs the job; what it printed is kept in $tmp/job.out and .err.
run_example() {
	expect_exit 0 env NRMHUB="$NRMHUB" OUT="$out" NOW=2025-04-02T09:00:00Z \
		"$SRCDIR/examples/site/run-example"
	cp "$tmp/stdout" "$tmp/job.out"
	cp "$tmp/stderr" "$tmp/job.err"
}

run_example
# The three parties' files, merged: 12 council cases, the police's 7 (2 of
# them new), the Home Office's 4 (1 new): 15 children.
assert_grep '^   import-council +ok: 12 records: 12 new, 0 changed, 0 unchanged' "$tmp/job.out"
assert_grep '^   import-police +ok: 7 records: 2 new, ' "$tmp/job.out"
assert_grep '^   import-homeoffice +ok: 4 records: 1 new, ' "$tmp/job.out"
expect_exit 0 "$NRMHUB" export --store "$out/state/nrmhub.db" --to case-jsonl &&
	assert_eq "$(wc -l <"$tmp/stdout")" 15 "children in the store"
assert_eq "$(stat -c %a "$out/state/nrmhub.db")" 600 "store mode"
assert_eq "$(stat -c %a "$out/state/keys/birmingham.key")" 600 "secret key mode"

# The return: valid against its schema, with every output beside it, and the
# figures the job printed are the return's.
expect_exit 0 "$NRMHUB" return validate "$out/return/return.json"
for f in return.json cases.csv return.sdmx.csv return.ods report.html csv-metadata.json; do
	[ -s "$out/return/$f" ] && pass || fail "no $f in the return folder"
done
figure() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    r = r[key]
print(r)' "$out/return/return.json" "$1"
}
# Eight children referred in 2025Q1 (BCT-2025-0001 to 0008); 0006's age is
# disputed, so it is out of scope: seven referrals.
assert_eq "$(figure referrals.total)" 7 "referrals in 2025Q1"
assert_eq "$(figure quality.out_of_scope)" 1 "out of scope in 2025Q1"
assert_grep '^   referrals 7; ' "$tmp/job.out"

# The bundle: made, and valid for nrmhub and for the stock minisign.
bag=$out/state/drop/birmingham_2025Q1_001.tar.gz
assert_grep "^   $bag\$" "$tmp/job.out"
assert_grep '^   valid: birmingham_2025Q1_001, signed with key ID ' "$tmp/job.out"
expect_exit 0 "$NRMHUB" bundle verify --keys "$out/home-office-keys" "$bag"
# The site by the name its configuration gives it (site.name).
assert_eq "$(figure site_name)" "Birmingham Children's Trust" "the return's site_name"
assert_grep "^Source-Organization: Birmingham Children's Trust\$" \
	<(tar -xzOf "$bag" birmingham_2025Q1_001/bag-info.txt)
if command -v minisign >/dev/null; then
	expect_exit 0 minisign -V -q -p "$out/state/keys/birmingham.pub" -m "$bag"
fi

# No case identifier in what the job printed.
assert_no_grep 'BCT-[0-9]' "$tmp/job.out"
assert_no_grep 'BCT-[0-9]' "$tmp/job.err"

# Again: nothing imported twice, the same 15 cases, the next bundle.
run_example
assert_eq "$(grep -c ': 0 records: 0 new, 0 changed, 0 unchanged; 1 files skipped' "$tmp/job.out")" 3 \
	"files imported again"
assert_grep '^   deliver-returns +ok: 2 delivered, 0 pending' "$tmp/job.out"
expect_exit 0 "$NRMHUB" bundle verify --keys "$out/home-office-keys" \
	"$out/state/drop/birmingham_2025Q1_002.tar.gz"

finish
