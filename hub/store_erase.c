/*
 * Erasing cases (store_erase.h).
 */
#include "store_erase.h"

#include "store_internal.h"

#include "log.h"
#include "store_backup.h"

#include <sysexits.h>

static int erase_one(struct store *s, const struct store_erasure *e,
                     const struct store_erase_item *it, sqlite3_stmt *del, sqlite3_stmt *note)
{
	sqlite3_reset(del);
	sqlite3_bind_text(del, 1, e->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(del, 2, it->case_id, -1, SQLITE_STATIC);
	if (sqlite3_step(del) != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot erase a case");
	if (sqlite3_changes(s->db) == 0)
		return 1;
	sqlite3_reset(note);
	sqlite3_bind_text(note, 1, e->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(note, 2, it->pseudonym, -1, SQLITE_STATIC);
	sqlite3_bind_text(note, 3, e->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(note, 4, e->now);
	sqlite3_bind_text(note, 5, e->os_user, -1, SQLITE_STATIC);
	sqlite3_bind_text(note, 6, e->command, -1, SQLITE_STATIC);
	sqlite3_bind_int64(note, 7, it->files_changed);
	if (sqlite3_step(note) != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot record an erasure");
	return 0;
}

static int erase_all(struct store *s, const struct store_erasure *e,
                     const struct store_erase_item *items, size_t n)
{
	sqlite3_stmt *del = NULL, *note = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM nrm_case WHERE site = ? AND case_id = ?", -1,
	                       &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO erasure (site, pseudonym, reason, erased_at, "
	                       "os_user, command, files_changed) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                       -1, &note, NULL) != SQLITE_OK) {
		store_fail_sqlite(s, "the erasure ledger");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if ((rc = erase_one(s, e, &items[i], del, note)) != 0)
			break;
done:
	sqlite3_finalize(del);
	sqlite3_finalize(note);
	return rc;
}

int store_erase(struct store *s, const struct store_erasure *e,
                const struct store_erase_item *items, size_t n)
{
	/* Per connection, and before the delete: the freed cells and pages are
	 * written as zeros, in the WAL's new frames and then the database. */
	if (store_exec(s, "PRAGMA secure_delete = ON") != 0 || store_begin(s) != 0)
		return -1;
	int rc = erase_all(s, e, items, n);
	if (rc != 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_erase_scrub(s);
}

int store_erase_scrub(struct store *s)
{
	if (store_exec(s, "VACUUM") != 0)
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot empty the WAL");
	int rc = sqlite3_step(st), busy = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail_sqlite(s, "cannot empty the WAL");
	/* Another connection reading keeps frames the checkpoint may not
	 * reset: the erased values could still be in the -wal file. */
	if (busy)
		return nrm_fail(&s->err, EX_TEMPFAIL, "the store: another process has it open, so "
		                "its WAL could not be emptied; run the command again when it is done");
	/* The backups were made before the erasure and still hold it. */
	int removed = store_backup_remove_all(s->path);
	if (removed > 0)
		nrm_info("removed %d backup%s of the store made before the erasure (they held "
		         "what was erased)", removed, removed == 1 ? "" : "s");
	return 0;
}

json_t *store_erasures(struct store *s, int64_t since)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT erased_at, site, pseudonym, reason, os_user, command, "
	                       "files_changed FROM erasure WHERE erased_at >= ? ORDER BY id", -1,
	                       &st, NULL) != SQLITE_OK) {
		store_fail_sqlite(s, "cannot read the erasures");
		return NULL;
	}
	sqlite3_bind_int64(st, 1, since);
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}",
		        "time", (json_int_t)sqlite3_column_int64(st, 0),
		        "site", (const char *)sqlite3_column_text(st, 1),
		        "pseudonym", (const char *)sqlite3_column_text(st, 2),
		        "reason", (const char *)sqlite3_column_text(st, 3),
		        "user", (const char *)sqlite3_column_text(st, 4),
		        "command", (const char *)sqlite3_column_text(st, 5),
		        "files_changed", (json_int_t)sqlite3_column_int64(st, 6)));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		store_fail_sqlite(s, "cannot read the erasures");
		return NULL;
	}
	return list;
}
