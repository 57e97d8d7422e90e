#!/bin/bash
# Nothing identifying leaves by accident.  Every identifying field of every
# format that can be read (case ids, NRM references, crime references,
# organisations, and a child's name, date of birth and notes in columns the
# reader ignores) holds a canary in tests/data/privacy/, in good records and
# in broken ones: broken JSON beside an NRM reference, a date that is not
# real beside a name, a case id twice with a merge that breaks a rule, an
# over-long organisation, a BOM before a case id, XML whose identifiers break
# the schema or the markup.  Then every command runs on them, once logging
# JSON lines with -v and once to syslog (caught by tests/preload's stand-in
# for syslog(3)): validate, convert and import with --keep-going and
# --rejects, export to every format, return build (official and published),
# bundle create and verify, keys add, intake, national build, config check,
# run --due of a site whose jobs read these files, status and runs (which
# show each run's first problems, kept in the ledger).  Everything
# written is searched for the canaries: standard error, standard output of
# every command whose output is not data, syslog, rejects, the return's and
# national outputs (the ODS unzipped, the bundles unpacked), intake's reasons.
# Left out, because they are the data: `cases show`, export and convert
# outputs, and the record-level extract cases.csv (pseudonyms only).
. "$SRCDIR/tests/e2e/lib.sh"

data="$SRCDIR/tests/data/privacy"
preload="$BUILDDIR/tests/preload/.libs/syslog-capture.so"
now=2025-07-02T06:00:00Z
cd "$tmp" || exit 1
[ -f "$preload" ] || { fail "no $preload: build it with make check"; finish; }
# Under AddressSanitizer the stand-in is preloaded before its runtime,
# which only matters to ASan for interposed malloc: syslog is not.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# The canaries: every one starts with these letters, in any case, and the
# dates of birth are dates no other field holds.
canary='canary|17/11/2009|2009-11-17|04/08/2009|2009-08-04|09/09/2012|02/02/2011|03/03/2011|04/04/2006'

mkdir -p written data
# hub NAME ARGS...: nrmhub in the scenario's logging mode; its stdout and
# stderr are kept in written/ to be searched.
hub() {
	local name=$1
	shift
	if [ "$mode" = json ]; then
		"$NRMHUB" --log json -v "$@" >"written/$mode-$name.out" 2>"written/$mode-$name.err"
	else
		NRM_TEST_SYSLOG="$tmp/written/syslog.log" LD_PRELOAD="$preload" \
			"$NRMHUB" --syslog -v "$@" >"written/$mode-$name.out" 2>"written/$mode-$name.err"
	fi
	echo "$?" >"written/$mode-$name.status"
}
# hub_data NAME ARGS...: the same for a command whose standard output is
# data (a record-level view): only its stderr is searched.
hub_data() {
	local name=$1
	shift
	hub "$name" "$@"
	mv "written/$mode-$name.out" "data/$mode-$name.out"
}
status_of() {
	cat "written/$mode-$1.status"
}

# A text copy of an ODS workbook's cells, to be searched.
ods_text() {
	python3 - "$1" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        sys.stdout.write(z.read(n).decode("utf-8", "replace"))
PY
}

# keep_tree DIR NAME: every file below DIR but cases.csv, as text, into
# written/NAME.txt.
keep_tree() {
	local f
	find "$1" -type f ! -name cases.csv | sort | while read -r f; do
		case "$f" in
		*.ods) ods_text "$f" ;;
		*) cat "$f" ;;
		esac
	done >"written/$mode-$2.txt"
}

