#!/bin/bash
# Crash safety: `nrmhub import` (of new cases, and of changes to every
# case, which keep their old versions), `return build`, `bundle create` and
# `intake` killed with SIGKILL at 50 moments each (25 under the
# sanitizers), spread over every disk write they make, and `run --due` at
# every moment at which the state on its disk changes (see changes below)
# (tests/modules/kill_at.c, preloaded, kills the process, and with it the
# job it forked, just before its Nth write, pwrite, fsync, rename, unlink
# or truncate, in the hub or in SQLite or libarchive).  After every kill: PRAGMA integrity_check is ok;
# the store holds all of the interrupted import or none of it; no output
# or bundle exists under its final name unless it is whole (byte for byte
# the one an uninterrupted run makes, or the file that arrived in the
# inbox); and the next run finishes the work.
# Then a full disk (a small tmpfs) during an import and during a bundle:
# a clear error, nothing partial, nothing lost from the store.
. "$SRCDIR/tests/e2e/lib.sh"

if [ -n "${NRM_VALGRIND:-}" ]; then
	echo "crash_safety: not under valgrind (it preloads its own library)"
	exit 77
fi
killer="$BUILDDIR/tests/modules/.libs/kill-at.so"
gen="$BUILDDIR/bench/gen-council-csv"
for f in "$killer" "$gen"; do
	[ -x "$f" ] || [ -f "$f" ] || { echo "crash_safety: $f is not built"; exit 99; }
done
command -v sqlite3 >/dev/null || { echo "crash_safety: needs sqlite3"; exit 77; }
# The preloaded library comes before AddressSanitizer's runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
now=2025-04-02T09:00:00Z
# The runs work in a tmpfs when one can be mounted: SIGKILL does not need
# fsync to reach a platter, and hundreds of runs then take seconds.
outer=$tmp
trap 'umount "$outer/ram/disk" "$outer/disk" "$outer/ram" 2>/dev/null; rm -rf "$outer"' EXIT
mkdir -p "$tmp/ram"
if mount -t tmpfs -o size=256m,mode=0700 nrmhub-crash "$tmp/ram" 2>/dev/null; then
	tmp="$tmp/ram"
fi

# moments FILE CMD...: how many disk writes CMD makes, into FILE.
moments() {
	local file=$1
	shift
	NRM_KILL_COUNT="$file" LD_PRELOAD="$killer" "$@" >/dev/null 2>&1
	cat "$file"
}

# spread N: up to $spread_count moments from 1 to N, evenly spaced, the
# first and the last among them: 50, or 25 under the sanitizers, which
# look for memory errors on the paths that recover from a kill and make
# each run several times slower.
spread_count=50
[ -n "${NRM_SANITIZED:-}" ] && spread_count=25
spread() {
	awk -v n="$1" -v most="$spread_count" 'BEGIN { m = n < most ? n : most; for (i = 0; i < m; i++) {
		k = m == 1 ? 1 : 1 + int(i * (n - 1) / (m - 1)); if (k != last) print k; last = k } }'
}

# killed_at K CMD...: runs CMD, killing it before its Kth disk write.
killed_at() {
	local k=$1
	shift
	NRM_KILL_AT="$k" LD_PRELOAD="$killer" "$@" >/dev/null 2>"$tmp/killed.err"
	echo $?
}

# killed_enough WHAT KILLS N: nearly every chosen moment was reached (the
# count of writes may differ a little from run to run, threads being what
# they are), and there were enough of them.
killed_enough() {
	local tried
	tried=$(spread "$3" | wc -l)
	if [ "$tried" -ge 25 ] && [ $(($2 * 10)) -ge $((tried * 9)) ]; then
		pass
	else
		fail "$1: $2 of $tried runs were really killed"
	fi
}

# A job killed with its run may still be dying (under AddressSanitizer,
# unmapping its shadow memory takes a while) when the run is reaped, with
# the store's lock not yet released: the check waits for the lock, as any
# reader would, rather than read "database is locked" as damage.
sql() {
	sqlite3 -cmd '.timeout 30000' "$1" "$2" 2>&1
}

# ---- import ------------------------------------------------------------------

