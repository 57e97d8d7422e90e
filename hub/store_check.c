/*
 * The check on opening (store_check.h).  quick_check(1) stops at the first
 * finding: one is enough to refuse, and the rest would only fill the log.
 * SQLite's findings name pages and row numbers, never a stored value, so
 * they may be quoted.
 */
#include "store_check.h"

#include "store_backup.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static int damaged(const char *path, const char *finding, struct nrm_error *err)
{
	char *backup = store_backup_path(path, 1);
	int rc;
	if (access(backup, R_OK) == 0)
		rc = nrm_fail(err, EX_DATAERR, "the store %s is damaged (%s): nothing was read or "
		              "written; restore it from its newest backup: move %s and its -wal "
		              "and -shm files aside, copy %s to %s, and import what came after",
		              path, finding, path, backup, path);
	else
		rc = nrm_fail(err, EX_DATAERR, "the store %s is damaged (%s): nothing was read or "
		              "written; restore it from a copy of your own, or move it aside and "
		              "import the sources again", path, finding);
	free(backup);
	return rc;
}

int store_check_health(sqlite3 *db, const char *path, struct nrm_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	char finding[200] = "";
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);
		snprintf(finding, sizeof(finding), "PRAGMA quick_check: %s", text ? text : "?");
	} else {
		snprintf(finding, sizeof(finding), "%s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	/* SQLite's findings run over several lines; a log line is one. */
	for (char *p = finding; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	int code = sqlite3_errcode(db) & 0xff;
	if (rc == SQLITE_ROW && strcmp(finding, "PRAGMA quick_check: ok") == 0)
		return 0;
	if (rc != SQLITE_ROW && code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
		return nrm_fail(err, EX_IOERR, "cannot check the store %s: %s", path, finding);
	return damaged(path, finding, err);
}
