/*
 * The case store: one SQLite file holding every case imported, merged by
 * (site, case_id), with which source set each field.  The file is created
 * mode 0600 (children's case data), runs in WAL mode, and carries its schema
 * version in PRAGMA user_version; opening a store migrates it forward to the
 * version this build knows (store_schema.c), and refuses a newer one.
 *
 * Merge rule (store_merge_case)
 * -----------------------------
 * A record's fields are grouped in units that change together (enum
 * store_field: a decision's date and outcome are one unit, so are status and
 * status date, and both nationalities).  For each unit the record knows
 * (an unknown value never erases a known one), the record wins over the
 * unit's current setter when
 *   - both have an updated_at: the record's is the same or later;
 *   - otherwise: always, since the record was imported later (import order).
 * A unit won changes value and setter together.  The merged case must keep
 * every canonical rule (e.g. a CG needs a positive RG), or the record is
 * rejected as a conflict and nothing of it is kept.  Status "open" without a
 * status date counts as unknown (a plugin cannot tell "open" from "not
 * said"), so it never reopens a withdrawn or transferred case.
 *
 * Sources
 * -------
 * A source is one input file of one import: plugin, file name as given,
 * plugin options, import time, and a BLAKE2b digest of the plugin name,
 * options and the file's bytes.  A file whose digest is already in the store
 * was imported before: importing it again is skipped, so it changes nothing.
 *
 * Errors: functions return -1 on a store failure and leave a message (with
 * no personal data) and a sysexits.h code in store_error().
 *
 * A handle is used by one thread at a time (it is opened without SQLite's
 * per-connection mutex).  Commands open it with nrm_context_open_store()
 * (commands.h), which honours --store.  Other parts add their tables by
 * appending a migration to store_schema.c, never by editing one.
 */
#ifndef NRM_STORE_H
#define NRM_STORE_H

#include <nrmhub/plugin.h>

#include <stdbool.h>
#include <stdint.h>

struct nrm_case_problem;
struct nrm_error;
struct store;

/* Where the store is when neither --store nor a configuration names it. */
#define STORE_DEFAULT_PATH "./nrmhub.db"

/* Units of a case that merge and remember their source together. */
enum store_field {
	STORE_F_NRM_REF = 0,
	STORE_F_REFERRAL_DATE,
	STORE_F_FIRST_RESPONDER_TYPE,
	STORE_F_FIRST_RESPONDER_ORG,
	STORE_F_LOCAL_AUTHORITY,
	STORE_F_POLICE_FORCE,
	STORE_F_AGE_AT_EXPLOITATION,
	STORE_F_AGE_DISPUTED,
	STORE_F_GENDER,
	STORE_F_NATIONALITY,        /* both codes */
	STORE_F_EXPLOITATION_TYPES,
	STORE_F_COUNTY_LINES,
	STORE_F_EXPLOITATION_LOCATION,
	STORE_F_RG,                 /* rg_decision_date and rg_outcome */
	STORE_F_CG,                 /* cg_decision_date and cg_outcome */
	STORE_F_DECISION_MAKER,
	STORE_F_STATUS,             /* status and status_date */
	STORE_F_UPDATED_AT,
	STORE_F_DATE_OF_BIRTH,      /* schema 2; after the others, so stored bits keep their meaning */
	STORE_N_FIELDS
};

/* The unit's name: its canonical field's name, or "rg", "cg", "status"
 * for the pairs. */
const char *store_field_name(enum store_field f);
/* The unit a canonical field name belongs to, or -1. */
int store_field_of(const char *canonical_name);
/* True when `c` knows unit f (so a merge would consider it). */
bool store_field_known(const struct nrm_case *c, enum store_field f);

/* Opens the store at `path`, creating it (mode 0600) if it does not exist,
 * checks it (PRAGMA quick_check: a damaged store is refused with
 * EX_DATAERR and how to restore it, store_check.h), backs it up before a
 * migration (store_backup.h) and migrates it to the current schema.  0, or
 * -1 with `err` filled. */
int store_open(const char *path, struct store **out, struct nrm_error *err);
/* For commands that only read: as store_open when the store and its
 * folder can be written; else (a read-only medium) opened read-only, not
 * migrated (a store at another schema version is refused, EX_NOPERM), so
 * that it can still be read.  A store that is not there is made, as by
 * store_open. */
int store_open_read(const char *path, struct store **out, struct nrm_error *err);
/* True when opened read-only by store_open_read. */
bool store_is_read_only(const struct store *s);
void store_close(struct store *s);
/* The last failure's code and message. */
const struct nrm_error *store_error(const struct store *s);
/* The schema version this build creates and migrates to. */
int store_schema_version(void);

/* One write transaction (BEGIN IMMEDIATE): an import is one, so a failure
 * rolls everything back. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* ---- imports --------------------------------------------------------- */

struct store_source {
	const char *plugin;      /* the import plugin's name */
	const char *file;        /* as the user gave it */
	const char *options;     /* the plugin options given, "" if none */
	unsigned char digest[32];
	int64_t imported_at;     /* seconds since the epoch */
};

/* Fills src->digest from the plugin name, options and the bytes of `fd`
 * (read to its end).  0, or -1 with err filled (EX_IOERR). */
int store_source_digest(struct store_source *src, int fd, struct nrm_error *err);
/* Records a source.  0 with *id set; 1 when the same digest was imported
 * before (*id and *previous_time name that import); -1 on failure. */