"$gen" 40 york >"$tmp/base.csv"
"$gen" 2000 hull >"$tmp/big.csv"
base="$tmp/base.db"
expect_exit 0 "$NRMHUB" -q import --from council-csv --store "$base" "$tmp/base.csv"
assert_eq "$(sql "$base" 'SELECT count(*) FROM nrm_case')" 40 "cases in the base store"
# The big import's count of moments, from a copy of the base store.
cp "$base" "$tmp/count.db"
n=$(moments "$tmp/n-import" "$NRMHUB" -q import --from council-csv --store "$tmp/count.db" "$tmp/big.csv")
assert_eq "$(sql "$tmp/count.db" 'SELECT count(*) FROM nrm_case')" 2040 "cases after the whole import"
echo "import: $n disk writes; killing at $(spread "$n" | wc -l) of them"
kills=0 bad=0
for k in $(spread "$n"); do
	store="$tmp/kill.db"
	rm -f "$store" "$store-wal" "$store-shm" "$store-journal"
	cp "$base" "$store"
	rc=$(killed_at "$k" "$NRMHUB" -q import --from council-csv --store "$store" "$tmp/big.csv")
	[ "$rc" -eq 137 ] && kills=$((kills + 1))
	ok=$(sql "$store" 'PRAGMA integrity_check')
	count=$(sql "$store" 'SELECT count(*) FROM nrm_case')
	if [ "$ok" != ok ] || { [ "$count" != 40 ] && [ "$count" != 2040 ]; }; then
		fail "import killed at write $k (exit $rc): integrity '$ok', $count cases (40 or 2040 expected)"
		bad=$((bad + 1))
		continue
	fi
	if ! "$NRMHUB" -q import --from council-csv --store "$store" "$tmp/big.csv" >/dev/null 2>"$tmp/rerun.err"; then
		fail "import killed at write $k: the next import failed: $(head -n 2 "$tmp/rerun.err")"
		bad=$((bad + 1))
		continue
	fi
	count=$(sql "$store" 'SELECT count(*) FROM nrm_case')
	[ "$count" = 2040 ] || { fail "import killed at write $k: after the next run, $count cases"; bad=$((bad + 1)); }
done
assert_eq "$bad" 0 "import kills with a damaged, partial or unfinishable store"
killed_enough "import" "$kills" "$n"

# ---- import that changes every case: the history -------------------------------
# Each changed case's superseded version goes into case_version in the same
# transaction (a trigger): killed at any moment, the store holds every case
# old with no version kept, or every case new with all its old versions.
hbase="$tmp/hbase.db"
expect_exit 0 "$NRMHUB" -q import --from council-csv --store "$hbase" --now 2025-01-01T00:00:00Z \
	"$tmp/big.csv"
"$NRMHUB" -q convert --from council-csv --to case-jsonl "$tmp/big.csv" |
	sed -e 's/"gender":"[a-z]*"/"gender":"other"/' \
		-e 's/"updated_at":[^}]*}$/"updated_at":"2026-01-01T00:00:00Z"}/' >"$tmp/updates.jsonl"
hnew() { "$NRMHUB" -q import --from case-jsonl --store "$1" --now 2025-02-01T00:00:00Z \
	"$tmp/updates.jsonl"; }
