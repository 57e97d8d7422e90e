/*
 * A person's hand on the delivery queue (ledger.h): an item sent again
 * (the receiver lost it, or refused it for a reason since put right) or
 * never sent (a bundle withdrawn before it left).  Each change is a
 * receipt row too, with who asked, when and why, so the queue's history
 * stays whole.
 */
#include "ledger.h"

#include "store_internal.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

/* The delivery's state, into `state`; 0, 1 when there is no such delivery,
 * or -1. */
static int delivery_state(struct store *s, int64_t id, char *state, size_t n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT state FROM delivery WHERE id = ?", -1, &st, NULL))
		return store_fail_sqlite(s, "cannot read a delivery");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(state, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : store_fail_sqlite(s, "cannot read a delivery");
}

static int record(struct store *s, int64_t id, const char *to, const char *note, int64_t now)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "UPDATE delivery SET state = ?2, message = ?3 WHERE id = ?1",
	                       -1, &st, NULL))
		return store_fail_sqlite(s, "cannot change a delivery");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot change a delivery");
	if (sqlite3_prepare_v2(s->db, "INSERT INTO receipt (delivery, status, time, sha256, bytes, "
	                              "url, response_code, response_headers, message) "
	                              "VALUES (?1, ?2, ?3, '', 0, '', 0, 'null', ?4)",
	                       -1, &st, NULL))
		return store_fail_sqlite(s, "cannot record a change of a delivery");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot record a change of a delivery");
}

static bool one_of(const char *state, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(state, *allowed) == 0)
			return true;
	return false;
}

int ledger_delivery_move(struct store *s, int64_t id, enum ledger_move move, const char *note,
                         int64_t now, char *was, size_t was_size)
{
	/* Requeue: anything that will not be sent as it stands; cancel: what
	 * would still be sent, or was refused and may be retried by hand. */
	static const char *const requeue_from[] = {"delivered", "refused", "cancelled", NULL};
	static const char *const cancel_from[] = {"pending", "refused", NULL};
	int rc = store_begin(s);
	if (rc == 0)
		rc = delivery_state(s, id, was, was_size);
	if (rc == 0 && !one_of(was, move == LEDGER_REQUEUE ? requeue_from : cancel_from))
		rc = 2;
	if (rc == 0)
		rc = record(s, id, move == LEDGER_REQUEUE ? "pending" : "cancelled", note, now);
	if (rc == 0)
		return store_commit(s);
	store_rollback(s);
	return rc;
}
