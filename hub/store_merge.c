/*
 * Merging one record into the store (the rule is in store.h).  A new case
 * costs one insert (its row carries its sources), so a first import of a
 * large file stays fast; only a case already stored is read back and
 * compared unit by unit.
 */
#include "store_internal.h"

#include "case.h"

#include <string.h>
#include <sysexits.h>

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
	case STORE_F_DATE_OF_BIRTH: to->date_of_birth = from->date_of_birth; break;
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
	       a->status_date == b->status_date && a->updated_at == b->updated_at &&
	       a->date_of_birth == b->date_of_birth;
}

static int step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, what);
}

/* ---- the sources blob ---------------------------------------------------- */

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static struct store_contrib *add_contrib(struct store *s)
{
	if (s->n_contribs == s->contribs_cap) {
		s->contribs_cap = s->contribs_cap ? 2 * s->contribs_cap : 8;
		s->contribs = nrm_xrealloc(s->contribs, s->contribs_cap * sizeof(*s->contribs));
	}
	return &s->contribs[s->n_contribs++];
}

int store_decode_sources(struct store *s, const void *blob, int len)
{
	s->n_contribs = 0;
	if (len < 0 || len % STORE_CONTRIB_BYTES != 0 || (len > 0 && !blob))
		return nrm_fail(&s->err, EX_DATAERR, "the store is damaged: a case's sources "
		                "entry has %d bytes", len);
	const unsigned char *p = blob;
	for (int at = 0; at < len; at += STORE_CONTRIB_BYTES) {
		struct store_contrib *k = add_contrib(s);
		k->source = (int64_t)get_le(p + at, 8);
		k->updated_at = (int64_t)get_le(p + at + 8, 8);
		k->fields = (uint32_t)get_le(p + at + 16, 4);
	}
	return 0;
}

/* Encodes the entries that still set something; returns the length. */
static int encode_sources(struct store *s)
{
	size_t need = s->n_contribs * STORE_CONTRIB_BYTES;
	if (need > s->blob_cap) {
		s->blob_cap = need * 2;
		s->blob = nrm_xrealloc(s->blob, s->blob_cap);
	}
	size_t len = 0;
	for (size_t i = 0; i < s->n_contribs; i++) {
		const struct store_contrib *k = &s->contribs[i];
		if (!k->fields)
			continue;
		put_le(s->blob + len, (uint64_t)k->source, 8);
		put_le(s->blob + len + 8, (uint64_t)k->updated_at, 8);
		put_le(s->blob + len + 16, k->fields, 4);
		len += STORE_CONTRIB_BYTES;
	}
	return (int)len;
}

/* ---- merging ------------------------------------------------------------- */

/* 1 when the case was new and is now stored, 0 when it exists, -1. */
static int try_insert(struct store *s, int64_t source, int64_t now, const struct nrm_case *c)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_INSERT);
	if (!st)
		return -1;
	s->n_contribs = 0;
	*add_contrib(s) = (struct store_contrib){
		.source = source, .updated_at = c->updated_at, .fields = known_mask(c)};
	int len = encode_sources(s);
	sqlite3_bind_text(st, 1, c->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->case_id, -1, SQLITE_STATIC);
	store_bind_case(st, 3, c);
	sqlite3_bind_int64(st, 3 + STORE_N_CASE_COLUMNS, now);
	sqlite3_bind_blob(st, 4 + STORE_N_CASE_COLUMNS, s->blob, len, SQLITE_STATIC);
	if (step_done(s, st, "cannot store a case") != 0)
		return -1;
	return sqlite3_changes(s->db) ? 1 : 0;
}

/* Reads the stored case and its sources into s->stored and s->contribs. */
static int load_stored(struct store *s, const struct nrm_case *c)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_SELECT);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, c->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->case_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), result = 0;
	if (rc == SQLITE_ROW) {
		store_read_case(st, 0, &s->stored, &s->strings, &s->strings_cap);
		int col = 3 + STORE_N_CASE_COLUMNS;
		result = store_decode_sources(s, sqlite3_column_blob(st, col),
		                              sqlite3_column_bytes(st, col));
	} else {
		result = store_fail_sqlite(s, "cannot read a stored case");
	}
	sqlite3_reset(st);
	return result;
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

/* Gives the won units to the record's entry (the entry of the same source
 * and updated_at, or a new one).  False when they were all its already. */
static bool move_setters(struct store *s, int64_t source, const struct nrm_case *c,
                         uint32_t won)
{
	struct store_contrib *mine = NULL;
	for (size_t i = 0; i < s->n_contribs; i++) {
		struct store_contrib *k = &s->contribs[i];
		if (k->source == source && k->updated_at == c->updated_at)
			mine = k;
	}
	if (mine && (mine->fields & won) == won)
		return false;
	for (size_t i = 0; i < s->n_contribs; i++)
		s->contribs[i].fields &= ~won;
	if (!mine) {
		mine = add_contrib(s);
		*mine = (struct store_contrib){.source = source, .updated_at = c->updated_at};
	}
	mine->fields |= won;
	return true;
}

static void bind_key(sqlite3_stmt *st, int first, const struct nrm_case *c)
{
	sqlite3_bind_text(st, first, c->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, first + 1, c->case_id, -1, SQLITE_STATIC);
}

static int update_case(struct store *s, int64_t now, const struct nrm_case *merged)
{
	sqlite3_stmt *st = store_stmt(s, ST_CASE_UPDATE);
	if (!st)
		return -1;
	int len = encode_sources(s);
	store_bind_case(st, 1, merged);
	sqlite3_bind_int64(st, 1 + STORE_N_CASE_COLUMNS, now);
	sqlite3_bind_blob(st, 2 + STORE_N_CASE_COLUMNS, s->blob, len, SQLITE_STATIC);
	bind_key(st, 3 + STORE_N_CASE_COLUMNS, merged);
	return step_done(s, st, "cannot update a case");
}

static int update_sources(struct store *s, const struct nrm_case *c)
{
	sqlite3_stmt *st = store_stmt(s, ST_SOURCES_UPDATE);
	if (!st)
		return -1;
	int len = encode_sources(s);
	sqlite3_bind_blob(st, 1, s->blob, len, SQLITE_STATIC);
	bind_key(st, 2, c);
	return step_done(s, st, "cannot update a case's sources");
}

int store_merge_case(struct store *s, int64_t source_id, int64_t now,
                     const struct nrm_case *c, struct nrm_case_problem *problem)
{
	int rc = try_insert(s, source_id, now, c);
	if (rc != 0)
		return rc < 0 ? -1 : STORE_MERGE_NEW;
	if (load_stored(s, c) != 0)
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
	if (!move_setters(s, source_id, c, won))
		return STORE_MERGE_SAME;
	if (same_values(&merged, &s->stored))
		return update_sources(s, c) ? -1 : STORE_MERGE_SAME;
	return update_case(s, now, &merged) ? -1 : STORE_MERGE_CHANGED;
}