cp "$hbase" "$tmp/hcount.db"
n=$(moments "$tmp/n-himport" hnew "$tmp/hcount.db")
# One version kept per case the update changed (a few of the generated
# cases it leaves as they were).
versions=$(sql "$tmp/hcount.db" 'SELECT count(*) FROM case_version')
changed=$(sql "$tmp/hcount.db" 'SELECT count(*) FROM nrm_case WHERE changed_at > 1735689600')
assert_eq "$versions" "$changed" "versions kept by the whole update"
[ "$versions" -gt 1900 ] && pass || fail "only $versions versions kept by the whole update"
echo "import changing every case: $n disk writes; killing at $(spread "$n" | wc -l) of them"
kills=0 bad=0
for k in $(spread "$n"); do
	store="$tmp/hkill.db"
	rm -f "$store" "$store-wal" "$store-shm" "$store-journal"
	cp "$hbase" "$store"
	rc=$(killed_at "$k" hnew "$store")
	[ "$rc" -eq 137 ] && kills=$((kills + 1))
	ok=$(sql "$store" 'PRAGMA integrity_check')
	state=$(sql "$store" "SELECT (SELECT count(*) FROM case_version) || ' ' ||
		(SELECT count(*) FROM nrm_case WHERE changed_at > 1735689600)")
	if [ "$ok" != ok ] || { [ "$state" != "0 0" ] && [ "$state" != "$versions $versions" ]; }; then
		fail "update killed at write $k (exit $rc): integrity '$ok', versions and changed" \
			"cases '$state' ('0 0' or '$versions $versions' expected)"
		bad=$((bad + 1))
		continue
	fi
	hnew "$store" >/dev/null 2>"$tmp/rerun.err" ||
		{ fail "update killed at write $k: the next import failed"; bad=$((bad + 1)); continue; }
	after=$(sql "$store" 'SELECT count(*) FROM case_version')
	[ "$after" = "$versions" ] || { fail "update killed at write $k: then $after versions"; bad=$((bad + 1)); }
done
assert_eq "$bad" 0 "update kills with a damaged or partial history"
killed_enough "import changing every case" "$kills" "$n"

# ---- return build --------------------------------------------------------------

rstore="$tmp/return.db"
expect_exit 0 "$NRMHUB" -q import --from case-jsonl --store "$rstore" "$SRCDIR/tests/data/returns/cases.jsonl"
build_return() {
	"$NRMHUB" -q return build --store "$rstore" --site hull --quarter 2024Q1 --audience published \
		--now "$now" -o "$1"
}
# Each killed build runs over an older complete return (another quarter's),
# as a quarterly rebuild does: afterwards the folder is the old return whole
# or the new one whole, never a mixture (issue 19), and the next build
# sweeps the killed one's folder beside it.
mkdir -p "$tmp/ref-return" "$tmp/old-return"
expect_exit 0 build_return "$tmp/ref-return"
"$NRMHUB" -q return build --store "$rstore" --site hull --quarter 2024Q2 --audience published \
	--now "$now" -o "$tmp/old-return" || fail "the older return"
nfiles=$(ls "$tmp/ref-return" | wc -l)
[ "$nfiles" -ge 10 ] && pass || fail "the reference return has only $nfiles files"
cmp -s "$tmp/ref-return/return.json" "$tmp/old-return/return.json" &&
	fail "the older return is the same as the new one"
cp -a "$tmp/old-return" "$tmp/count-return"
n=$(moments "$tmp/n-return" "$NRMHUB" -q return build --store "$rstore" --site hull --quarter 2024Q1 \
	--audience published --now "$now" -o "$tmp/count-return")
echo "return build: $n disk writes; killing at $(spread "$n" | wc -l) of them"
kills=0 bad=0
for k in $(spread "$n"); do
	out="$tmp/kill-return"
	rm -rf "$out"
	cp -a "$tmp/old-return" "$out"
	rc=$(killed_at "$k" "$NRMHUB" -q return build --store "$rstore" --site hull --quarter 2024Q1 \
		--audience published --now "$now" -o "$out")
	[ "$rc" -eq 137 ] && kills=$((kills + 1))
	if ! diff -rq "$out" "$tmp/old-return" >/dev/null && ! diff -rq "$out" "$tmp/ref-return" >/dev/null; then
		fail "return build killed at write $k: the folder is neither the old return nor the new one: $(diff -rq "$out" "$tmp/old-return" | head -n 2)"
		bad=$((bad + 1))
	fi
	[ "$(sql "$rstore" 'PRAGMA integrity_check')" = ok ] || { fail "return build killed at write $k: the store is damaged"; bad=$((bad + 1)); }
	if ! build_return "$out" >/dev/null 2>"$tmp/rerun.err"; then
		fail "return build killed at write $k: the next run failed: $(head -n 2 "$tmp/rerun.err")"
		bad=$((bad + 1))
	elif ! diff -rq "$out" "$tmp/ref-return" >/dev/null; then
		fail "return build killed at write $k: the next run's return differs"
		bad=$((bad + 1))
	fi
	left=$(find "$tmp" -maxdepth 1 -name '.kill-return.tmp-*' | wc -l)
	[ "$left" -eq 0 ] || { fail "return build killed at write $k: $left folders left beside the return after the next run"; bad=$((bad + 1)); }
done
assert_eq "$bad" 0 "return build kills leaving a mixed or partial return"
killed_enough "return build" "$kills" "$n"

# ---- bundle create ---------------------------------------------------------------

mkdir -p "$tmp/keys"
expect_exit 0 "$NRMHUB" -q keygen -o "$tmp/keys/birmingham"
# The example return, its workbook grown by incompressible bytes so that
# the archive takes many writes (bundle create packs only the return's
# listed files, and does not open the workbook).
payload="$tmp/payload"
return_payload "$payload"
head -c 600000 /dev/urandom | base64 >>"$payload/return.ods"
bag=birmingham_2025Q1_001
bundle() {
	"$NRMHUB" -q bundle create --payload "$payload" --key "$tmp/keys/birmingham.key" --seq 1 \
		--now "$now" -o "$1"
}
mkdir -p "$tmp/ref-bundle" "$tmp/count-bundle"
expect_exit 0 bundle "$tmp/ref-bundle"
n=$(moments "$tmp/n-bundle" "$NRMHUB" -q bundle create --payload "$payload" \
	--key "$tmp/keys/birmingham.key" --seq 1 --now "$now" -o "$tmp/count-bundle")
echo "bundle create: $n disk writes; killing at $(spread "$n" | wc -l) of them"
kills=0 bad=0
for k in $(spread "$n"); do
	out="$tmp/kill-bundle"
	rm -rf "$out"
	mkdir "$out"
	rc=$(killed_at "$k" "$NRMHUB" -q bundle create --payload "$payload" \
		--key "$tmp/keys/birmingham.key" --seq 1 --now "$now" -o "$out")
	[ "$rc" -eq 137 ] && kills=$((kills + 1))
	for f in "$out/$bag.tar.gz" "$out/$bag.tar.gz.minisig"; do
		if [ -e "$f" ] && ! cmp -s "$f" "$tmp/ref-bundle/${f##*/}"; then
			fail "bundle create killed at write $k: ${f##*/} is there but not whole"
			bad=$((bad + 1))
		fi
	done
	# A bundle that was already whole is never replaced: there is nothing
	# left to do.  Otherwise the next run makes it.
	if [ -e "$out/$bag.tar.gz" ]; then
		:
	elif ! bundle "$out" >/dev/null 2>"$tmp/rerun.err"; then
		fail "bundle create killed at write $k: the next run failed: $(head -n 2 "$tmp/rerun.err")"
		bad=$((bad + 1))
	elif ! "$NRMHUB" -q bundle verify --keys "$tmp/keys" "$out/$bag.tar.gz" >/dev/null 2>&1; then
		fail "bundle create killed at write $k: the next run's bundle does not verify"
		bad=$((bad + 1))
	fi
done
assert_eq "$bad" 0 "bundle create kills leaving a partial bundle"
killed_enough "bundle create" "$kills" "$n"

# ---- intake ----------------------------------------------------------------------

# The Home Office's inbox: alpha's bundle and its revision, bravo's bundle,
# and one signed with a key the store does not know (refused).
mkdir -p "$tmp/sites" "$tmp/inbox-ref"
for site in alpha bravo charlie; do
	expect_exit 0 "$NRMHUB" -q keygen -o "$tmp/sites/$site"
done
site_bundle() {  # site_bundle SITE CASES.jsonl: import, then the next bundle into inbox-ref/
	"$NRMHUB" -q import --store "$tmp/sites/$1.db" --from case-jsonl \
		"$SRCDIR/tests/data/intake/$2" &&
		"$NRMHUB" -q bundle create --store "$tmp/sites/$1.db" --quarter 2025Q1 \
			--key "$tmp/sites/$1.key" --now "$now" -o "$tmp/inbox-ref" >/dev/null
}
site_bundle alpha alpha-1.jsonl && site_bundle alpha alpha-2.jsonl &&
	site_bundle bravo bravo.jsonl && site_bundle charlie charlie.jsonl ||
	fail "intake: cannot make the sites' bundles"
istore_ref="$tmp/intake-ref.db"
for site in alpha bravo; do
	"$NRMHUB" -q keys add --store "$istore_ref" --nation england "$site" "$tmp/sites/$site.pub" ||
		fail "intake: cannot register $site's key"
done
# intake_state INBOX STORE: what an intake leaves, files and rows.
intake_state() {
	(cd "$1" && find . -type f ! -name '.*' | sort)
	sql "$2" 'SELECT site, quarter, seq, bag, (SELECT count(*) FROM intake_case c
		WHERE c.bundle = b.id) FROM intake_bundle b ORDER BY site, quarter, seq'
}
# fresh_intake NAME: a copy of the untouched inbox and store as NAME and NAME.db.
fresh_intake() {
	rm -rf "$tmp/$1" "$tmp/$1.db"*
	cp -r "$tmp/inbox-ref" "$tmp/$1"
	cp "$istore_ref" "$tmp/$1.db"
}
intake() {  # intake NAME
	"$NRMHUB" -q intake --inbox "$tmp/$1" --store "$tmp/$1.db" --settle 0
}
fresh_intake ref-intake
intake ref-intake >/dev/null 2>&1
intake_state "$tmp/ref-intake" "$tmp/ref-intake.db" >"$tmp/intake.expected"
assert_grep '^\./accepted/alpha/2025Q1/alpha_2025Q1_002\.tar\.gz$' "$tmp/intake.expected"
assert_grep '^\./rejected/charlie_2025Q1_001\.tar\.gz\.reason$' "$tmp/intake.expected"
assert_grep '^bravo\|2025Q1\|1\|bravo_2025Q1_001\|[1-9][0-9]*$' "$tmp/intake.expected"
fresh_intake count-intake
n=$(moments "$tmp/n-intake" "$NRMHUB" -q intake --inbox "$tmp/count-intake" \
	--store "$tmp/count-intake.db" --settle 0)
