/*
 * The retention policy's rule, and the store's cases it selects
 * (retention.h).
 */
#include "retention.h"

#include "date.h"
#include "store_internal.h"

#include <stdlib.h>

bool nrm_retention_set(const struct nrm_retention *r)
{
	return r->years_after_closed > 0 || r->years_after_last_update > 0;
}

static void later(int32_t *day, bool *closed, int32_t d)
{
	if (d == NRM_DATE_NONE)
		return;
	if (!*closed || d > *day)
		*day = d;
	*closed = true;
}

bool nrm_retention_closed_on(const struct nrm_case *c, int32_t *day)
{
	bool closed = false;
	if (c->cg_outcome != NRM_OUTCOME_NONE)
		later(day, &closed, c->cg_decision_date);
	if (c->status == NRM_STATUS_WITHDRAWN || c->status == NRM_STATUS_TRANSFERRED)
		later(day, &closed, c->status_date);
	if (c->rg_outcome == NRM_OUTCOME_NEGATIVE)
		later(day, &closed, c->rg_decision_date);
	return closed;
}

static int32_t day_of(int64_t t)
{
	return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

bool nrm_retention_expired(const struct nrm_retention *r, const struct nrm_case *c,
                           int64_t changed_at, int64_t now)
{
	int32_t today = day_of(now), closed;
	if (r->years_after_closed > 0 && nrm_retention_closed_on(c, &closed) &&
	    today >= nrm_date_add_years(closed, r->years_after_closed))
		return true;
	if (r->years_after_last_update > 0) {
		int64_t last = changed_at;
		if (c->updated_at != NRM_TIME_NONE && c->updated_at > last)
			last = c->updated_at;
		if (today >= nrm_date_add_years(day_of(last), r->years_after_last_update))
			return true;
	}
	return false;
}

int store_retention_expired(struct store *s, const char *site, const struct nrm_retention *r,
                            int64_t now, char ***ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT site, case_id, " STORE_CASE_COLUMNS ", changed_at "
	                       "FROM nrm_case WHERE site = ? ORDER BY case_id", -1, &st,
	                       NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot read the cases for the retention policy");
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	char *buf = NULL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct nrm_case c;
		store_read_case(st, 0, &c, &buf, &cap);
		int64_t changed = sqlite3_column_int64(st, 2 + STORE_N_CASE_COLUMNS);
		if (!nrm_retention_expired(r, &c, changed, now))
			continue;
		*ids = nrm_xrealloc(*ids, (*n + 1) * sizeof(char *));
		(*ids)[(*n)++] = nrm_xstrdup(c.case_id);
	}
	sqlite3_finalize(st);
	free(buf);
	if (rc == SQLITE_DONE)
		return 0;
	for (size_t i = 0; i < *n; i++)
		free((*ids)[i]);
	free(*ids);
	*ids = NULL;
	*n = 0;
	return store_fail_sqlite(s, "cannot read the cases for the retention policy");
}
