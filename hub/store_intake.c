/*
 * The intake's tables (store_intake.h).  Statements are prepared per call:
 * the intake touches a handful of rows per bundle, so caching them buys
 * nothing and would grow store_internal.h's shared list.
 */
#include "store_intake.h"

#include "store_internal.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static sqlite3_stmt *prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail_sqlite(s, "cannot prepare an intake statement");
		return NULL;
	}
	return st;
}

static const char *text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : NULL;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Runs a statement that returns no rows; 0 or -1. */
static int finish(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	int out = rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, what);
	sqlite3_finalize(st);
	return out;
}

/* ---- keys ------------------------------------------------------------- */

int store_key_add(struct store *s, const struct store_key *k)
{
	sqlite3_stmt *st = prepare(s, "SELECT 1 FROM intake_key WHERE site = ?1 AND "
	                              "revoked_at IS NULL");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, k->site, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot look up a key");
	st = prepare(s, "INSERT INTO intake_key (site, nation, key_id, public_key, added_at) "
	                "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, k->site, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, k->nation, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, k->key_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, k->public_key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, k->added_at);
	return finish(s, st, "cannot add a key");
}

int store_key_revoke(struct store *s, const char *site, int64_t now)
{
	sqlite3_stmt *st = prepare(s, "UPDATE intake_key SET revoked_at = ?2 WHERE site = ?1 "
	                              "AND revoked_at IS NULL");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	if (finish(s, st, "cannot revoke a key"))
		return -1;
	return sqlite3_changes(s->db) == 0 ? 1 : 0;
}

static void read_key(sqlite3_stmt *st, struct store_key *k)
{
	k->site = text(st, 0);
	k->nation = text(st, 1);
	k->key_id = text(st, 2);
	k->public_key = text(st, 3);
	k->added_at = sqlite3_column_int64(st, 4);
	k->revoked_at = sqlite3_column_type(st, 5) == SQLITE_NULL ? 0
	                : sqlite3_column_int64(st, 5);
}

#define KEY_COLUMNS "site, nation, key_id, public_key, added_at, revoked_at"

int store_key_each(struct store *s, store_key_fn fn, void *ctx)
{
	sqlite3_stmt *st = prepare(s, "SELECT " KEY_COLUMNS " FROM intake_key ORDER BY site, id");
	if (!st)
		return -1;
	int rc, out = 0;
	while (out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_key k;
		read_key(st, &k);
		out = fn(&k, ctx);
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = store_fail_sqlite(s, "cannot read the keys");
	sqlite3_finalize(st);
	return out;
}

int store_key_latest(struct store *s, const char *site, struct store_key *out, char **buf)
{
	*buf = NULL;
	sqlite3_stmt *st = prepare(s, "SELECT " KEY_COLUMNS " FROM intake_key WHERE site = ?1 "
	                              "ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 1 : store_fail_sqlite(s, "cannot read a key");
	}
	struct store_key k;
	read_key(st, &k);
	/* One allocation holding the four strings, end to end. */
	const char *src[4] = {k.site, k.nation, k.key_id, k.public_key};
	size_t total = 0;
	for (int i = 0; i < 4; i++)
		total += strlen(src[i] ? src[i] : "") + 1;
	char *p = *buf = nrm_xmalloc(total);
	const char **dst[4] = {&out->site, &out->nation, &out->key_id, &out->public_key};
	for (int i = 0; i < 4; i++) {
		size_t n = strlen(src[i] ? src[i] : "") + 1;
		memcpy(p, src[i] ? src[i] : "", n);
		*dst[i] = p;
		p += n;
	}
	out->added_at = k.added_at;
	out->revoked_at = k.revoked_at;
	sqlite3_finalize(st);
	return 0;
}

char *store_key_owner(struct store *s, const char *key_id)
{
	sqlite3_stmt *st = prepare(s, "SELECT site FROM intake_key WHERE key_id = ?1 "
	                              "ORDER BY id DESC LIMIT 1");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, key_id, -1, SQLITE_TRANSIENT);
	char *site = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && text(st, 0))
		site = nrm_xstrdup(text(st, 0));
	sqlite3_finalize(st);
	return site;
}