echo "intake: $n disk writes; killing at $(spread "$n" | wc -l) of them"
kills=0 bad=0
for k in $(spread "$n"); do
	fresh_intake kill-intake
	rc=$(killed_at "$k" "$NRMHUB" -q intake --inbox "$tmp/kill-intake" \
		--store "$tmp/kill-intake.db" --settle 0)
	[ "$rc" -eq 137 ] && kills=$((kills + 1))
	[ "$(sql "$tmp/kill-intake.db" 'PRAGMA integrity_check')" = ok ] ||
		{ fail "intake killed at write $k: the store is damaged"; bad=$((bad + 1)); }
	# A bundle is in the store with all its rows or not at all, and every
	# file under its final name is the one that arrived, or its whole reason.
	sql "$tmp/kill-intake.db" 'SELECT bag, (SELECT count(*) FROM intake_case c
		WHERE c.bundle = b.id) FROM intake_bundle b' | while IFS='|' read -r bag rows; do
		grep -q "|$bag|$rows\$" "$tmp/intake.expected" ||
			echo "$bag is stored with $rows case rows"
	done >"$tmp/partial"
	(cd "$tmp/kill-intake" && find . -type f ! -name '.*' ! -name '*.lock') | while read -r f; do
		name=${f##*/}
		case $name in
		*.reason) cmp -s "$tmp/kill-intake/$f" "$tmp/ref-intake/$f" || echo "$f is not whole" ;;
		*) cmp -s "$tmp/kill-intake/$f" "$tmp/inbox-ref/$name" || echo "$f is not the file that arrived" ;;
		esac
	done >>"$tmp/partial"
	if [ -s "$tmp/partial" ]; then
		fail "intake killed at write $k: $(head -n 2 "$tmp/partial" | tr '\n' ' ')"
		bad=$((bad + 1))
	fi
	intake kill-intake >/dev/null 2>"$tmp/rerun.err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 65 ]; then
		fail "intake killed at write $k: the next run exited $rc: $(head -n 2 "$tmp/rerun.err")"
		bad=$((bad + 1))
	elif ! intake_state "$tmp/kill-intake" "$tmp/kill-intake.db" | cmp -s - "$tmp/intake.expected"; then
		fail "intake killed at write $k: after the next run the inbox or the store differs"
		intake_state "$tmp/kill-intake" "$tmp/kill-intake.db" | diff - "$tmp/intake.expected" | head -n 6 >&2
		bad=$((bad + 1))
	fi
