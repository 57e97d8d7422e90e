/*
 * Making a signed bundle of a return folder, for commands other than
 * `bundle create` that need one: `return approve` bundles the return a job
 * held for review, as the job would have, with the approval in its
 * bag-info.txt (bagit.h).
 */
#ifndef NRM_BUNDLE_COMMAND_H
#define NRM_BUNDLE_COMMAND_H

#include "bundle.h"

#include <stddef.h>

struct nrm_context;
struct nrm_error;

struct nrm_bundle_request {
	const char *payload;       /* the return folder, exactly its files */
	const char *outdir;        /* where the bundle goes */
	const char *store;         /* counts the bundles; NULL: the context's */
	const char *key;           /* the site's secret key */
	const char *password_file; /* NULL: the key is not encrypted */
	const char *now;           /* the bundle's time, RFC 3339; NULL: now */
	const char *approved_by, *approved_at, *approval_note; /* bag-info.txt; NULL: left out */
	const char *const *forced; /* rules the return was built past (Forced lines) */
	size_t n_forced;
};

struct nrm_bundle_made {
	char *archive, *signature; /* their paths (caller frees) */
	char bag[NRM_BUNDLE_NAME_MAX + 1];
	unsigned long seq;
};

/* Makes the bundle as `bundle create --payload` does, numbered by the
 * store, printing nothing.  0 with *made filled, or -1 with err. */
int nrm_bundle_create_payload(struct nrm_context *ctx, const struct nrm_bundle_request *req,
                              struct nrm_bundle_made *made, struct nrm_error *err);
void nrm_bundle_made_free(struct nrm_bundle_made *made);

#endif