bool store_key_revoked(struct store *s, const char *key_id)
{
	sqlite3_stmt *st = prepare(s, "SELECT 1 FROM intake_key WHERE key_id = ?1 AND "
	                              "revoked_at IS NOT NULL");
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, key_id, -1, SQLITE_TRANSIENT);
	bool revoked = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return revoked;
}

/* ---- bundles ------------------------------------------------------------ */

int store_intake_last(struct store *s, const char *site, const char *quarter, int64_t *seq,
                      char **tagmanifest)
{
	*seq = 0;
	*tagmanifest = NULL;
	sqlite3_stmt *st = prepare(s, "SELECT seq, tagmanifest FROM intake_bundle WHERE site = ?1 "
	                              "AND quarter = ?2 ORDER BY seq DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, quarter, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		*tagmanifest = nrm_xstrdup(text(st, 1) ? text(st, 1) : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot read the bundles received");
	return 0;
}

int store_intake_add(struct store *s, const struct store_intake_bundle *b, int64_t *id)
{
	sqlite3_stmt *st = prepare(s, "INSERT INTO intake_bundle (site, quarter, seq, bag, key_id, "
	                              "tagmanifest, received_at, return_json) VALUES "
	                              "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, b->site, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, b->quarter, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, b->seq);
	sqlite3_bind_text(st, 4, b->bag, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, b->key_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, b->tagmanifest, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, b->received_at);
	sqlite3_bind_text(st, 8, b->return_json, -1, SQLITE_TRANSIENT);
	if (finish(s, st, "cannot record a bundle"))
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

#define CASE_VALUE_COLUMNS                                                              \
	"referral_date, age_band, gender, nationality_1, nationality_2, "                 \
	"exploitation_types, county_lines, exploitation_location, first_responder_type, " \
	"local_authority, police_force, rg_decision_date, rg_outcome, cg_decision_date, "   \
	"cg_outcome, decision_maker, status, status_date, age_at_referral, pilot_scope"

/* The 21 values are `site` (not stored: the bundle's) then the 20 columns
 * above. */
int store_intake_add_case(struct store *s, int64_t bundle, const char *pseudonym,
                          const char *const values[STORE_INTAKE_CASE_VALUES])
{
	sqlite3_stmt *st = prepare(s, "INSERT INTO intake_case (bundle, pseudonym, "
	                              CASE_VALUE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	                              "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, bundle);
	sqlite3_bind_text(st, 2, pseudonym, -1, SQLITE_TRANSIENT);
	for (int i = 1; i < STORE_INTAKE_CASE_VALUES; i++)
		bind_text(st, i + 2, values[i]);
	return finish(s, st, "cannot record a case row");
}

/* The columns each_bundle() reads, from intake_bundle as b. */
#define BUNDLE_COLUMNS \
	"SELECT b.id, b.site, b.quarter, b.bag, b.key_id, b.tagmanifest, b.seq, " \
	"b.received_at, b.return_json, " \
	"(SELECT count(*) FROM intake_bundle c WHERE c.site = b.site AND c.quarter = b.quarter), " \
	"EXISTS (SELECT 1 FROM intake_key k WHERE k.key_id = b.key_id AND k.revoked_at IS NOT NULL) "

/* Calls `fn` on each bundle `st` (BUNDLE_COLUMNS ...) gives, then
 * finalizes it: fn's first non-zero result, or -1 when SQLite fails. */
static int each_bundle(struct store *s, sqlite3_stmt *st, store_intake_fn fn, void *ctx)
{
	int rc, out = 0;
	while (out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_intake_bundle b = {
			.id = sqlite3_column_int64(st, 0), .site = text(st, 1), .quarter = text(st, 2),
			.bag = text(st, 3), .key_id = text(st, 4), .tagmanifest = text(st, 5),
			.seq = sqlite3_column_int64(st, 6), .received_at = sqlite3_column_int64(st, 7),
			.return_json = text(st, 8), .n_received = sqlite3_column_int(st, 9),
			.key_revoked = sqlite3_column_int(st, 10) != 0};
		out = fn(&b, ctx);
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = store_fail_sqlite(s, "cannot read the bundles received");
	sqlite3_finalize(st);
	return out;
}

int store_intake_each_latest(struct store *s, const char *quarter, store_intake_fn fn,
                             void *ctx)
{
	sqlite3_stmt *st = prepare(
		s, BUNDLE_COLUMNS
		   "FROM intake_bundle b WHERE b.quarter = ?1 AND b.seq = (SELECT max(seq) FROM "
		   "intake_bundle c WHERE c.site = b.site AND c.quarter = b.quarter) ORDER BY b.site");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, quarter, -1, SQLITE_TRANSIENT);
	return each_bundle(s, st, fn, ctx);
}

int store_intake_each_of(struct store *s, const char *site, const char *quarter,
                         store_intake_fn fn, void *ctx)
{
	sqlite3_stmt *st = prepare(
		s, BUNDLE_COLUMNS
		   "FROM intake_bundle b WHERE b.site = ?1 AND b.quarter = ?2 ORDER BY b.seq");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, quarter, -1, SQLITE_TRANSIENT);
	return each_bundle(s, st, fn, ctx);
}

int store_intake_each_case(struct store *s, int64_t bundle, store_intake_case_fn fn, void *ctx)
{
	sqlite3_stmt *st = prepare(s, "SELECT pseudonym, " CASE_VALUE_COLUMNS " FROM intake_case "
	                              "WHERE bundle = ?1 ORDER BY rowid");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, bundle);
	int rc, out = 0;
	while (out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *values[STORE_INTAKE_CASE_VALUES] = {NULL};
		for (int i = 1; i < STORE_INTAKE_CASE_VALUES; i++)
			values[i] = text(st, i);
		out = fn(text(st, 0), values, ctx);
	}
	if (out == 0 && rc != SQLITE_DONE)
		out = store_fail_sqlite(s, "cannot read the case rows");
	sqlite3_finalize(st);
	return out;
}

/* ---- moves out of an inbox ------------------------------------------------ */

int store_intake_move_add(struct store *s, const char *inbox, const struct store_intake_move *m)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO intake_move (inbox, file, dest, "
	                              "reason) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, inbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, m->file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, m->dest, -1, SQLITE_TRANSIENT);
	bind_text(st, 4, m->reason);
	return finish(s, st, "cannot record a move out of the inbox");
}

int store_intake_move_remove(struct store *s, const char *inbox, const char *file)
{
	sqlite3_stmt *st = prepare(s, "DELETE FROM intake_move WHERE inbox = ?1 AND file = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, inbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, file, -1, SQLITE_TRANSIENT);
	return finish(s, st, "cannot forget a move out of the inbox");
}

int store_intake_moves(struct store *s, const char *inbox, struct store_intake_move **out,
                       size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = prepare(s, "SELECT file, dest, reason FROM intake_move WHERE inbox = ?1 "
	                              "ORDER BY file");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, inbox, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 4;
			*out = nrm_xrealloc(*out, cap * sizeof(**out));
		}
		const char *reason = text(st, 2);
		(*out)[(*n)++] = (struct store_intake_move){
			.file = nrm_xstrdup(text(st, 0)), .dest = nrm_xstrdup(text(st, 1)),
			.reason = reason ? nrm_xstrdup(reason) : NULL};
	}
	int out_rc = rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot read the moves out of "
	                                                       "the inbox");
	sqlite3_finalize(st);
	if (out_rc) {
		store_intake_moves_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return out_rc;
}

void store_intake_moves_free(struct store_intake_move *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].file);
		free(m[i].dest);
		free(m[i].reason);
	}
	free(m);
}