done
assert_eq "$bad" 0 "intake kills leaving a damaged store, a partial file or unfinished work"
killed_enough "intake" "$kills" "$n"

# ---- run --due -------------------------------------------------------------------

# The example site (examples/site): at T0 the first `run --due` only notes
# when each job was first seen; at T1 every job is due: the three imports,
# the 2025Q1 return (bundled and signed into state/outbox) and its delivery
# to state/drop.  A kill takes the run and the job it forked together, as a
# power cut would (kill_at.c shares one count of writes between them).
t0=2025-04-01T00:00:00Z t1=2025-04-02T07:00:00Z
site0="$tmp/site-t0"
mkdir -p "$site0/state/keys" "$site0/state/outbox" "$site0/state/drop"
cp "$SRCDIR/examples/site/nrmhub.json" "$site0/"
cp -r "$SRCDIR/examples/site/data" "$site0/"
chmod -R u+w "$site0"
chmod 700 "$site0/state" "$site0/state/keys"
expect_exit 0 "$NRMHUB" -q keygen -o "$site0/state/keys/birmingham"
site_run() {
	local dir=$1
	shift
	"$NRMHUB" -q --config "$dir/nrmhub.json" "$@"
}
# fresh_site DIR: DIR becomes a copy of the site as T0 left it.
fresh_site() {
	rm -rf "$1"
	cp -a "$site0" "$1"
}
expect_exit 0 site_run "$site0" run --due --now "$t0"
assert_eq "$(sql "$site0/state/nrmhub.db" 'SELECT count(*) FROM job_seen') $(sql "$site0/state/nrmhub.db" 'SELECT count(*) FROM job_run')" \
	"5 0" "jobs seen and run at T0"
