/*
 * Rotating backups of the store (store_backup.h).  The file is created by
 * us with mode 0600 before SQLite opens it, as store.c does for the store,
 * so the umask never widens who may read it.
 */
#include "store_backup.h"

#include "atomic_file.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

char *store_backup_path(const char *path, int n)
{
	return nrm_xasprintf("%s.backup-%d", path, n);
}

/* The whole database in one step: a store is at most a few hundred MB,
 * and a migration waits for it anyway. */
static int copy_into(sqlite3 *src, const char *to, struct nrm_error *err)
{
	sqlite3 *dst = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;
	int rc = sqlite3_open_v2(to, &dst, flags, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", src, "main") : NULL;
	if (b) {
		rc = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
	}
	if (!b || rc != SQLITE_DONE)
		nrm_fail(err, EX_IOERR, "cannot back up the store to %s: %s", to,
		         dst ? sqlite3_errmsg(dst) : "out of memory");
	else
		rc = 0;
	/* The copy is a plain rollback-journal file: nothing beside it. */
	sqlite3_close(dst);
	return rc == 0 ? 0 : -1;
}

static void rotate(const char *path)
{
	for (int n = STORE_BACKUPS; n > 1; n--) {
		char *older = store_backup_path(path, n), *newer = store_backup_path(path, n - 1);
		if (rename(newer, older) != 0 && errno == ENOENT)
			unlink(older); /* nothing to move up: the old one is not kept either */
		free(older);
		free(newer);
	}
}

int store_backup_make(sqlite3 *db, const char *path, struct nrm_error *err)
{
	char *tmp = nrm_xasprintf("%s.backup-new", path);
	unlink(tmp); /* a killed backup's */
	int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return nrm_fail(err, EX_CANTCREAT, "cannot back up the store: cannot create %s.backup-new: %s",
		                path, strerror(e));
	}
	close(fd);
	int rc = copy_into(db, tmp, err);
	if (rc == 0) {
		rotate(path);
		char *first = store_backup_path(path, 1);
		if (rename(tmp, first) != 0)
			rc = nrm_fail(err, EX_CANTCREAT, "cannot back up the store to %s: %s", first,
			              strerror(errno));
		else
			nrm_sync_folder_of(first);
		free(first);
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int store_backup_remove_all(const char *path)
{
	int removed = 0;
	for (int n = 1; n <= STORE_BACKUPS + 1; n++) {
		char *p = store_backup_path(path, n);
		if (unlink(p) == 0)
			removed++;
		free(p);
	}
	char *tmp = nrm_xasprintf("%s.backup-new", path);
	unlink(tmp);
	free(tmp);
	return removed;
}
