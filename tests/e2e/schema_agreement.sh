#!/bin/bash
# The canonical case is defined twice: by schemas/case.schema.json for other
# programs, and by the hub's validator, which is what nrmhub really enforces.
# This test keeps them from drifting apart.  Every fixture under
# tests/data/case/{valid,invalid} goes through `nrmhub validate --from
# case-jsonl` and through Debian's python3-jsonschema (draft 2020-12, format
# checking on).  Valid fixtures must pass both; invalid ones must fail the hub
# with a message naming the line and the field (invalid/EXPECTED.tsv) without
# echoing the record's case_id, and must fail the schema too, except those in
# c-only-rules.txt, which the schema must accept so that list stays honest.
# The system python is used on purpose: a pyenv python first on PATH usually
# lacks the module.  Without it the schema half is skipped (exit 77).

. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/case
schema=$SRCDIR/schemas/case.schema.json
expected=$data/invalid/EXPECTED.tsv
c_only=$data/c-only-rules.txt
# Every invalid fixture shares this case_id unless it is about case_id; the
# hub must never repeat it in a message (children's records).
base_case_id=HULL-0100

# The field a fixture's message must name, from EXPECTED.tsv.
expected_field() {
	awk -F '\t' -v name="$1" '$1 == name { print $2; exit }' "$expected"
}

# names_line_and_field FILE FIELD: $tmp/stderr has "FILE:1: FIELD: " or
# "FILE:1:COLUMN: FIELD: ".  A FIELD written "(key)" is a problem that is not
# one canonical field's (an unknown key): the line must then mention the key.
# Plain string comparison, so no character in a path is taken as a pattern.
names_line_and_field() {
	awk -v prefix="$1:1:" -v field="$2" '
		index($0, prefix) == 1 {
			rest = substr($0, length(prefix) + 1)
			sub(/^[0-9]+:/, "", rest)
			if (field ~ /^\(.*\)$/) {
				if (index(rest, substr(field, 2, length(field) - 2)))
					found = 1
			} else if (index(rest, " " field ": ") == 1) {
				found = 1
			}
		}
		END { exit !found }' "$tmp/stderr"
}

check_valid_with_hub() {
	local f=$1
	expect_exit 0 "$NRMHUB" validate --from case-jsonl --json "$f" || return
	# A fixture that yielded no record at all would pass vacuously.
	assert_grep '"records": ?1[,}]' "$tmp/stdout" &&
		assert_grep '"good": ?1[,}]' "$tmp/stdout"
}

check_invalid_with_hub() {
	local f=$1 name field
	name=$(basename "$f")
	field=$(expected_field "$name")
	if [ -z "$field" ]; then
		fail "$name: no line for it in invalid/EXPECTED.tsv"
		return
	fi
	expect_exit 65 "$NRMHUB" validate --from case-jsonl --json "$f" || return
	if names_line_and_field "$f" "$field"; then
		pass
	else
		fail "$f: no '$f:1: $field: ' message; stderr was:"
		sed 's/^/  | /' "$tmp/stderr" >&2
	fi
	assert_no_grep "$base_case_id" "$tmp/stderr"
}

shopt -s nullglob
valid=("$data"/valid/*.json)
invalid=("$data"/invalid/*.json)
[ "${#valid[@]}" -ge 12 ] || fail "only ${#valid[@]} valid fixtures"
[ "${#invalid[@]}" -ge 30 ] || fail "only ${#invalid[@]} invalid fixtures"

for f in "${valid[@]}"; do
	check_valid_with_hub "$f"
done
for f in "${invalid[@]}"; do
	check_invalid_with_hub "$f"
done

# Stale or doubled lines in the two lists would hide a deleted fixture.
dups=$(grep -v '^#' "$expected" | cut -f1 | LC_ALL=C sort | uniq -d)
[ -z "$dups" ] || fail "EXPECTED.tsv names these twice: $dups"
while IFS=$'\t' read -r name _; do
	case $name in '' | '#'*) continue ;; esac
	[ -f "$data/invalid/$name" ] || fail "EXPECTED.tsv names $name, which does not exist"
done <"$expected"
while IFS=$'\t' read -r name reason; do
	case $name in '' | '#'*) continue ;; esac
	[ -f "$data/invalid/$name" ] || fail "c-only-rules.txt names $name, which does not exist"
	[ -n "$reason" ] || fail "c-only-rules.txt gives no reason for $name"
done <"$c_only"

if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	[ "$failures" -eq 0 ] || finish
	echo "SKIP: /usr/bin/python3 has no jsonschema module (apt-get install python3-jsonschema)"
	exit 77
fi

# One python process for every fixture: start-up dominates otherwise.
/usr/bin/python3 - "$schema" "$data" "$c_only" <<'PYTHON'
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator

schema_path, data, c_only_path = sys.argv[1:4]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(
    schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

c_only = set()
with open(c_only_path, encoding="utf-8") as f:
    for line in f:
        name = line.split("\t", 1)[0].strip()
        if name and not name.startswith("#"):
            c_only.add(name)

passed = failed = 0


def verdict(ok, message):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + message, file=sys.stderr)


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # case-jsonl: one object on one line, so each fixture is itself a file
    # the importer reads.
    if text.count("\n") != 1 or not text.endswith("\n"):
        verdict(False, f"{path}: not exactly one line")
    return json.loads(text)


def errors(record):
    return sorted(e.message for e in validator.iter_errors(record))


valid_records = []
for path in sorted(glob.glob(os.path.join(data, "valid", "*.json"))):
    record = load(path)
    valid_records.append(record)
    errs = errors(record)
    verdict(not errs, f"{path}: the schema rejects a valid fixture: {errs}")

for path in sorted(glob.glob(os.path.join(data, "invalid", "*.json"))):
    name = os.path.basename(path)
    errs = errors(load(path))
    if name in c_only:
        verdict(not errs, f"{path}: listed in c-only-rules.txt but the schema "
                          f"rejects it ({errs}); take it off the list")
    else:
        verdict(bool(errs), f"{path}: the schema accepts it; express the rule "
                            f"in the schema or list it in c-only-rules.txt")

# Every value of every enumeration appears in some valid fixture, so each is
# known to pass both sides.
for field, spec in schema["properties"].items():
    values = spec.get("enum") or spec.get("items", {}).get("enum") or []
    for value in values:
        if value is None:
            continue
        seen = any(r.get(field) == value or
                   (isinstance(r.get(field), list) and value in r[field])
                   for r in valid_records)
        verdict(seen, f"no valid fixture has {field} = {value!r}")

print(f"schema: {passed} checks held, {failed} broke")
sys.exit(1 if failed else 0)
PYTHON
if [ $? -eq 0 ]; then
	pass
else
	fail "fixture checks against the schema failed"
fi
finish