# The case table without the columns that record when and from where.
case_digest() {
	sqlite3 "$1/state/nrmhub.db" 'SELECT site, case_id, nrm_ref, referral_date,
		first_responder_type, first_responder_org, local_authority, police_force,
		age_at_exploitation, age_disputed, gender, nationality1, nationality2,
		exploitation_types, county_lines, exploitation_location, rg_decision_date,
		rg_outcome, cg_decision_date, cg_outcome, decision_maker, status, status_date,
		updated_at FROM nrm_case ORDER BY site, case_id' 2>&1 | sha256sum | cut -d' ' -f1
}
# The digests after each import job in turn: D0 (none) to D3 (all three).
steps="$tmp/site-steps"
fresh_site "$steps"
digests=$(case_digest "$steps")
for job in import-council import-police import-homeoffice; do
	expect_exit 0 site_run "$steps" run --job "$job" --now "$t1"
	digests="$digests $(case_digest "$steps")"
done
d3=${digests##* }
assert_eq "$(echo "$digests" | tr ' ' '\n' | sort -u | wc -l)" 4 "four different case tables, D0 to D3"
# whole_bundles DIR SITE [LONE]: names every bundle file under its final
# name in DIR (SITE's outbox or drop folder) that is not whole: an archive
# that does not verify with the site's key, or (unless LONE is given) a
# signature without its archive.  A signature is written, and delivered,
# before its archive, so a kill may leave one alone; the next run delivers
# its archive, or removes it when its archive never came.
whole_bundles() {
	local f
	for f in "$1"/*.tar.gz "$1"/*.minisig; do
		[ -e "$f" ] || continue
		case $f in
		*.minisig) [ -e "${f%.minisig}" ] || [ -n "${3:-}" ] ||
			echo "${f##*/} in ${1##*/} has no archive" ;;
		*) site_run "$2" bundle verify --keys "$2/state/keys" "$f" >/dev/null 2>&1 ||
			echo "${f##*/} in ${1##*/} does not verify" ;;
		esac
	done
}
# The uninterrupted run, as the reference.
ref="$tmp/site-t1"
fresh_site "$ref"
expect_exit 0 site_run "$ref" run --due --now "$t1"
assert_eq "$(case_digest "$ref")" "$d3" "the case table after the whole run"
expect_exit 0 site_run "$ref" status --json
assert_eq "$(grep -c '"result": "ok"' "$tmp/stdout")" 5 "jobs done by the whole run"
bag=birmingham_2025Q1_001
assert_eq "$(cd "$ref/state/outbox" && ls)" "$(printf '%s\n' $bag.tar.gz $bag.tar.gz.minisig)" "the outbox"
assert_eq "$(cd "$ref/state/drop" && ls)" "$(printf '%s\n' $bag.tar.gz $bag.tar.gz.minisig)" "the drop folder"
assert_eq "$(whole_bundles "$ref/state/drop" "$ref")" "" "the reference delivery verifies"
count="$tmp/site-count"
fresh_site "$count"
n=$(NRM_KILL_LOG="$tmp/run-kinds" moments "$tmp/n-run" "$NRMHUB" -q --config "$count/nrmhub.json" run --due --now "$t1")
assert_eq "$(case_digest "$count")" "$d3" "the case table after the counted run"
# changes KINDS: the moments at which what is on the disk changes, from
# the letters kill_at.c logs a moment each: every one of the hub's own
# file operations ("f") and the moment after it, and each SQLite commit
# (its frame header "c", its page, and the moment after), beside 50
# spread moments (inside SQLite's transactions, and the later
# blocks of a file being written, "s" and "w").  A kill at any other
# moment leaves the state of a kill at one of these: SQLite rolls an
# uncommitted transaction back, and a file cut short is one cut shorter.
# Killing at these, not at 50 evenly spaced, found the two moments at
# which a kill once left an empty pseudonym key (which failed every later
# return).
changes() {
	{
		spread "$n"
		awk -v n="$n" '{ for (i = 1; i <= length($0); i++) { c = substr($0, i, 1)
			if (c == "f") { print i; if (i < n) print i + 1 }
			if (c == "c") for (j = i + 1; j <= i + 2 && j <= n; j++) print j } }' "$1"
	} | sort -n -u
}
# Every moment, by hand: NRM_CRASH_ALL=yes make check TESTS=tests/e2e/crash_safety.sh.
# Under the sanitizers, the spread moments alone.
if [ -n "${NRM_CRASH_ALL:-}" ]; then
	run_moments=$(seq 1 "$n")
	echo "run --due: $n disk writes; killing at every one of them"
