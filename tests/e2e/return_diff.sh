#!/bin/bash
# `nrmhub return diff OLD NEW`: hull's 2024Q1 return built from a store,
# built again after one late record, and the two compared as folders and
# as bundles.  The figures that changed are worked out here on their own,
# from the two folders' table CSVs, and must be exactly the ones the diff
# names, with both values; then exit codes and bad inputs.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/returns
now=2024-07-02T09:00:00Z
export NRMHUB_PLUGIN_PATH=$BUILDDIR/plugins/.libs
cd "$tmp" || exit 1

build() {
	expect_exit 0 "$NRMHUB" --store store.db return build --now "$now" --site hull \
		--key hull.key "$@"
}

# ---- two builds of one quarter, a late record between them -------------------
expect_exit 0 "$NRMHUB" import --store store.db --from case-jsonl "$data/cases.jsonl"
mkdir before after other
build --quarter 2024Q1 -o before
# A Polish girl of 14 referred by the police in March, criminally exploited
# in the UK, still waiting for her RG decision at the quarter's end.  No
# earlier hull case is Polish, so the nationality table gains a row.
cat >late.jsonl <<'JSON'
{"case_id":"HULL-99","site":"hull","nrm_ref":"NRM-HULL-99","referral_date":"2024-03-15","first_responder_type":"police","first_responder_org":"Org HULL-99","local_authority":"E06000010","police_force":"E23000012","age_at_exploitation":14,"age_disputed":false,"gender":"female","nationality":["PL"],"exploitation_types":["criminal"],"county_lines":false,"exploitation_location":"uk","rg_decision_date":null,"rg_outcome":null,"cg_decision_date":null,"cg_outcome":null,"decision_maker":"ddm_panel","status":"open","status_date":null,"updated_at":"2024-07-02T08:00:00Z"}
JSON
expect_exit 0 "$NRMHUB" import --store store.db --from case-jsonl late.jsonl
build --quarter 2024Q1 -o after
build --quarter 2024Q2 -o other

# The same return: exit 0, and nothing listed.
expect_exit 0 "$NRMHUB" return diff before before
assert_grep '^0 figures changed in 0 tables$' "$tmp/stdout"
assert_no_grep '^Table_' "$tmp/stdout"

# ---- text: the figures worked out by hand --------------------------------------
expect_exit 1 "$NRMHUB" return diff before after
cp "$tmp/stdout" text.out
assert_grep '^old before: hull 2024Q1, official, generated 2024-07-02T09:00:00Z, data as at [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' text.out
assert_grep '^new after: hull 2024Q1, official, generated 2024-07-02T09:00:00Z, data as at [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' text.out
assert_grep '^Table_1: Summary of referrals' text.out
# 14 referrals in Q1 (tests/data/returns/NOTES.md), 4 of them girls, 8
# criminally exploited; none Polish; 4 awaiting RG at the quarter's end.
assert_grep '^  Referrals, Number: 14 -> 15 \(\+1\)$' text.out
assert_grep '^  Female, Number of referrals: 4 -> 5 \(\+1\)$' text.out
assert_grep '^  Criminal, Number of referrals: 8 -> 9 \(\+1\)$' text.out
assert_grep '^  Polish, Number of referrals: \(none\) -> 1 \(added\)$' text.out
assert_grep '^  Awaiting a reasonable grounds decision at the end of the quarter, Number: 4 -> 5 \(\+1\)$' text.out
assert_grep '^[1-9][0-9]* figures changed in [1-9][0-9]* tables$' text.out
# Figures only: the late case's own values are nowhere in the output.
assert_no_grep 'HULL-99|NRM-HULL|Org HULL' text.out

# ---- --json: exactly the cells whose CSV differs -------------------------------
expect_exit 1 "$NRMHUB" return diff --json before after
cp "$tmp/stdout" folders.json
cat >expect.py <<'PY'
# The changes between two return folders, from their table CSVs alone: a
# row is its code (the trend's, its year and quarter); the figures are the
# columns after the row's label, headed by their titles.  Compared with `return diff --json`.
import csv, glob, json, os, sys

def tables(folder):
    out = {}
    for path in glob.glob(os.path.join(folder, "table_*.csv")):
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        head = rows[0]
        code = next((i for i, h in enumerate(head) if h.endswith(" code")), None)
        first = code + 2 if code is not None else 2
        body = {}
        for r in rows[1:]:
            key = r[code] if code is not None else "%s %s" % (r[0], r[1])
            # The last column, Status, is each row's shorthand, not a figure.
            body[key] = {head[i]: r[i] for i in range(first, len(head)) if head[i] != "Status"}
        tid = "Table_" + os.path.basename(path)[6:-4]
        out[tid] = body
    return out

