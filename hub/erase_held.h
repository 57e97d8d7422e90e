/*
 * The record-level extract rows an erased case contributed to that the
 * site still holds.  What "still held" means: the places the erasure is
 * told of (erase_held's `places`), which the commands take from the site
 * configuration (every return job's outbox and every deliver job's
 * folder), from the ledger (every item queued for delivery, in whatever
 * state) and from --held DIR.  In each folder, one level deep:
 *   - a bundle (NAME.tar.gz) whose data/cases.csv has a row with one of
 *     the pseudonyms is removed, with its signature NAME.tar.gz.minisig: a
 *     signed archive cannot lose a row, and the next return job makes the
 *     quarter's bundle again without the case;
 *   - a return folder (return.json beside its extract cases.csv: the
 *     folder itself, or one inside it) whose extract has a row of the case
 *     is removed, return.json first, then every file it lists: all its
 *     figures counted the case, and the return job builds the quarter
 *     again from the store, which then has no trace of it;
 *   - a return held for review (review_held.h) with such a row in any of
 *     its audiences is not touched: it is named in `discard`, for the
 *     caller to record why it goes and remove it whole (erasure.h);
 *   - a cases.csv alone (no return.json beside it) loses the case's rows,
 *     rewritten atomically;
 *   - then, for each site and quarter whose bundle or return went above, a
 *     bundle or return folder of that quarter without an extract (the
 *     published audience's) goes too: it was built from the same cases,
 *     so its figures counted the case, though it holds no row to show it.
 * Copies elsewhere (a return folder written with `return build -o` outside
 * these places, bundles already received by the Home Office) are not the
 * store's to find: nrmhub(1), PRIVACY.
 */
#ifndef NRM_ERASE_HELD_H
#define NRM_ERASE_HELD_H

#include "store_erase.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

/* Looks through `places` (folders, or files a ledger names) for rows of
 * items[0..n)'s pseudonyms; adds to each item's files_changed, appends
 * each file (or return folder) removed or rewritten to `changed` (its
 * path), and each held return that counted one of them to `discard` (its
 * folder).  With `dry_run` nothing is touched.  0, or -1 with err (a file
 * that holds a row and could not be removed or rewritten). */
int nrm_erase_held(const char *const *places, size_t n_places, struct store_erase_item *items,
                   size_t n, bool dry_run, json_t *changed, json_t *discard,
                   struct nrm_error *err);

#endif