elif [ -n "${NRM_SANITIZED:-}" ]; then
	run_moments=$(spread "$n")
	echo "run --due: $n disk writes; killing at $spread_count of them (sanitizers)"
else
	run_moments=$(changes "$tmp/run-kinds")
	echo "run --due: $n disk writes; killing at the $(echo $run_moments | wc -w) at which the disk's state changes"
fi
kills=0 bad=0 again=0
for k in $run_moments; do
	site="$tmp/site-kill"
	fresh_site "$site"
	rc=$(killed_at "$k" "$NRMHUB" -q --config "$site/nrmhub.json" run --due --now "$t1")
	[ "$rc" -eq 137 ] && kills=$((kills + 1))
	db="$site/state/nrmhub.db"
	ok=$(sql "$db" 'PRAGMA integrity_check')
	digest=$(case_digest "$site")
	if [ "$ok" != ok ] || ! case " $digests " in *" $digest "*) true ;; *) false ;; esac; then
		fail "run --due killed at write $k (exit $rc): integrity '$ok', a case table that is none of D0 to D3"
		bad=$((bad + 1))
		continue
	fi
	why=$(whole_bundles "$site/state/outbox" "$site" lone; whole_bundles "$site/state/drop" "$site" lone)
	if [ -n "$why" ]; then
		fail "run --due killed at write $k: $why"
		bad=$((bad + 1))
	fi
	# The next run finishes the work (75 only for a delivery left pending,
	# which the run after it sends).
	site_run "$site" run --due --now "$t1" >/dev/null 2>"$tmp/rerun.err"
	rc=$?
	[ "$rc" -eq 75 ] && { site_run "$site" run --due --now "$t1" >/dev/null 2>>"$tmp/rerun.err"; rc=$?; }
	if [ "$rc" -ne 0 ]; then
		fail "run --due killed at write $k: the next run exited $rc: $(head -n 2 "$tmp/rerun.err")"
		bad=$((bad + 1))
		continue
	fi
	site_run "$site" status --json >"$tmp/status.json" 2>&1
	jobs_ok=$(grep -c '"result": "ok"' "$tmp/status.json")
	if [ "$(case_digest "$site")" != "$d3" ] || [ "$jobs_ok" != 5 ]; then
		fail "run --due killed at write $k: after the next run, $jobs_ok of 5 jobs ok, or a case table that is not D3"
		bad=$((bad + 1))
	elif ! ls "$site/state/drop"/birmingham_2025Q1_*.tar.gz >/dev/null 2>&1; then
		fail "run --due killed at write $k: after the next run, no 2025Q1 bundle in the drop folder"
		bad=$((bad + 1))
	elif why=$(whole_bundles "$site/state/outbox" "$site"; whole_bundles "$site/state/drop" "$site"); [ -n "$why" ]; then
		fail "run --due killed at write $k: after the next run, $why"
		bad=$((bad + 1))
	elif ! diff -rq -x '.*' "$site/state/outbox" "$site/state/drop" >/dev/null; then
		fail "run --due killed at write $k: after the next run, the drop folder is not the outbox"
		bad=$((bad + 1))
	elif ls -A "$site/state/outbox" | grep -q '^\.nrmhub-return'; then
		fail "run --due killed at write $k: after the next run, a return folder is left in the outbox"
		bad=$((bad + 1))
	fi
	# A kill after the first bundle's number was taken: the next run makes
	# the next one (see the note below).
	[ -e "$site/state/drop/birmingham_2025Q1_002.tar.gz" ] && again=$((again + 1))
