/*
 * Erasing cases from everything a site holds (`cases erase`, `cases
 * expire`, the retention step of `run --due`): the store (store_erase.h)
 * and the held bundles, returns and extracts (erase_held.h), each case
 * recorded in the ledger by its keyed pseudonym.  A return that counted a
 * case is never kept with the case's row taken out of its extract and its
 * figures left as they were: it is removed, and built again by its job
 * from the store without the case (a return held for review is
 * discarded whole, every audience, with a note of why and how to build it
 * again), so that nothing of the child leaves the site in a figure.  The held files go first: a run killed
 * after them leaves the case in the store, to be erased again; the other
 * order could leave a bundle of an erased case waiting to be sent.
 */
#ifndef NRM_ERASURE_H
#define NRM_ERASURE_H

#include "retention.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_config;
struct nrm_error;
struct store;

struct nrm_erasure_request {
	const char *site;
	const char *key_path;    /* the site's pseudonym key (made if missing) */
	const char *reason;
	const char *command;     /* "cases erase", "retention" */
	int64_t now;
	const char *const *places;  /* folders and files that may hold extracts */
	size_t n_places;
	bool dry_run;            /* find and list; change nothing */
};

struct nrm_erasure_result {
	json_t *pseudonyms;      /* the cases', in the order given */
	json_t *changed;         /* files (and return folders) removed or rewritten */
	/* Returns held for review that counted a case: discarded whole, each
	 * {folder, site, quarter, job, rebuild} (rebuild: the command that
	 * builds it again), and recorded as rejected, with why, where `return
	 * review` and `return approve` record a person's decisions. */
	json_t *discarded;
};

/* Erases the cases ids[0..n) of req->site.  0; EX_NOINPUT when one of them
 * is not in the store (nothing is changed, and err does not say which);
 * another sysexits.h code with err.  `res` is filled in every case; free
 * it with nrm_erasure_result_free. */
int nrm_erasure_run(struct store *s, const struct nrm_erasure_request *req,
                    const char *const *ids, size_t n, struct nrm_erasure_result *res,
                    struct nrm_error *err);

/* The same for every case of req->site past the policy's limit at
 * req->now (reason and command "retention" unless the request says). */
int nrm_retention_run(struct store *s, const struct nrm_erasure_request *req,
                      const struct nrm_retention *policy, struct nrm_erasure_result *res,
                      struct nrm_error *err);

void nrm_erasure_result_free(struct nrm_erasure_result *res);

/* Appends to `places` (a JSON list of strings) the folders a site's
 * configuration keeps returns in: each return job's outbox, each deliver
 * job's folder. */
void nrm_erasure_config_places(const struct nrm_config *cfg, json_t *places);

#endif