# keep_outputs DIR: copies a return's or national build's outputs into
# written/, but not the record-level extract.
keep_outputs() {
	local dir=$1 f
	for f in "$dir"/*; do
		case "$(basename "$f")" in
		cases.csv) ;;
		*.ods) ods_text "$f" >"written/$mode-$(basename "$dir")-$(basename "$f").txt" ;;
		*) cp "$f" "written/$mode-$(basename "$dir")-$(basename "$f")" ;;
		esac
	done
}

site_config() {
	cat >"$1/nrmhub.json" <<EOF
{
  "site": {"code": "birmingham", "name": "Birmingham", "local_authority": "E08000025",
           "nation": "E92000001", "joined": "2021-06-01"},
  "store": "state/nrmhub.db",
  "keys": {"secret_key": "state/keys/site.key", "pseudonym_key": "state/keys/pseudonym.key"},
  "targets": {"drop": {"folder": "state/drop", "retry": {"attempts": 1, "base_ms": 0, "cap_ms": 0}}},
  "jobs": [
    {"name": "import-council", "kind": "import", "schedule": "15 2 * * *", "timeout": "1m",
     "format": "council-csv", "input": "in/council.csv"},
    {"name": "import-police", "kind": "import", "schedule": "20 2 * * *", "timeout": "1m",
     "format": "police-xml", "input": "in/police.xml"},
    {"name": "import-police-bad", "kind": "import", "schedule": "20 2 * * *", "timeout": "1m",
     "format": "police-xml", "input": "in/police-bad-crimeref.xml"},
    {"name": "import-homeoffice", "kind": "import", "schedule": "25 2 * * *", "timeout": "1m",
     "format": "homeoffice-json", "input": "in/homeoffice-syntax.json"},
    {"name": "import-clean", "kind": "import", "schedule": "25 2 * * *", "timeout": "1m",
     "format": "case-jsonl", "input": "in/clean.jsonl"},
    {"name": "import-jsonl", "kind": "import", "schedule": "25 2 * * *", "timeout": "1m",
     "format": "case-jsonl", "input": "in/cases.jsonl"},
    {"name": "quarterly-return", "kind": "return", "schedule": "0 6 2 1,4,7,10 *",
     "timeout": "5m", "audiences": ["official", "published"], "quarter": "2025Q1",
     "outbox": "state/outbox"},
    {"name": "deliver-returns", "kind": "deliver", "schedule": "*/30 * * * *",
     "target": "drop", "from": "state/outbox"}
  ]
}
EOF
}

