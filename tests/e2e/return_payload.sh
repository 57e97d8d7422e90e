#!/bin/bash
# A return folder's one set of files (return.json $.files): `return build`
# writes exactly it, `bundle create` packs exactly it and refuses a folder
# holding anything else, and the pseudonym key never lives among it.  The
# reproduction of issue 13: a return built into the site folder itself.
. "$SRCDIR/tests/e2e/lib.sh"

cases="$SRCDIR/tests/data/returns/cases.jsonl"
now=2024-04-02T09:00:00Z
cd "$tmp" || exit 1
expect_exit 0 "$NRMHUB" -q keygen -o signing
mkdir keys-pub && cp signing.pub keys-pub/hull.pub

# listed DIR: the names return.json lists, in byte order.
listed() {
	python3 -c 'import json,sys
for f in sorted(f["name"] for f in json.load(open(sys.argv[1]))["files"]): print(f)' "$1/return.json"
}

# ---- the issue's reproduction ---------------------------------------------------
mkdir site outbox
cd site || exit 1
cp "$cases" cases.jsonl
cp ../signing.key site.key
expect_exit 0 "$NRMHUB" import --from case-jsonl cases.jsonl
expect_exit 0 "$NRMHUB" return build --quarter 2024Q1 --site hull --now "$now"
# The key is beside the store in keys/, 0700, not in the folder written to.
assert_eq "$(stat -c %a keys)" 700 "key folder mode"
assert_eq "$(stat -c %a keys/hull.pseudonym.key)" 600 "key mode"
assert_no_file hull.pseudonym.key
# The folder now holds the return and the site's own files: refused, each
# named, until only the return's files are left.
expect_exit 65 "$NRMHUB" bundle create --payload . --seq 1 --key site.key --now "$now" -o ../outbox
assert_grep "^nrmhub bundle create: \./?: cases\.jsonl: not one of the return's files \(return\.json \\\$\.files\)$" "$tmp/stderr"
mv cases.jsonl ..
expect_exit 65 "$NRMHUB" bundle create --payload . --seq 1 --key site.key --now "$now" -o ../outbox
assert_grep ": keys/: a folder, not one of the return's files" "$tmp/stderr"
mv keys ../site-keys
expect_exit 65 "$NRMHUB" bundle create --payload . --seq 1 --key site.key --now "$now" -o ../outbox
assert_grep ": nrmhub\.db: an SQLite database, never part of a return$" "$tmp/stderr"
mv nrmhub.db ..
expect_exit 65 "$NRMHUB" bundle create --payload . --seq 1 --key site.key --now "$now" -o ../outbox
assert_grep ": site\.key: a minisign secret key, never part of a return$" "$tmp/stderr"
mv site.key ..
assert_eq "$(ls -A ../outbox | wc -l)" 0 "files written by refused creates"
# A secret is refused even when return.json lists it.
python3 -c 'import json; r = json.load(open("return.json")); r["files"].append({"name": "hull.pseudonym.key", "role": "report"}); json.dump(r, open("return.json", "w"))'
cp ../site-keys/hull.pseudonym.key .
expect_exit 65 "$NRMHUB" bundle create --payload . --seq 1 --key ../site.key --now "$now" -o ../outbox
assert_grep ": hull\.pseudonym\.key: a pseudonym key, never part of a return$" "$tmp/stderr"
cd "$tmp" || exit 1

# ---- return build writes exactly the listed set ---------------------------------
for audience in official published; do
	mkdir "$audience"
	expect_exit 0 "$NRMHUB" --store nrmhub.db return build --quarter 2024Q1 --site hull \
		--audience "$audience" --key site-keys/hull.pseudonym.key --now "$now" -o "$audience"
	assert_eq "$(cd "$audience" && LC_ALL=C ls -A)" "$(listed "$audience")" "$audience: files written are the files listed"
done
assert_eq "$(listed official | grep -c '^cases\.csv$')" 1 "official lists the extract"
assert_eq "$(listed published | grep -c '^cases\.csv$')" 0 "published has no extract"
# ... and that set bundles and verifies.
expect_exit 0 "$NRMHUB" bundle create --payload official --seq 1 --key site.key --now "$now" -o outbox
expect_exit 0 "$NRMHUB" bundle verify --keys keys-pub outbox/hull_2024Q1_001.tar.gz
# A listed file missing from the folder is refused.
rm official/report.html
expect_exit 65 "$NRMHUB" bundle create --payload official --seq 2 --key site.key --now "$now" -o outbox
assert_grep "official: report\.html: listed in return\.json \\\$\.files\[[0-9]+\] but missing" "$tmp/stderr"
# A return without the list is refused: its set of files is not known.
python3 -c 'import json; r = json.load(open("published/return.json")); del r["files"]; json.dump(r, open("published/return.json", "w"))'
expect_exit 65 "$NRMHUB" bundle create --payload published --seq 2 --key site.key --now "$now" -o outbox
assert_grep "published: return\.json: \\\$\.files: missing" "$tmp/stderr"

finish
