#!/bin/bash
# The Home Office's intake: `nrmhub keys`, `nrmhub intake` and `nrmhub
# national build`.  Five sites, each with its own key, build their returns
# from small case files (tests/data/intake/*.jsonl) with `import` and
# `bundle create --quarter`; their bundles arrive in an inbox, among them a
# replay, one signed with an unknown key, one with a revoked key, a tampered
# one and a revision.  Every file's fate and reason is checked, then every
# national figure against tests/data/intake/WORKING.md, worked out by hand.
. "$SRCDIR/tests/e2e/lib.sh"

data="$SRCDIR/tests/data/intake"
now=2025-04-02T09:00:00Z
cd "$tmp" || exit 1

# ---- help, and the README (the man page against --help: man_help.sh) ------------
for cmd in keys intake national; do
	expect_exit 0 "$NRMHUB" "$cmd" --help && assert_grep "^Usage: nrmhub $cmd" "$tmp/stdout"
	assert_grep "nrmhub $cmd" "$SRCDIR/README.md"
done
expect_exit 64 "$NRMHUB" keys
expect_exit 64 "$NRMHUB" intake
assert_grep 'inbox DIR is required' "$tmp/stderr"
expect_exit 64 "$NRMHUB" intake --inbox . --settle -1
expect_exit 64 "$NRMHUB" national build --quarter 2025q1
expect_exit 64 "$NRMHUB" national build

# ---- the sites: keys, stores, bundles -------------------------------------------
# site_bundle SITE FILE...: imports the files into SITE's own store and makes
# the next bundle, signed with KEY (default SITE.key), into out/.
mkdir out
site_bundle() {
	local site=$1 key=${KEY:-$1.key}
	shift
	for f in "$@"; do
		expect_exit 0 "$NRMHUB" import --store "$site.db" --from case-jsonl "$data/$f" || return 1
	done
	expect_exit 0 "$NRMHUB" bundle create --store "$site.db" --quarter 2025Q1 --key "$key" \
		${SITE_NAME:+--site-name "$SITE_NAME"} --now "$now" -o out
}
for s in alpha bravo charlie delta echo; do
	expect_exit 0 "$NRMHUB" keygen -o "$s"
done
expect_exit 0 "$NRMHUB" keygen -o charlie-other
site_bundle alpha alpha-1.jsonl
site_bundle bravo bravo.jsonl
KEY=charlie-other.key site_bundle charlie charlie.jsonl
site_bundle delta delta.jsonl
site_bundle echo echo.jsonl
assert_eq "$(ls out | tr '\n' ' ')" "alpha_2025Q1_001.tar.gz alpha_2025Q1_001.tar.gz.minisig bravo_2025Q1_001.tar.gz bravo_2025Q1_001.tar.gz.minisig charlie_2025Q1_001.tar.gz charlie_2025Q1_001.tar.gz.minisig delta_2025Q1_001.tar.gz delta_2025Q1_001.tar.gz.minisig echo_2025Q1_001.tar.gz echo_2025Q1_001.tar.gz.minisig " "bundles made"
# The revisions: alpha adds a case, and names itself; delta sends its
# return again.
SITE_NAME="Alpha Borough Council" site_bundle alpha alpha-2.jsonl
expect_exit 0 "$NRMHUB" bundle create --store delta.db --quarter 2025Q1 --key delta.key --now "$now" -o out
assert_grep 'delta_2025Q1_002' "$tmp/stdout"