def value(text):
    if text is None or text.startswith("["):
        return text
    return float(text)

old, new = tables(sys.argv[1]), tables(sys.argv[2])
want = set()
for tid in set(old) | set(new):
    o, n = old.get(tid, {}), new.get(tid, {})
    for key in set(o) | set(n):
        cols = set(o.get(key, {})) | set(n.get(key, {}))
        for c in cols:
            a, b = o.get(key, {}).get(c), n.get(key, {}).get(c)
            if a != b:
                want.add((tid, key, c, value(a), value(b)))
d = json.load(open(sys.argv[3]))
got = set()
for ch in d["changes"]:
    key = ch["row_code"] if ch["row_code"] is not None else ch["row"]
    old_v = ch["old"] if not isinstance(ch["old"], (int, float)) else float(ch["old"])
    new_v = ch["new"] if not isinstance(ch["new"], (int, float)) else float(ch["new"])
    got.add((ch["table"], key, ch["column_title"], old_v, new_v))
    kind = "added" if ch["old"] is None else "removed" if ch["new"] is None else "changed"
    assert ch["change"] == kind, ch
    if isinstance(ch["old"], (int, float)) and isinstance(ch["new"], (int, float)):
        assert abs(ch["difference"] - (ch["new"] - ch["old"])) < 1e-9, ch
    else:
        assert ch["difference"] is None, ch
assert len(got) == len(d["changes"]), "a change listed twice"
assert d["figures_changed"] == len(d["changes"])
assert d["tables_changed"] == len({c["table"] for c in d["changes"]})
for w in sorted(want - got, key=str):
    print("missing:", w)
for g in sorted(got - want, key=str):
    print("not a change:", g)
sys.exit(0 if want == got and want else 1)
PY
if python3 expect.py before after folders.json >expect.out 2>&1; then pass; else
	fail "return diff --json and the CSVs disagree:"; head -n 20 expect.out >&2; fi
# The same number of changes as the text listed.
assert_grep "^$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["figures_changed"])' folders.json) figures changed in " text.out
python3 - folders.json <<'PY' && pass || fail "the Polish row in --json"
import json, sys
d = json.load(open(sys.argv[1]))
pl = [c for c in d["changes"] if c["row_code"] == "PL"]
assert len(pl) == 1 and pl[0]["old"] is None and pl[0]["new"] == 1, pl
assert pl[0]["change"] == "added" and pl[0]["difference"] is None, pl
total = [c for c in d["changes"] if c["table"] == "Table_1" and c["row_code"] == "referrals"]
assert total and total[0]["old"] == 14 and total[0]["new"] == 15 and total[0]["difference"] == 1, total
assert d["old"]["site"] == "hull" and d["new"]["quarter"] == "2024Q1", d["old"]
PY

# ---- bundles: the same changes, read from the archives ---------------------------
expect_exit 0 "$NRMHUB" keygen -o site
mkdir b1 b2
expect_exit 0 "$NRMHUB" bundle create --payload before --seq 1 --key site.key --now "$now" -o b1
expect_exit 0 "$NRMHUB" bundle create --payload after --seq 2 --key site.key --now "$now" -o b2
old_bundle=b1/hull_2024Q1_001.tar.gz
new_bundle=b2/hull_2024Q1_002.tar.gz
expect_exit 1 "$NRMHUB" return diff --json "$old_bundle" "$new_bundle"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d["changes"]))' \
	folders.json >folders.changes
python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["changes"]))' \
	<"$tmp/stdout" >bundles.changes
assert_same folders.changes bundles.changes
# A folder against a bundle, and a return.json itself.
expect_exit 1 "$NRMHUB" return diff before "$new_bundle"
assert_grep '^  Polish, Number of referrals: \(none\) -> 1 \(added\)$' "$tmp/stdout"
expect_exit 0 "$NRMHUB" return diff before/return.json "$old_bundle"

# ---- different quarters: refused, unless --force ---------------------------------
expect_exit 64 "$NRMHUB" return diff before other
assert_grep 'before is hull 2024Q1 and other is hull 2024Q2: .*only with --force' "$tmp/stderr"
expect_exit 1 "$NRMHUB" return diff --force before other
assert_grep '^new other: hull 2024Q2, ' "$tmp/stdout"

