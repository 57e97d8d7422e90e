/*
 * A store is checked each time it is opened, before anything reads or
 * writes it: PRAGMA quick_check (the b-tree structure of every page, not
 * the index contents that integrity_check also compares, so it costs one
 * read of the file).  A damaged store was imported into with exit 0 and
 * then failed every export and return with "database disk image is
 * malformed" (issue 19); now it is refused at once, with exit 65
 * (EX_DATAERR) and a message that says how to restore it.
 */
#ifndef NRM_STORE_CHECK_H
#define NRM_STORE_CHECK_H

#include <sqlite3.h>

struct nrm_error;

/* 0 when `db` (the store at `path`) passes quick_check; else -1 with err
 * (EX_DATAERR) naming the store, SQLite's first finding, and the way back:
 * its newest backup when there is one (store_backup.h), else the sources. */
int store_check_health(sqlite3 *db, const char *path, struct nrm_error *err);

#endif
