#!/bin/bash
# Data as at (issue 16): a return built at T1 is rebuilt byte for byte by
# `return build --as-at` after late records and corrections arrived at T2
# (every file compared with cmp); the rebuild at T2 differs by the figures
# worked out by hand below; nothing dated after the return's moment counts;
# an erased case is gone from every moment's rebuild; and the refusals
# (an --as-at in the future, before the store's first import, with --from;
# an import --now in the future or before the store's latest import).

. "$SRCDIR/tests/e2e/lib.sh"

export NRMHUB_PLUGIN_PATH=$BUILDDIR/plugins/.libs
store=$tmp/nrmhub.db
key=$tmp/keys/hull.key
mkdir -p "$tmp/keys"
chmod 700 "$tmp/keys"

case_line() { # ID REFERRAL RG_DATE RG_OUTCOME UPDATED_AT
	local rg=null out=null
	[ "$3" != - ] && rg="\"$3\"" out="\"$4\""
	printf '{"case_id":"%s","site":"hull","nrm_ref":null,"referral_date":"%s","first_responder_type":"police","first_responder_org":null,"local_authority":"E06000010","police_force":"E23000012","age_at_exploitation":15,"age_disputed":false,"gender":"female","nationality":["GB"],"exploitation_types":["criminal"],"county_lines":false,"exploitation_location":"uk","rg_decision_date":%s,"rg_outcome":%s,"cg_decision_date":null,"cg_outcome":null,"decision_maker":"ddm_panel","status":"open","status_date":null,"updated_at":"%s"}\n' \
		"$1" "$2" "$rg" "$out" "$5"
}
# Known at T1 (imported 2024-07-10): H1 referred in April, decided
# positive in May; H2 referred in May, undecided; H3 referred in June with
# a reasonable grounds decision dated 5 August (after every moment below
# but the last: a data error, not a decision made); H4 referred in April.
{
	case_line HULL-H1 2024-04-10 2024-05-01 positive 2024-07-09T00:00:00Z
	case_line HULL-H2 2024-05-20 - - 2024-07-09T00:00:00Z
	case_line HULL-H3 2024-06-01 2024-08-05 positive 2024-07-09T00:00:00Z
	case_line HULL-H4 2024-04-02 - - 2024-07-09T00:00:00Z
} >"$tmp/first.jsonl"
# Arriving at T2 (imported 2024-08-20): H5, a late referral of June, and a
# correction of H2: decided negative on 28 June.
{
	case_line HULL-H5 2024-06-15 - - 2024-08-19T00:00:00Z
	case_line HULL-H2 2024-05-20 2024-06-28 negative 2024-08-19T00:00:00Z
} >"$tmp/late.jsonl"

t0=2024-07-10T08:00:00Z
t1=2024-07-15T09:00:00Z
t2=2024-08-20T08:00:00Z
build() { # DIR OPTION...
	local dir=$1
	shift
	"$NRMHUB" return build --store "$store" --key "$key" --quarter 2024Q2 --site hull \
		-o "$dir" "$@"
}
# field FILE PATH...: the value at the path (keys and indexes) in JSON FILE.
field() {
	python3 - "$@" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v))
PY
}

# ---- refusals before anything is imported ---------------------------------
expect_exit 64 "$NRMHUB" import --store "$store" --from case-jsonl --now 2099-01-01T00:00:00Z \
	"$tmp/first.jsonl"
assert_grep 'in the future' "$tmp/stderr"
expect_exit 64 "$NRMHUB" import --store "$store" --from case-jsonl --now yesterday \
	"$tmp/first.jsonl"
assert_grep "'yesterday' is not an RFC 3339 time" "$tmp/stderr"
expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl --now "$t0" "$tmp/first.jsonl"

