#!/bin/bash
# The example site run from its configuration (examples/site/run-example,
# the README's main job, which runs the site's jobs with `nrmhub run`): keys
# made on first run, every party's sample imported, the quarter's return
# built, signed and delivered to the drop folder, and the bundle verifies.
# Then a full run logged as JSON lines, and no log line holds any case id or
# reference from the site's data.  (tests/e2e/demo.sh checks the job's
# figures and what it prints.)
. "$SRCDIR/tests/e2e/lib.sh"

ex="$tmp/example"
expect_exit 0 env NRMHUB="$NRMHUB" OUT="$ex" QUARTER=2025Q2 "$SRCDIR/examples/site/run-example"
assert_grep "made the signing key" "$tmp/stdout"
assert_grep "^   $ex/state/drop/birmingham_2025Q2_001\\.tar\\.gz\$" "$tmp/stdout"
key_mode=$(stat -c %a "$ex/state/keys/birmingham.key")
assert_eq "$key_mode" 600 "the secret key's mode"
mkdir -p "$tmp/keys"
cp "$ex/state/keys/birmingham.pub" "$tmp/keys/birmingham.pub"
expect_exit 0 "$NRMHUB" bundle verify --keys "$tmp/keys" "$ex/state/drop/birmingham_2025Q2_001.tar.gz"
# Run again: the key is kept, the files imported before are skipped, and
# nothing delivered before is sent again (only the quarter's new bundle).
expect_exit 0 env NRMHUB="$NRMHUB" OUT="$ex" QUARTER=2025Q2 "$SRCDIR/examples/site/run-example"
assert_no_grep "made the signing key" "$tmp/stdout"
expect_exit 0 "$NRMHUB" --config "$ex/nrmhub.json" status --json
assert_grep '"message": "[0-9]+ records: 0 new, 0 changed, 0 unchanged; 1 files skipped' "$tmp/stdout"
assert_grep '"message": "2 delivered, 0 pending, 0 refused, to drop"' "$tmp/stdout"
assert_eq "$(ls "$ex/state/drop" | tr '\n' ' ')" \
	"birmingham_2025Q2_001.tar.gz birmingham_2025Q2_001.tar.gz.minisig birmingham_2025Q2_002.tar.gz birmingham_2025Q2_002.tar.gz.minisig " \
	"bundles delivered over two runs"

# --- bundle numbers spent on no bundle ---------------------------------------
# A create that fails after taking its number records why; one killed
# before recording its end (simulated: its record unset and its bundle
# gone) is settled by the next create into the same folder, and one killed
# just after finishing is settled as finished.  `status` lists the gaps.
db="$ex/state/nrmhub.db" outbox="$ex/state/outbox"
expect_exit 66 "$NRMHUB" bundle create --store "$db" --quarter 2025Q2 --key "$tmp/none.key" \
	-o "$outbox" --reason "a test of a failing create"
expect_exit 0 "$NRMHUB" --config "$ex/nrmhub.json" status
assert_grep '^bundle numbers spent on no bundle: 1$' "$tmp/stdout"
assert_grep "^  birmingham_2025Q2_003  reserved .*: .*none\.key" "$tmp/stdout"
sqlite3 "$db" "UPDATE bundle_made SET finished_at = NULL WHERE seq IN (1, 2)" &&
	rm "$outbox/birmingham_2025Q2_001.tar.gz" || fail "cannot unset the bundles' records"
expect_exit 0 "$NRMHUB" --config "$ex/nrmhub.json" status --json
assert_grep '"seq": 2,' "$tmp/stdout"
expect_exit 0 "$NRMHUB" bundle create --store "$db" --quarter 2025Q2 --key "$ex/state/keys/birmingham.key" \
	-o "$outbox" --reason "a test of the next create"
expect_exit 0 "$NRMHUB" --config "$ex/nrmhub.json" status
assert_grep '^bundle numbers spent on no bundle: 2$' "$tmp/stdout"
assert_grep '^  birmingham_2025Q2_001  reserved .*: interrupted: no bundle was finished' "$tmp/stdout"
assert_no_grep 'birmingham_2025Q2_002' "$tmp/stdout"

# --- logs: JSON lines, and no personal data in any line -------------------
logs="$tmp/logs"
mkdir -p "$logs"
ex2="$tmp/example2"
mkdir -p "$ex2"
cp "$SRCDIR/examples/site/nrmhub.json" "$ex2/"
cp -r "$SRCDIR/examples/site/data" "$ex2/"
mkdir -p "$ex2/state/keys" "$ex2/state/outbox" "$ex2/state/drop"
"$NRMHUB" keygen -o "$ex2/state/keys/birmingham" >/dev/null
hub=("$NRMHUB" --config "$ex2/nrmhub.json" -v --log json)
"${hub[@]}" run --all --now 2025-07-02T06:00:00Z >"$logs/all.out" 2>"$logs/all.log"
assert_eq "$?" 0 "a full run of the example site"
# Its return job built the last quarter that had ended at the run's time.
[ -f "$ex2/state/drop/birmingham_2025Q2_001.tar.gz" ] && pass ||
	fail "the 2025Q2 bundle was not built and delivered by run --all on 2 July 2025"
