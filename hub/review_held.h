/*
 * Returns held for review.  A return job configured "review": "required"
 * builds and renders its returns but signs nothing: it holds them, one
 * folder per site and quarter, until a person approves (`return approve`:
 * signed and put in the job's outbox) or rejects them (`return reject`:
 * removed).  They live beside the case store, never in an outbox:
 *
 *   STORE_FOLDER/held/                        mode 0700
 *     SITE_QUARTER/                           mode 0700, replaced whole
 *       held.json                             what held it (below)
 *       official/, published/                 each a return folder, as
 *                                             `return build -o DIR` writes it
 *
 * held.json: {"site", "quarter", "job" (the return job's name), "held_at"
 * (RFC 3339, UTC), "audiences" (the folders, in the job's order),
 * "forced" (sanity rules overridden, return_rules.h; [] for a job)}.
 * An audience's folder goes once its bundle is made, so an approval cut
 * short makes only the rest when it is run again.
 */
#ifndef NRM_REVIEW_HELD_H
#define NRM_REVIEW_HELD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct nrm_error;

#define NRM_HELD_FOLDER "held"
#define NRM_HELD_FILE "held.json"

/* STORE_FOLDER/held, for the store at `store_path` (allocated). */
char *nrm_held_root(const char *store_path);
/* STORE_FOLDER/held/SITE_QUARTER (allocated). */
char *nrm_held_dir(const char *store_path, const char *site, const char *quarter);
/* Makes the root (and no parent) mode 0700, or narrows an existing one's
 * mode to 0700: held returns carry the record-level extract.  0, or -1
 * with err (EX_CANTCREAT). */
int nrm_held_root_make(const char *root, struct nrm_error *err);

struct nrm_held {
	char *site, *quarter, *job;
	int64_t held_at;
	char **audiences;
	size_t n_audiences;
	char **forced;
	size_t n_forced;
};

/* Reads DIR/held.json.  0; 1 when DIR holds no held return; -1 with err
 * (EX_DATAERR) when held.json is not what this file describes. */
int nrm_held_read(const char *dir, struct nrm_held *h, struct nrm_error *err);
/* Writes DIR/held.json (mode 0600) atomically.  0, or -1 with err. */
int nrm_held_write(const char *dir, const struct nrm_held *h, struct nrm_error *err);
void nrm_held_free(struct nrm_held *h);

/* {site, quarter, job, held_at, audiences, forced, folder} of a held
 * return in `dir`.  Caller decrefs. */
json_t *nrm_held_to_json(const struct nrm_held *h, const char *dir);

/* The held returns of the store at `store_path`, by folder name: a JSON
 * list of nrm_held_to_json's objects; an
 * empty list when there is no held folder.  A folder whose held.json
 * cannot be read is listed with an "error".  Caller decrefs. */
json_t *nrm_held_list(const char *store_path);

/* Appends each held return's folder to `places` (JSON strings): what a
 * case's erasure must also look through (erasure.h). */
void nrm_held_places(const char *store_path, json_t *places);

#endif
