/*
 * Building a return into a folder, for commands other than `return build`
 * that need one (`bundle create --quarter` bundles what it builds).
 */
#ifndef NRM_RETURN_COMMAND_H
#define NRM_RETURN_COMMAND_H

#include "return_render.h"

#include <stdbool.h>

struct nrm_context;

/* What `return build` takes on its command line, from the case store. */
struct nrm_return_request {
	const char *quarter;   /* YYYYQn, required */
	const char *site;      /* NULL: the site of the store's cases */
	const char *audience;  /* "official" (NULL) or "published" */
	const char *now;       /* generated_at, RFC 3339; NULL: now */
	const char *dir;       /* an existing folder to write into */
	const char *store;     /* NULL: the context's store, or ./nrmhub.db */
	const char *key;       /* the pseudonym key; NULL: beside the store */
	const char *joined;    /* YYYY-MM-DD the site joined; NULL: the pilot's start */
	const char *threshold; /* published: hide counts 1..N; NULL: 4 */
	const char *area;      /* the site's GSS area code; NULL: not recorded */
	const char *site_name; /* the site's display name; NULL: the configuration's
	                          site.name when it is this site's, else none */
	enum nrm_sdmx_version sdmx; /* return.sdmx.csv's version (0: 1.0) */
	const char *reason;    /* why a quarter sent before is sent again (--reason) */
	const char *revises;   /* the return last sent, given by hand (--revises) */
	const char *provisional_quarters, *provisional_months; /* as the options */
	bool force;            /* build past the sanity rules (return_rules.h) */
	unsigned *forced;      /* NULL, or filled with the rules forced past
	                          (an nrm_rules_forced) */
};

/* Builds the return exactly as `return build` does, sanity rules and all
 * (messages logged).  0, or a sysexits.h code. */
int nrm_return_build_into(struct nrm_context *ctx, const struct nrm_return_request *req);

/* `return review`, `return approve` and `return reject`: a return a job
 * held for review (cmd_return_review.c). */
int cmd_return_review(struct nrm_context *ctx, int argc, char **argv);
int cmd_return_approve(struct nrm_context *ctx, int argc, char **argv);
int cmd_return_reject(struct nrm_context *ctx, int argc, char **argv);

#endif
