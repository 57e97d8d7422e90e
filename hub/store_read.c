/*
 * Cases in and out of table rows, and the store's readers: the stream of
 * canonical cases the return builder and export read, and one case with the
 * source of each of its fields for `cases show`.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* ---- a case as columns ------------------------------------------------ */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Binds v, or NULL when it is the field's unknown value. */
static void bind_int(sqlite3_stmt *st, int i, int64_t v, int64_t unknown)
{
	if (v == unknown)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

int store_bind_case(sqlite3_stmt *st, int i, const struct nrm_case *c)
{
	bind_text(st, i + 0, c->nrm_ref);
	bind_int(st, i + 1, c->referral_date, NRM_DATE_NONE);
	bind_int(st, i + 2, c->first_responder_type, NRM_FR_NONE);
	bind_text(st, i + 3, c->first_responder_org);
	bind_text(st, i + 4, c->local_authority);
	bind_text(st, i + 5, c->police_force);
	bind_int(st, i + 6, c->age_at_exploitation, NRM_AGE_NONE);
	bind_int(st, i + 7, c->age_disputed, NRM_UNKNOWN);
	bind_int(st, i + 8, c->gender, NRM_GENDER_UNKNOWN);
	bind_text(st, i + 9, c->nationality[0]);
	bind_text(st, i + 10, c->nationality[1]);
	bind_int(st, i + 11, c->exploitation_types, 0);
	bind_int(st, i + 12, c->county_lines, NRM_UNKNOWN);
	bind_int(st, i + 13, c->exploitation_location, NRM_LOC_UNKNOWN);
	bind_int(st, i + 14, c->rg_decision_date, NRM_DATE_NONE);
	bind_int(st, i + 15, c->rg_outcome, NRM_OUTCOME_NONE);
	bind_int(st, i + 16, c->cg_decision_date, NRM_DATE_NONE);
	bind_int(st, i + 17, c->cg_outcome, NRM_OUTCOME_NONE);
	bind_int(st, i + 18, c->decision_maker, NRM_DM_NONE);
	sqlite3_bind_int64(st, i + 19, c->status);
	bind_int(st, i + 20, c->status_date, NRM_DATE_NONE);
	bind_int(st, i + 21, c->updated_at, NRM_TIME_NONE);
	bind_int(st, i + 22, c->date_of_birth, NRM_DATE_NONE);
	return 0;
}

static int64_t column_int(sqlite3_stmt *st, int i, int64_t unknown)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? unknown : sqlite3_column_int64(st, i);
}

/* The string columns read, relative to `first`: site and case_id come just
 * before the case columns. */
static const int text_columns[] = {-2, -1, 0, 3, 4, 5, 9, 10};
#define N_TEXT (sizeof(text_columns) / sizeof(text_columns[0]))

/* Copies the row's strings into *buf; out[k] is NULL for a NULL column. */
static void copy_strings(sqlite3_stmt *st, int first, char **buf, size_t *cap,
                         const char *out[N_TEXT])
{
	const unsigned char *text[N_TEXT];
	size_t len[N_TEXT], total = 0;
	for (size_t k = 0; k < N_TEXT; k++) {
		text[k] = sqlite3_column_text(st, first + text_columns[k]);
		len[k] = (size_t)sqlite3_column_bytes(st, first + text_columns[k]);
		total += len[k] + 1;
	}
	if (total > *cap) {
		*cap = total * 2;
		*buf = nrm_xrealloc(*buf, *cap);
	}
	char *p = *buf;
	for (size_t k = 0; k < N_TEXT; k++) {
		if (!text[k]) {
			out[k] = NULL;
			continue;
		}
		memcpy(p, text[k], len[k]);
		p[len[k]] = '\0';
		out[k] = p;
		p += len[k] + 1;
	}
}

