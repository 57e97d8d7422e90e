#!/bin/bash
# `nrmhub export`: a case-jsonl file imported into an empty store and
# exported again gives the same records, byte for byte, in (site, case_id)
# order; --site and --changed-since select; a failed export leaves no file;
# and `cases show` prints every field with its source.

. "$SRCDIR/tests/e2e/lib.sh"

canonical=$SRCDIR/tests/data/case/valid-canonical.jsonl
store=$tmp/cases.db

# The canonical records in the store's order: by site, then case_id, bytewise.
python3 -c 'import json, sys
lines = open(sys.argv[1], "rb").read().splitlines()
key = lambda l: (json.loads(l)["site"].encode(), json.loads(l)["case_id"].encode())
sys.stdout.buffer.write(b"".join(l + b"\n" for l in sorted(lines, key=key)))' \
	"$canonical" >"$tmp/expected.jsonl"

expect_exit 66 "$NRMHUB" export --store "$store" --to case-jsonl -o "$tmp/out.jsonl"
assert_no_file "$tmp/out.jsonl"
assert_no_file "$store"

expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl "$canonical"
expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl -o "$tmp/out.jsonl" &&
	assert_same "$tmp/expected.jsonl" "$tmp/out.jsonl"
assert_eq "$(stat -c %a "$tmp/out.jsonl")" 600 "mode of the export"
expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl -o "$tmp/new/folders/out.jsonl" &&
	assert_same "$tmp/expected.jsonl" "$tmp/new/folders/out.jsonl"
# To standard output, the same bytes.
expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl &&
	assert_same "$tmp/expected.jsonl" "$tmp/stdout"
# Exported and imported again into a fresh store: a fixed point.
expect_exit 0 "$NRMHUB" import --store "$tmp/second.db" --from case-jsonl "$tmp/out.jsonl"
expect_exit 0 "$NRMHUB" export --store "$tmp/second.db" --to case-jsonl &&
	assert_same "$tmp/expected.jsonl" "$tmp/stdout"

# ---- selecting --------------------------------------------------------------

expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl --site hull &&
	assert_eq "$(wc -l <"$tmp/stdout")" "$(grep -c '"site":"hull"' "$canonical")" "hull's cases" &&
	assert_no_grep '"site":"(cardiff|hampshire)"' "$tmp/stdout"
expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl --changed-since 2000-01-01 &&
	assert_same "$tmp/expected.jsonl" "$tmp/stdout"
expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl --changed-since 2999-01-01 &&
	assert_eq "$(wc -c <"$tmp/stdout")" 0 "cases changed in 2999"
expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl \
	--changed-since 2999-01-01T00:00:00Z && assert_eq "$(wc -c <"$tmp/stdout")" 0 "as a time"
expect_exit 64 "$NRMHUB" export --store "$store" --to case-jsonl --changed-since 2025-02-30
expect_exit 64 "$NRMHUB" export --store "$store"
expect_exit 64 "$NRMHUB" export --store "$store" --to case-jsonl extra-argument
# A format no plugin writes: exit 69.
expect_exit 69 "$NRMHUB" export --store "$store" --to no-such-format
expect_exit 0 "$NRMHUB" export --help && assert_grep '^Usage: nrmhub export' "$tmp/stdout"
# An output that cannot be created (under a file): nothing written, exit 73.
touch "$tmp/a-file"
expect_exit 73 "$NRMHUB" export --store "$store" --to case-jsonl -o "$tmp/a-file/out.jsonl"

# ---- cases show ---------------------------------------------------------------

expect_exit 0 "$NRMHUB" cases show --store "$store" --site hull HULL-0002
show=$tmp/stdout
cp "$show" "$tmp/show.txt"
iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
from="case-jsonl, $canonical, $iso"
assert_grep '^FIELD +VALUE +SOURCE' "$tmp/show.txt"
assert_grep '^case_id +HULL-0002 *$' "$tmp/show.txt"
assert_grep '^site +hull *$' "$tmp/show.txt"
assert_grep "^first_responder_org +Hull City Council Children's Services +$from, 2025-06-30T09:15:00Z\$" "$tmp/show.txt"
assert_grep "^exploitation_types +\\[\"criminal\",\"sexual\"\\] +$from, " "$tmp/show.txt"
assert_grep "^rg_outcome +positive +$from, " "$tmp/show.txt"
assert_grep "^status_date +2025-05-02 +$from, " "$tmp/show.txt"
assert_grep "^last changed $iso\$" "$tmp/show.txt"
assert_eq "$(grep -c . "$tmp/show.txt")" 26 "lines: a header, 24 fields, last changed"
expect_exit 0 "$NRMHUB" cases show --store "$store" HULL-0001 &&
	assert_grep '^nrm_ref +null +-$' "$tmp/stdout"

expect_exit 0 "$NRMHUB" cases show --store "$store" --json HULL-0002
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
c, s = d["case"], d["sources"]
assert c["case_id"] == "HULL-0002" and c["status"] == "withdrawn", c
assert list(c)[:3] == ["case_id", "site", "nrm_ref"], list(c)
assert s["gender"]["plugin"] == "case-jsonl" and s["gender"]["file"] == sys.argv[2], s["gender"]
assert s["gender"]["updated_at"] == "2025-06-30T09:15:00Z"
assert "case_id" not in s and len(s) == 22, sorted(s)
' "$tmp/stdout" "$canonical" && pass || fail "cases show --json"

# One id at two sites: the site must be given.
printf '%s\n' '{"case_id":"HULL-0002","site":"york","referral_date":"2025-03-01"}' >"$tmp/york.jsonl"
expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl "$tmp/york.jsonl"
expect_exit 64 "$NRMHUB" cases show --store "$store" HULL-0002
assert_no_grep 'HULL-0002' "$tmp/stderr"
expect_exit 0 "$NRMHUB" cases show --store "$store" --site york HULL-0002 &&
	assert_grep '^referral_date +2025-03-01 ' "$tmp/stdout"
expect_exit 64 "$NRMHUB" cases show --store "$store"
expect_exit 64 "$NRMHUB" cases list --store "$store"
expect_exit 0 "$NRMHUB" cases --help && assert_grep '^Usage: nrmhub cases show' "$tmp/stdout"

finish