# ---- keys in the intake store ----------------------------------------------------
store=home-office.db
expect_exit 66 "$NRMHUB" keys list --store "$store"
expect_exit 0 "$NRMHUB" keys add --store "$store" --nation england alpha alpha.pub
expect_exit 0 "$NRMHUB" keys add --store "$store" --nation england bravo bravo.pub
expect_exit 0 "$NRMHUB" keys add --store "$store" --nation wales charlie charlie.pub
expect_exit 0 "$NRMHUB" keys add --store "$store" --nation scotland delta delta.pub
expect_exit 0 "$NRMHUB" keys add --store "$store" --nation wales echo echo.pub
assert_eq "$(stat -c %a "$store")" 600 "intake store mode"
# A second key for a site with one, a key twice, bad names and files.
expect_exit 65 "$NRMHUB" keys add --store "$store" alpha charlie-other.pub
assert_grep 'site alpha already has an unrevoked key: revoke it first' "$tmp/stderr"
expect_exit 65 "$NRMHUB" keys add --store "$store" zulu alpha.pub
assert_grep 'is already registered, for site alpha' "$tmp/stderr"
expect_exit 64 "$NRMHUB" keys add --store "$store" Bad_Site alpha.pub
expect_exit 64 "$NRMHUB" keys add --store "$store" --nation mars zulu alpha.pub
expect_exit 65 "$NRMHUB" keys add --store "$store" zulu alpha.key
expect_exit 66 "$NRMHUB" keys add --store "$store" zulu no-such.pub
expect_exit 65 "$NRMHUB" keys revoke --store "$store" zulu
assert_grep 'site zulu has no unrevoked key' "$tmp/stderr"
expect_exit 0 "$NRMHUB" keys list --store "$store" --json
assert_eq "$(python3 -c 'import json,sys; print(" ".join("%s:%s:%s" % (k["site"], k["nation"], k["status"]) for k in json.load(sys.stdin)))' <"$tmp/stdout")" \
	"alpha:england:active bravo:england:active charlie:wales:active delta:scotland:active echo:wales:active" "keys list"
alpha_id=$(sed -n 's/^untrusted comment: minisign public key //p' alpha.pub)
expect_exit 0 "$NRMHUB" keys list --store "$store"
assert_grep "^alpha +england +$alpha_id  active" "$tmp/stdout"

# ---- run 1 -------------------------------------------------------------------------
# settled FILE...: last modified a minute ago (the intake leaves files
# modified within the last 5 seconds alone).
settled() { touch -d '1 minute ago' "$@"; }
mkdir inbox
cp out/alpha_2025Q1_001.tar.gz* out/bravo_2025Q1_001.tar.gz* out/charlie_2025Q1_001.tar.gz* \
	out/delta_2025Q1_001.tar.gz* inbox/
# Half uploaded: alpha's revision without its signature yet.
cp out/alpha_2025Q1_002.tar.gz inbox/
# Tampered: one byte of echo's archive changed after signing.
cp out/echo_2025Q1_001.tar.gz.minisig inbox/
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 1; open(sys.argv[2], "wb").write(b)' \
	out/echo_2025Q1_001.tar.gz inbox/echo_2025Q1_001.tar.gz
