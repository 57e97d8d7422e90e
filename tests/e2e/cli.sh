#!/bin/bash
# The command line: help everywhere, usage errors, exit codes, atomic output.
. "$SRCDIR/tests/e2e/lib.sh"

printf '%s\n' '{"case_id":"T-1","site":"testsite","referral_date":"2025-01-02"}' >"$tmp/good.jsonl"
good="$tmp/good.jsonl"
printf '%s\n' '{"case_id":"T-1","site":"testsite","referral_date":"2025-01-02"}' \
	'{"case_id":"T-2","site":"testsite","referral_date":"2025-02-30"}' >"$tmp/bad.jsonl"
bad="$tmp/bad.jsonl"

# --version and --help
expect_exit 0 "$NRMHUB" --version && assert_grep '^nrmhub [0-9]+\.[0-9]+\.[0-9]+ \(plugin ABI 1\.1, canonical case schema 2' "$tmp/stdout"
expect_exit 0 "$NRMHUB" --help && assert_grep '^Usage: nrmhub' "$tmp/stdout"
for cmd in plugins plugin convert validate import export cases return run status runs config; do
	expect_exit 0 "$NRMHUB" "$cmd" --help && assert_grep "^Usage: nrmhub $cmd" "$tmp/stdout"
	expect_exit 0 "$NRMHUB" help "$cmd" && assert_grep "^Usage: nrmhub $cmd" "$tmp/stdout"
done
# (That the man page lists each command's options as --help does:
# man_help.sh.)

# Usage errors: 64, with a pointer to --help.
expect_exit 64 "$NRMHUB" && assert_grep 'no command given' "$tmp/stderr"
expect_exit 64 "$NRMHUB" frobnicate && assert_grep "no such command 'frobnicate'" "$tmp/stderr"
expect_exit 64 "$NRMHUB" --frobnicate
expect_exit 64 "$NRMHUB" convert --to case-jsonl "$good" && assert_grep '--from FORMAT is required' "$tmp/stderr"
expect_exit 64 "$NRMHUB" convert --from case-jsonl "$good" && assert_grep '--to FORMAT is required' "$tmp/stderr"
expect_exit 64 "$NRMHUB" validate --from case-jsonl && assert_grep 'no INPUT given' "$tmp/stderr"
expect_exit 64 "$NRMHUB" validate --from case-jsonl --to case-jsonl "$good"
assert_grep "Try 'nrmhub validate --help'" "$tmp/stderr"
expect_exit 64 "$NRMHUB" convert --from case-jsonl --to case-jsonl --option nosuch=1 "$good"
assert_grep "case-jsonl has no option 'nosuch'; its options are: max-line-size" "$tmp/stderr"
expect_exit 64 "$NRMHUB" convert --from case-jsonl --to case-jsonl --option max-line-size=lots "$good"
assert_grep "option 'max-line-size': 'lots' is not valid" "$tmp/stderr"
expect_exit 64 "$NRMHUB" convert --from case-jsonl --to case-jsonl --option other.x=1 "$good"
expect_exit 0 "$NRMHUB" convert --from case-jsonl --to case-jsonl --option case-jsonl.max-line-size=4k "$good"

# Unknown formats: 69, naming what is available.
expect_exit 69 "$NRMHUB" convert --from nosuch --to case-jsonl "$good"
assert_grep "no plugin can read format 'nosuch'; formats that can be read: .*case-jsonl" "$tmp/stderr"
expect_exit 69 "$NRMHUB" plugins describe nosuch

# Inputs that are not there: 66, and nothing written.
expect_exit 66 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/out" "$good" "$tmp/missing"
assert_grep "cannot read $tmp/missing" "$tmp/stderr"
assert_no_file "$tmp/out"
expect_exit 66 "$NRMHUB" validate --from case-jsonl "$tmp"
assert_grep 'is a directory' "$tmp/stderr"

# Outputs that cannot be created: 73.
touch "$tmp/a-file"
expect_exit 73 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/a-file/out" "$good"
expect_exit 0 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/new/folder/out" "$good"

