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
 *   - a cases.csv (in the folder, or in a return folder inside it) loses
 *     the case's rows, rewritten atomically; its return.json still counts
 *     the case, so the return must be built again before it is sent
 *     (intake refuses an extract that disagrees with its counts).
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
 * items[0..n)'s pseudonyms; adds to each item's files_changed, and appends
 * each file removed or rewritten to `changed` (its path).  With `dry_run`
 * nothing is touched.  0, or -1 with err (a file that holds a row and
 * could not be removed or rewritten). */
int nrm_erase_held(const char *const *places, size_t n_places, struct store_erase_item *items,
                   size_t n, bool dry_run, json_t *changed, struct nrm_error *err);

#endif