settled inbox/*
# Still being written: modified "now" (a time in the future, so however slow
# the machine the file is younger than the settling time).
cp out/delta_2025Q1_002.tar.gz inbox/foxtrot_2025Q1_001.tar.gz
cp out/delta_2025Q1_002.tar.gz.minisig inbox/foxtrot_2025Q1_001.tar.gz.minisig
touch -d '+1 hour' inbox/foxtrot_2025Q1_001.tar.gz

# fates: FILE:FATE:REVISION per file, from intake --json.
fates() {
	python3 -c 'import json,sys
for o in json.load(open(sys.argv[1])):
    print("%s:%s:%s" % (o["file"], o["fate"], o["revision"]))' "$1" | tr '\n' ' '
}
reason() {
	python3 -c 'import json,sys
for o in json.load(open(sys.argv[1])):
    if o["file"] == sys.argv[2]: print(o["reason"])' "$1" "$2"
}

expect_exit 65 "$NRMHUB" intake --inbox inbox --store "$store" --json
cp "$tmp/stdout" run1.json
assert_eq "$(fates run1.json)" "alpha_2025Q1_001.tar.gz:accepted:False alpha_2025Q1_002.tar.gz:left:False bravo_2025Q1_001.tar.gz:accepted:False charlie_2025Q1_001.tar.gz:rejected:False delta_2025Q1_001.tar.gz:accepted:False echo_2025Q1_001.tar.gz:rejected:False foxtrot_2025Q1_001.tar.gz:left:False " "run 1 fates"
assert_eq "$(reason run1.json alpha_2025Q1_002.tar.gz)" "no signature yet (alpha_2025Q1_002.tar.gz.minisig)" "half-uploaded reason"
assert_eq "$(reason run1.json foxtrot_2025Q1_001.tar.gz)" "modified within the last 5 seconds: may still be uploading" "growing reason"
other_id=$(sed -n 's/^untrusted comment: minisign public key //p' charlie-other.pub)
charlie_id=$(sed -n 's/^untrusted comment: minisign public key //p' charlie.pub)
assert_eq "$(reason run1.json charlie_2025Q1_001.tar.gz)" \
	"step 1: inbox/charlie_2025Q1_001.tar.gz: signed with an unknown key (key ID $other_id); the key registered for site charlie is key ID $charlie_id" "unknown key reason"
assert_eq "$(reason run1.json echo_2025Q1_001.tar.gz)" \
	"step 1: inbox/echo_2025Q1_001.tar.gz.minisig: the signature does not match the archive (altered, or signed for another file)" "tampered reason"
# The files moved: accepted by site and quarter, refused beside a reason.
for f in alpha_2025Q1_001 bravo_2025Q1_001 delta_2025Q1_001; do
	site=${f%%_*}
	[ -f "inbox/accepted/$site/2025Q1/$f.tar.gz" ] && [ -f "inbox/accepted/$site/2025Q1/$f.tar.gz.minisig" ] \
		&& pass || fail "$f not in accepted/$site/2025Q1"
	assert_no_file "inbox/$f.tar.gz"
done
for f in charlie_2025Q1_001 echo_2025Q1_001; do
	[ -f "inbox/rejected/$f.tar.gz" ] && [ -f "inbox/rejected/$f.tar.gz.minisig" ] && pass || fail "$f not in rejected/"
	assert_eq "$(cat "inbox/rejected/$f.tar.gz.reason")" "$(reason run1.json $f.tar.gz)" "$f.reason"
done
[ -f inbox/alpha_2025Q1_002.tar.gz ] && [ -f inbox/foxtrot_2025Q1_001.tar.gz ] && pass || fail "half-uploaded files moved"
# Without --json, a line per file on stderr and nothing on stdout.
expect_exit 0 "$NRMHUB" intake --inbox inbox --store "$store"
assert_eq "$(wc -c <"$tmp/stdout")" 0 "stdout without --json"
assert_grep 'alpha_2025Q1_002.tar.gz: left: no signature yet' "$tmp/stderr"

# ---- run 2: revoke delta; alpha's revision completes; a replay; echo again ----------
expect_exit 0 "$NRMHUB" keys revoke --store "$store" delta
expect_exit 0 "$NRMHUB" keys list --store "$store" --json
assert_eq "$(python3 -c 'import json,sys; print([k["status"] for k in json.load(sys.stdin) if k["site"] == "delta"])' <"$tmp/stdout")" "['revoked']" "delta revoked"
cp out/alpha_2025Q1_002.tar.gz.minisig out/bravo_2025Q1_001.tar.gz* out/delta_2025Q1_002.tar.gz* \
	out/echo_2025Q1_001.tar.gz* inbox/
settled inbox/*.gz inbox/*.minisig
touch -d '+1 hour' inbox/foxtrot_2025Q1_001.tar.gz
expect_exit 65 "$NRMHUB" intake --inbox inbox --store "$store" --json
cp "$tmp/stdout" run2.json
assert_eq "$(fates run2.json)" "alpha_2025Q1_002.tar.gz:accepted:True bravo_2025Q1_001.tar.gz:rejected:False delta_2025Q1_002.tar.gz:rejected:False echo_2025Q1_001.tar.gz:accepted:False foxtrot_2025Q1_001.tar.gz:left:False " "run 2 fates"
assert_eq "$(reason run2.json bravo_2025Q1_001.tar.gz)" \
	"replay: sequence number 1 is not above 1, the last accepted for site bravo quarter 2025Q1" "replay reason"
assert_grep "^step 1: the key of site delta \(key ID [0-9A-F]{16}\) was revoked at [0-9-]{10}T[0-9:]{8}Z; its new bundles are refused$" <(reason run2.json delta_2025Q1_002.tar.gz)
[ -f inbox/accepted/alpha/2025Q1/alpha_2025Q1_002.tar.gz ] && pass || fail "revision not moved"
[ -f inbox/accepted/echo/2025Q1/echo_2025Q1_001.tar.gz ] && pass || fail "echo not accepted"
# The replay has the same name as a bundle accepted before; the rejected
# tampered echo keeps its name, and the good echo did not overwrite it.
[ -f inbox/rejected/bravo_2025Q1_001.tar.gz.reason ] && pass || fail "replay reason file"
assert_eq "$(cat inbox/rejected/echo_2025Q1_001.tar.gz.reason)" "$(reason run1.json echo_2025Q1_001.tar.gz)" "tampered reason kept"

# ---- run 3: again, nothing new -------------------------------------------------------
expect_exit 0 "$NRMHUB" intake --inbox inbox --store "$store" --json
assert_eq "$(fates "$tmp/stdout")" "foxtrot_2025Q1_001.tar.gz:left:False " "run 3 fates"

# ---- run 4: an extract that is not the one behind its return ------------------------
# bravo's return with its last case row (B3, awaiting RG) cut from cases.csv,
# then bagged and signed properly: refused, and bravo's figures unchanged.
mkdir bravo-ret
expect_exit 0 "$NRMHUB" return build --store bravo.db --quarter 2025Q1 --now "$now" -o bravo-ret
head -n 3 bravo-ret/cases.csv >cut.csv && mv cut.csv bravo-ret/cases.csv
mkdir out-cut
expect_exit 0 "$NRMHUB" bundle create --payload bravo-ret --seq 5 --key bravo.key --now "$now" -o out-cut
cp out-cut/* inbox/
settled inbox/bravo_2025Q1_005.tar.gz*
expect_exit 65 "$NRMHUB" intake --inbox inbox --store "$store" --json
assert_eq "$(reason "$tmp/stdout" bravo_2025Q1_005.tar.gz)" \
	"data/cases.csv does not agree with data/return.json: \$.awaiting.rg.count is 1, the extract has 0 such rows" "cut extract reason"
[ -f inbox/rejected/bravo_2025Q1_005.tar.gz.reason ] && pass || fail "cut extract not rejected"

# ---- run 5: payloads outside the return's file set ----------------------------------
# bravo's genuine bag, rebuilt by tests/e2e/hostile_bundle.py with the site's
# store, its secret key or its pseudonym key in data/ (listed in return.json,
# which must not save them) or a stray file, and signed with bravo's key by
# the stock minisign: each refused, naming the file.
if command -v minisign >/dev/null; then
	mkdir out-pl genuine-pl
	expect_exit 0 "$NRMHUB" bundle create --store bravo.db --quarter 2025Q1 --seq 6 --key bravo.key \
		--now "$now" -o out-pl
	tar xzf out-pl/bravo_2025Q1_006.tar.gz -C genuine-pl
	comment=$(sed -n 's/^trusted comment: //p' out-pl/bravo_2025Q1_006.tar.gz.minisig)
	seq=6
	for c in payload-store:nrmhub.db payload-seckey:site.key payload-pseudonym:birmingham.pseudonym.key \
		payload-stray:cases.jsonl payload-missing:report.html payload-table:table_1.csv \
		payload-header:table_1.csv payload-sdmx:return.sdmx.csv payload-script:report.html; do
		seq=$((seq + 1))
		name=$(printf 'bravo_2025Q1_%03d' "$seq")
		mkdir -p "genuine-pl/$name" && cp -r genuine-pl/bravo_2025Q1_006/. "genuine-pl/$name/"
		sed -i "s/bravo_2025Q1_006/$name/" "genuine-pl/$name/bag-info.txt"
		digest=$(python3 "$SRCDIR/tests/e2e/hostile_bundle.py" "${c%%:*}" "genuine-pl/$name" "inbox/$name.tar.gz")
		signed=$(printf '%s' "$comment" | sed "s/seq=6	bag=bravo_2025Q1_006/seq=$seq	bag=$name/; s/tagmanifest-sha512=.*/tagmanifest-sha512=$digest/")
		minisign -S -s bravo.key -t "$signed" -m "inbox/$name.tar.gz" >/dev/null 2>&1 </dev/null ||
			fail "minisign could not sign $name"
		settled "inbox/$name.tar.gz"*
		expect_exit 65 "$NRMHUB" intake --inbox inbox --store "$store" --json
		assert_grep "data: ${c#*:}: " inbox/rejected/"$name".tar.gz.reason
	done
	# bravo referred 3 children (tests/data/intake/WORKING.md).
	assert_grep "data: table_1\.csv: line 2, column 5 \(Number\): '999', return\.json gives '3'" \
		inbox/rejected/bravo_2025Q1_012.tar.gz.reason
	assert_grep "data: return\.sdmx\.csv: line 2, column 20 \(OBS_VALUE\): '4', return\.json gives '3'" \
		inbox/rejected/bravo_2025Q1_014.tar.gz.reason
