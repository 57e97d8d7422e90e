/*
 * The alerts' table (store_alerts.h, schema version 9) and the one
 * question they ask of the bundles made.  Statements prepared per call: a
 * check makes a handful.
 */
#include "store_alerts.h"

#include "store_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static sqlite3_stmt *prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail_sqlite(s, "the alerts sent");
		return NULL;
	}
	return st;
}

int store_alert_get(struct store *s, const char *problem, int64_t *first_sent,
                    int64_t *last_sent)
{
	sqlite3_stmt *st = prepare(s, "SELECT first_sent, last_sent FROM alert_sent "
	                              "WHERE problem = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, problem, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*first_sent = sqlite3_column_int64(st, 0);
		*last_sent = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : store_fail_sqlite(s, "cannot read the alerts sent");
}

int store_alert_sent(struct store *s, const char *problem, int64_t now)
{
	sqlite3_stmt *st = prepare(s, "INSERT INTO alert_sent (problem, first_sent, last_sent) "
	                              "VALUES (?1, ?2, ?2) ON CONFLICT (problem) "
	                              "DO UPDATE SET last_sent = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, problem, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot record an alert sent");
}

static bool among(const char *key, const char *const *current, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, current[i]) == 0)
			return true;
	return false;
}

static int forget(struct store *s, const char *problem)
{
	sqlite3_stmt *st = prepare(s, "DELETE FROM alert_sent WHERE problem = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, problem, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot forget an alert");
}

int store_alert_forget_others(struct store *s, const char *const *current, size_t n)
{
	sqlite3_stmt *st = prepare(s, "SELECT problem FROM alert_sent");
	if (!st)
		return -1;
	/* Collected first: deleting while the SELECT steps is undefined. */
	char **gone = NULL;
	size_t n_gone = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (among(key, current, n))
			continue;
		gone = nrm_xrealloc(gone, (n_gone + 1) * sizeof(char *));
		gone[n_gone++] = nrm_xstrdup(key);
	}
	sqlite3_finalize(st);
	int out = rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot read the alerts sent");
	for (size_t i = 0; i < n_gone; i++) {
		if (out == 0)
			out = forget(s, gone[i]);
		free(gone[i]);
	}
	free(gone);
	return out;
}

int store_bundle_finished_for(struct store *s, const char *site, const char *quarter)
{
	sqlite3_stmt *st = prepare(s, "SELECT 1 FROM bundle_made WHERE site = ? AND quarter = ? "
	                              "AND finished_at IS NOT NULL LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, quarter, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : store_fail_sqlite(s, "cannot read the bundles made");
}