# -o into folders not made yet: every command that takes -o makes them, as
# mkdir -p would (national build's: national_comparison.sh); keygen's, which
# hold a secret key, are 0700 whatever the umask.
returns=$SRCDIR/tests/data/returns
expect_exit 0 "$NRMHUB" keygen -o "$tmp/k/site/keys/site"
assert_eq "$(stat -c %a "$tmp/k" "$tmp/k/site" "$tmp/k/site/keys" | sort -u)" 700 "keygen's folders' modes"
assert_eq "$(stat -c %a "$tmp/k/site/keys/site.key")" 600 "keygen's secret key in new folders"
(umask 022 && "$NRMHUB" keygen -o "$tmp/k2/keys/site" >/dev/null) &&
	assert_eq "$(stat -c %a "$tmp/k2" "$tmp/k2/keys" | sort -u)" 700 "keygen's folders under umask 022"
expect_exit 0 "$NRMHUB" import --store "$tmp/o.db" --from case-jsonl "$returns/cases.jsonl"
expect_exit 0 "$NRMHUB" export --store "$tmp/o.db" --to case-jsonl -o "$tmp/o/export/cases.jsonl"
[ -s "$tmp/o/export/cases.jsonl" ] && pass || fail "export -o in new folders"
expect_exit 0 "$NRMHUB" return build --store "$tmp/o.db" --quarter 2024Q1 --site hull \
	--now 2024-07-02T09:00:00Z --key "$tmp/k/hull.pseudonym.key" -o "$tmp/o/build/2024/Q1"
[ -s "$tmp/o/build/2024/Q1/return.json" ] && pass || fail "return build -o in new folders"
expect_exit 0 "$NRMHUB" return render -o "$tmp/o/render/2024/Q1" "$tmp/o/build/2024/Q1/return.json"
[ -s "$tmp/o/render/2024/Q1/report.html" ] && pass || fail "return render -o in new folders"
expect_exit 0 "$NRMHUB" bundle create --payload "$tmp/o/build/2024/Q1" --seq 1 \
	--key "$tmp/k/site/keys/site.key" -o "$tmp/o/bundles/2024"
[ -s "$tmp/o/bundles/2024/hull_2024Q1_001.tar.gz" ] && pass || fail "bundle create -o in new folders"
# ... and a file in the way is still refused, naming it.
expect_exit 73 "$NRMHUB" keygen -o "$tmp/a-file/keys/site"
assert_grep "cannot make the folders of $tmp/a-file/keys/site" "$tmp/stderr"
expect_exit 73 "$NRMHUB" return render -o "$tmp/a-file/r" "$tmp/o/build/2024/Q1/return.json"

# Output is atomic and private.
expect_exit 0 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/out" "$good"
assert_eq "$(stat -c %a "$tmp/out")" 600 "output file mode"
cp "$tmp/out" "$tmp/out.before"
expect_exit 65 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/out" "$bad"
assert_same "$tmp/out" "$tmp/out.before"
assert_eq "$(ls -A "$tmp" | grep -c '\.tmp-')" 0 "temporary files left behind"
# Standard output gets nothing at all when the conversion fails.
expect_exit 65 "$NRMHUB" convert --from case-jsonl --to case-jsonl "$bad"
assert_eq "$(wc -c <"$tmp/stdout")" 0 "bytes on stdout after a failed conversion"
# ... and everything, from stdin too, when it succeeds.
"$NRMHUB" convert --from case-jsonl --to case-jsonl - <"$good" >"$tmp/from-stdin"
assert_same "$tmp/from-stdin" "$tmp/out.before"

# Quiet under cron: a successful conversion prints nothing on stderr.
expect_exit 0 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/out2" "$good"
assert_eq "$(wc -c <"$tmp/stderr")" 0 "bytes on stderr of a clean run"

# On a terminal, long work draws a progress line (util-linux script gives a pty).
if command -v script >/dev/null; then
	for i in $(seq 1 3000); do
		printf '{"case_id":"P-%d","site":"testsite","referral_date":"2025-01-02"}\n' "$i"
	done >"$tmp/many.jsonl"
	script -qec "'$NRMHUB' convert --from case-jsonl --to case-jsonl -o '$tmp/many.out' '$tmp/many.jsonl'" \
		/dev/null >"$tmp/tty" </dev/null
	assert_grep '\[#* *\] +[0-9]+%.* records' "$tmp/tty"
	script -qec "'$NRMHUB' --quiet convert --from case-jsonl --to case-jsonl -o '$tmp/many.out' '$tmp/many.jsonl'" \
		/dev/null >"$tmp/tty-quiet" </dev/null
	assert_no_grep 'records' "$tmp/tty-quiet"
fi

finish
