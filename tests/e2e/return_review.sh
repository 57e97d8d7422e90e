#!/bin/bash
# Review before sending: a return job with "review": "required", run on its
# schedule, holds the quarter's return beside the store (nothing signed,
# nothing in the outbox); `status` shows it; `return review` says where to
# look; `return approve` signs it into the outbox with who approved it in
# the bundle's bag-info.txt and in the store, and the deliver job's next
# run puts it in the drop folder.  The quarter held again after a change
# is compared with the bundle delivered, then rejected.  Last, the
# audience: a target that takes official bundles only refuses a published
# one, and anything that is not a bundle.
. "$SRCDIR/tests/e2e/lib.sh"

need_python_sqlite() { python3 -c 'import sqlite3' 2>/dev/null || { echo "no python3 sqlite3" >&2; exit 77; }; }
need_python_sqlite
site="$tmp/site"
mkdir -p "$site/state/keys" "$site/state/outbox" "$site/state/drop" "$site/state/public"
cp -r "$SRCDIR/examples/site/data" "$site/"
chmod -R u+w "$site/data"
"$NRMHUB" keygen -o "$site/state/keys/birmingham" >/dev/null || fail "keygen"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "birmingham", "name": "Birmingham Children's Trust",
           "local_authority": "E08000025", "nation": "E92000001", "joined": "2021-06-01"},
  "store": "state/nrmhub.db",
  "keys": {"secret_key": "state/keys/birmingham.key",
           "pseudonym_key": "state/keys/birmingham.pseudonym.key"},
  "targets": {
    "drop": {"folder": "state/drop", "audience": "official"},
    "public": {"folder": "state/public", "audience": ["published"]}
  },
  "jobs": [
    {"name": "import-council", "kind": "import", "format": "council-csv",
     "input": "data/council-cases.csv", "options": {"site": "birmingham"}},
    {"name": "import-police", "kind": "import", "format": "police-xml",
     "input": "data/police-cases.xml"},
    {"name": "import-homeoffice", "kind": "import", "format": "homeoffice-json",
     "input": "data/homeoffice-cases.json"},
    {"name": "quarterly-return", "kind": "return", "schedule": "0 6 2 1,4,7,10 *",
     "audiences": ["official"], "outbox": "state/outbox", "review": "required"},
    {"name": "other-return", "kind": "return", "audiences": ["official"],
     "outbox": "state/outbox", "review": "required"},
    {"name": "deliver-returns", "kind": "deliver", "schedule": "*/30 * * * *",
     "target": "drop", "from": "state/outbox"},
    {"name": "publish", "kind": "deliver", "target": "public", "from": "state/outbox"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
held="$site/state/held/birmingham_2025Q1"
me=$(id -un)
expect_exit 0 "${hub[@]}" config check

# ---- the configuration's rules -----------------------------------------------
bad="$tmp/bad.json"
python3 - "$site/nrmhub.json" "$bad" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["jobs"][3]["review"] = "sometimes"
cfg["targets"]["drop"]["audience"] = ["official", "secret"]
json.dump(cfg, open(sys.argv[2], "w"))
PY
expect_exit 78 "$NRMHUB" --config "$bad" config check
assert_grep "jobs\\[3\\]\\.review: 'sometimes': \"required\"" "$tmp/stderr"
assert_grep 'targets\.drop\.audience: "official" or "published", or a list of them' "$tmp/stderr"

# ---- a scheduled run holds the return ------------------------------------------
for job in import-council import-police import-homeoffice; do
	expect_exit 0 "${hub[@]}" run --job "$job" --now 2025-04-01T01:00:00Z
done
expect_exit 0 "${hub[@]}" run --due --now 2025-04-01T12:00:00Z   # first sight
expect_exit 0 "${hub[@]}" -v run --due --now 2025-04-02T06:05:00Z
assert_grep 'job quarterly-return: done: held for review: nrmhub return review birmingham 2025Q1' "$tmp/stderr"
assert_eq "$(ls -A "$site/state/outbox")" "" "the outbox while the return is held"
assert_eq "$(ls -A "$site/state/drop")" "" "the drop folder while the return is held"
assert_eq "$(stat -c %a "$site/state/held")" 700 "the held folder's mode"
assert_eq "$(stat -c %a "$held")" 700 "the held return's mode"
[ -f "$held/official/return.json" ] && [ -f "$held/official/cases.csv" ] && [ -f "$held/held.json" ] &&
	pass || fail "the held return's files"
assert_grep '"job": "quarterly-return"' "$held/held.json"
# The job names the site as its configuration does (site.name).
assert_grep '^  "site_name": "Birmingham Children'"'"'s Trust",$' "$held/official/return.json"
assert_grep '<h1>National Referral Mechanism: devolved decision-making for child victims: Birmingham Children&#39;s Trust</h1>' "$held/official/report.html"

# The alerts name it, once per held return (review waiting).
expect_exit 0 "${hub[@]}" alerts --dry-run --now 2025-04-02T07:00:00Z
assert_grep 'review:birmingham:2025Q1 \(new\).*the 2025Q1 return waits for review' "$tmp/stdout"
expect_exit 0 "${hub[@]}" status --now 2025-04-02T06:10:00Z
assert_grep '^held for review: 1$' "$tmp/stdout"
assert_grep '^  birmingham 2025Q1  held 2025-04-02T06:05:00Z by job quarterly-return: nrmhub return review birmingham 2025Q1$' "$tmp/stdout"
assert_grep 'message +held for review: nrmhub return review birmingham 2025Q1' "$tmp/stdout"
expect_exit 0 "${hub[@]}" status --json --now 2025-04-02T06:10:00Z
python3 - "$tmp/stdout" <<'PY' && pass || fail "status --json: held_for_review"
import json, sys
s = json.load(open(sys.argv[1]))
h = s["held_for_review"]
assert len(h) == 1 and h[0]["site"] == "birmingham" and h[0]["quarter"] == "2025Q1", h
assert h[0]["audiences"] == ["official"] and h[0]["job"] == "quarterly-return", h
PY

# Another job cannot hold the quarter a person has yet to decide on.
expect_exit 70 "${hub[@]}" run --job other-return --quarter 2025Q1 --now 2025-04-02T07:00:00Z
assert_grep 'already held for review by job quarterly-return: approve or reject it first' "$tmp/stderr"

# ---- review ----------------------------------------------------------------------
expect_exit 0 "${hub[@]}" return review
assert_grep '^birmingham 2025Q1  held 2025-04-02T06:05:00Z by job quarterly-return' "$tmp/stdout"
expect_exit 0 "${hub[@]}" return review birmingham 2025Q1
assert_grep '^held for review: birmingham 2025Q1, by job quarterly-return at 2025-04-02T06:05:00Z$' "$tmp/stdout"
assert_grep "^    spreadsheet  $held/official/return.ods\$" "$tmp/stdout"
assert_grep "^    report       $held/official/report.html\$" "$tmp/stdout"
assert_grep 'no bundle of this quarter in the job.s outbox: nothing to compare with' "$tmp/stdout"
assert_grep '^approve: nrmhub return approve birmingham 2025Q1' "$tmp/stdout"
expect_exit 66 "${hub[@]}" return review birmingham 2024Q4
assert_grep 'nothing is held for review for birmingham 2024Q4' "$tmp/stderr"
expect_exit 64 "${hub[@]}" return review birmingham 2025q1
expect_exit 64 "${hub[@]}" return review ../etc 2025Q1
expect_exit 64 "${hub[@]}" return approve birmingham
expect_exit 64 "${hub[@]}" return reject birmingham 2025Q1
assert_grep 'reason TEXT is required' "$tmp/stderr"
expect_exit 64 "${hub[@]}" return approve birmingham 2025Q1 --note "$(printf 'two\nlines')"
assert_grep 'one line of text' "$tmp/stderr"
expect_exit 64 "${hub[@]}" return approve birmingham 2025Q1 --note $'Forced: \x01'
[ -d "$held" ] && pass || fail "a refused approval kept the held return"

# ---- approve, then the scheduled delivery ---------------------------------------
expect_exit 0 "${hub[@]}" return approve birmingham 2025Q1 --note "checked against the panel minutes" \
	--now 2025-04-03T10:00:00Z
assert_grep "^approved: birmingham 2025Q1, by $me at 2025-04-03T10:00:00Z\$" "$tmp/stdout"
assert_grep "^  $site/state/outbox/birmingham_2025Q1_001.tar.gz\$" "$tmp/stdout"
assert_grep "^queued in $site/state/outbox: deliver job deliver-returns, publish sends it on its next run" "$tmp/stdout"
assert_no_file "$held"
expect_exit 0 "${hub[@]}" status --now 2025-04-03T10:01:00Z
assert_no_grep '^held for review: ' "$tmp/stdout"
mkdir -p "$tmp/x1"
tar xzf "$site/state/outbox/birmingham_2025Q1_001.tar.gz" -C "$tmp/x1"
info="$tmp/x1/birmingham_2025Q1_001/bag-info.txt"
assert_grep '^Audience: official$' "$info"
assert_grep "^Source-Organization: Birmingham Children's Trust\$" "$info"
assert_grep "^Approved-By: $me\$" "$info"
assert_grep '^Approved-At: 2025-04-03T10:00:00Z$' "$info"
assert_grep '^Approval-Note: checked against the panel minutes$' "$info"
assert_grep '^Bagging-Date: 2025-04-03$' "$info"
assert_no_grep '^Forced:' "$info"
# The ledger keeps who approved which quarter, when, and what was made.
python3 - "$site/state/nrmhub.db" "$me" <<'PY' && pass || fail "the approval in the store"
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT site, quarter, job, decision, os_user, decided_at, text, bundles FROM return_review").fetchall()
assert len(rows) == 1, rows
site, quarter, job, decision, user, at, text, bundles = rows[0]
assert (site, quarter, job, decision, user) == ("birmingham", "2025Q1", "quarterly-return", "approved", sys.argv[2]), rows
assert at == 1743674400 and text == "checked against the panel minutes", rows
assert [b.rsplit("/", 1)[1] for b in json.loads(bundles)] == [
    "birmingham_2025Q1_001.tar.gz", "birmingham_2025Q1_001.tar.gz.minisig"], bundles
PY
expect_exit 0 "${hub[@]}" -v run --due --now 2025-04-03T10:30:00Z
assert_grep 'job deliver-returns: done: 2 delivered, 0 pending, 0 refused, to drop' "$tmp/stderr"
assert_same "$site/state/outbox/birmingham_2025Q1_001.tar.gz" "$site/state/drop/birmingham_2025Q1_001.tar.gz"
mkdir -p "$tmp/keys"
cp "$site/state/keys/birmingham.pub" "$tmp/keys/"
expect_exit 0 "$NRMHUB" bundle verify --keys "$tmp/keys" "$site/state/drop/birmingham_2025Q1_001.tar.gz"
assert_grep '^audience: official$' "$tmp/stdout"

# ---- held again after a change: compared with what was delivered, rejected ------
sed -i '/^BCT-2025-0004,/s/,Female,/,Male,/' "$site/data/council-cases.csv"
expect_exit 0 "${hub[@]}" run --job import-council --now 2025-04-04T01:00:00Z
expect_exit 0 "${hub[@]}" run --job quarterly-return --quarter 2025Q1 --now 2025-04-04T06:00:00Z
expect_exit 0 "${hub[@]}" return review birmingham 2025Q1
assert_grep "^    [0-9]+ figures? differs? from $site/state/outbox/birmingham_2025Q1_001.tar.gz \\(delivered, to drop\\):\$" "$tmp/stdout"
assert_grep '^      referrals\.by_gender\.male: [0-9]+ -> [0-9]+$' "$tmp/stdout"
assert_grep '^      referrals\.by_gender\.female: [0-9]+ -> [0-9]+$' "$tmp/stdout"
assert_grep '^  earlier: approved by .* at 2025-04-03T10:00:00Z: checked against the panel minutes$' "$tmp/stdout"
expect_exit 0 "${hub[@]}" return review birmingham 2025Q1 --json
python3 - "$tmp/stdout" <<'PY' && pass || fail "return review --json: the differences"
import json, sys
r = json.load(open(sys.argv[1]))
a = r["audiences"][0]
assert a["compared_with"]["delivery"] == {"state": "delivered", "target": "drop"}, a
d = {x["figure"]: (x["sent"], x["held"]) for x in a["differences"]}
male, female = d["referrals.by_gender.male"], d["referrals.by_gender.female"]
assert male[1] == male[0] + 1 and female[1] == female[0] - 1, d
assert not any(k.startswith(("generated_at", "generator", "files")) for k in d), d
PY
expect_exit 0 "${hub[@]}" return reject birmingham 2025Q1 --reason "gender of one case still under review" \
	--now 2025-04-04T09:00:00Z
assert_grep "^rejected: birmingham 2025Q1, by $me at 2025-04-04T09:00:00Z; the held return was removed\$" "$tmp/stdout"
assert_no_file "$held"
assert_eq "$(ls "$site/state/outbox" | tr '\n' ' ')" \
	"birmingham_2025Q1_001.tar.gz birmingham_2025Q1_001.tar.gz.minisig " "the outbox after a rejection"
python3 - "$site/state/nrmhub.db" <<'PY' && pass || fail "the rejection in the store"
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT decision, text, bundles FROM return_review ORDER BY id").fetchall()
assert rows[1] == ("rejected", "gender of one case still under review", "[]"), rows
PY
expect_exit 66 "${hub[@]}" return approve birmingham 2025Q1
expect_exit 66 "${hub[@]}" return reject birmingham 2025Q1 --reason again

# A held return carries the extract: the erasure of a case looks there too.
expect_exit 0 "${hub[@]}" run --job quarterly-return --quarter 2025Q1 --now 2025-04-05T06:00:00Z
expect_exit 0 "${hub[@]}" cases erase BCT-2025-0004 --site birmingham --reason "test" --dry-run
assert_grep "^would discard the birmingham 2025Q1 return held for review \($held\): it counted the case; build it again: nrmhub run --job quarterly-return --quarter 2025Q1\$" \
	"$tmp/stdout"
[ -f "$held/official/return.json" ] && [ -f "$held/held.json" ] && pass ||
	fail "a dry run discarded the held return"
expect_exit 0 "${hub[@]}" return reject birmingham 2025Q1 --reason "erasure test"

# ---- audiences: the official target refuses a published bundle ------------------
expect_exit 0 "$NRMHUB" bundle create --store "$site/state/nrmhub.db" --quarter 2025Q1 --audience published \
	--key "$site/state/keys/birmingham.key" --now 2025-04-06T09:00:00Z -o "$site/state/outbox"
mkdir -p "$tmp/x2"
tar xzf "$site/state/outbox/birmingham_2025Q1_002.tar.gz" -C "$tmp/x2"
assert_grep '^Audience: published$' "$tmp/x2/birmingham_2025Q1_002/bag-info.txt"
echo "not a bundle" >"$site/state/outbox/notes.txt"
expect_exit 70 "${hub[@]}" run --job deliver-returns --now 2025-04-06T10:00:00Z
assert_grep 'job deliver-returns: failed .*0 delivered, 0 pending, 3 refused, to drop' "$tmp/stderr"
assert_eq "$(ls "$site/state/drop" | tr '\n' ' ')" \
	"birmingham_2025Q1_001.tar.gz birmingham_2025Q1_001.tar.gz.minisig " "the official drop folder"
expect_exit 0 "${hub[@]}" status --now 2025-04-06T10:01:00Z
assert_grep "refused  #[0-9]+  $site/state/outbox/birmingham_2025Q1_002.tar.gz -> drop: not sent: a bundle for the published audience; target drop takes official bundles only\$" "$tmp/stdout"
assert_grep "refused  #[0-9]+  $site/state/outbox/birmingham_2025Q1_002.tar.gz.minisig -> drop: not sent: the signature of a bundle for the published audience; " "$tmp/stdout"
assert_grep "refused  #[0-9]+  $site/state/outbox/notes.txt -> drop: not sent: not a bundle \(.tar.gz\) or its signature, so its audience cannot be told; target drop takes official bundles only\$" "$tmp/stdout"
# Refused is final: the next run sends none of them.
expect_exit 0 "${hub[@]}" run --job deliver-returns --now 2025-04-06T11:00:00Z
assert_eq "$(ls "$site/state/drop" | wc -l)" 2 "files in the official drop folder"
# The published target takes the published bundle, and nothing else.
expect_exit 70 "${hub[@]}" run --job publish --now 2025-04-06T12:00:00Z
assert_grep 'job publish: failed .*2 delivered, 0 pending, 3 refused, to public' "$tmp/stderr"
assert_eq "$(ls "$site/state/public" | tr '\n' ' ')" \
	"birmingham_2025Q1_002.tar.gz birmingham_2025Q1_002.tar.gz.minisig " "the published drop folder"

# ---- the return compared is the one last sent, not one made since ---------------
# Made by hand for a quarter sent before: its reason is required.
expect_exit 64 "$NRMHUB" bundle create --store "$site/state/nrmhub.db" --quarter 2025Q1 \
	--key "$site/state/keys/birmingham.key" --pseudonym-key "$site/state/keys/birmingham.pseudonym.key" \
	--now 2025-04-07T09:00:00Z -o "$site/state/outbox"
assert_grep '2025Q1 was sent before \(birmingham_2025Q1_001\.tar\.gz\): give --reason TEXT' "$tmp/stderr"
expect_exit 0 "$NRMHUB" bundle create --store "$site/state/nrmhub.db" --quarter 2025Q1 \
	--key "$site/state/keys/birmingham.key" --pseudonym-key "$site/state/keys/birmingham.pseudonym.key" \
	--now 2025-04-07T09:00:00Z -o "$site/state/outbox" --reason "made again to test review"
assert_grep 'birmingham_2025Q1_003\.tar\.gz' "$tmp/stdout"
expect_exit 0 "${hub[@]}" run --job quarterly-return --quarter 2025Q1 --now 2025-04-07T10:00:00Z
expect_exit 0 "${hub[@]}" return review birmingham 2025Q1
assert_grep "from $site/state/outbox/birmingham_2025Q1_001.tar.gz \(delivered, to drop\)" "$tmp/stdout"
rm "$site/state/drop/birmingham_2025Q1_001.tar.gz"
python3 - "$site/state/nrmhub.db" <<'PY' && pass || fail "cannot forget the delivery"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM receipt")
db.execute("DELETE FROM delivery")
db.commit()
PY
expect_exit 0 "${hub[@]}" return review birmingham 2025Q1
assert_grep "the same figures as $site/state/outbox/birmingham_2025Q1_003.tar.gz \(in the outbox, never queued for delivery\)" "$tmp/stdout"

# ---- an erased case: no return that counted it is kept ----------------------------
# Its row could be taken out of an extract, but not its part in the figures
# of return.json and of the tables, workbook and report drawn from them, in
# every audience: a held return that counted the case is discarded whole,
# with why recorded where a person's rejection is, and is built again from
# the store without the case; a return folder in an outbox is removed (its
# job builds it again), as a bundle that holds the case is.
pseudo() { python3 -c 'import hmac, hashlib, sys
print(hmac.new(open(sys.argv[1], "rb").read(), sys.argv[2].encode(), hashlib.sha256).hexdigest())' \
	"$site/state/keys/birmingham.pseudonym.key" "$1"; }
erased=$(pseudo BCT-2025-0004)
assert_grep "^$erased," "$held/official/cases.csv"
rows_before=$(wc -l <"$held/official/cases.csv")
referrals_before=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["referrals"]["total"])' \
	"$held/official/return.json")
expect_exit 0 "$NRMHUB" return build --store "$site/state/nrmhub.db" --quarter 2025Q1 \
	--key "$site/state/keys/birmingham.pseudonym.key" --now 2025-04-07T11:00:00Z \
	-o "$site/state/outbox/by-hand"
mine=$site/state/outbox/notes.txt
[ -f "$mine" ] && pass || fail "notes.txt is not in the outbox"
ls "$site/state/outbox" | grep '^birmingham_2025Q1_00[123]\.tar\.gz$' >"$tmp/bundles-before"
assert_eq "$(wc -l <"$tmp/bundles-before")" 3 "the quarter's bundles before the erasure"
expect_exit 0 "${hub[@]}" cases erase BCT-2025-0004 --site birmingham --reason "guardian's request"
assert_grep "^discarded the birmingham 2025Q1 return held for review \($held\): it counted the case; build it again: nrmhub run --job quarterly-return --quarter 2025Q1\$" \
	"$tmp/stdout"
assert_grep "^  $site/state/outbox/by-hand\$" "$tmp/stdout"
assert_no_grep 'BCT-2025' "$tmp/stdout"
assert_no_file "$held"
assert_no_file "$site/state/outbox/by-hand"
[ -f "$mine" ] && pass || fail "the erasure removed a file that held no case"
# The bundles that held it went (001, 003), and so did the published 002:
# built from the same cases, its figures counted the child too.
assert_grep "^  $site/state/outbox/birmingham_2025Q1_002\.tar\.gz\$" "$tmp/stdout"
assert_eq "$(ls "$site/state/outbox" | grep -c '^birmingham_2025Q1_')" 0 "the quarter's bundles left"
expect_exit 0 "${hub[@]}" status --now 2025-04-07T12:00:00Z
assert_no_grep '^held for review: ' "$tmp/stdout"
python3 - "$site/state/nrmhub.db" >"$tmp/decision" <<'PY' && pass || fail "the discarded return's record"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT decision, job, text FROM return_review ORDER BY rowid DESC LIMIT 1").fetchone())
PY
assert_grep "^\('rejected', 'quarterly-return', 'discarded by cases erase: it counted a case erased since; build it again: nrmhub run --job quarterly-return --quarter 2025Q1'\)\$" \
	"$tmp/decision"
# Built again, the quarter has no trace of the case: one row and one
# referral fewer.
expect_exit 0 "${hub[@]}" run --job quarterly-return --quarter 2025Q1 --now 2025-04-08T06:00:00Z
assert_no_grep "^$erased," "$held/official/cases.csv"
assert_eq "$(wc -l <"$held/official/cases.csv")" "$((rows_before - 1))" "the rebuilt extract's lines"
assert_eq "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["referrals"]["total"])' \
	"$held/official/return.json")" "$((referrals_before - 1))" "the rebuilt return's referrals"
finish