# ---- bad inputs ----------------------------------------------------------------------
# Usage: 64.
expect_exit 64 "$NRMHUB" return diff
expect_exit 64 "$NRMHUB" return diff before && assert_grep 'give OLD and NEW' "$tmp/stderr"
expect_exit 64 "$NRMHUB" return diff before after other && assert_grep 'give only OLD and NEW' "$tmp/stderr"
expect_exit 64 "$NRMHUB" return diff --frobnicate before after
assert_grep "Try 'nrmhub return diff --help'" "$tmp/stderr"
# Missing: 66, naming what is missing.
expect_exit 66 "$NRMHUB" return diff before no-such-folder
assert_grep 'no-such-folder: cannot open' "$tmp/stderr"
mkdir empty
expect_exit 66 "$NRMHUB" return diff empty after && assert_grep 'empty: no return.json' "$tmp/stderr"
# Damaged JSON: 65, the file and the position.
mkdir broken && cp after/return.json broken/ && chmod u+w broken/return.json
head -c 200 after/return.json >broken/return.json
expect_exit 65 "$NRMHUB" return diff before broken
assert_grep 'broken/return\.json:[0-9]+:[0-9]+: ' "$tmp/stderr"
# JSON that is not a return: 65, the file and the rule broken.
mkdir notreturn && printf '{"site": "hull", "quarter": "2024Q1"}\n' >notreturn/return.json
expect_exit 65 "$NRMHUB" return diff before notreturn
assert_grep 'notreturn: not a return: .*required' "$tmp/stderr"
printf '[1, 2]\n' >list.json
expect_exit 65 "$NRMHUB" return diff list.json before && assert_grep 'list\.json: not a return' "$tmp/stderr"
# A damaged bundle (cut short; a byte changed in the middle), a file that
# is no archive, and an archive with no return: 65, naming the file.
size=$(stat -c %s "$new_bundle")
head -c $((size / 2)) "$new_bundle" >cut.tar.gz
expect_exit 65 "$NRMHUB" return diff "$old_bundle" cut.tar.gz
assert_grep 'cut\.tar\.gz: ' "$tmp/stderr"
cp "$new_bundle" flipped.tar.gz && chmod u+w flipped.tar.gz
printf '\xff\xff\xff\xff' | dd of=flipped.tar.gz bs=1 seek=$((size / 2)) conv=notrunc status=none
expect_exit 65 "$NRMHUB" return diff "$old_bundle" flipped.tar.gz
assert_grep 'flipped\.tar\.gz: ' "$tmp/stderr"
# The gzip member's CRC, after the tar's end where libarchive stops
# reading, and bytes appended after the member.
cp "$new_bundle" crc.tar.gz && chmod u+w crc.tar.gz
printf '\xff\xff' | dd of=crc.tar.gz bs=1 seek=$((size - 6)) conv=notrunc status=none
expect_exit 65 "$NRMHUB" return diff "$old_bundle" crc.tar.gz
assert_grep 'crc\.tar\.gz: a damaged bundle' "$tmp/stderr"
cat "$new_bundle" "$new_bundle" >twice.tar.gz
expect_exit 65 "$NRMHUB" return diff "$old_bundle" twice.tar.gz
assert_grep 'twice\.tar\.gz: a damaged bundle \(a second gzip member' "$tmp/stderr"
printf 'not an archive\n' >junk.tar.gz
expect_exit 65 "$NRMHUB" return diff junk.tar.gz "$new_bundle" && assert_grep 'junk\.tar\.gz: not a bundle' "$tmp/stderr"
mkdir -p nobag/hull_2024Q1_003 && echo x >nobag/hull_2024Q1_003/bagit.txt
tar czf nobag.tar.gz -C nobag hull_2024Q1_003
expect_exit 65 "$NRMHUB" return diff nobag.tar.gz "$new_bundle"
assert_grep 'nobag\.tar\.gz: a bundle with no data/return\.json' "$tmp/stderr"

# ---- help ------------------------------------------------------------------------------
expect_exit 0 "$NRMHUB" return diff --help
assert_grep '^Usage: nrmhub return diff' "$tmp/stdout"
assert_grep 'Exit status: 0 the figures are the same; 1 some differ; 64' "$tmp/stdout"
expect_exit 0 "$NRMHUB" return --help && assert_grep 'nrmhub return diff' "$tmp/stdout"

finish