void store_read_case(sqlite3_stmt *st, int first, struct nrm_case *c, char **buf, size_t *cap)
{
	/* `first` names site; the case columns start two further on. */
	int i = first + 2;
	const char *s[N_TEXT];
	copy_strings(st, i, buf, cap, s);
	memset(c, 0, sizeof(*c));
	c->site = s[0];
	c->case_id = s[1];
	c->nrm_ref = s[2];
	c->referral_date = (int32_t)column_int(st, i + 1, NRM_DATE_NONE);
	c->first_responder_type = (int32_t)column_int(st, i + 2, NRM_FR_NONE);
	c->first_responder_org = s[3];
	c->local_authority = s[4];
	c->police_force = s[5];
	c->age_at_exploitation = (int32_t)column_int(st, i + 6, NRM_AGE_NONE);
	c->age_disputed = (int8_t)column_int(st, i + 7, NRM_UNKNOWN);
	c->gender = (int32_t)column_int(st, i + 8, NRM_GENDER_UNKNOWN);
	c->nationality[0] = s[6];
	c->nationality[1] = s[7];
	c->exploitation_types = (uint32_t)column_int(st, i + 11, 0);
	c->county_lines = (int8_t)column_int(st, i + 12, NRM_UNKNOWN);
	c->exploitation_location = (int32_t)column_int(st, i + 13, NRM_LOC_UNKNOWN);
	c->rg_decision_date = (int32_t)column_int(st, i + 14, NRM_DATE_NONE);
	c->rg_outcome = (int32_t)column_int(st, i + 15, NRM_OUTCOME_NONE);
	c->cg_decision_date = (int32_t)column_int(st, i + 16, NRM_DATE_NONE);
	c->cg_outcome = (int32_t)column_int(st, i + 17, NRM_OUTCOME_NONE);
	c->decision_maker = (int32_t)column_int(st, i + 18, NRM_DM_NONE);
	c->status = (int32_t)column_int(st, i + 19, NRM_STATUS_OPEN);
	c->status_date = (int32_t)column_int(st, i + 20, NRM_DATE_NONE);
	c->updated_at = column_int(st, i + 21, NRM_TIME_NONE);
	c->date_of_birth = (int32_t)column_int(st, i + 22, NRM_DATE_NONE);
}

int store_step_cases(struct store *s, sqlite3_stmt *st, store_case_fn fn, void *ctx,
                     const char *what)
{
	char *buf = NULL;
	size_t cap = 0;
	int rc, result = 0;
	struct nrm_case c;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_read_case(st, 0, &c, &buf, &cap);
		if ((result = fn(&c, ctx)) != 0)
			break;
	}
	if (!result && rc != SQLITE_DONE)
		result = store_fail_sqlite(s, what);
	sqlite3_finalize(st);
	free(buf);
	return result;
}

/* ---- streaming cases ------------------------------------------------ */

/* The cases of `site` (or of all) changed at or after `changed_since` and
 * referred on or before `referred_by`, in key order. */
static int each_case(struct store *s, const char *site, int64_t changed_since,
                     int32_t referred_by, store_case_fn fn, void *ctx)
{
	/* The (site, case_id) key gives the order without a sort. */
	const char *sql =
		site ? "SELECT site, case_id, " STORE_CASE_COLUMNS " FROM nrm_case "
		       "WHERE site = ?1 AND changed_at >= ?2 AND referral_date <= ?3 "
		       "ORDER BY site, case_id"
		     : "SELECT site, case_id, " STORE_CASE_COLUMNS " FROM nrm_case "
		       "WHERE changed_at >= ?2 AND referral_date <= ?3 ORDER BY site, case_id";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot read cases");
	if (site)
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, changed_since);
	sqlite3_bind_int64(st, 3, referred_by);
	return store_step_cases(s, st, fn, ctx, "cannot read cases");
}

int store_each_case_since(struct store *s, const char *site, int64_t changed_since,
                          store_case_fn fn, void *ctx)
{
	return each_case(s, site, changed_since, INT32_MAX, fn, ctx);
}

int store_each_case(struct store *s, const char *site, store_case_fn fn, void *ctx)
{
	return each_case(s, site, INT64_MIN, INT32_MAX, fn, ctx);
}

int store_each_case_referred_by(struct store *s, const char *site, int32_t referred_by,
                                store_case_fn fn, void *ctx)
{
	return each_case(s, site, INT64_MIN, referred_by, fn, ctx);
}

