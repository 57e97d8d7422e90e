#!/bin/bash
# A person's hand on the delivery queue (issue 18): `deliver requeue ID`
# sends a delivered bundle again with the next deliver job (the receiver
# lost it), `deliver cancel ID` keeps a refused or pending one from ever
# leaving; who and why are kept in the ledger; IDs as `status` shows them;
# a missing ID, a wrong state and a bad ID are refused with their own
# exit statuses.
. "$SRCDIR/tests/e2e/lib.sh"

site="$tmp/site"
mkdir -p "$site/outbox" "$site/drop"
chmod 700 "$site"
echo one >"$site/outbox/testsite_2026Q1_001.tar.gz"
cat >"$site/nrmhub.json" <<'JSON'
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "targets": {"drop": {"folder": "drop"}},
  "jobs": [{"name": "send", "kind": "deliver", "target": "drop", "from": "outbox"}]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
id_of() {  # id_of ITEM-NAME: its delivery ID, from status --json
	"${hub[@]}" status --json | python3 -c 'import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT id FROM delivery WHERE item LIKE ?", ("%" + sys.argv[2],)).fetchone()[0])' \
		"$site/nrmhub.db" "$1"
}
expect_exit 0 "${hub[@]}" run --job send --now 2026-04-01T10:00:00Z
assert_same "$site/outbox/testsite_2026Q1_001.tar.gz" "$site/drop/testsite_2026Q1_001.tar.gz"
one=$(id_of testsite_2026Q1_001.tar.gz)

# The receiver lost it: requeued, sent again by the next run.
rm "$site/drop/testsite_2026Q1_001.tar.gz"
expect_exit 0 "${hub[@]}" run --job send --now 2026-04-01T11:00:00Z
assert_no_file "$site/drop/testsite_2026Q1_001.tar.gz"
expect_exit 0 "${hub[@]}" deliver requeue "$one" --reason "the receiver lost it"
assert_grep "^delivery #$one: pending again" "$tmp/stdout"
expect_exit 0 "${hub[@]}" status
assert_grep "^  pending  #$one  .*testsite_2026Q1_001\\.tar\\.gz -> drop: requeued by $(id -un): the receiver lost it" \
	"$tmp/stdout"
expect_exit 0 "${hub[@]}" run --job send --now 2026-04-01T12:00:00Z
assert_same "$site/outbox/testsite_2026Q1_001.tar.gz" "$site/drop/testsite_2026Q1_001.tar.gz"
expect_exit 65 "${hub[@]}" deliver cancel "$one"
assert_grep "delivery #$one is delivered: only a pending or refused item can be cancelled" "$tmp/stderr"

# Refused (the drop folder gone): cancelled, never sent even once it is back.
echo two >"$site/outbox/testsite_2026Q1_002.tar.gz"
mv "$site/drop" "$site/drop.away"
expect_exit 70 "${hub[@]}" run --job send --now 2026-04-01T13:00:00Z
two=$(id_of testsite_2026Q1_002.tar.gz)
expect_exit 0 "${hub[@]}" deliver cancel "$two" --reason "withdrawn by the panel"
mv "$site/drop.away" "$site/drop"
expect_exit 0 "${hub[@]}" run --job send --now 2026-04-01T14:00:00Z
assert_no_file "$site/drop/testsite_2026Q1_002.tar.gz"
expect_exit 0 "${hub[@]}" status
assert_grep '^waiting to be delivered: 0$' "$tmp/stdout"
assert_eq "$(sqlite3 "$site/nrmhub.db" "SELECT status || ': ' || message FROM receipt WHERE delivery = $two ORDER BY id DESC LIMIT 1")" \
	"cancelled: cancelled by $(id -un): withdrawn by the panel" "the ledger's record of the cancel"

expect_exit 66 "${hub[@]}" deliver requeue 999
assert_grep 'no delivery #999' "$tmp/stderr"
expect_exit 64 "${hub[@]}" deliver cancel one
expect_exit 0 "$NRMHUB" deliver requeue --help
assert_grep '^Usage: nrmhub deliver requeue ID' "$tmp/stdout"
finish
