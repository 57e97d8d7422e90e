#!/bin/bash
# Round trips: for every format with both directions, case-jsonl -> FORMAT ->
# case-jsonl gives back every field the format carries, on a fixture that
# uses every field and every code value (tests/data/formats/all-fields.jsonl,
# itself in canonical spelling).  The fields a format drops are named here;
# for them the round trip must give null, and the fixture must hold a real
# value, so a drop is never hidden.  First the fixture's coverage is checked
# against the canonical schema's own lists of values.  Then the export-only
# and round-trip formats' bytes are compared with hand-checked files, so a
# change in the layout shows.

. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/formats
fixture=$data/all-fields.jsonl

# FORMAT -> the canonical fields it cannot carry (space-separated).
declare -A drops=(
	[council-csv]=""
	[homeoffice-json]=""
	[ni-json]="first_responder_org date_of_birth"
	[police-xml]="date_of_birth"
)
# Formats whose round trip has its own test, on a fixture they can carry:
# scotland-xml takes only Scottish cases (tests/e2e/xml_roundtrip.sh).
declare -A own_test=([scotland-xml]=xml_roundtrip.sh)

# ---- the fixture covers every field and every value ----------------------

if python3 - "$SRCDIR/schemas/case.schema.json" "$fixture" >"$tmp/coverage" 2>&1 <<'PY'
import json, sys
schema = json.load(open(sys.argv[1]))
cases = [json.loads(line) for line in open(sys.argv[2])]
missing = []
for name, spec in schema["properties"].items():
    values = [c.get(name) for c in cases]
    if all(v is None or v == [] for v in values):
        missing.append(name + ": never set")
    enum = spec.get("enum") or spec.get("items", {}).get("enum")
    if enum:
        seen = set()
        for v in values:
            for x in (v if isinstance(v, list) else [v]):
                seen.add(x)
        for want in enum:
            # null is "unknown", which canonical spelling may write otherwise
            # (status null is "open"); every field's unknown is covered above.
            if want is not None and want not in seen:
                missing.append("%s: value %r never used" % (name, want))
for name in ("age_disputed", "county_lines"):
    for want in (True, False, None):
        if want not in [c.get(name) for c in cases]:
            missing.append("%s: %r never used" % (name, want))
for count in (0, 1, 2):
    if count not in [len(c["nationality"]) for c in cases]:
        missing.append("nationality: no case with %d codes" % count)
print("\n".join(missing))
sys.exit(1 if missing else 0)
PY
then
	pass
else
	fail "all-fields.jsonl does not cover the schema:"
	sed 's/^/  | /' "$tmp/coverage" >&2
fi

# The fixture is canonical: converting it to itself changes nothing.
expect_exit 0 "$NRMHUB" convert --from case-jsonl --to case-jsonl -o "$tmp/canonical.jsonl" "$fixture" &&
	assert_same "$fixture" "$tmp/canonical.jsonl"

# ---- every two-way format, from the plugins themselves ---------------------

expect_exit 0 "$NRMHUB" plugins --json
python3 -c '
import json, sys
for p in json.load(open(sys.argv[1])):
    if p["import"] and p["export"]:
        for f in p["formats"]:
            if f != "case-jsonl":
                print(f)' "$tmp/stdout" >"$tmp/two-way"
for format in council-csv homeoffice-json ni-json; do
	assert_grep "^$format\$" "$tmp/two-way"
done

# expected_after FORMAT: the fixture with the dropped fields set to null.
expected_after() {
	python3 - "$fixture" ${drops[$1]} <<'PY'
import json, sys
fields = sys.argv[2:]
for line in open(sys.argv[1]):
    case = json.loads(line)
    for f in fields:
        assert any(json.loads(l)[f] is not None for l in open(sys.argv[1])), f
        case[f] = None
    print(json.dumps(case, separators=(",", ":"), ensure_ascii=False))
PY
}

