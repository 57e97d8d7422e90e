/*
 * The store's schema, as a list of forward migrations: migration N takes a
 * store from user_version N to N + 1.  A released migration is never
 * edited; a change is a new one at the end.  Each runs in its own
 * transaction with the version bump, so a store is always at exactly one
 * version.  Other parts of the hub add their tables here the same way.
 */
#include "store_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <sysexits.h>

static const char *const migrations[] = {
	/* 0 -> 1: the sources imported, and the cases, one row each, keyed by
	 * (site, case_id).  Dates are days since 1970-01-01, times seconds
	 * since the epoch, codes the plugin ABI's enumeration values; NULL is
	 * unknown.  `sources` says which source set which units of the case
	 * (store_merge.c): one 20-byte entry per source and record updated_at
	 * that still sets some, each the source id (int64), the record's
	 * updated_at (int64, INT64_MIN for none) and the units it sets (uint32,
	 * bits 1 << enum store_field), all little-endian.  Kept in the case's
	 * own row, so storing a new case is one insert. */
	"CREATE TABLE source ("
	"  id INTEGER PRIMARY KEY,"
	"  plugin TEXT NOT NULL,"
	"  file TEXT NOT NULL,"
	"  options TEXT NOT NULL,"
	"  digest BLOB NOT NULL UNIQUE,"
	"  imported_at INTEGER NOT NULL"
	");"
	"CREATE TABLE nrm_case ("
	"  site TEXT NOT NULL,"
	"  case_id TEXT NOT NULL,"
	"  nrm_ref TEXT,"
	"  referral_date INTEGER NOT NULL,"
	"  first_responder_type INTEGER,"
	"  first_responder_org TEXT,"
	"  local_authority TEXT,"
	"  police_force TEXT,"
	"  age_at_exploitation INTEGER,"
	"  age_disputed INTEGER,"
	"  gender INTEGER,"
	"  nationality1 TEXT,"
	"  nationality2 TEXT,"
	"  exploitation_types INTEGER,"
	"  county_lines INTEGER,"
	"  exploitation_location INTEGER,"
	"  rg_decision_date INTEGER,"
	"  rg_outcome INTEGER,"
	"  cg_decision_date INTEGER,"
	"  cg_outcome INTEGER,"
	"  decision_maker INTEGER,"
	"  status INTEGER NOT NULL DEFAULT 0,"
	"  status_date INTEGER,"
	"  updated_at INTEGER,"
	"  changed_at INTEGER NOT NULL,"
	"  sources BLOB NOT NULL,"
	"  PRIMARY KEY (site, case_id)"
	") WITHOUT ROWID;",

	/* 1 -> 2: bundle sequence numbers, one counter per site and quarter. */
	"CREATE TABLE bundle_sequence ("
	"  site TEXT NOT NULL,"
	"  quarter TEXT NOT NULL,"
	"  last_seq INTEGER NOT NULL,"
	"  PRIMARY KEY (site, quarter)"
	") WITHOUT ROWID;",

	/* 2 -> 3: the ledger of unattended runs (store_ledger.c).  job_seen:
	 * when each job was first seen, so a new job does not fire for all of
	 * history.  job_run: every run of a job (times in seconds since the
	 * epoch, the run's time as handed to it; status ok, retry or failed;
	 * outputs a JSON list).  delivery: each item (a file) to send to a
	 * target, pending until acknowledged (delivered) or refused; receipt:
	 * every attempt's outcome, with the SHA-256 of what was sent and the
	 * receiver's response headers (a JSON list). */
	"CREATE TABLE job_seen ("
	"  job TEXT PRIMARY KEY,"
	"  first_seen INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE job_run ("
	"  id INTEGER PRIMARY KEY,"
	"  job TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  ended_at INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  message TEXT NOT NULL,"
	"  outputs TEXT NOT NULL"
	");"
	"CREATE INDEX job_run_by_job ON job_run (job, id);"
	"CREATE TABLE delivery ("
	"  id INTEGER PRIMARY KEY,"
	"  target TEXT NOT NULL,"
	"  item TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  queued_at INTEGER NOT NULL,"
	"  message TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (target, item)"
	");"
	"CREATE TABLE receipt ("
	"  id INTEGER PRIMARY KEY,"
	"  delivery INTEGER NOT NULL REFERENCES delivery (id),"
	"  status TEXT NOT NULL,"
	"  time INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  bytes INTEGER NOT NULL,"
	"  url TEXT NOT NULL,"
	"  response_code INTEGER NOT NULL,"
	"  response_headers TEXT NOT NULL,"
	"  message TEXT NOT NULL"
	");",

	/* 3 -> 4: the Home Office's intake (store_intake.c).  intake_key: the
	 * sites' public keys (the text of minisign's .pub file), at most one
	 * unrevoked per site; a revoked key stays so that what it signed can be
	 * marked.  intake_bundle: every accepted bundle, its return.json as
	 * received; intake_case: the rows of its cases.csv, values as written
	 * there (empty as NULL). */
	"CREATE TABLE intake_key ("
	"  id INTEGER PRIMARY KEY,"
	"  site TEXT NOT NULL,"
	"  nation TEXT NOT NULL,"
	"  key_id TEXT NOT NULL,"
	"  public_key TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  revoked_at INTEGER"
	");"
	"CREATE UNIQUE INDEX intake_key_active ON intake_key(site) WHERE revoked_at IS NULL;"
	"CREATE TABLE intake_bundle ("
	"  id INTEGER PRIMARY KEY,"
	"  site TEXT NOT NULL,"
	"  quarter TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  bag TEXT NOT NULL,"
	"  key_id TEXT NOT NULL,"
	"  tagmanifest TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  return_json TEXT NOT NULL,"
	"  UNIQUE (site, quarter, seq)"
	");"
	"CREATE TABLE intake_case ("
	"  bundle INTEGER NOT NULL REFERENCES intake_bundle(id),"
	"  pseudonym TEXT NOT NULL,"
	"  referral_date TEXT, age_band TEXT, gender TEXT,"
	"  nationality_1 TEXT, nationality_2 TEXT, exploitation_types TEXT,"
	"  county_lines TEXT, exploitation_location TEXT, first_responder_type TEXT,"
	"  local_authority TEXT, police_force TEXT,"
	"  rg_decision_date TEXT, rg_outcome TEXT, cg_decision_date TEXT, cg_outcome TEXT,"
	"  decision_maker TEXT, status TEXT, status_date TEXT"
	");"
	"CREATE INDEX intake_case_bundle ON intake_case(bundle);",
	/* 4 -> 5: the intake's moves out of an inbox not yet finished
	 * (intake_move.c): a row is written before a bundle's files are moved
	 * and removed when both are where they belong, so a run killed in
	 * between is finished by the next.  inbox is the folder's real path;
	 * reason, for a refused bundle, the text of its .reason file. */
	"CREATE TABLE intake_move ("
	"  inbox TEXT NOT NULL,"
	"  file TEXT NOT NULL,"
	"  dest TEXT NOT NULL,"
	"  reason TEXT,"
	"  PRIMARY KEY (inbox, file)"
	") WITHOUT ROWID;",
	/* 5 -> 6: the pilot's scope.  nrm_case.date_of_birth (canonical case schema
	 * 2; days since 1970-01-01); the two columns cases.csv gained
	 * (age_at_referral, pilot_scope, as written there); and the register
	 * of pilot sites (intake_site.c): each local authority of a site with
	 * the day the site joined, so an area is a pilot area from that day.
	 * `nation` is the GSS nation code; the register is replaced whole by
	 * each load. */
	"ALTER TABLE nrm_case ADD COLUMN date_of_birth INTEGER;"
	"ALTER TABLE intake_case ADD COLUMN age_at_referral TEXT;"
	"ALTER TABLE intake_case ADD COLUMN pilot_scope TEXT;"
	"CREATE TABLE intake_site ("
	"  local_authority TEXT PRIMARY KEY,"
	"  site TEXT NOT NULL,"
	"  nation TEXT NOT NULL,"
	"  joined INTEGER NOT NULL,"
	"  source TEXT NOT NULL"
	") WITHOUT ROWID;",

	/* 6 -> 7: privacy (store_erase.c, store_access.c).  erasure: every case
	 * erased, by `cases erase` or by the retention policy, as its keyed
	 * pseudonym (never its id), with the reason, time, OS user, the command
	 * and how many held files (bundles, extracts) it was removed from.
	 * access_log: every command that read cases out of the store (cases
	 * show, export, a record-level extract): time, OS user, command, the
	 * site asked for (NULL every site), how many cases, and their
	 * pseudonyms as one BLOB of 32-byte HMACs in the order read. */
	"CREATE TABLE erasure ("
	"  id INTEGER PRIMARY KEY,"
	"  site TEXT NOT NULL,"
	"  pseudonym TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  erased_at INTEGER NOT NULL,"
	"  os_user TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  files_changed INTEGER NOT NULL"
	");"
	"CREATE TABLE access_log ("
	"  id INTEGER PRIMARY KEY,"
	"  time INTEGER NOT NULL,"
	"  os_user TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  site TEXT,"
	"  cases INTEGER NOT NULL,"
	"  pseudonyms BLOB NOT NULL"
	");"
	"CREATE INDEX access_log_by_time ON access_log (time);",

	/* 7 -> 8: every bundle sequence number handed out (store_bundle.c),
	 * when, and whether its bundle was finished or why not: a number
	 * reserved and never finished is a gap with its reason, shown by
	 * `status` (a create killed part way leaves one). */
	"CREATE TABLE bundle_made ("
	"  site TEXT NOT NULL,"
	"  quarter TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  reserved_at INTEGER NOT NULL,"
	"  finished_at INTEGER,"
	"  failure TEXT,"
	"  PRIMARY KEY (site, quarter, seq)"
	") WITHOUT ROWID;",

	/* 8 -> 9: the alerts mailed (store_alerts.c), one row per problem
	 * while it lasts, so that a problem is mailed once and not on every
	 * run; the row goes when the problem clears. */
	"CREATE TABLE alert_sent ("
	"  problem TEXT PRIMARY KEY,"
	"  first_sent INTEGER NOT NULL,"
	"  last_sent INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/* 9 -> 10: why a job run ended as it did, for a site run by cron where
	 * nobody reads the log (store_ledger.c): what an import counted (a
	 * JSON object, 'null' for none), its first problems (a JSON list of
	 * {file, line, column, path, field, reason}, positions and rules,
	 * never a record's identifiers) and the rejects report it wrote. */
	"ALTER TABLE job_run ADD COLUMN counts TEXT NOT NULL DEFAULT 'null';"
	"ALTER TABLE job_run ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';"
	"ALTER TABLE job_run ADD COLUMN rejects TEXT;",

	/* 10 -> 11: the decisions on returns a job held for review
	 * (store_review.c): who (OS user) approved or rejected a site's
	 * quarter and when, the held return's time and job, the approval's
	 * note or the rejection's reason, the sanity rules it was forced past
	 * (comma-separated) and an approval's bundles (a JSON list). */
	"CREATE TABLE return_review ("
	"  id INTEGER PRIMARY KEY,"
	"  site TEXT NOT NULL,"
	"  quarter TEXT NOT NULL,"
	"  job TEXT NOT NULL,"
	"  decision TEXT NOT NULL,"
	"  os_user TEXT NOT NULL,"
	"  decided_at INTEGER NOT NULL,"
	"  held_at INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  forced TEXT NOT NULL,"
	"  bundles TEXT NOT NULL"
	");"
	"CREATE INDEX return_review_by_quarter ON return_review (site, quarter, id);",

	/* 11 -> 12: the history of every case (store_history.c), so that a
	 * return can be rebuilt from what the store knew at a past moment.
	 * case_version: each superseded version of a case, its values as they
	 * were, held from changed_at (the import that made it) until
	 * replaced_at (the import that changed it); the case's row in nrm_case
	 * is the version held since its own changed_at.  Written by a trigger
	 * in the same statement as the update, so no import can change a case
	 * without keeping what it replaced; a version replaced in the second
	 * it was made was never the store's state at any moment and is not
	 * kept.  A case deleted (erased, expired) takes its whole history
	 * with it, by the second trigger: nothing of an erased child stays. */
	"CREATE TABLE case_version ("
	"  site TEXT NOT NULL,"
	"  case_id TEXT NOT NULL,"
	"  nrm_ref TEXT,"
	"  referral_date INTEGER NOT NULL,"
	"  first_responder_type INTEGER,"
	"  first_responder_org TEXT,"
	"  local_authority TEXT,"
	"  police_force TEXT,"
	"  age_at_exploitation INTEGER,"
	"  age_disputed INTEGER,"
	"  gender INTEGER,"
	"  nationality1 TEXT,"
	"  nationality2 TEXT,"
	"  exploitation_types INTEGER,"
	"  county_lines INTEGER,"
	"  exploitation_location INTEGER,"
	"  rg_decision_date INTEGER,"
	"  rg_outcome INTEGER,"
	"  cg_decision_date INTEGER,"
	"  cg_outcome INTEGER,"
	"  decision_maker INTEGER,"
	"  status INTEGER NOT NULL DEFAULT 0,"
	"  status_date INTEGER,"
	"  updated_at INTEGER,"
	"  date_of_birth INTEGER,"
	"  changed_at INTEGER NOT NULL,"
	"  replaced_at INTEGER NOT NULL,"
	"  PRIMARY KEY (site, case_id, changed_at)"
	") WITHOUT ROWID;"
	"CREATE TRIGGER case_version_keep AFTER UPDATE OF changed_at ON nrm_case "
	"WHEN OLD.changed_at < NEW.changed_at BEGIN "
	"  INSERT OR REPLACE INTO case_version (site, case_id, nrm_ref, referral_date, "
	"    first_responder_type, first_responder_org, local_authority, police_force, "
	"    age_at_exploitation, age_disputed, gender, nationality1, nationality2, "
	"    exploitation_types, county_lines, exploitation_location, rg_decision_date, "
	"    rg_outcome, cg_decision_date, cg_outcome, decision_maker, status, status_date, "
	"    updated_at, date_of_birth, changed_at, replaced_at) VALUES (OLD.site, OLD.case_id, OLD.nrm_ref, "
	"    OLD.referral_date, OLD.first_responder_type, OLD.first_responder_org, "
	"    OLD.local_authority, OLD.police_force, OLD.age_at_exploitation, "
	"    OLD.age_disputed, OLD.gender, OLD.nationality1, OLD.nationality2, "
	"    OLD.exploitation_types, OLD.county_lines, OLD.exploitation_location, "
	"    OLD.rg_decision_date, OLD.rg_outcome, OLD.cg_decision_date, OLD.cg_outcome, "
	"    OLD.decision_maker, OLD.status, OLD.status_date, OLD.updated_at, "
	"    OLD.date_of_birth, OLD.changed_at, NEW.changed_at);"
	"END;"
	"CREATE TRIGGER case_version_erase AFTER DELETE ON nrm_case BEGIN "
	"  DELETE FROM case_version WHERE site = OLD.site AND case_id = OLD.case_id;"
	"END;",
};
#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_version(void)
{
	return N_MIGRATIONS;
}

static int user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int exec(sqlite3 *db, const char *sql, const char *what, struct nrm_error *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return nrm_fail(err, EX_IOERR, "the store: %s: %s", what, sqlite3_errmsg(db));
}

/* One step, inside its transaction; the version is read again under the
 * write lock, so two processes opening an old store do not both migrate. */
static int migrate_one(sqlite3 *db, int target, bool *done, struct nrm_error *err)
{
	int version;
	if (exec(db, "BEGIN IMMEDIATE", "cannot start a migration", err))
		return -1;
	if (user_version(db, &version) != 0) {
		nrm_fail(err, EX_IOERR, "the store: cannot read its schema version: %s",
		         sqlite3_errmsg(db));
		goto fail;
	}
	if (version > N_MIGRATIONS) {
		nrm_fail(err, EX_DATAERR, "the store is at schema version %d, newer than this "
		         "nrmhub knows (%d): use a newer nrmhub", version, N_MIGRATIONS);
		goto fail;
	}
	if (version >= target) {
		*done = true;
		return exec(db, "COMMIT", "cannot finish a migration", err);
	}
	char bump[64];
	snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", version + 1);
	char what[64];
	snprintf(what, sizeof(what), "migration to schema version %d failed", version + 1);
	if (exec(db, migrations[version], what, err) || exec(db, bump, what, err) ||
	    exec(db, "COMMIT", what, err))
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int store_schema_migrate(sqlite3 *db, int target, struct nrm_error *err)
{
	if (target > N_MIGRATIONS)
		target = N_MIGRATIONS;
	bool done = false;
	while (!done)
		if (migrate_one(db, target, &done, err) != 0)
			return -1;
	return 0;
}
