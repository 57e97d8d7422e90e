/*
 * Merging one record into the store (the rule is in store.h).  A new case
 * costs two inserts (the case row and one case_source row naming every unit
 * the record knows), so a first import of a large file stays fast; only a
 * case already stored is read back and compared unit by unit.
 */
#include "store_internal.h"

#include "case.h"

#include <string.h>

static uint32_t known_mask(const struct nrm_case *c)
{
	uint32_t mask = 0;
	for (int f = 0; f < STORE_N_FIELDS; f++)
		if (store_field_known(c, (enum store_field)f))
			mask |= 1u << f;
	return mask;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Copies unit f from `from` to `to` (strings are borrowed, not copied). */
static void copy_field(struct nrm_case *to, const struct nrm_case *from, enum store_field f)
{
	switch (f) {
	case STORE_F_NRM_REF: to->nrm_ref = from->nrm_ref; break;
	case STORE_F_REFERRAL_DATE: to->referral_date = from->referral_date; break;
	case STORE_F_FIRST_RESPONDER_TYPE: to->first_responder_type = from->first_responder_type; break;
	case STORE_F_FIRST_RESPONDER_ORG: to->first_responder_org = from->first_responder_org; break;
	case STORE_F_LOCAL_AUTHORITY: to->local_authority = from->local_authority; break;
	case STORE_F_POLICE_FORCE: to->police_force = from->police_force; break;
	case STORE_F_AGE_AT_EXPLOITATION: to->age_at_exploitation = from->age_at_exploitation; break;
	case STORE_F_AGE_DISPUTED: to->age_disputed = from->age_disputed; break;
	case STORE_F_GENDER: to->gender = from->gender; break;
	case STORE_F_NATIONALITY:
		to->nationality[0] = from->nationality[0];
		to->nationality[1] = from->nationality[1];
		break;
	case STORE_F_EXPLOITATION_TYPES: to->exploitation_types = from->exploitation_types; break;
	case STORE_F_COUNTY_LINES: to->county_lines = from->county_lines; break;
	case STORE_F_EXPLOITATION_LOCATION:
		to->exploitation_location = from->exploitation_location;
		break;
	case STORE_F_RG:
		to->rg_decision_date = from->rg_decision_date;
		to->rg_outcome = from->rg_outcome;
		break;
	case STORE_F_CG:
		to->cg_decision_date = from->cg_decision_date;
		to->cg_outcome = from->cg_outcome;
		break;
	case STORE_F_DECISION_MAKER: to->decision_maker = from->decision_maker; break;
	case STORE_F_STATUS:
		to->status = from->status;
		to->status_date = from->status_date;
		break;
	case STORE_F_UPDATED_AT: to->updated_at = from->updated_at; break;
	case STORE_N_FIELDS: break;
	}
}

static bool same_values(const struct nrm_case *a, const struct nrm_case *b)
{
	return same_text(a->nrm_ref, b->nrm_ref) && a->referral_date == b->referral_date &&
	       a->first_responder_type == b->first_responder_type &&
	       same_text(a->first_responder_org, b->first_responder_org) &&
	       same_text(a->local_authority, b->local_authority) &&
	       same_text(a->police_force, b->police_force) &&
	       a->age_at_exploitation == b->age_at_exploitation &&
	       a->age_disputed == b->age_disputed && a->gender == b->gender &&
	       same_text(a->nationality[0], b->nationality[0]) &&
	       same_text(a->nationality[1], b->nationality[1]) &&
	       a->exploitation_types == b->exploitation_types &&
	       a->county_lines == b->county_lines &&
	       a->exploitation_location == b->exploitation_location &&
	       a->rg_decision_date == b->rg_decision_date && a->rg_outcome == b->rg_outcome &&
	       a->cg_decision_date == b->cg_decision_date && a->cg_outcome == b->cg_outcome &&
	       a->decision_maker == b->decision_maker && a->status == b->status &&
	       a->status_date == b->status_date && a->updated_at == b->updated_at;
}

static int step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, what);
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == NRM_TIME_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

static int insert_contrib(struct store *s, int64_t case_ref, int64_t source, int64_t updated_at,
                          uint32_t fields)
{
	sqlite3_stmt *st = store_stmt(s, ST_CONTRIB_INSERT);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, case_ref);
	sqlite3_bind_int64(st, 2, source);
	bind_time(st, 3, updated_at);
	sqlite3_bind_int64(st, 4, fields);
	return step_done(s, st, "cannot record a case's source");
}

/* 1 when the case was new and is now stored, 0 when it exists, -1. */
static int try_insert(struct store *s, int64_t source, int64_t now, const struct nrm_case *c)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_INSERT);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, c->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->case_id, -1, SQLITE_STATIC);
	store_bind_case(st, 3, c);
	sqlite3_bind_int64(st, 3 + STORE_N_CASE_COLUMNS, now);
	if (step_done(s, st, "cannot store a case") != 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 0;
	int64_t id = sqlite3_last_insert_rowid(s->db);
	return insert_contrib(s, id, source, c->updated_at, known_mask(c)) ? -1 : 1;
}