int store_source_add(struct store *s, const struct store_source *src, int64_t *id,
                     int64_t *previous_time);

enum store_merge_result {
	STORE_MERGE_NEW = 0,     /* a case not seen before */
	STORE_MERGE_CHANGED,     /* some stored value changed */
	STORE_MERGE_SAME,        /* no value changed (setters may have) */
	STORE_MERGE_CONFLICT,    /* the merge breaks a rule: see *problem */
};

/* Merges one valid record from source `source_id` (imported at `now`) into
 * the store, by the rule above.  A store_merge_result, or -1 on failure. */
int store_merge_case(struct store *s, int64_t source_id, int64_t now,
                     const struct nrm_case *c, struct nrm_case_problem *problem);

/* ---- reading --------------------------------------------------------- */

/* Called once per case; the case and its strings are valid only during the
 * call.  Return 0 to go on, anything else to stop (and have it returned). */
typedef int (*store_case_fn)(const struct nrm_case *c, void *ctx);

/* Streams the canonical (merged) cases of `site`, or of every site when
 * NULL, one at a time, in (site, case_id) byte order; memory does not grow
 * with the store.  Returns 0 when every case was seen, the callback's
 * non-zero value when it stopped, or -1 on a store failure (store_error).
 * The callback must not write to the store.  Reading a million cases takes
 * well under a second of CPU (measured through `export`). */
int store_each_case(struct store *s, const char *site, store_case_fn fn, void *ctx);

/* The same, only for cases referred on or before `referred_by` (a day
 * number): a quarter's return needs no case referred after it ends. */
int store_each_case_referred_by(struct store *s, const char *site, int32_t referred_by,
                                store_case_fn fn, void *ctx);

/* What the store knew at a moment (store_history.c): its first and latest
 * import at or before `as_at` (seconds since the epoch), NRM_TIME_NONE
 * when there was none; 0, or -1 (store_error). */
struct store_knowledge {
	int64_t first_import, latest_import;
	int64_t store_latest;    /* the latest import of all, NRM_TIME_NONE for none */
};
int store_knowledge_at(struct store *s, int64_t as_at, struct store_knowledge *k);

/* The cases of `site` (every site when NULL) referred on or before
 * `referred_by`, each as the store held it at `as_at`: the version of it
 * imported last at or before then (from the case's history when it has
 * changed since); a case first imported later is not there.  An erased or
 * expired case is gone from every moment.  In (site, case_id) byte order,
 * as store_each_case. */
int store_each_case_as_at(struct store *s, const char *site, int64_t as_at,
                          int32_t referred_by, store_case_fn fn, void *ctx);

/* The same, only for cases whose stored values changed at or after
 * `changed_since` (seconds since the epoch; INT64_MIN for all). */
int store_each_case_since(struct store *s, const char *site, int64_t changed_since,
                          store_case_fn fn, void *ctx);

/* Who set one unit of a case. */
struct store_field_source {
	bool known;              /* false: no source has set it */
	const char *plugin, *file;
	int64_t imported_at;
	int64_t updated_at;      /* the record's, or NRM_TIME_NONE */
};

struct store_case_detail {
	struct nrm_case c;
	int64_t changed_at;      /* when a value last changed (import time) */
	struct store_field_source source[STORE_N_FIELDS];
};

/* Looks a case up by id, in `site` or in any site.  0 found (valid until the
 * next call on the store); 1 not found; 2 found in more than one site (give
 * the site); -1 on failure. */
int store_case_get(struct store *s, const char *site, const char *case_id,
                   struct store_case_detail *out);

/* Counts cases (of `site`, or all when NULL) into *n; 0 or -1. */
int store_case_count(struct store *s, const char *site, int64_t *n);

/* A copy of the store beside it, STORE.backup-1, the older ones rotated
 * (store_backup.h): what a damaged store is restored from.  0, or -1. */
int store_backup_now(struct store *s);

/* ---- bundles --------------------------------------------------------- */

/* The next bundle sequence number for (site, quarter): 1 for the first
 * bundle, then one more than the last handed out, kept in the
 * bundle_sequence(site, quarter, last_seq) table, and recorded as reserved
 * (bundle_made).  Runs in its own transaction unless one is open, so a
 * number is never handed out twice.  0 with *seq set, or -1. */
int store_bundle_seq_next(struct store *s, const char *site, const char *quarter,
                          int64_t *seq);
/* A number given by hand for (site, quarter): the counter moves up to
 * `seq` when it is higher (never down), and `seq` is recorded as reserved
 * (bundle_made), so that it is settled like the store's own numbers.  Its
 * own transaction unless one is open.  0, or -1. */
int store_bundle_seq_reserve(struct store *s, const char *site, const char *quarter,
                             int64_t seq);
/* How the create of bundle `seq` ended: finished (failure NULL), or not,
 * with the reason.  0, or -1. */
int store_bundle_ended(struct store *s, const char *site, const char *quarter, int64_t seq,
                       const char *failure);

/* A sequence number handed out whose bundle was never finished. */
struct store_bundle_gap {
	const char *site, *quarter;
	int64_t seq, reserved_at;
	const char *failure; /* why, when the create said; NULL: it was killed (or runs still) */
};
typedef int (*store_bundle_gap_fn)(const struct store_bundle_gap *g, void *ctx);
/* Calls `fn` for each, oldest site and quarter first; stops when it returns
 * non-zero.  That value, 0, or -1 on error. */
int store_bundle_each_unfinished(struct store *s, store_bundle_gap_fn fn, void *ctx);

#endif
