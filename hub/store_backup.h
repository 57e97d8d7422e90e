/*
 * Copies of the store kept beside it, made with SQLite's online backup API
 * (a consistent copy even while others read it), before a migration
 * changes its schema: a migration that goes wrong, or a store found
 * damaged later (store_check.h), can be undone from the copy.  The newest
 * is STORE.backup-1; making one moves -1 to -2 and so on, and the oldest
 * beyond STORE_BACKUPS goes.  Each is mode 0600: it holds the same
 * children's case data as the store, and an erasure removes them all
 * (store_erase.c), since they hold what was erased.
 */
#ifndef NRM_STORE_BACKUP_H
#define NRM_STORE_BACKUP_H

#include <sqlite3.h>

struct nrm_error;

#define STORE_BACKUPS 3

/* "PATH.backup-N" (allocated). */
char *store_backup_path(const char *path, int n);

/* Copies the open store `db` (at `path`) to PATH.backup-1, rotating the
 * older copies.  The copy is written under a temporary name and renamed,
 * so a copy that exists is whole.  0, or -1 with err (EX_CANTCREAT,
 * EX_IOERR); the store itself is never changed. */
int store_backup_make(sqlite3 *db, const char *path, struct nrm_error *err);

/* Removes every PATH.backup-N; the number removed. */
int store_backup_remove_all(const char *path);

#endif