assert_grep '"job":"quarterly-return","message":"done: the 2025Q2 return, signed' "$logs/all.log"
"${hub[@]}" run --due --now 2025-07-03T06:00:00Z >"$logs/due.out" 2>"$logs/due.log"
assert_eq "$?" 0 "a scheduled run of the example site"
# A job that fails, with its data: the messages still name no case.
sed -i '2s#,06/01/2025,#,31/02/2025,#' "$ex2/data/council-cases.csv"
"${hub[@]}" run --job import-council --now 2025-07-03T07:00:00Z >"$logs/bad.out" 2>"$logs/bad.log"
assert_eq "$?" 70 "an import that fails"
"$NRMHUB" --config "$ex2/nrmhub.json" --syslog run --job import-council \
	>"$logs/syslog.out" 2>"$logs/syslog.err"
# With a syslog daemon, nothing on stderr; without one (a container), the
# messages stay there, after a line that says why, rather than vanish.
if [ -S /dev/log ]; then
	assert_eq "$(wc -c <"$logs/syslog.err")" 0 "bytes on stderr with --syslog"
else
	assert_grep 'no syslog daemon listens at /dev/log: messages go to standard error' \
		"$logs/syslog.err"
	assert_grep 'council-cases\.csv:2: referral_date' "$logs/syslog.err"
fi

python3 - "$logs"/*.log <<'PY' && pass || fail "log lines that are not JSON objects with time, level, message"
import json, sys
for path in sys.argv[1:]:
    for line in open(path):
        o = json.loads(line)
        assert set(o) >= {"time", "level", "message"}, line
        assert o["level"] in ("error", "warning", "info", "debug"), line
PY
assert_grep '"level":"info","job":"import-police","message":"done: 7 records' "$logs/all.log"
assert_grep '"job":"import-council","message":"failed \(exit status 65\): 1 record rejected of 1 read, nothing was imported; first: [^"]*council-cases\.csv:2: referral_date: ' "$logs/bad.log"
assert_grep '"level":"error","job":"import-council","message":".*council-cases\.csv:2: referral_date: ' "$logs/bad.log"
# The history says the same, for cron's site, where nobody reads the log.
"$NRMHUB" --config "$ex2/nrmhub.json" runs --job import-council >"$logs/runs.out" 2>"$logs/runs.err"
assert_eq "$?" 0 "runs"
assert_grep '^2025-07-03T08:00:00\+01:00  import-council  failed: failed \(exit status 65\): .*council-cases\.csv:2: referral_date: ' \
	"$logs/runs.out"
"$NRMHUB" --config "$ex2/nrmhub.json" runs --json --limit 0 >"$logs/runs-json.out" 2>"$logs/runs.err"
python3 -c 'import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
bad = [r for r in runs if r["status"] == "failed"][0]
assert (bad["problems"][0]["line"], bad["problems"][0]["field"]) == (2, "referral_date"), bad' \
	"$logs/runs-json.out" && pass || fail "runs --json: $(head -c 600 "$logs/runs-json.out")"

# Every case id and reference in the site's data.
python3 - "$SRCDIR/examples/site/data" >"$tmp/ids" <<'PY'
import csv, json, re, sys
d = sys.argv[1]
ids = set()
with open(d + "/council-cases.csv", encoding="utf-8-sig") as f:
    for row in csv.DictReader(f):
        ids.add(row["Case ID"])
        if row["NRM Reference"]:
            ids.add(row["NRM Reference"])
xml = open(d + "/police-cases.xml").read()
ids.update(re.findall(r'caseId="([^"]+)"', xml))
ids.update(re.findall(r"<NrmReference>([^<]+)<", xml))
ids.update(re.findall(r"<CrimeReference>([^<]+)<", xml))
for c in json.load(open(d + "/homeoffice-cases.json"))["cases"]:
    ids.add(c["local_case"]["case_id"])
    ids.add(c["nrm_reference"])
for i in sorted(ids):
    print(i)
PY
assert_eq "$(($(wc -l <"$tmp/ids") > 20))" 1 "case ids and references to look for"
leaks=$(grep -F -f "$tmp/ids" "$logs"/*.log "$logs"/*.err "$logs"/runs*.out "$tmp/stderr" | head -n 3)
assert_eq "$leaks" "" "log lines with a case id or reference"
finish
