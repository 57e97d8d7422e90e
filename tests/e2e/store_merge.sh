#!/bin/bash
# The same child arrives from the council, the police and the Home Office, in
# every order: the merged case must be the same each time, and equal to the
# one worked out by hand in tests/data/store/merged-expected.jsonl.  Every
# record carries updated_at, so the latest one wins each field it knows:
# gender is the Home Office's "female" (2025-04-01) over the council's "male"
# (2025-03-01) and the police's older "other" (2025-02-01); the police's
# police_force and county_lines stay, since no later record knows them; the
# Home Office's null local_authority does not erase the council's.  Then the
# rule without updated_at: import order decides.
#
# Each party is "FORMAT FILE" in `parties`, each in its own format: the
# council's CSV export, the police's XML and the Home Office's JSON exchange.

. "$SRCDIR/tests/e2e/lib.sh"

data=$SRCDIR/tests/data/store
parties=(
	"council-csv $data/council.csv"
	"police-xml $data/police.xml"
	"homeoffice-json $data/homeoffice.json"
)

# import_in_order STORE I J K: imports parties I, J and K, in that order.
import_in_order() {
	local store=$1 i format file
	shift
	for i in "$@"; do
		read -r format file <<<"${parties[$i]}"
		expect_exit 0 "$NRMHUB" import --store "$store" --from "$format" "$file" || return 1
	done
}

orders=("0 1 2" "0 2 1" "1 0 2" "1 2 0" "2 0 1" "2 1 0")
for order in "${orders[@]}"; do
	store=$tmp/store-${order// /}.db
	# shellcheck disable=SC2086 # the order is three words on purpose
	import_in_order "$store" $order || continue
	expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl -o "$tmp/merged.jsonl" &&
		assert_same "$data/merged-expected.jsonl" "$tmp/merged.jsonl"
done

# Each field names the party that set it, whatever the order.
expect_exit 0 "$NRMHUB" cases show --store "$tmp/store-210.db" --json BHM-1
source_of() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = d["sources"][sys.argv[2]]
print("none" if s is None else s["plugin"] + " " + s["file"].rsplit("/", 1)[-1])' "$tmp/stdout" "$1"
}
assert_eq "$(source_of gender)" "homeoffice-json homeoffice.json" "source of gender"
assert_eq "$(source_of rg_outcome)" "homeoffice-json homeoffice.json" "source of rg_outcome"
assert_eq "$(source_of police_force)" "police-xml police.xml" "source of police_force"
assert_eq "$(source_of county_lines)" "police-xml police.xml" "source of county_lines"
assert_eq "$(source_of local_authority)" "council-csv council.csv" "source of local_authority"
assert_eq "$(source_of exploitation_types)" "council-csv council.csv" "source of exploitation_types"
assert_eq "$(source_of first_responder_org)" "none" "source of an unknown field"

# ---- without updated_at, the later import wins ------------------------------

printf '%s\n' '{"case_id":"X-1","site":"hull","referral_date":"2025-01-15","gender":"male","age_at_exploitation":12}' >"$tmp/a.jsonl"
printf '%s\n' '{"case_id":"X-1","site":"hull","referral_date":"2025-01-15","gender":"female"}' >"$tmp/b.jsonl"
gender_after() {
	local store=$tmp/order-$1-$2.db
	expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl "$tmp/$1.jsonl" &&
		expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl "$tmp/$2.jsonl" &&
		expect_exit 0 "$NRMHUB" export --store "$store" --to case-jsonl &&
		grep -o '"age_at_exploitation":[^,]*,"age_disputed":null,"gender":"[a-z]*"' "$tmp/stdout"
}
assert_eq "$(gender_after a b)" '"age_at_exploitation":12,"age_disputed":null,"gender":"female"' "a then b"
assert_eq "$(gender_after b a)" '"age_at_exploitation":12,"age_disputed":null,"gender":"male"' "b then a"

# An older updated_at loses to a newer one even when imported later.
printf '%s\n' '{"case_id":"X-2","site":"hull","referral_date":"2025-01-15","gender":"male","updated_at":"2025-05-01T00:00:00Z"}' >"$tmp/new.jsonl"
printf '%s\n' '{"case_id":"X-2","site":"hull","referral_date":"2025-01-15","gender":"female","updated_at":"2025-04-30T23:59:59Z"}' >"$tmp/old.jsonl"
expect_exit 0 "$NRMHUB" import --store "$tmp/t.db" --from case-jsonl "$tmp/new.jsonl"
expect_exit 0 "$NRMHUB" import --store "$tmp/t.db" --from case-jsonl --json "$tmp/old.jsonl" &&
	assert_grep '"new":0,"changed":0,"unchanged":1' "$tmp/stdout"
expect_exit 0 "$NRMHUB" export --store "$tmp/t.db" --to case-jsonl &&
	assert_grep '"gender":"male"' "$tmp/stdout"

finish