# The whole scenario, in the folder named by the logging mode.
scenario() {
	mode=$1
	mkdir -p "$mode" && cd "$mode" || return 1
	local inputs="council-csv:council.csv council-csv:council-open-quote.csv
		police-xml:police.xml police-xml:police-bad-crimeref.xml
		police-xml:police-bad-tag.xml police-xml:police-long-id.xml
		police-xml:police-bad-attr.xml scotland-xml:scotland.xml
		scotland-xml:scotland-bad-date.xml homeoffice-json:homeoffice.json
		homeoffice-json:homeoffice-syntax.json ni-json:ni.jsonl case-jsonl:cases.jsonl"
	local pair fmt file i=0
	ln -sf "$tmp/written" written
	ln -sf "$tmp/data" data
	for pair in $inputs; do
		fmt=${pair%%:*} file=${pair#*:} i=$((i + 1))
		hub "validate-$i" validate --from "$fmt" "$data/$file"
		hub "validate-json-$i" validate --from "$fmt" --json "$data/$file"
		hub "convert-$i" convert --from "$fmt" --to case-jsonl --keep-going \
			--rejects "written/$mode-convert-$i.rejects" -o "data/$mode-convert-$i.jsonl" "$data/$file"
		hub "import-$i" import --store site.db --from "$fmt" --keep-going \
			--rejects "written/$mode-import-$i.rejects" --json "$data/$file"
		# Without --keep-going: the first bad record stops the import.
		hub "import-strict-$i" import --store strict.db --from "$fmt" "$data/$file"
	done
	for fmt in case-jsonl council-csv homeoffice-json ni-json police-xml scotland-xml wales-csv; do
		hub "export-$fmt" export --store site.db --to "$fmt" -o "data/$mode-export.$fmt"
		hub "export-site-$fmt" export --store site.db --site birmingham --to "$fmt" \
			-o "data/$mode-export-site.$fmt"
	done
	hub keygen keygen -o site
	mkdir -p return-official return-published outbox national
	hub build-official return build --store site.db --quarter 2025Q1 --site birmingham \
		--now "$now" --key pseudonym.key -o return-official --json
	hub build-published return build --store site.db --quarter 2025Q1 --site birmingham \
		--audience published --now "$now" -o return-published --json
	keep_outputs return-official
	keep_outputs return-published
	hub bundle bundle create --store site.db --quarter 2025Q1 --site birmingham \
		--key site.key --now "$now" -o outbox --json
	hub bundle-payload bundle create --payload return-published --seq 7 --key site.key \
		--now "$now" -o outbox
	# The hub's own readers of return.json, on one broken beside a canary.
	mkdir -p badret
	printf '{"schema": "nrmhub-return/1",\n "site" "CANARY-R-0001"}\n' >badret/return.json
	hub bundle-badret bundle create --payload badret --key site.key --now "$now" -o outbox
	hub return-validate return validate badret/return.json
	hub return-render return render -o badret-out badret/return.json
	mkdir -p keys unpacked inbox
	cp site.pub keys/birmingham.pub
	for b in outbox/*.tar.gz; do
		hub "verify-$(basename "$b")" bundle verify --keys keys --json "$b"
		tar -xzf "$b" -C unpacked
		cp "$b" "$b.minisig" inbox/
	done
	keep_tree unpacked bundles
	hub keys-add keys add --store intake.db --nation england birmingham site.pub
	hub keys-list keys list --store intake.db --json
	hub intake intake --inbox inbox --store intake.db --settle 0 --json
	find inbox -name '*.reason' -exec cat {} + >"written/$mode-intake-reasons.txt"
	hub national national build --store intake.db --quarter 2025Q1 --now "$now" -o national
	keep_outputs national

	# A site whose scheduled jobs read the same files.
	mkdir -p site/in site/state/keys site/state/outbox site/state/drop
	cp "$data"/* site/in/
	head -n 1 "$data/cases.jsonl" >site/in/clean.jsonl
	site_config site
	"$NRMHUB" keygen -o site/state/keys/site >/dev/null
	hub config-check --config site/nrmhub.json config check
	hub config-check-json --config site/nrmhub.json config check --json
	hub run-due --config site/nrmhub.json run --due --now "$now"
	hub run-all --config site/nrmhub.json run --all --now "$now"
	hub status --config site/nrmhub.json status --now "$now"
	hub status-json --config site/nrmhub.json status --now "$now" --json
	hub runs --config site/nrmhub.json runs --limit 0
	hub runs-json --config site/nrmhub.json runs --limit 0 --json
	mkdir -p site-unpacked
	for f in site/state/drop/*.tar.gz; do
		tar -xzf "$f" -C site-unpacked
	done
	keep_tree site-unpacked site-bundles
	cd "$tmp" || return 1
}

scenario json
scenario syslog

# The scenario ran: imports reported bad records, a return was built and
# delivered, and syslog received what stderr did not.
assert_eq "$(cat written/json-import-1.status)" 65 "import of council.csv with bad records"
assert_grep 'council\.csv:3: referral_date: 31/02/2025 is not a real date' written/json-validate-1.err
assert_grep '^7 records: ' written/json-validate-1.out
assert_grep '"level":"error"' written/json-import-1.err
[ -f json/return-official/return.json ] && pass || fail "no official return"
[ -f json/return-published/return.json ] && pass || fail "no published return"
# The published bundle is refused (the Home Office takes official returns).
assert_eq "$(cat written/json-intake.status)" 65 "intake"
[ -f json/inbox/accepted/birmingham/2025Q1/birmingham_2025Q1_001.tar.gz ] && pass ||
	fail "the official bundle was not accepted"
ls json/site/state/drop/*.tar.gz >/dev/null 2>&1 && pass || fail "run --due delivered nothing"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["referrals"]["total"] == 1' \
	json/site-unpacked/birmingham_2025Q1_001/data/return.json && pass ||
	fail "the scheduled return does not count the one good case"
assert_grep 'council\.csv:3: referral_date' written/syslog.log
assert_grep 'job import-council' written/syslog.log
# The ledger kept the failed imports' first problems, and runs shows them.
assert_grep '"field": "referral_date"' written/json-runs-json.out
assert_eq "$(cat written/syslog-run-due.err written/syslog-run-all.err | wc -c)" 0 \
	"bytes on stderr from run with --syslog"

assert_grep 'badret/return\.json:2:[0-9]+: not valid JSON' written/json-bundle-badret.err
assert_grep 'badret/return\.json:2:[0-9]+: not valid JSON' written/json-return-validate.err
assert_grep 'badret/return\.json:2:[0-9]+: not valid JSON' written/json-return-render.err

# A BOM at the start of a data line is refused, not made part of a case id.
assert_grep 'council\.csv:6: case_id: contains an invisible character \(U\+FEFF\) at byte 1' \
	written/json-validate-1.err
assert_grep 'cases\.jsonl:4: case_id: contains an invisible character \(U\+FEFF\)' \
	written/json-validate-13.err
# Delivered files are the owner's only.
assert_eq "$(stat -c %a json/site/state/drop/birmingham_2025Q1_001.tar.gz)" 600 \
	"mode of a file delivered to the drop folder"

# The search.
leaks=$(grep -Eri -- "$canary" written/ | cut -c1-300)
if [ -n "$leaks" ]; then
	fail "canaries in what was written:"
	printf '%s\n' "$leaks" | sort | head -n 40 >&2
else
	pass
fi
# The record-level outputs do hold them (so the search can find them).
assert_grep 'CANARY-C-0001' "data/json-export.case-jsonl"
finish
