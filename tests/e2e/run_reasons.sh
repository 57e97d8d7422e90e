#!/bin/bash
# Why a job run ended as it did, kept for a site run by cron, where no one
# reads the log (issue 18).  A council CSV with a date that is not real on
# line 5 fails its import job, and status, status --json and runs say
# which file, line and field and the rule broken, not "see above"; runs
# lists every run, the last first.  With keep_going and rejects the job
# ends "ok with 1 rejected", the good records stored, and the rejects
# report (mode 0600, in a folder the job makes 0700) holds the bad row's
# position and reason; a clean run leaves no empty report.  No case's
# identifier from the file reaches what status and runs print.
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/in"
csv="$site/in/council.csv"
cp "$SRCDIR/plugins/council-csv/sample.csv" "$csv"
# Line 5 is the third case (the second has a quoted field over two lines).
sed -i '5s#^\(BCT-2025-0003,[^,]*,[^,]*\),27/01/2025,#\1,31/02/2025,#' "$csv"
assert_grep '^BCT-2025-0003,birmingham,NRM250010133,31/02/2025,' "$csv" || finish
records=$(grep -c '^BCT-' "$csv")

write_config() {  # write_config EXTRA: the import job's further keys
	cat >"$site/nrmhub.json" <<JSON
{
  "site": {"code": "birmingham"},
  "store": "nrmhub.db",
  "jobs": [
    {"name": "council", "kind": "import", "format": "council-csv",
     "input": "in/council.csv"$1}
  ]
}
JSON
}
hub=("$NRMHUB" --config "$site/nrmhub.json")
write_config ""

# ---- a failed run says why --------------------------------------------------
expect_exit 70 "${hub[@]}" run --job council --now 2026-03-02T01:00:00Z
expect_exit 0 "${hub[@]}" status --now 2026-03-02T02:00:00Z
cp "$tmp/stdout" "$tmp/status-failed.txt"
assert_grep '^  last run   2026-03-02T01:00:00\+00:00: failed$' "$tmp/status-failed.txt"
assert_grep "^  problem    $csv:5: referral_date: .*is not a real date\$" "$tmp/status-failed.txt"
assert_grep "^  message    failed \(exit status 65\): 1 record rejected of 3 read, nothing was imported; first: $csv:5: referral_date: " \
	"$tmp/status-failed.txt"
assert_no_grep 'see above' "$tmp/status-failed.txt"
expect_exit 0 "${hub[@]}" status --json --now 2026-03-02T02:00:00Z
cp "$tmp/stdout" "$tmp/status-failed.json"
python3 - "$tmp/status-failed.json" "$csv" <<'PY' && pass || fail "status --json does not say why the import failed: $(cat "$tmp/status-failed.json")"
import json, sys
job = json.load(open(sys.argv[1]))["jobs"][0]
p = job["problems"]
assert job["result"] == "failed", job
assert len(p) == 1, p
assert p[0]["file"] == sys.argv[2] and p[0]["line"] == 5, p
assert p[0]["field"] == "referral_date" and p[0]["reason"].endswith("is not a real date"), p
assert job["counts"]["rejected"] == 1 and job["counts"]["committed"] is False, job
assert job["rejects"] is None, job
PY
assert_eq "$(sqlite3 "$site/nrmhub.db" 'SELECT count(*) FROM nrm_case')" 0 "cases after the failed import"

# ---- keep_going and rejects: ok with 1 rejected -------------------------------
write_config ', "keep_going": true, "rejects": "rejects/council-{date}.jsonl"'
expect_exit 0 "$NRMHUB" -v --config "$site/nrmhub.json" run --job council --now 2026-03-03T01:00:00Z
assert_grep 'job council: ok with 1 rejected: ' "$tmp/stderr"
rejects="$site/rejects/council-2026-03-03.jsonl"
[ -f "$rejects" ] && pass || fail "no rejects report at $rejects"
assert_eq "$(stat -c %a "$rejects")" 600 "the rejects report's mode"
assert_eq "$(stat -c %a "$site/rejects")" 700 "the rejects folder's mode"
assert_eq "$(wc -l <"$rejects")" 1 "lines in the rejects report"
python3 - "$rejects" "$csv" <<'PY' && pass || fail "the rejects report does not hold line 5: $(cat "$rejects")"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["file"] == sys.argv[2] and r["line"] == 5 and r["field"] == "referral_date", r
PY
assert_eq "$(sqlite3 "$site/nrmhub.db" 'SELECT count(*) FROM nrm_case')" "$((records - 1))" \
	"cases stored past the bad one"
expect_exit 0 "${hub[@]}" config check
expect_exit 0 "${hub[@]}" status --now 2026-03-03T02:00:00Z
cp "$tmp/stdout" "$tmp/status-kept.txt"
assert_grep '^  last run   2026-03-03T01:00:00\+00:00: ok with 1 rejected$' "$tmp/status-kept.txt"
assert_grep "^  rejects    $rejects\$" "$tmp/status-kept.txt"
assert_grep "^  message    $records records: $((records - 1)) new, 0 changed, 0 unchanged, 1 rejected \(set aside in $rejects\)" \
	"$tmp/status-kept.txt"
