#!/bin/bash
# `nrmhub return build` over tests/data/returns/cases.jsonl (35 hand-made
# cases, three sites) against returns worked out by hand
# (tests/data/returns/expected-*.json, working in NOTES.md): every figure is
# compared exactly, only generated_at and generator.version are left out.
# Then the record-level extract, the pseudonym key, and the refusals.

. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/returns
cases=$data/cases.jsonl
now=2024-07-02T09:00:00Z
export NRMHUB_PLUGIN_PATH=$BUILDDIR/plugins/.libs

build() {
	"$NRMHUB" return build --now "$now" --from case-jsonl "$@"
}

# same_return GOT WANT: equal as JSON, generator.version aside; integers and
# reals are told apart (a median of 44 is not 44.0).
same_return() {
	if /usr/bin/python3 - "$1" "$2" <<'PYTHON'; then
import json, sys
got, want = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
got["generator"]["version"] = want["generator"]["version"] = "VERSION"
# When the data was as at is the import's time from a store (return_as_at.sh
# checks it); here the figures are what is compared.
got.pop("data_as_at", None)
problems = []
def walk(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                problems.append(f"{path}.{k}: only in {'expected' if k in b else 'got'}")
            else:
                walk(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]")
    elif a != b or type(a) is not type(b):
        problems.append(f"{path}: got {a!r}, expected {b!r}")
walk(got, want, "$")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PYTHON
		pass
	else
		fail "$1 differs from $2"
	fi
}

# records_its_published_pattern OFFICIAL PUBLISHED: the cells the official
# return lists in disclosure.published_hidden, hidden, give the published
# return of the same cases, figure for figure (what the national published
# build relies on).
records_its_published_pattern() {
	if /usr/bin/python3 - "$1" "$2" <<'PYTHON'; then
import json, re, sys
off, pub = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
d = off["disclosure"]
assert d["threshold"] == pub["disclosure"]["threshold"] == 4, d
for path in d.pop("published_hidden"):
    keys = [a or (int(b) if b else c) for a, b, c in
            re.findall(r'\.([^.\[]+)|\[(\d+)\]|\["([^"]*)"\]', path[1:])]
    node = off
    for k in keys[:-1]:
        node = node[k]
    assert isinstance(node[keys[-1]], (int, float)), path
    node[keys[-1]] = "[c]"
for r in (off, pub):
    r.pop("files"), r.pop("audience")
sys.exit(0 if off == pub else 1)
PYTHON
		pass
	else
		fail "$1 does not record the pattern of $2"
	fi
}

# ---- the figures, both audiences, two quarters ------------------------------
for q in 2024Q1 2024Q2; do
	mkdir -p "$tmp/$q" "$tmp/$q-pub"
	expect_exit 0 build --quarter "$q" --site hull -o "$tmp/$q" --key "$tmp/hull.key" "$cases" &&
		same_return "$tmp/$q/return.json" "$data/expected-$q.json"
	assert_grep "\"generated_at\": \"$now\"" "$tmp/$q/return.json"
	expect_exit 0 build --quarter "$q" --site hull --audience published -o "$tmp/$q-pub" \
		--key "$tmp/hull.key" "$cases" &&
		same_return "$tmp/$q-pub/return.json" "$data/expected-$q-published.json"
	assert_no_file "$tmp/$q-pub/cases.csv"
	# csv-metadata.json describes every table's CSV, and cases.csv in the
	# official folder, with the header it has.
	for dir in "$tmp/$q" "$tmp/$q-pub"; do
		if python3 "$SRCDIR/tests/e2e/check_return.py" csv "$dir/return.json" "$dir" \
			>"$tmp/check.out" 2>&1; then
			pass
		else
			fail "check_return.py csv $dir:"
			head -n 10 "$tmp/check.out" >&2
		fi
	done
	expect_exit 0 "$NRMHUB" return validate "$tmp/$q/return.json" "$tmp/$q-pub/return.json"
	records_its_published_pattern "$tmp/$q/return.json" "$tmp/$q-pub/return.json"
done

# ---- a folder replaced whole -------------------------------------------------
# A return's folder is rebuilt in a fresh folder beside it and swapped into
# place: the official 2024Q1 return over a published 2024Q2 one leaves not
# one file of the old (tests/e2e/crash_safety.sh kills it half way); the
# folder keeps its mode; a folder left beside it by a killed build, and
# not held, is swept; a missing folder is made.
cp -a "$tmp/2024Q2-pub" "$tmp/whole"
chmod 750 "$tmp/whole"
mkdir "$tmp/.whole.tmp-killed" && echo partial >"$tmp/.whole.tmp-killed/table_1.csv"
expect_exit 0 build --quarter 2024Q1 --site hull -o "$tmp/whole" --key "$tmp/hull.key" "$cases"
assert_eq "$(cd "$tmp/whole" && ls | sort | tr '\n' ' ')" "$(cd "$tmp/2024Q1" && ls | sort | tr '\n' ' ')" \
	"the rebuilt folder's files"
diff -r "$tmp/whole" "$tmp/2024Q1" >/dev/null && pass || fail "the rebuilt folder is not the new return"
assert_eq "$(stat -c %a "$tmp/whole")" 750 "the rebuilt folder's mode"
assert_eq "$(find "$tmp" -maxdepth 1 -name '.whole.tmp-*' | wc -l)" 0 "folders left beside it"
expect_exit 0 build --quarter 2024Q1 --site hull -o "$tmp/made" --key "$tmp/hull.key" "$cases"
diff -r "$tmp/made" "$tmp/2024Q1" >/dev/null && pass || fail "the folder made is not the return"
# ... and in folders not made yet, as mkdir -p would.
expect_exit 0 build --quarter 2024Q1 --site hull -o "$tmp/new/2024/Q1" --key "$tmp/hull.key" "$cases"
diff -r "$tmp/new/2024/Q1" "$tmp/2024Q1" >/dev/null && pass || fail "the return in new folders"
# A failed build leaves the old folder as it was, and nothing beside it.
{ head -n 3 "$cases"; sed -n 4p "$cases" | sed 's/"gender":"female"/"gender":"girl"/'; } >"$tmp/bad-one.jsonl"
expect_exit 65 build --quarter 2024Q2 --site hull -o "$tmp/whole" --key "$tmp/hull.key" "$tmp/bad-one.jsonl"
diff -r "$tmp/whole" "$tmp/2024Q1" >/dev/null && pass || fail "a failed build changed the folder"
assert_eq "$(find "$tmp" -maxdepth 1 -name '.whole.tmp-*' | wc -l)" 0 "folders left by the failed build"
# A folder that holds more than a return is someone else's: written into
# file by file, what else it holds kept.
mkdir -p "$tmp/shared" && echo mine >"$tmp/shared/notes.txt"
expect_exit 0 build --quarter 2024Q1 --site hull -o "$tmp/shared" --key "$tmp/hull.key" "$cases"
assert_eq "$(cat "$tmp/shared/notes.txt")" mine "a file of someone else's in the folder"
cmp -s "$tmp/shared/return.json" "$tmp/2024Q1/return.json" && pass || fail "the return in a shared folder"

# ---- the site's name -----------------------------------------------------------
# --site-name, or the configuration's site.name when it is this site's, is
# recorded in return.json (after site) and is what the outputs call the
# site; without either, the return names none and the outputs the code.
ods_text() { python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(z.read("content.xml").decode() + z.read("meta.xml").decode())' "$1"; }
has_name() { # has_name DIR NAME: NAME in every output that names the site
	local dir=$1 name=$2 html
	html=$(printf '%s' "$2" | sed "s/'/\\&#39;/g")
	assert_eq "$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(list(r)[list(r).index("site") + 1], r.get("site_name"))' "$dir/return.json")" "site_name $name" \
		"return.json's site_name in $dir"
	assert_grep "<title>NRM devolved decision-making: quarterly return, $html, 2024Q1</title>" "$dir/report.html"
	assert_grep "<h1>National Referral Mechanism: devolved decision-making for child victims: $html</h1>" "$dir/report.html"
	assert_grep "<dt>Site</dt><dd>$html</dd>" "$dir/report.html"
	ods_text "$dir/return.ods" >"$tmp/ods.txt"
	assert_grep "quarterly return for $name, 2024Q1" "$tmp/ods.txt"
	assert_grep "<text:p>$name</text:p>" "$tmp/ods.txt"
	assert_grep "<dc:title>NRM devolved decision-making quarterly return: $name, 2024Q1" "$tmp/ods.txt"
	assert_grep "\"dc:title\": \"NRM devolved decision-making quarterly return: $name, 2024Q1" \
		"$dir/csv-metadata.json"
}
expect_exit 0 build --quarter 2024Q1 --site hull --site-name "Hull Children's Services" \
	-o "$tmp/named" --key "$tmp/hull.key" "$cases" &&
	has_name "$tmp/named" "Hull Children's Services"
expect_exit 0 "$NRMHUB" return validate "$tmp/named/return.json"
printf '{"site": {"code": "hull", "name": "Hull City Council"}, "store": "x.db", "jobs": []}\n' \
	>"$tmp/hull.json"
expect_exit 0 "$NRMHUB" --config "$tmp/hull.json" return build --now "$now" --from case-jsonl \
	--quarter 2024Q1 --site hull -o "$tmp/named-cfg" --key "$tmp/hull.key" "$cases" &&
	has_name "$tmp/named-cfg" "Hull City Council"
# Another site's configuration names no site of this return.
printf '{"site": {"code": "york", "name": "City of York Council"}, "store": "x.db", "jobs": []}\n' \
	>"$tmp/york.json"
expect_exit 0 "$NRMHUB" --config "$tmp/york.json" return build --now "$now" --from case-jsonl \
	--quarter 2024Q1 --site hull -o "$tmp/unnamed" --key "$tmp/hull.key" "$cases"
assert_no_grep 'site_name|York' "$tmp/unnamed/return.json"
assert_grep '<h1>National Referral Mechanism: devolved decision-making for child victims: hull</h1>' "$tmp/unnamed/report.html"
# A name that could not stand as one line of text, here or in the
# configuration, is refused.
for bad in '' ' Hull' "$(printf 'Hull\nAudience: published')" "$(head -c 201 /dev/zero | tr '\0' x)"; do
	expect_exit 64 build --quarter 2024Q1 --site hull --site-name "$bad" -o "$tmp/bad-name" \
		--key "$tmp/hull.key" "$cases"
	assert_grep '--site-name must' "$tmp/stderr"
done
assert_no_file "$tmp/bad-name"
printf '{"site": {"code": "hull", "name": "Hull\\tCouncil"}, "store": "x.db", "jobs": []}\n' \
	>"$tmp/tab.json"
expect_exit 78 "$NRMHUB" --config "$tmp/tab.json" return build --now "$now" --from case-jsonl \
	--quarter 2024Q1 --site hull -o "$tmp/bad-name" --key "$tmp/hull.key" "$cases"
assert_grep '\$\.site\.name: must be one line, without control characters' "$tmp/stderr"

# ---- cases.csv ---------------------------------------------------------------
csv=$tmp/2024Q1/cases.csv
assert_eq "$(head -n 1 "$csv" | tr -d '\r')" \
	"pseudonym,site,referral_date,age_band,gender,nationality_1,nationality_2,exploitation_types,county_lines,exploitation_location,first_responder_type,local_authority,police_force,rg_decision_date,rg_outcome,cg_decision_date,cg_outcome,decision_maker,status,status_date,age_at_referral,pilot_scope" \
	"cases.csv header"
# 2024Q1 holds 20 of hull's cases (NOTES.md): the 14 referred in it, 04 and
# 27 (RG in Q1), 13 (CG), 14 (withdrawn), 05 (awaiting RG), 15 (awaiting CG).
assert_eq "$(($(wc -l <"$csv") - 1))" 20 "cases.csv rows for 2024Q1"
assert_eq "$(cut -d, -f1 "$csv" | tail -n +2 | grep -Ecv '^[0-9a-f]{64}$')" 0 "pseudonyms are 64 hex digits"
assert_eq "$(cut -d, -f1 "$csv" | sort -u | wc -l)" 21 "one pseudonym per case"
assert_no_grep 'HULL-|NRM-|Org ' "$csv"
assert_no_grep ',york,|,cardiff,' "$csv"
# Referred on the leap day, RG 31 days later, negative.
assert_grep '^[0-9a-f]{64},hull,2024-02-29,16-17,male,VN,,criminal,true,uk,police,E06000010,E23000012,2024-03-31,negative,,,ddm_panel,open,' "$csv"
assert_eq "$(stat -c %a "$csv")" 600 "cases.csv mode"

# Same key, same pseudonyms; another key, none in common.
mkdir -p "$tmp/again" "$tmp/other"
expect_exit 0 build --quarter 2024Q1 --site hull -o "$tmp/again" --key "$tmp/hull.key" "$cases"
assert_same "$csv" "$tmp/again/cases.csv"
expect_exit 0 build --quarter 2024Q1 --site hull -o "$tmp/other" --key "$tmp/other.key" "$cases"
common=$(comm -12 <(cut -d, -f1 "$csv" | tail -n +2 | sort) \
	<(cut -d, -f1 "$tmp/other/cases.csv" | tail -n +2 | sort) | wc -l)
assert_eq "$common" 0 "pseudonyms shared by two keys"
assert_eq "$(stat -c '%a %s' "$tmp/hull.key")" "600 32" "key mode and size"

# The default key is keys/SITE.pseudonym.key in the current directory, in
# a folder of its own, 0700: never among the return's files.
mkdir -p "$tmp/cwd/out"
(cd "$tmp/cwd" && build --quarter 2024Q1 --site hull -o out "$cases" >/dev/null 2>&1)
assert_eq "$(stat -c %a "$tmp/cwd/keys/hull.pseudonym.key" 2>/dev/null)" 600 "default key made 0600"
assert_eq "$(stat -c %a "$tmp/cwd/keys" 2>/dev/null)" 700 "key folder made 0700"
assert_eq "$(find "$tmp/cwd" -name '*.pseudonym.key' | wc -l)" 1 "keys made"
# Built into the folder it runs in, the key is still not in it.
(cd "$tmp/cwd" && build --quarter 2024Q1 --site hull -o . "$cases" >/dev/null 2>&1)
assert_no_file "$tmp/cwd/hull.pseudonym.key"
cmp -s "$tmp/cwd/out/cases.csv" "$tmp/cwd/cases.csv" && pass || fail "the key changed between builds"
# A key at the old place (SITE.pseudonym.key beside the store) is moved,
# not replaced, with a notice once; the pseudonyms stay the same.
mkdir -p "$tmp/old/out"
cp "$tmp/cwd/keys/hull.pseudonym.key" "$tmp/old/hull.pseudonym.key"
chmod 600 "$tmp/old/hull.pseudonym.key"
cd "$tmp/old" && expect_exit 0 build --quarter 2024Q1 --site hull -o out "$cases"
cd "$OLDPWD" || exit 1
assert_grep "moved the pseudonym key to \./keys/hull\.pseudonym\.key" "$tmp/stderr"
assert_no_file "$tmp/old/hull.pseudonym.key"
assert_same "$tmp/old/keys/hull.pseudonym.key" "$tmp/cwd/keys/hull.pseudonym.key"
assert_same "$tmp/old/out/cases.csv" "$tmp/cwd/out/cases.csv"
cd "$tmp/old" && expect_exit 0 build --quarter 2024Q1 --site hull -o out "$cases"
cd "$OLDPWD" || exit 1
assert_no_grep "moved the pseudonym key" "$tmp/stderr"
# Keys at both places: refused, neither chosen.
head -c 32 /dev/urandom >"$tmp/old/hull.pseudonym.key" && chmod 600 "$tmp/old/hull.pseudonym.key"
cd "$tmp/old" && expect_exit 78 build --quarter 2024Q1 --site hull -o out "$cases"
cd "$OLDPWD" || exit 1
assert_grep "two pseudonym keys: \./hull\.pseudonym\.key and \./keys/hull\.pseudonym\.key" "$tmp/stderr"
# A key folder others may enter is refused.
mkdir -p "$tmp/open/keys" "$tmp/open/out" && chmod 755 "$tmp/open/keys"
cd "$tmp/open" && expect_exit 77 build --quarter 2024Q1 --site hull -o out "$cases"
cd "$OLDPWD" || exit 1
assert_grep "the key folder \./keys may be entered by group or others \(mode 755\)" "$tmp/stderr"

# A key others can read is refused, and nothing is written.
chmod 640 "$tmp/hull.key"
mkdir -p "$tmp/loose"
expect_exit 77 build --quarter 2024Q1 --site hull -o "$tmp/loose" --key "$tmp/hull.key" "$cases"
assert_grep 'group or others' "$tmp/stderr"
assert_no_file "$tmp/loose/return.json"
assert_no_file "$tmp/loose/cases.csv"
chmod 600 "$tmp/hull.key"

# ---- refusals ------------------------------------------------------------------
mkdir -p "$tmp/bad"
for q in 2025Q5 2025q1 2025Q0 25Q1 2025Q1x ' 2025Q1'; do
	expect_exit 64 build --quarter "$q" --site hull -o "$tmp/bad" "$cases"
	assert_grep 'is not a quarter' "$tmp/stderr"
done
expect_exit 64 build --quarter 2024Q1 --audience public -o "$tmp/bad" "$cases"
expect_exit 64 build --quarter 2024Q1 --now yesterday -o "$tmp/bad" "$cases"
# Without --from the cases come from the store, which is never created here.
cd "$tmp" || exit 1
expect_exit 66 "$NRMHUB" return build --quarter 2024Q1 -o "$tmp/bad" &&
	assert_grep 'no case store at ./nrmhub.db' "$tmp/stderr"
cd - >/dev/null || exit 1
assert_no_file "$tmp/nrmhub.db"
expect_exit 64 "$NRMHUB" return build --quarter 2024Q1 --store "$tmp/x.db" --from case-jsonl "$cases"
# Three sites and no --site: which one is meant is not guessed.
expect_exit 65 build --quarter 2024Q1 -o "$tmp/bad" --key "$tmp/hull.key" "$cases"
assert_grep 'more than one site' "$tmp/stderr"
# A bad record stops the build: exit 65, its line and field named.
{ head -n 3 "$cases"; sed -n 4p "$cases" | sed 's/"gender":"female"/"gender":"girl"/'; } >"$tmp/bad.jsonl"
expect_exit 65 build --quarter 2024Q1 --site hull -o "$tmp/bad" --key "$tmp/hull.key" "$tmp/bad.jsonl"
assert_grep 'bad.jsonl:4(:[0-9]+)?: gender: ' "$tmp/stderr"
assert_no_grep 'HULL-04' "$tmp/stderr"
expect_exit 66 build --quarter 2024Q1 --site hull -o "$tmp/bad" "$tmp/missing.jsonl"
touch "$tmp/a-file"
expect_exit 73 build --quarter 2024Q1 --site hull -o "$tmp/a-file/dir" "$cases"
expect_exit 66 "$NRMHUB" return build --quarter 2024Q1 --store "$tmp/nrmhub.db" -o "$tmp/bad"
assert_no_file "$tmp/nrmhub.db"
assert_no_file "$tmp/bad/return.json"
assert_no_file "$tmp/bad/cases.csv"

# ---- from the case store ------------------------------------------------------
# The same cases imported into a store give the same return, with every
# published output beside it (return.json written last, when all are there).
expect_exit 0 "$NRMHUB" import --store "$tmp/store.db" --from case-jsonl "$cases"
mkdir -p "$tmp/from-store"
expect_exit 0 "$NRMHUB" --store "$tmp/store.db" return build --now "$now" --quarter 2024Q1 \
	--site hull -o "$tmp/from-store" --key "$tmp/hull.key" &&
	same_return "$tmp/from-store/return.json" "$data/expected-2024Q1.json"
for f in cases.csv return.sdmx.csv return.ods report.html csv-metadata.json table_1.csv; do
	[ -s "$tmp/from-store/$f" ] && pass || fail "from the store: no $f"
done
cmp -s "$tmp/2024Q1/cases.csv" "$tmp/from-store/cases.csv" && pass ||
	fail "cases.csv from the store differs from the one built from the file"

# return validate names the file, the JSON path and the rule.
sed 's/"total": 14/"total": -1/' "$data/expected-2024Q1.json" >"$tmp/neg.json"
expect_exit 65 "$NRMHUB" return validate "$tmp/neg.json"
assert_grep 'neg.json: .*\$\.referrals\.total: .*minimum' "$tmp/stderr"

expect_exit 0 "$NRMHUB" return --help
assert_grep 'return build --quarter' "$tmp/stdout"
finish