while read -r format; do
	if [ -n "${own_test[$format]+set}" ]; then
		assert_grep "$format" "$SRCDIR/tests/e2e/${own_test[$format]}"
		continue
	fi
	if [ -z "${drops[$format]+set}" ]; then
		fail "$format: a two-way format this test does not know: add it to 'drops'"
		continue
	fi
	rm -f "$tmp/out.$format" "$tmp/back.jsonl"
	expect_exit 0 "$NRMHUB" convert --from case-jsonl --to "$format" -o "$tmp/out.$format" "$fixture" || continue
	expect_exit 0 "$NRMHUB" convert --from "$format" --to case-jsonl -o "$tmp/back.jsonl" "$tmp/out.$format" || continue
	expected_after "$format" >"$tmp/expected.jsonl"
	assert_same "$tmp/expected.jsonl" "$tmp/back.jsonl"
	# What a format writes, it reads and writes again unchanged (a fixed point).
	rm -f "$tmp/again.$format"
	expect_exit 0 "$NRMHUB" convert --from "$format" --to "$format" -o "$tmp/again.$format" \
		"$tmp/out.$format" || continue
	if [ "$format" = homeoffice-json ]; then
		# Only the header (its time) may differ.
		sed 1,2d "$tmp/out.$format" >"$tmp/first.body"
		sed 1,2d "$tmp/again.$format" >"$tmp/second.body"
		assert_same "$tmp/first.body" "$tmp/second.body"
	else
		assert_same "$tmp/out.$format" "$tmp/again.$format"
	fi
	echo "round trip $format: drops ${drops[$format]:-nothing}"
done <"$tmp/two-way"

# ---- the exact bytes of each layout, checked by hand once -----------------

export_is() {
	local format=$1 expected=$2
	shift 2
	rm -f "$tmp/exact"
	expect_exit 0 "$NRMHUB" convert --from case-jsonl --to "$format" "$@" -o "$tmp/exact" "$fixture" &&
		assert_same "$expected" "$tmp/exact"
}
export_is council-csv "$data/all-fields.council.csv"
export_is wales-csv "$data/all-fields.wales.csv"
export_is ni-json "$data/all-fields.ni.jsonl"
export_is homeoffice-json "$data/all-fields.homeoffice.json" \
	--option sender="Home Office" --option generated-at=2025-07-01T09:00:00Z

# CSV outputs: a BOM, then CRLF on every line and nowhere else.
for f in "$data/all-fields.council.csv" "$data/all-fields.wales.csv"; do
	assert_eq "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" "efbbbf" "$(basename "$f"): byte order mark"
	assert_eq "$(tr -cd '\n' <"$f" | wc -c)" "$(grep -c $'\r$' "$f")" "$(basename "$f"): CRLF line ends"
done
# The Home Office document is one JSON value with its header.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["header", "cases"], list(d)
assert d["header"] == {"sender": "Home Office", "generated_at": "2025-07-01T09:00:00Z", "schema_version": "1.1"}
assert len(d["cases"]) == 6' "$data/all-fields.homeoffice.json" && pass || fail "homeoffice-json header"

# ---- the examples stay what their documents say ------------------------------

# Each example was made from a case-jsonl file in tests/data/formats/; reading
# it gives that file back (written examples: writing that file gives it).
examples=$SRCDIR/examples/site/data
for pair in "homeoffice-json homeoffice-cases.json homeoffice-example.jsonl" \
	"ni-json ni-referrals.jsonl ni-example.jsonl"; do
	set -- $pair
	rm -f "$tmp/example.jsonl"
	expect_exit 0 "$NRMHUB" convert --from "$1" --to case-jsonl -o "$tmp/example.jsonl" "$examples/$2" &&
		assert_same "$data/$3" "$tmp/example.jsonl"
done
rm -f "$tmp/wales.csv"
expect_exit 0 "$NRMHUB" convert --from case-jsonl --to wales-csv -o "$tmp/wales.csv" "$data/wales-example.jsonl" &&
	assert_same "$examples/wales-cases.csv" "$tmp/wales.csv"
# The Home Office example is about some of the council example's children.
for id in BCT-2025-0006 BCT-2025-0008; do
	assert_grep "^$id,birmingham," "$examples/council-cases.csv"
	assert_grep "\"case_id\": \"$id\"" "$examples/homeoffice-cases.json"
done

finish
