/*
 * Erasing cases from the store (UK GDPR's right to erasure, and the
 * retention policy): each case's row goes (its values and which source set
 * each field), with SQLite's secure_delete on so the freed bytes are
 * zeroed; then VACUUM rebuilds the file without free pages, and a
 * checkpoint(TRUNCATE) leaves the WAL empty.  Afterwards no byte of the
 * store's files (the database, -wal, -shm) holds an erased value.
 *
 * Each erasure is recorded in the ledger's `erasure` table (schema 6) by
 * the case's keyed pseudonym, never its id, with the reason, time, OS user
 * and command.  The `source` rows stay: they hold no value of the case
 * (plugin, file name, options, digest), and their digests keep an
 * unchanged input file from bringing the case back on the next import.
 */
#ifndef NRM_STORE_ERASE_H
#define NRM_STORE_ERASE_H

#include "pseudonym.h"

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct store;

/* What every erasure of one call has in common. */
struct store_erasure {
	const char *site;
	const char *reason;
	const char *command;     /* "cases erase", "retention" */
	const char *os_user;
	int64_t now;
};

/* One case to erase. */
struct store_erase_item {
	const char *case_id;
	char pseudonym[NRM_PSEUDONYM_HEX + 1];
	int64_t files_changed;   /* held files it was removed from (erase_held.h) */
};

/* Erases the cases of `e->site` named by items[0..n) in one transaction,
 * records each in the ledger, then clears the free pages and the WAL
 * (store_erase_scrub).  0; 1 when one of them is not in the store (then
 * nothing is erased); -1 on failure (store_error). */
int store_erase(struct store *s, const struct store_erasure *e,
                const struct store_erase_item *items, size_t n);

/* VACUUM, then checkpoint(TRUNCATE): no free page and no WAL frame keeps
 * what was deleted.  Fails with EX_TEMPFAIL when another connection holds
 * the store, so the WAL could not be emptied. */
int store_erase_scrub(struct store *s);

/* The erasures recorded, oldest first, at or after `since` (seconds since
 * the epoch), as a JSON list of {time, site, pseudonym, reason, user,
 * command, files_changed}; caller decrefs.  NULL on failure. */
json_t *store_erasures(struct store *s, int64_t since);

#endif
