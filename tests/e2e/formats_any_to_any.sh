#!/bin/bash
# Any to any: every example file in examples/site/data/ converts through
# every export format this hub has.  The formats are discovered with
# `nrmhub plugins --json`, so formats added later are covered without
# touching this test.  An example's own format is found by asking each
# import format to validate it: exactly the formats that read it cleanly.
# Each output must be non-empty (scotland-xml, which carries only Scottish
# cases, is asked to leave the others out); when its format can also be read, reading it
# back must give as many records as the example has, and when the format has
# an XSD in schemas/ (schemas/FORMAT.xsd) the output must be valid against it.
# An example no import format reads must be the output of an export-only
# format (its name starts with that format's first word, as wales-cases.csv
# does wales-csv).

. "$SRCDIR/tests/e2e/lib.sh"

expect_exit 0 "$NRMHUB" plugins --json || finish
python3 -c '
import json, sys
for p in json.load(open(sys.argv[1])):
    for f in p["formats"]:
        print(f, int(p["import"]), int(p["export"]))' "$tmp/stdout" >"$tmp/formats"
importers=$(awk '$2 == 1 { print $1 }' "$tmp/formats")
exporters=$(awk '$3 == 1 { print $1 }' "$tmp/formats")
export_only=$(awk '$2 == 0 && $3 == 1 { print $1 }' "$tmp/formats")
for want in case-jsonl council-csv homeoffice-json ni-json wales-csv; do
	assert_grep "^$want " "$tmp/formats"
done

# readers_of FILE: the import formats that validate FILE cleanly.
readers_of() {
	local format
	for format in $importers; do
		if "$NRMHUB" validate --from "$format" "$1" >/dev/null 2>&1; then
			echo "$format"
		fi
	done
}

# scottish_records FORMAT FILE: how many of FILE's cases scotland-xml
# carries (its rule: an S12 council area, if any, and Police Scotland, if
# any); the others it leaves out with outside-scotland=skip.
scottish_records() {
	"$NRMHUB" convert --from "$1" --to case-jsonl "$2" 2>/dev/null | python3 -c '
import json, sys
n = 0
for line in sys.stdin:
    c = json.loads(line)
    la, pf = c["local_authority"], c["police_force"]
    n += (la is None or la.startswith("S12")) and (pf is None or pf == "S92000003")
print(n)'
}

examples=0
for example in "$SRCDIR"/examples/site/data/*; do
	[ -f "$example" ] || continue
	name=$(basename "$example")
	readers=$(readers_of "$example")
	if [ -z "$readers" ]; then
		first_word=${name%%[-.]*}
		if grep -Eq "^${first_word}-" <<<"$export_only"; then
			pass # an export-only format's example: nothing reads it
			echo "$name: written by an export-only format, not read"
		else
			fail "$name: no import format reads it"
		fi
		continue
	fi
	from=$(head -n 1 <<<"$readers")
	examples=$((examples + 1))
	"$NRMHUB" validate --json --from "$from" "$example" >"$tmp/count.json" 2>/dev/null
	records=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["good"])' "$tmp/count.json")
	for to in $exporters; do
		out=$tmp/$name.$to
		rm -f "$out"
		want=$records
		if [ "$to" = scotland-xml ]; then
			want=$(scottish_records "$from" "$example")
			expect_exit 0 "$NRMHUB" convert --from "$from" --to "$to" \
				--option scotland-xml.outside-scotland=skip -o "$out" "$example" || continue
		else
			expect_exit 0 "$NRMHUB" convert --from "$from" --to "$to" -o "$out" "$example" || continue
		fi
		if [ -s "$out" ]; then pass; else fail "$name -> $to: empty output"; fi
		if grep -qx "$to" <<<"$importers"; then
			expect_exit 0 "$NRMHUB" validate --json --from "$to" "$out" &&
				assert_eq "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["good"])' <"$tmp/stdout")" \
					"$want" "$name -> $to -> records read back"
		fi
		if [ -f "$SRCDIR/schemas/$to.xsd" ]; then
			if command -v xmllint >/dev/null; then
				expect_exit 0 xmllint --noout --nonet --schema "$SRCDIR/schemas/$to.xsd" "$out"
			else
				fail "xmllint is needed to check $to output (apt-get install libxml2-utils)"
			fi
		fi
		echo "$name ($from, $records records) -> $to: ok"
	done
done
[ "$examples" -ge 3 ] && pass || fail "only $examples readable examples found"

finish
