#!/bin/bash
# schemas/return.schema.json is enforced by nrmhub's own validator
# (hub/json_schema.c) before return.json is written.  This test keeps that
# validator honest against a reference implementation: every fixture under
# tests/data/returns/schema/{valid,invalid} goes through `nrmhub return
# validate` and through Debian's python3-jsonschema (draft 2020-12), and the
# two must give the same verdict, the one the fixture's folder names.
# Without python3-jsonschema the reference half is skipped (exit 77).

. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/returns/schema
schema=$SRCDIR/schemas/return.schema.json

shopt -s nullglob
valid=("$data"/valid/*.json)
invalid=("$data"/invalid/*.json)
[ "${#valid[@]}" -ge 8 ] || fail "only ${#valid[@]} valid fixtures"
[ "${#invalid[@]}" -ge 20 ] || fail "only ${#invalid[@]} invalid fixtures"

for f in "${valid[@]}"; do
	expect_exit 0 "$NRMHUB" return validate "$f"
done
for f in "${invalid[@]}"; do
	expect_exit 65 "$NRMHUB" return validate "$f" || continue
	# The message names the file and a JSON path.
	assert_grep "^$f: return.schema.json: \\$" "$tmp/stderr"
done

if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	[ "$failures" -eq 0 ] || finish
	echo "SKIP: /usr/bin/python3 has no jsonschema module (apt-get install python3-jsonschema)"
	exit 77
fi

/usr/bin/python3 - "$schema" "$data" <<'PYTHON'
import glob, json, os, sys
from jsonschema import Draft202012Validator

schema_path, data = sys.argv[1:3]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
failed = 0
for verdict in ("valid", "invalid"):
    for path in sorted(glob.glob(os.path.join(data, verdict, "*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        ok = validator.is_valid(doc)
        if ok != (verdict == "valid"):
            failed += 1
            print(f"FAIL: python-jsonschema finds {path} {'valid' if ok else 'invalid'}",
                  file=sys.stderr)
print(f"python3-jsonschema: {failed} disagreements")
sys.exit(1 if failed else 0)
PYTHON
if [ $? -eq 0 ]; then
	pass
else
	fail "python3-jsonschema disagrees with the fixtures' folders"
fi
finish