fi

# ---- two intakes at once --------------------------------------------------------------
mkdir inbox2
expect_exit 0 "$NRMHUB" keys add --store two.db alpha alpha.pub
expect_exit 0 "$NRMHUB" keys add --store two.db bravo bravo.pub
expect_exit 0 "$NRMHUB" keys add --store two.db echo echo.pub
cp out/alpha_2025Q1_00[12].tar.gz* out/bravo_2025Q1_001.tar.gz* out/echo_2025Q1_001.tar.gz* inbox2/
settled inbox2/*
"$NRMHUB" intake --inbox inbox2 --store two.db --json >two-a.json 2>two-a.err &
pid_a=$!
"$NRMHUB" intake --inbox inbox2 --store two.db --json >two-b.json 2>two-b.err &
pid_b=$!
wait $pid_a; rc_a=$?
wait $pid_b; rc_b=$?
assert_eq "$rc_a $rc_b" "0 0" "two intakes at once: exit codes"
assert_eq "$(python3 -c 'import json,sys
print(" ".join(sorted("%s:%s" % (o["file"], o["fate"]) for f in sys.argv[1:] for o in json.load(open(f)))))' two-a.json two-b.json)" \
	"alpha_2025Q1_001.tar.gz:accepted alpha_2025Q1_002.tar.gz:accepted bravo_2025Q1_001.tar.gz:accepted echo_2025Q1_001.tar.gz:accepted" \
	"two intakes at once: each bundle taken once"
assert_eq "$(ls inbox2/accepted/*/2025Q1 | grep -c 'tar.gz$')" 4 "two intakes: bundles accepted"
assert_eq "$(ls inbox2/rejected | wc -l)" 0 "two intakes: nothing rejected"