# ---- the return at T1 -----------------------------------------------------
expect_exit 0 build "$tmp/t1" --now "$t1"
assert_eq "$(field "$tmp/t1/return.json" data_as_at)" "\"$t0\"" "data_as_at: the import's time"
assert_eq "$(field "$tmp/t1/return.json" generated_at)" "\"$t1\"" "generated_at"
# Referred in 2024Q2: H1 to H4; decided: H1 positive; awaiting a reasonable
# grounds decision on 30 June: H2, H3 (its August decision not yet made), H4.
assert_eq "$(field "$tmp/t1/return.json" referrals total)" 4 "T1: referrals"
assert_eq "$(field "$tmp/t1/return.json" decisions rg positive)" 1 "T1: positive decisions"
assert_eq "$(field "$tmp/t1/return.json" decisions rg negative)" 0 "T1: negative decisions"
assert_eq "$(field "$tmp/t1/return.json" awaiting rg count)" 3 "T1: awaiting"
assert_grep "Data as at</dt><dd>$t0<" "$tmp/t1/report.html"
assert_grep '"dc:modified": "2024-07-10T08:00:00Z"' "$tmp/t1/csv-metadata.json"

# The bundle's bag-info.txt says it too.
expect_exit 0 "$NRMHUB" keygen -o "$tmp/site"
mkdir -p "$tmp/out"
expect_exit 0 "$NRMHUB" bundle create --payload "$tmp/t1" --seq 1 --key "$tmp/site.key" \
	--now "$t1" -o "$tmp/out"
bag=$(basename "$(head -n 1 "$tmp/stdout")" .tar.gz)
tar -xzOf "$tmp/out/$bag.tar.gz" "$bag/bag-info.txt" >"$tmp/info"
assert_grep "^Data-As-At: $t0\$" "$tmp/info"

# ---- late records and a correction at T2 -----------------------------------
expect_exit 64 "$NRMHUB" import --store "$store" --from case-jsonl --now 2024-07-01T00:00:00Z \
	"$tmp/late.jsonl"
assert_grep "before the store's latest import" "$tmp/stderr"
expect_exit 0 "$NRMHUB" import --store "$store" --from case-jsonl --now "$t2" --json \
	"$tmp/late.jsonl"
assert_grep '"new":1,"changed":1' "$tmp/stdout"

# The rebuild as at T1 (or at its data_as_at, the same state of the store),
# with the original's --now: every file the same, byte for byte.
for as_at in "$t1" "$t0"; do
	expect_exit 0 build "$tmp/again-$as_at" --now "$t1" --as-at "$as_at"
	n=0
	for f in "$tmp/t1"/*; do
		assert_same "$f" "$tmp/again-$as_at/${f##*/}" && n=$((n + 1))
	done
	assert_eq "$(ls "$tmp/again-$as_at" | wc -l)" "$(ls "$tmp/t1" | wc -l)" "files rebuilt"
	[ "$n" -ge 10 ] && pass || fail "only $n files compared"
done

# As at T2: H5 referred (5); H2 decided negative; awaiting H3, H4, H5.
expect_exit 0 build "$tmp/t2" --now "$t2"
assert_eq "$(field "$tmp/t2/return.json" data_as_at)" "\"$t2\"" "T2: data_as_at"
assert_eq "$(field "$tmp/t2/return.json" referrals total)" 5 "T2: referrals"
assert_eq "$(field "$tmp/t2/return.json" decisions rg positive)" 1 "T2: positive decisions"
assert_eq "$(field "$tmp/t2/return.json" decisions rg negative)" 1 "T2: negative decisions"
assert_eq "$(field "$tmp/t2/return.json" awaiting rg count)" 3 "T2: awaiting"
assert_eq "$(($(wc -l <"$tmp/t2/cases.csv") - 1))" 5 "T2: cases.csv rows"
assert_eq "$(($(wc -l <"$tmp/t1/cases.csv") - 1))" 4 "T1: cases.csv rows"
# The series' 2024Q2 row (its last) changed with them: what the original
# kept, and the rebuild gives back.
assert_eq "$(field "$tmp/t1/return.json" series -1 referrals)" 4 "T1: the series' 2024Q2"
assert_eq "$(field "$tmp/t2/return.json" series -1 referrals)" 5 "T2: the series' 2024Q2"

