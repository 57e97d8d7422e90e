/*
 * The decisions on held returns (store_review.h).
 */
#include "store_review.h"

#include "store_internal.h"

int store_review_add(struct store *s, const struct store_review *r)
{
	sqlite3_stmt *st;
	const char *sql = "INSERT INTO return_review (site, quarter, job, decision, os_user, "
	                  "decided_at, held_at, text, forced, bundles) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot record the review's decision");
	const char *text[] = {r->site, r->quarter, r->job, r->decision, r->os_user};
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->decided_at);
	sqlite3_bind_int64(st, 7, r->held_at);
	sqlite3_bind_text(st, 8, r->text ? r->text : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->forced ? r->forced : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, r->bundles ? r->bundles : "[]", -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot record the review's decision");
}

int store_review_each(struct store *s, const char *site, const char *quarter,
                      store_review_fn fn, void *ctx)
{
	const char *sql = "SELECT site, quarter, job, decision, os_user, decided_at, held_at, "
	                  "text, forced, bundles FROM return_review "
	                  "WHERE site = ? AND quarter = ? ORDER BY id";
	sqlite3_stmt *st =
		store_prepare_for(s, sql, site, quarter, "cannot read the review's decisions");
	if (!st)
		return -1;
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_review r = {
			.site = (const char *)sqlite3_column_text(st, 0),
			.quarter = (const char *)sqlite3_column_text(st, 1),
			.job = (const char *)sqlite3_column_text(st, 2),
			.decision = (const char *)sqlite3_column_text(st, 3),
			.os_user = (const char *)sqlite3_column_text(st, 4),
			.decided_at = sqlite3_column_int64(st, 5),
			.held_at = sqlite3_column_int64(st, 6),
			.text = (const char *)sqlite3_column_text(st, 7),
			.forced = (const char *)sqlite3_column_text(st, 8),
			.bundles = (const char *)sqlite3_column_text(st, 9),
		};
		stop = fn(&r, ctx);
	}
	sqlite3_finalize(st);
	if (!stop && rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot read the review's decisions");
	return stop;
}
