/*
 * The bundles a store numbers (store.h, bundles): each sequence number is
 * handed out once, in the transaction that records it as reserved, and
 * marked finished or failed when its create ends.  A number that stays
 * reserved belongs to a create that was killed, or is still running; the
 * receiver only asks that numbers go up, so the gap is harmless, but it is
 * kept with its reason so that a person reading `status` knows why a
 * bundle is missing from the outbox.
 */
#include "store_internal.h"

#include <stdio.h>
#include <time.h>

/* Seq as reserved now.  A number whose bundle was finished before (the
 * same bundle made again with --seq, into another folder) keeps its
 * record; a fresh number has none to keep. */
static int record_reserved(struct store *s, const char *site, const char *quarter, int64_t seq)
{
	const char *sql =
		"INSERT INTO bundle_made (site, quarter, seq, reserved_at) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT (site, quarter, seq) DO UPDATE SET reserved_at = excluded.reserved_at, "
		"failure = NULL WHERE finished_at IS NULL";
	sqlite3_stmt *st =
		store_prepare_for(s, sql, site, quarter, "cannot record a bundle sequence number");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 3, seq);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot record a bundle sequence number");
}

/* Runs `step` in its own transaction unless one is open already. */
static int in_transaction(struct store *s, int (*step)(struct store *, const char *,
                                                        const char *, int64_t *),
                          const char *site, const char *quarter, int64_t *seq)
{
	if (s->in_tx)
		return step(s, site, quarter, seq);
	if (store_begin(s) != 0)
		return -1;
	if (step(s, site, quarter, seq) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

static int bump_sequence(struct store *s, const char *site, const char *quarter, int64_t *seq)
{
	const char *sql = "INSERT INTO bundle_sequence (site, quarter, last_seq) VALUES (?, ?, 1) "
	                  "ON CONFLICT (site, quarter) DO UPDATE SET last_seq = last_seq + 1 "
	                  "RETURNING last_seq";
	sqlite3_stmt *st =
		store_prepare_for(s, sql, site, quarter, "cannot prepare the bundle sequence");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW ? sqlite3_step(st) : rc;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot take a bundle sequence number");
	return record_reserved(s, site, quarter, *seq);
}

int store_bundle_seq_next(struct store *s, const char *site, const char *quarter,
                          int64_t *seq)
{
	return in_transaction(s, bump_sequence, site, quarter, seq);
}

/* A number chosen by hand (`bundle create --seq N`): the counter moves up
 * to it when it is higher, never down, so the next number the store hands
 * out is above every bundle made, however numbered. */
static int raise_sequence(struct store *s, const char *site, const char *quarter, int64_t *seq)
{
	const char *sql = "INSERT INTO bundle_sequence (site, quarter, last_seq) VALUES (?1, ?2, ?3) "
	                  "ON CONFLICT (site, quarter) DO UPDATE SET "
	                  "last_seq = max(last_seq, excluded.last_seq)";
	sqlite3_stmt *st =
		store_prepare_for(s, sql, site, quarter, "cannot prepare the bundle sequence");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 3, *seq);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot move the bundle sequence forward");
	return record_reserved(s, site, quarter, *seq);
}

int store_bundle_seq_reserve(struct store *s, const char *site, const char *quarter,
                             int64_t seq)
{
	return in_transaction(s, raise_sequence, site, quarter, &seq);
}

int store_bundle_ended(struct store *s, const char *site, const char *quarter, int64_t seq,
                       const char *failure)
{
	/* A failure never undoes a bundle finished under the same number (a
	 * --seq create refused because that bundle is there). */
	const char *sql = failure ? "UPDATE bundle_made SET failure = ?4 "
	                            "WHERE site = ?1 AND quarter = ?2 AND seq = ?3 "
	                            "AND finished_at IS NULL"
	                          : "UPDATE bundle_made SET finished_at = ?4, failure = NULL "
	                            "WHERE site = ?1 AND quarter = ?2 AND seq = ?3";
	sqlite3_stmt *st =
		store_prepare_for(s, sql, site, quarter, "cannot record how a bundle create ended");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 3, seq);
	if (failure)
		sqlite3_bind_text(st, 4, failure, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot record how a bundle create ended");
}

int store_bundle_each_unfinished(struct store *s, store_bundle_gap_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT site, quarter, seq, reserved_at, failure FROM bundle_made "
	                  "WHERE finished_at IS NULL ORDER BY site, quarter, seq";
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot read the bundles never finished");
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_bundle_gap g = {
			.site = (const char *)sqlite3_column_text(st, 0),
			.quarter = (const char *)sqlite3_column_text(st, 1),
			.seq = sqlite3_column_int64(st, 2),
			.reserved_at = sqlite3_column_int64(st, 3),
			.failure = (const char *)sqlite3_column_text(st, 4),
		};
		stop = fn(&g, ctx);
	}
	sqlite3_finalize(st);
	if (!stop && rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot read the bundles never finished");
	return stop;
}