# ---- national build ----------------------------------------------------------------------
# Non-pilot areas: the Home Office's own cases, imported into the intake store.
expect_exit 0 "$NRMHUB" import --store "$store" --from homeoffice-json "$data/non-pilot.json"
expect_exit 66 "$NRMHUB" national build --quarter 2024Q4 --store "$store" -o none
assert_no_file none/national.json
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store "$store" --now "$now" -o nat
for f in national.json national.sdmx.csv national.ods report.html csv-metadata.json notes.csv table_1.csv; do
	[ -s "nat/$f" ] && pass || fail "nat/$f missing"
done
python3 "$SRCDIR/tests/e2e/check_national.py" nat/national.json >"$tmp/check" 2>&1 && pass || { fail "national figures"; cat "$tmp/check" >&2; }
# The national tables carry the sites, nations and the comparison.
cat nat/table_*.csv >all-tables.csv
# Each percentage positive beside the counts (WORKING.md): alpha RG A1, A3
# of 3; delta D1 of 1; England RG 4 of 5, CG 2 of 2; Wales (echo) RG E1, E3
# of 4, CG 0 of 1 (E3 negative).
# A site is listed by the name its latest return records, else its code.
assert_grep '^2025,Q1,alpha,Alpha Borough Council,England,"sequence 2, a revision",3,3,2,66\.7,1,1,100\.0,20\.0,30,70\.0,70,0,1' all-tables.csv
assert_grep '^2025,Q1,delta,delta,Scotland,"sequence 1, signed with a key since revoked",1,1,1,100\.0,0,0,\[z\],5\.0,5,\[z\],\[z\],0,1' all-tables.csv
# No case here has a date of birth, so none is in the pilot's scope and the
# comparison is empty (its figures: tests/e2e/national_comparison.sh).
assert_grep '^2025,Q1,rg,Reasonable grounds,0,\[z\],\[z\],\[z\],0,0,\[z\],\[z\],\[z\],0' all-tables.csv
assert_grep '^2025,Q1,cg,Conclusive grounds,0,\[z\],\[z\],\[z\],0,0,\[z\],\[z\],\[z\],0' all-tables.csv
assert_grep '^2025,Q1,charlie,charlie,no return,0' all-tables.csv
assert_grep '^2025,Q1,england,England,6,5,4,80\.0,2,2,100\.0,30\.0,50,73\.5,77,1,2[[:cntrl:]]?$' all-tables.csv
assert_grep '^2025,Q1,wales,Wales,3,4,2,50\.0,1,0,0\.0,75\.0,90,86\.0,86,0,1[[:cntrl:]]?$' all-tables.csv
assert_grep '^2025,Q1,alpha,Alpha Borough Council,revised,2' all-tables.csv
assert_grep '^NRMHUB:DF_DDM_NATIONAL_RETURN\(1\.0\),K02000001,_T,DAYS_MEDIAN,(_T,){9}RG,(_T,){3}PILOT,Q,2025-Q1,,M,DAY' nat/national.sdmx.csv
assert_sdmx nat/national.sdmx.csv
# The national file in SDMX-CSV 2.0: its own dataflow, the same observations.
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store "$store" --now "$now" \
	--sdmx 2.0 -o nat2