done
assert_eq "$bad" 0 "run --due kills with a damaged store, a partial import or bundle, or unfinished work"
killed_enough "run --due" "$kills" "$n"
tried=$(echo $run_moments | wc -w)
[ $((kills * 10)) -ge $((tried * 9)) ] && pass || fail "run --due: only $kills of $tried runs were really killed"
# A bundle's number is taken in the store before the bundle is written,
# and the ledger hears that the return job is done only after the bundle
# is in the outbox: a kill in between makes the next run send the return
# again as bundle 002, either after a 001 that never came (a gap) or after
# a whole 001 (the same figures twice).  The receiver asks only that
# numbers go up, and takes the highest, so the Home Office sees the
# quarter's return at least once and never two bundles under one number.
echo "run --due: $again of $kills kills led to a second bundle (002)"

# ---- a full disk -------------------------------------------------------------------

disk="$tmp/disk"
mkdir -p "$disk"
if ! mount -t tmpfs -o size=1m,mode=0700 nrmhub-full "$disk" 2>/dev/null; then
	echo "crash_safety: cannot mount a tmpfs here: full-disk checks skipped"
	finish
fi
"$gen" 20000 leeds >"$tmp/huge.csv"
cp "$base" "$disk/store.db"
expect_exit 74 "$NRMHUB" import --from council-csv --store "$disk/store.db" "$tmp/huge.csv" ||
	expect_exit 73 "$NRMHUB" import --from council-csv --store "$disk/store.db" "$tmp/huge.csv"
assert_grep 'space|No space|full' "$tmp/stderr"
assert_eq "$(sql "$disk/store.db" 'PRAGMA integrity_check')" ok "integrity after a full disk"
assert_eq "$(sql "$disk/store.db" 'SELECT count(*) FROM nrm_case')" 40 "cases after a full disk"
# The same disk, nearly full, for a bundle.
rm -f "$disk"/store.db*
mkdir -p "$disk/out"
dd if=/dev/zero of="$disk/filler" bs=4k 2>/dev/null || true  # until the disk is full
expect_exit 74 bundle "$disk/out" || expect_exit 73 bundle "$disk/out"
assert_grep 'space' "$tmp/stderr"
assert_no_file "$disk/out/$bag.tar.gz"
assert_no_file "$disk/out/$bag.tar.gz.minisig"
assert_eq "$(ls -A "$disk/out")" "" "nothing left in the output folder"
umount "$disk"
finish
