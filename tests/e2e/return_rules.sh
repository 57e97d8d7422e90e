#!/bin/bash
# The sanity rules of a return, each refused with its own message and exit
# status and built with --force, which its bundle's bag-info.txt records
# (`return build`, `bundle create --quarter`, a return job); intake refusing
# a quarter that has not ended; and `bundle create --seq N` moving the
# store's count forward.
. "$SRCDIR/tests/e2e/lib.sh"

python3 -c 'import sqlite3' 2>/dev/null || { echo "no python3 sqlite3" >&2; exit 77; }
data="$SRCDIR/examples/site/data"
cd "$tmp" || exit 1
expect_exit 0 "$NRMHUB" import --store site.db --from council-csv --option site=birmingham \
	"$data/council-cases.csv"
expect_exit 0 "$NRMHUB" import --store site.db --from police-xml "$data/police-cases.xml"
expect_exit 0 "$NRMHUB" keygen -o site
build=("$NRMHUB" return build --store site.db --site birmingham --quarter)
bundle=("$NRMHUB" bundle create --store site.db --site birmingham --key site.key --quarter)

# bag_info BUNDLE: its bag-info.txt, into $tmp/info.
bag_info() {
	tar xzOf "$1" --wildcards '*/bag-info.txt' >"$tmp/info" || fail "no bag-info.txt in $1"
}

# ---- a quarter that has not ended (at --now, by London's date) -----------------
expect_exit 64 "${build[@]}" 2025Q1 --now 2025-03-15T12:00:00Z -o r1
assert_grep 'refused \(quarter-not-ended\): 2025Q1 has not ended on 2025-03-15 \(its last day is 2025-03-31\), so its figures are not final; give --force to build it anyway' "$tmp/stderr"
assert_no_file r1/return.json
# 22:30 UTC on 31 March 2025 is 23:30 in London (BST since the 30th): not
# ended; 23:30 UTC is already 1 April there.
expect_exit 64 "${build[@]}" 2025Q1 --now 2025-03-31T22:30:00Z -o r1
expect_exit 0 "${build[@]}" 2025Q1 --now 2025-03-31T23:30:00Z -o r1
expect_exit 0 "${build[@]}" 2025Q1 --now 2025-03-15T12:00:00Z -o r1 --force --json
assert_grep 'forced \(quarter-not-ended\): 2025Q1 has not ended on 2025-03-15' "$tmp/stderr"
assert_grep '"forced":\["quarter-not-ended"\]' "$tmp/stdout"
mkdir -p out
expect_exit 64 "${bundle[@]}" 2025Q1 --now 2025-03-15T12:00:00Z -o out
assert_grep 'refused \(quarter-not-ended\)' "$tmp/stderr"
assert_eq "$(ls -A out)" "" "bundles made by a refused create"
expect_exit 0 "${bundle[@]}" 2025Q1 --now 2025-03-15T12:00:00Z -o out --force --json
python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["forced"] == ["quarter-not-ended"]' \
	"$tmp/stdout" && pass || fail "bundle create --json: forced"
bag_info out/birmingham_2025Q1_001.tar.gz
assert_grep '^Forced: quarter-not-ended$' "$tmp/info"
assert_eq "$(grep -c '^Forced:' "$tmp/info")" 1 "Forced lines"
# It still verifies: the fields it adds are the bag's own.
mkdir -p keys && cp site.pub keys/birmingham.pub
expect_exit 0 "$NRMHUB" bundle verify --keys keys out/birmingham_2025Q1_001.tar.gz

# ---- a quarter before the site joined (--joined, or the configuration's) -------
expect_exit 64 "${build[@]}" 2025Q1 --now 2025-04-02T09:00:00Z --joined 2025-04-01 -o r2
assert_grep 'refused \(before-joined\): 2025Q1 ended before the site joined the pilot on 2025-04-01, so the site had no cases to decide; give --force' "$tmp/stderr"
mkdir -p conf
printf '{"site": {"code": "birmingham", "joined": "2025-05-01"}, "store": "../site.db", "jobs": []}\n' >conf/nrmhub.json
expect_exit 64 "$NRMHUB" --config conf/nrmhub.json return build --store site.db --quarter 2025Q1 \
	--now 2025-04-02T09:00:00Z -o r2
assert_grep 'refused \(before-joined\): 2025Q1 ended before the site joined the pilot on 2025-05-01' "$tmp/stderr"
# NRMHUB_CONFIG names it too; another site's configuration says nothing of this one.
expect_exit 64 env NRMHUB_CONFIG=conf/nrmhub.json "${build[@]}" 2025Q1 --now 2025-04-02T09:00:00Z -o r2
printf '{"site": {"code": "hull", "joined": "2025-05-01"}, "store": "../site.db", "jobs": []}\n' >conf/hull.json
expect_exit 0 "$NRMHUB" --config conf/hull.json return build --store site.db --quarter 2025Q1 \
	--now 2025-04-02T09:00:00Z -o r2
expect_exit 0 "$NRMHUB" --config conf/nrmhub.json bundle create --store site.db --quarter 2025Q1 \
	--key site.key --now 2025-04-02T09:00:00Z -o out --force
assert_grep 'forced \(before-joined\)' "$tmp/stderr"
bag_info out/birmingham_2025Q1_002.tar.gz
assert_grep '^Forced: before-joined$' "$tmp/info"