assert_grep '^dataflow,NRMHUB:DF_DDM_NATIONAL_RETURN\(1\.0\),I,K02000001,_T,REFERRALS,' \
	nat2/national.sdmx.csv
assert_sdmx nat2/national.sdmx.csv
assert_same nat/table_1.csv nat2/table_1.csv
assert_grep '<svg' nat/report.html
assert_grep 'pilot sites against non-pilot areas' nat/report.html
# The tables by site name each site: by the name its return records, else
# by its code.
for site in "Alpha Borough Council" bravo delta echo; do
	assert_grep "<th scope=\"row\">$site</th>" nat/report.html
done
assert_eq "$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("mimetype").decode())' nat/national.ods)" "application/vnd.oasis.opendocument.spreadsheet" "ODS mimetype"
# The workbook: well-formed, a sheet per table after the cover, contents and
# notes, the national tables last.
python3 -c 'import sys, zipfile; open("content.xml", "wb").write(zipfile.ZipFile(sys.argv[1]).read("content.xml"))' nat/national.ods
if command -v xmllint >/dev/null; then expect_exit 0 xmllint --noout --nonet content.xml; fi
assert_eq "$(grep -o 'table:name="[A-Za-z_0-9]*"' content.xml | tr '\n' ' ')" \
	"$(printf 'table:name="%s" ' Cover_sheet Table_of_contents Notes $(seq -f 'Table_%g' 1 21))" "national.ods sheets"
# Valid ODF 1.2, as return.ods is (ods_schema.sh), where jing is installed.
if odf_schema; then assert_odf_valid nat/national.ods; fi
assert_eq "$(stat -c %a nat/national.json)" 600 "national.json mode"

finish
