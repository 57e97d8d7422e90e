/*
 * The store as it was at a past moment (store.h): each case's versions are
 * its row in nrm_case (held since its changed_at) and its superseded ones
 * in case_version (held from changed_at until replaced_at), kept by the
 * schema's triggers (store_schema.c, migration 11 -> 12).  The version held
 * at T is the one with changed_at <= T < replaced_at, the current row
 * counting as replaced never; at most one matches, since each version's
 * replaced_at is the next one's changed_at.
 */
#include "store_internal.h"

#include <stdlib.h>

static int64_t column_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NRM_TIME_NONE
	                                                 : sqlite3_column_int64(st, i);
}

int store_knowledge_at(struct store *s, int64_t as_at, struct store_knowledge *k)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT (SELECT min(imported_at) FROM source WHERE imported_at <= ?1), "
	                  "(SELECT max(imported_at) FROM source WHERE imported_at <= ?1), "
	                  "(SELECT max(imported_at) FROM source)";
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot read the store's imports");
	sqlite3_bind_int64(st, 1, as_at);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		k->first_import = column_time(st, 0);
		k->latest_import = column_time(st, 1);
		k->store_latest = column_time(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_sqlite(s, "cannot read the store's imports");
}

/* Both halves name their columns alike, so the union's rows read as a case. */
#define AS_AT_SQL(where_site)                                                         \
	"SELECT site, case_id, " STORE_CASE_COLUMNS " FROM nrm_case "                 \
	"WHERE " where_site "changed_at <= ?2 AND referral_date <= ?3 "               \
	"UNION ALL "                                                                  \
	"SELECT site, case_id, " STORE_CASE_COLUMNS " FROM case_version "             \
	"WHERE " where_site "changed_at <= ?2 AND replaced_at > ?2 AND referral_date <= ?3 " \
	"ORDER BY 1, 2"

int store_each_case_as_at(struct store *s, const char *site, int64_t as_at,
                          int32_t referred_by, store_case_fn fn, void *ctx)
{
	struct store_knowledge k;
	if (store_knowledge_at(s, as_at, &k) != 0)
		return -1;
	/* Nothing changed after as_at: the cases as they are now, read in key
	 * order without the union's sort (the default build's path). */
	if (k.store_latest == NRM_TIME_NONE || k.store_latest <= as_at)
		return store_each_case_referred_by(s, site, referred_by, fn, ctx);
	const char *sql = site ? AS_AT_SQL("site = ?1 AND ") : AS_AT_SQL("");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot read the cases' history");
	if (site)
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, as_at);
	sqlite3_bind_int64(st, 3, referred_by);
	return store_step_cases(s, st, fn, ctx, "cannot read the cases' history");
}