# ---- nothing dated after the return's moment -------------------------------
# 2024Q3 built (forced: it has not ended) on 15 July: H3's decision dated 5
# August is not yet made, so none is counted in the quarter and H3 awaits
# one on 30 September, with H4 and H5 (H2 was decided in June).
expect_exit 0 build "$tmp/q3" --quarter 2024Q3 --now "$t1" --force
assert_eq "$(field "$tmp/q3/return.json" decisions rg positive)" 0 "Q3: no decision yet"
assert_eq "$(field "$tmp/q3/return.json" awaiting rg count)" 3 "Q3: awaiting"
assert_no_grep '2024-08-05' "$tmp/q3/cases.csv"
# Built on 6 August instead, the decision is made.
expect_exit 0 build "$tmp/q3-aug" --quarter 2024Q3 --now 2024-08-06T09:00:00Z --force
assert_eq "$(field "$tmp/q3-aug/return.json" decisions rg positive)" 1 "Q3 in August"
assert_eq "$(field "$tmp/q3-aug/return.json" awaiting rg count)" 2 "Q3 in August: awaiting"

# ---- refusals ---------------------------------------------------------------
expect_exit 64 build "$tmp/future" --as-at 2099-01-01T00:00:00Z
assert_grep 'in the future' "$tmp/stderr"
assert_no_file "$tmp/future/return.json"
expect_exit 64 build "$tmp/before" --as-at 2024-07-01T00:00:00Z --now "$t1"
assert_grep "before the store's first import" "$tmp/stderr"
assert_no_file "$tmp/before/return.json"
expect_exit 64 build "$tmp/bad" --as-at July
assert_grep "'July' is not an RFC 3339 time" "$tmp/stderr"
expect_exit 64 "$NRMHUB" return build --quarter 2024Q2 --from case-jsonl --as-at "$t1" \
	"$tmp/first.jsonl"
assert_grep 'not with --from' "$tmp/stderr"

# ---- erasure wins over exactness -------------------------------------------
# H4 erased after T1: gone from the rebuild as at T1 too (3 referred, H2
# and H3 awaiting), its row from cases.csv, and its versions from the store.
expect_exit 0 "$NRMHUB" cases erase HULL-H4 --site hull --reason "request" --store "$store"
expect_exit 0 build "$tmp/erased" --now "$t1" --as-at "$t1"
assert_eq "$(field "$tmp/erased/return.json" referrals total)" 3 "erased: referrals"
assert_eq "$(field "$tmp/erased/return.json" awaiting rg count)" 2 "erased: awaiting"
assert_eq "$(($(wc -l <"$tmp/erased/cases.csv") - 1))" 3 "erased: cases.csv rows"
python3 - "$store" <<'PY' && pass || fail "the erased case's history"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT count(*) FROM case_version WHERE case_id = 'HULL-H4'").fetchone()[0] == 0
assert db.execute("SELECT count(*) FROM case_version WHERE case_id = 'HULL-H2'").fetchone()[0] == 1
PY

# A return built before data_as_at existed still renders, and diff reads it.
python3 - "$tmp/t1/return.json" "$tmp/old.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
del r["data_as_at"]
json.dump(r, open(sys.argv[2], "w"), indent=2)
PY
expect_exit 0 "$NRMHUB" return validate "$tmp/old.json"
mkdir -p "$tmp/old"
expect_exit 0 "$NRMHUB" return render -o "$tmp/old" "$tmp/old.json"
assert_grep "Data as at</dt><dd>$t1<" "$tmp/old/report.html"
assert_grep "\"dc:modified\": \"$t1\"" "$tmp/old/csv-metadata.json"
expect_exit 1 "$NRMHUB" return diff "$tmp/old.json" "$tmp/t2/return.json"
assert_grep "^old .*generated $t1, data as at $t1\$" "$tmp/stdout"
assert_grep "^new .*generated $t2, data as at $t2\$" "$tmp/stdout"
finish
