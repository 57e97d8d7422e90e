/*
 * What the store's own files (store*.c) and its unit tests share: the open
 * handle, its prepared statements, and how a case maps to table columns.
 * Nothing outside hub/store*.c and tests should include this.
 */
#ifndef NRM_STORE_INTERNAL_H
#define NRM_STORE_INTERNAL_H

#include "store.h"
#include "util.h"

#include <sqlite3.h>

/* Statements prepared once per open store and reused (sqlite3_reset). */
enum store_stmt {
	ST_CASE_INSERT,
	ST_CASE_SELECT,
	ST_CASE_UPDATE,
	ST_SOURCES_UPDATE,
	ST_SOURCE_FIND,
	ST_SOURCE_INSERT,
	ST_SOURCE_GET,
	ST_N_STMTS
};

/* One entry of a case's `sources`: the units one source's record sets. */
struct store_contrib {
	int64_t source;
	int64_t updated_at;  /* NRM_TIME_NONE when the record had none */
	uint32_t fields;     /* bits (1 << enum store_field) it currently sets */
};
#define STORE_CONTRIB_BYTES 20

/* Decodes a `sources` blob into s->contribs; 0, or -1 when it is damaged. */
int store_decode_sources(struct store *s, const void *blob, int len);

struct store {
	sqlite3 *db;
	char *path;      /* as opened, for its backups */
	bool read_only;  /* opened SQLITE_OPEN_READONLY (store_open_read) */
	sqlite3_stmt *stmt[ST_N_STMTS];
	struct nrm_error err;
	bool in_tx;
	/* The stored case being merged, and its strings (copied out of
	 * SQLite, whose column pointers die at the next step). */
	struct nrm_case stored;
	char *strings;
	size_t strings_cap;
	struct store_contrib *contribs;
	size_t n_contribs, contribs_cap;
	unsigned char *blob;  /* the encoded sources being written */
	size_t blob_cap;
	/* store_case_get's answer. */
	struct store_case_detail detail;
	char *source_strings;
	size_t source_strings_cap;
};

/* The case columns, in this order, after `site, case_id`. */
#define STORE_CASE_COLUMNS                                                     \
	"nrm_ref, referral_date, first_responder_type, first_responder_org, "  \
	"local_authority, police_force, age_at_exploitation, age_disputed, "   \
	"gender, nationality1, nationality2, exploitation_types, county_lines, " \
	"exploitation_location, rg_decision_date, rg_outcome, cg_decision_date, " \
	"cg_outcome, decision_maker, status, status_date, updated_at, "         \
	"date_of_birth"
#define STORE_N_CASE_COLUMNS 23

/* Binds c's values to parameters first..first+22 (unknown as NULL). */
int store_bind_case(sqlite3_stmt *st, int first, const struct nrm_case *c);
/* Reads a case from columns first (site), first + 1 (case_id) and the case
 * columns after them, copying its strings into
 * *buf (grown as needed), which the case then points into. */
void store_read_case(sqlite3_stmt *st, int first, struct nrm_case *c, char **buf,
                     size_t *cap);
/* Steps `st` (its columns as store_read_case() reads them from 0),
 * calling `fn` on each case, then finalizes it: fn's first non-zero
 * result, or -1 with the store's error naming `what` when SQLite fails. */
int store_step_cases(struct store *s, sqlite3_stmt *st, store_case_fn fn, void *ctx,
                     const char *what);

/* Fails with SQLite's message for the store's database. */
int store_fail_sqlite(struct store *s, const char *what);
/* The prepared statement, prepared on first use; NULL on failure. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt which);
/* A one-off statement about one site's quarter: SQL prepared with ?1
 * bound to site and ?2 to quarter (both kept by the caller until it is
 * finalized); NULL, failed with `what`, when it cannot be prepared. */
sqlite3_stmt *store_prepare_for(struct store *s, const char *sql, const char *site,
                                const char *quarter, const char *what);
/* Runs SQL with no result; 0 or -1. */
int store_exec(struct store *s, const char *sql);

/* Migrates `db` from its user_version up to `target`, one version per
 * transaction.  0, or -1 with err filled.  Tests use a lower target to build
 * a store as an earlier release left it. */
int store_schema_migrate(sqlite3 *db, int target, struct nrm_error *err);

#endif