assert_grep "^  problem    $csv:5: referral_date: " "$tmp/status-kept.txt"
expect_exit 0 "${hub[@]}" status --json --now 2026-03-03T02:00:00Z
cp "$tmp/stdout" "$tmp/status-kept.json"
python3 - "$tmp/status-kept.json" "$rejects" <<'PY' && pass || fail "status --json: $(cat "$tmp/status-kept.json")"
import json, sys
job = json.load(open(sys.argv[1]))["jobs"][0]
assert job["result"] == "ok" and job["runs"] == 2, job
assert job["rejects"] == sys.argv[2], job
assert job["counts"]["rejected"] == 1 and job["counts"]["committed"] is True, job
assert job["problems"][0]["line"] == 5, job
PY

# The same file again: skipped as imported before, so the report is the
# earlier run's, not this one's.
expect_exit 0 "${hub[@]}" run --job council --now 2026-03-03T03:00:00Z
expect_exit 0 "${hub[@]}" status --json --now 2026-03-03T04:00:00Z
python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
sys.exit(0 if j["rejects"] is None and j["counts"]["files_skipped"] == 1 else 1)' \
	"$tmp/stdout" && pass || fail "a skipped file's run names a rejects report: $(cat "$tmp/stdout")"
assert_eq "$(wc -l <"$rejects")" 1 "lines in the earlier run's rejects report"

# ---- runs: the history, the last first ---------------------------------------
expect_exit 0 "${hub[@]}" runs
cp "$tmp/stdout" "$tmp/runs.txt"
assert_eq "$(wc -l <"$tmp/runs.txt")" 3 "runs listed"
assert_grep '^2026-03-03T03:00:00\+00:00  council  ok: 0 records: .*1 files skipped' <(sed -n 1p "$tmp/runs.txt")
assert_grep '^2026-03-03T01:00:00\+00:00  council  ok with 1 rejected: ' <(sed -n 2p "$tmp/runs.txt")
assert_grep "^2026-03-02T01:00:00\+00:00  council  failed: failed \(exit status 65\): .*first: $csv:5: referral_date: " \
	<(sed -n 3p "$tmp/runs.txt")
expect_exit 0 "${hub[@]}" runs --json
cp "$tmp/stdout" "$tmp/runs.json"
python3 - "$tmp/runs.json" <<'PY' && pass || fail "runs --json: $(cat "$tmp/runs.json")"
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
assert [r["status"] for r in runs] == ["ok", "ok", "failed"], runs
assert runs[0]["problems"] == [] and runs[0]["rejects"] is None, runs[0]
for r in runs[1:]:
    assert r["job"] == "council", r
    p = r["problems"][0]
    assert (p["line"], p["field"]) == (5, "referral_date"), r
PY
expect_exit 0 "${hub[@]}" runs --job council --limit 1
assert_eq "$(wc -l <"$tmp/stdout")" 1 "runs --limit 1"
expect_exit 0 "${hub[@]}" runs --since 2026-03-03
assert_eq "$(wc -l <"$tmp/stdout")" 2 "runs --since the second day"
expect_exit 0 "${hub[@]}" runs --job nothing
assert_grep '^no runs recorded$' "$tmp/stdout"
expect_exit 64 "${hub[@]}" runs --limit -1
expect_exit 64 "${hub[@]}" runs --since yesterday

# ---- no case's identifier in what status and runs print ----------------------
ids=$(grep -oE 'BCT-[0-9]{4}-[0-9]{4}|NRM[0-9]{9}' "$csv" | sort -u)
[ "$(echo "$ids" | wc -l)" -ge "$records" ] && pass || fail "the file's identifiers were not found"
for f in status-failed.txt status-failed.json status-kept.txt status-kept.json runs.txt runs.json; do
	for id in $ids; do
		if grep -qF -- "$id" "$tmp/$f"; then
			fail "$f holds the case identifier $id"
		fi
	done
	pass
done

# ---- a clean run leaves no empty rejects report -------------------------------
sed -i '5s#,31/02/2025,#,27/01/2025,#' "$csv"
expect_exit 0 "${hub[@]}" run --job council --now 2026-03-04T01:00:00Z
assert_no_file "$site/rejects/council-2026-03-04.jsonl"
expect_exit 0 "${hub[@]}" status --json --now 2026-03-04T02:00:00Z
python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
sys.exit(0 if j["result"] == "ok" and j["rejects"] is None and j["problems"] == [] else 1)' \
	"$tmp/stdout" && pass || fail "a clean run: $(cat "$tmp/stdout")"

# ---- the keys are checked like the others -----------------------------------
write_config ', "keep_going": "yes"'
expect_exit 78 "${hub[@]}" config check
assert_grep '\$\.jobs\[0\]\.keep_going: must be true or false' "$tmp/stderr"
write_config ', "rejects": "missing/r.jsonl"'
expect_exit 78 "${hub[@]}" config check
assert_grep '\$\.jobs\[0\]\.rejects: the folder .*/missing does not exist' "$tmp/stderr"
finish