/* ---- one case with its sources ------------------------------------------ */

/* 0 with the row read into s->detail and its sources into s->contribs;
 * 1 none; 2 in several sites; -1. */
static int find_case(struct store *s, const char *site, const char *case_id)
{
	/* Without a site this scans the table: fine for one interactive look. */
	const char *sql = "SELECT site, case_id, " STORE_CASE_COLUMNS ", changed_at, sources "
	                  "FROM nrm_case WHERE case_id = ?1 AND (?2 IS NULL OR site = ?2) "
	                  "LIMIT 2";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot look a case up");
	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	bind_text(st, 2, site);
	int rc = sqlite3_step(st), found = 1;
	if (rc == SQLITE_ROW) {
		int col = 2 + STORE_N_CASE_COLUMNS;
		store_read_case(st, 0, &s->detail.c, &s->strings, &s->strings_cap);
		s->detail.changed_at = sqlite3_column_int64(st, col);
		found = store_decode_sources(s, sqlite3_column_blob(st, col + 1),
		                             sqlite3_column_bytes(st, col + 1));
		if (found == 0) {
			rc = sqlite3_step(st);
			found = rc == SQLITE_ROW ? 2 : 0;
		}
	}
	if (found >= 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		found = store_fail_sqlite(s, "cannot look a case up");
	sqlite3_finalize(st);
	return found;
}

/* Appends a string to s->source_strings; returns its offset (the buffer may
 * still move, so pointers are made only when it is complete). */
static size_t keep_string(struct store *s, size_t *used, const unsigned char *text, int len)
{
	size_t at = *used, need = *used + (size_t)len + 1;
	if (need > s->source_strings_cap) {
		s->source_strings_cap = need * 2;
		s->source_strings = nrm_xrealloc(s->source_strings, s->source_strings_cap);
	}
	if (len > 0)
		memcpy(s->source_strings + at, text, (size_t)len);
	s->source_strings[at + (size_t)len] = '\0';
	*used = need;
	return at;
}

/* Fills s->detail.source from s->contribs and the source table. */
static int read_sources(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, ST_SOURCE_GET);
	if (!st)
		return -1;
	memset(s->detail.source, 0, sizeof(s->detail.source));
	size_t used = 0, plugin_at[STORE_N_FIELDS], file_at[STORE_N_FIELDS];
	for (size_t i = 0; i < s->n_contribs; i++) {
		const struct store_contrib *k = &s->contribs[i];
		sqlite3_bind_int64(st, 1, k->source);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(st);
			if (rc == SQLITE_DONE)
				return nrm_fail(&s->err, EX_DATAERR, "the store is damaged: a case "
				                "names source %lld, which is missing",
				                (long long)k->source);
			return store_fail_sqlite(s, "cannot read a case's sources");
		}
		size_t plugin = keep_string(s, &used, sqlite3_column_text(st, 0),
		                            sqlite3_column_bytes(st, 0));
		size_t file = keep_string(s, &used, sqlite3_column_text(st, 1),
		                          sqlite3_column_bytes(st, 1));
		int64_t imported_at = sqlite3_column_int64(st, 2);
		sqlite3_reset(st);
		for (int f = 0; f < STORE_N_FIELDS; f++) {
			if (!(k->fields & (1u << f)))
				continue;
			struct store_field_source *fs = &s->detail.source[f];
			fs->known = true;
			fs->updated_at = k->updated_at;
			fs->imported_at = imported_at;
			plugin_at[f] = plugin;
			file_at[f] = file;
		}
	}
	for (int f = 0; f < STORE_N_FIELDS; f++) {
		struct store_field_source *fs = &s->detail.source[f];
		if (fs->known) {
			fs->plugin = s->source_strings + plugin_at[f];
			fs->file = s->source_strings + file_at[f];
		}
	}
	return 0;
}

int store_case_get(struct store *s, const char *site, const char *case_id,
                   struct store_case_detail *out)
{
	int rc = find_case(s, site, case_id);
	if (rc != 0)
		return rc;
	if (read_sources(s) != 0)
		return -1;
	*out = s->detail;
	return 0;
}