/* Reads the stored case and its case_source rows; its row id in *id. */
static int load_stored(struct store *s, const struct nrm_case *c, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_SELECT);
	sqlite3_stmt *cs = store_stmt(s, ST_CONTRIB_SELECT);
	if (!st || !cs)
		return -1;
	sqlite3_bind_text(st, 1, c->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->case_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		store_read_case(st, 1, &s->stored, &s->strings, &s->strings_cap);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail_sqlite(s, "cannot read a stored case");
	s->n_contribs = 0;
	sqlite3_bind_int64(cs, 1, *id);
	while ((rc = sqlite3_step(cs)) == SQLITE_ROW) {
		if (s->n_contribs == s->contribs_cap) {
			s->contribs_cap = s->contribs_cap ? 2 * s->contribs_cap : 8;
			s->contribs = nrm_xrealloc(s->contribs, s->contribs_cap * sizeof(*s->contribs));
		}
		struct store_contrib *k = &s->contribs[s->n_contribs++];
		k->rowid = sqlite3_column_int64(cs, 0);
		k->source = sqlite3_column_int64(cs, 1);
		k->updated_at = sqlite3_column_type(cs, 2) == SQLITE_NULL
		              ? NRM_TIME_NONE : sqlite3_column_int64(cs, 2);
		k->fields = k->old_fields = (uint32_t)sqlite3_column_int64(cs, 3);
	}
	sqlite3_reset(cs);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot read a case's sources");
}

/* The units the record wins, by the rule in store.h. */
static uint32_t units_won(const struct store *s, const struct nrm_case *c)
{
	uint32_t won = 0;
	for (int f = 0; f < STORE_N_FIELDS; f++) {
		if (!store_field_known(c, (enum store_field)f))
			continue;
		const struct store_contrib *owner = NULL;
		for (size_t i = 0; i < s->n_contribs && !owner; i++)
			if (s->contribs[i].fields & (1u << f))
				owner = &s->contribs[i];
		bool wins = !owner || owner->updated_at == NRM_TIME_NONE ||
		            c->updated_at == NRM_TIME_NONE || c->updated_at >= owner->updated_at;
		if (wins)
			won |= 1u << f;
	}
	return won;
}

/* Moves the won units to the record's case_source row (an existing row of
 * the same source and updated_at, or a new one); rows left setting nothing
 * are deleted.  *moved is false when every won unit was already the row's. */
static int move_setters(struct store *s, int64_t case_ref, int64_t source,
                        const struct nrm_case *c, uint32_t won, bool *moved)
{
	struct store_contrib *mine = NULL;
	for (size_t i = 0; i < s->n_contribs; i++) {
		struct store_contrib *k = &s->contribs[i];
		if (!mine && k->source == source && k->updated_at == c->updated_at)
			mine = k;
		else
			k->fields &= ~won;
	}
	*moved = !mine || (mine->fields & won) != won;
	if (!*moved)
		return 0;
	for (size_t i = 0; i < s->n_contribs; i++) {
		struct store_contrib *k = &s->contribs[i];
		if (k == mine || k->fields == k->old_fields)
			continue;
		sqlite3_stmt *st = store_stmt(s, k->fields ? ST_CONTRIB_UPDATE : ST_CONTRIB_DELETE);
		if (!st)
			return -1;
		if (k->fields) {
			sqlite3_bind_int64(st, 1, k->fields);
			sqlite3_bind_int64(st, 2, k->rowid);
		} else {
			sqlite3_bind_int64(st, 1, k->rowid);
		}
		if (step_done(s, st, "cannot update a case's sources") != 0)
			return -1;
	}
	if (!mine)
		return insert_contrib(s, case_ref, source, c->updated_at, won);
	sqlite3_stmt *st = store_stmt(s, ST_CONTRIB_UPDATE);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, mine->fields | won);
	sqlite3_bind_int64(st, 2, mine->rowid);
	return step_done(s, st, "cannot update a case's sources");
}

static int update_case(struct store *s, int64_t id, int64_t now, const struct nrm_case *merged)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_UPDATE);
	if (!st)
		return -1;
	store_bind_case(st, 1, merged);
	sqlite3_bind_int64(st, 1 + STORE_N_CASE_COLUMNS, now);
	sqlite3_bind_int64(st, 2 + STORE_N_CASE_COLUMNS, id);
	return step_done(s, st, "cannot update a case");
}

int store_merge_case(struct store *s, int64_t source_id, int64_t now,
                     const struct nrm_case *c, struct nrm_case_problem *problem)
{
	int rc = try_insert(s, source_id, now, c);
	if (rc != 0)
		return rc < 0 ? -1 : STORE_MERGE_NEW;
	int64_t id = 0;
	if (load_stored(s, c, &id) != 0)
		return -1;
	uint32_t won = units_won(s, c);
	if (!won)
		return STORE_MERGE_SAME;
	struct nrm_case merged = s->stored;
	for (int f = 0; f < STORE_N_FIELDS; f++)
		if (won & (1u << f))
			copy_field(&merged, c, (enum store_field)f);
	if (nrm_case_validate(&merged, problem) != 0)
		return STORE_MERGE_CONFLICT;
	bool moved;
	if (move_setters(s, id, source_id, c, won, &moved) != 0)
		return -1;
	if (same_values(&merged, &s->stored))
		return STORE_MERGE_SAME;
	return update_case(s, id, now, &merged) ? -1 : STORE_MERGE_CHANGED;
}