# ---- no referrals and no decisions ------------------------------------------------
expect_exit 65 "${build[@]}" 2024Q1 --now 2025-04-02T09:00:00Z -o r3
assert_grep 'refused \(no-referrals-or-decisions\): the 2024Q1 return of birmingham has no referrals and no decisions \(are its cases imported\? is it the right site\?\); give --force' "$tmp/stderr"
assert_no_file r3/return.json
expect_exit 65 "${bundle[@]}" 2024Q1 --now 2025-04-02T09:00:00Z -o out
expect_exit 0 "${build[@]}" 2024Q1 --now 2025-04-02T09:00:00Z -o r3 --force
[ -f r3/return.json ] && pass || fail "a forced empty return was not written"
# A quarter still to come, with no cases: two rules forced, a line each.
mkdir -p future
expect_exit 0 "${bundle[@]}" 2099Q1 -o future --force
bag_info future/birmingham_2099Q1_001.tar.gz
assert_eq "$(grep '^Forced:' "$tmp/info" | tr '\n' ' ')" \
	"Forced: quarter-not-ended Forced: no-referrals-or-decisions " "the rules forced for 2099Q1"
expect_exit 64 "$NRMHUB" bundle create --payload r3 --key site.key --seq 1 --force -o out
assert_grep 'force go with --quarter' "$tmp/stderr"

# ---- a return job applies them, and never forces ---------------------------------
mkdir -p job/outbox
cat >job/nrmhub.json <<'JSON'
{"site": {"code": "birmingham", "joined": "2021-06-01"}, "store": "../site.db",
 "keys": {"secret_key": "../site.key"},
 "jobs": [{"name": "early", "kind": "return", "quarter": "2025Q2", "outbox": "outbox"},
          {"name": "empty", "kind": "return", "quarter": "2024Q1", "outbox": "outbox",
           "review": "required"}]}
JSON
expect_exit 70 "$NRMHUB" --config job/nrmhub.json run --job early --now 2025-05-01T09:00:00Z
assert_grep 'job early: refused \(quarter-not-ended\): 2025Q2 has not ended on 2025-05-01' "$tmp/stderr"
expect_exit 70 "$NRMHUB" --config job/nrmhub.json run --job empty --now 2025-05-01T09:00:00Z
assert_grep 'job empty: refused \(no-referrals-or-decisions\)' "$tmp/stderr"
assert_eq "$(ls -A job/outbox)" "" "the outbox of refused return jobs"
assert_no_file held/birmingham_2024Q1

# ---- intake refuses a quarter that has not ended -----------------------------------
mkdir -p inbox
cp future/birmingham_2099Q1_001.tar.gz future/birmingham_2099Q1_001.tar.gz.minisig inbox/
cp out/birmingham_2025Q1_002.tar.gz out/birmingham_2025Q1_002.tar.gz.minisig inbox/
expect_exit 0 "$NRMHUB" keys add --store ho.db --nation england birmingham site.pub
expect_exit 65 "$NRMHUB" intake --inbox inbox --store ho.db --settle 0 --json
python3 - "$tmp/stdout" <<'PY' && pass || fail "intake: the fate of each bundle"
import json, sys
fates = {o["file"]: o for o in json.load(open(sys.argv[1]))}
assert fates["birmingham_2025Q1_002.tar.gz"]["fate"] == "accepted", fates
f = fates["birmingham_2099Q1_001.tar.gz"]
assert f["fate"] == "rejected", f
assert "refused (quarter-not-ended): 2099Q1 has not ended on" in f["reason"], f
assert "a return is taken only once its quarter has ended" in f["reason"], f
PY
assert_grep 'quarter-not-ended' inbox/rejected/birmingham_2099Q1_001.tar.gz.reason

# ---- --seq N moves the store's count forward ---------------------------------------
seqs() {
	python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT last_seq FROM bundle_sequence WHERE site = ? AND quarter = ?", ("birmingham", sys.argv[2])).fetchone()[0])
for seq, fin, why in db.execute("SELECT seq, finished_at IS NOT NULL, failure FROM bundle_made WHERE site = ? AND quarter = ? ORDER BY seq", ("birmingham", sys.argv[2])):
    print(seq, "finished" if fin else "unfinished", why or "")' site.db "$1"
}
mkdir -p seq
expect_exit 0 "${bundle[@]}" 2025Q2 --now 2025-07-02T09:00:00Z -o seq --seq 7
assert_grep 'birmingham_2025Q2_007\.tar\.gz' "$tmp/stdout"
expect_exit 0 "${bundle[@]}" 2025Q2 --now 2025-07-02T09:00:00Z -o seq
assert_grep 'birmingham_2025Q2_008\.tar\.gz' "$tmp/stdout"
# A lower number is made and recorded, and the count stays where it is.
expect_exit 0 "${build[@]}" 2025Q2 --now 2025-07-02T09:00:00Z -o r4
expect_exit 0 "$NRMHUB" bundle create --store site.db --payload r4 --key site.key \
	--now 2025-07-02T09:00:00Z -o seq --seq 3
expect_exit 0 "${bundle[@]}" 2025Q2 --now 2025-07-02T09:00:00Z -o seq
assert_grep 'birmingham_2025Q2_009\.tar\.gz' "$tmp/stdout"
# The same number again is refused, and its bundle's record stays finished.
expect_exit 73 "$NRMHUB" bundle create --store site.db --payload r4 --key site.key \
	--now 2025-07-02T09:00:00Z -o seq --seq 7
seqs 2025Q2 >"$tmp/seqs"
printf '9\n3 finished \n7 finished \n8 finished \n9 finished \n' >"$tmp/seqs.want"
assert_same "$tmp/seqs" "$tmp/seqs.want"
# Without a store, --seq is the caller's alone, and none is made.
mkdir -p nostore && cp -r r4 nostore/r4
(cd nostore && "$NRMHUB" bundle create --payload r4 --key ../site.key --seq 2 -o . >/dev/null) &&
	pass || fail "bundle create --seq without a store"
assert_no_file nostore/nrmhub.db
[ -f nostore/birmingham_2025Q2_002.tar.gz ] && pass || fail "no bundle made without a store"
finish
