/*
 * Erasing cases from the store and the files the site holds (erasure.h).
 */
#include "erasure.h"

#include "erase_held.h"
#include "ledger.h"
#include "review_held.h"
#include "access_log.h"
#include "date.h"
#include "folder_swap.h"
#include "site_config.h"
#include "store_review.h"
#include "store.h"
#include "store_erase.h"
#include "util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static int fail_store(struct store *s, struct nrm_error *err)
{
	*err = *store_error(s);
	return err->code ? err->code : EX_IOERR;
}

/* Every id is in the store, so that an erasure is all or nothing. */
static int all_present(struct store *s, const char *site, const char *const *ids, size_t n,
                       struct nrm_error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct store_case_detail d;
		int rc = store_case_get(s, site, ids[i], &d);
		if (rc == 1) {
			nrm_fail(err, EX_NOINPUT, "no case with that id at site %s", site);
			return EX_NOINPUT;
		}
		if (rc != 0)
			return fail_store(s, err);
	}
	return 0;
}

static struct store_erase_item *pseudonymise(const struct nrm_erasure_request *req,
                                             const char *const *ids, size_t n,
                                             struct nrm_erasure_result *res,
                                             struct nrm_error *err)
{
	unsigned char key[NRM_PSEUDONYM_KEY_BYTES];
	if (nrm_pseudonym_key_load(req->key_path, true, key, err) != 0)
		return NULL;
	struct nrm_pseudonymiser p;
	nrm_pseudonymiser_init(&p, key);
	sodium_memzero(key, sizeof(key));
	struct store_erase_item *items = nrm_xcalloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		items[i].case_id = ids[i];
		nrm_pseudonymise(&p, ids[i], items[i].pseudonym);
		json_array_append_new(res->pseudonyms, json_string(items[i].pseudonym));
	}
	nrm_pseudonymiser_clear(&p);
	return items;
}

/* The places asked for, and every item the ledger has queued. */
static const char **all_places(const struct nrm_erasure_request *req, json_t *queued,
                               size_t *n)
{
	size_t k = json_array_size(queued);
	const char **places = nrm_xcalloc(req->n_places + k + 1, sizeof(char *));
	*n = 0;
	for (size_t i = 0; i < req->n_places; i++)
		places[(*n)++] = req->places[i];
	for (size_t i = 0; i < k; i++)
		places[(*n)++] = json_string_value(json_object_get(json_array_get(queued, i), "item"));
	return places;
}

static int withdraw_changed(struct store *s, json_t *changed, struct nrm_error *err)
{
	size_t i;
	json_t *v;
	json_array_foreach(changed, i, v)
		if (ledger_delivery_withdraw(s, json_string_value(v), "held an erased case: "
		                             "withdrawn, never sent") != 0)
			return fail_store(s, err);
	return 0;
}

/* The decision recorded for a held return the erasure discards: as a
 * person's rejection, so that `return review` tells what became of it. */
static int record_discard(struct store *s, const struct nrm_erasure_request *req,
                          const struct nrm_held *h, const char *rebuild,
                          struct nrm_error *err)
{
	char *why = nrm_xasprintf("discarded by %s: it counted a case erased since; build it "
	                          "again: %s", req->command ? req->command : "an erasure",
	                          rebuild);
	char *user = nrm_os_user();
	struct store_review r = {.site = h->site, .quarter = h->quarter, .job = h->job,
	                         .decision = "rejected", .os_user = user,
	                         .decided_at = req->now, .held_at = h->held_at, .text = why,
	                         .forced = "", .bundles = "[]"};
	int rc = store_review_add(s, &r) != 0 ? fail_store(s, err) : 0;
	free(user);
	free(why);
	return rc;
}

/* Each held return that counted an erased case: recorded, then removed
 * whole (the record first, so that its going is never unexplained). */
static int discard_held(struct store *s, const struct nrm_erasure_request *req,
                        json_t *folders, struct nrm_erasure_result *res,
                        struct nrm_error *err)
{
	size_t i;
	json_t *v;
	json_array_foreach(folders, i, v) {
		const char *dir = json_string_value(v);
		struct nrm_held h;
		if (nrm_held_read(dir, &h, err) != 0)
			return err->code ? err->code : EX_DATAERR;
		char *rebuild = nrm_xasprintf("nrmhub run --job %s --quarter %s", h.job, h.quarter);
		int rc = req->dry_run ? 0 : record_discard(s, req, &h, rebuild, err);
		if (rc == 0 && !req->dry_run && nrm_remove_tree(dir) != 0)
			rc = nrm_fail(err, EX_CANTCREAT, "%s: counted an erased case and cannot be "
			              "removed: remove it by hand", dir);
		if (rc == 0)
			json_array_append_new(res->discarded,
			                      json_pack("{s:s, s:s, s:s, s:s, s:s}", "folder", dir,
			                                "site", h.site, "quarter", h.quarter, "job",
			                                h.job, "rebuild", rebuild));
		free(rebuild);
		nrm_held_free(&h);
		if (rc)
			return rc;
	}
	return 0;
}

int nrm_erasure_run(struct store *s, const struct nrm_erasure_request *req,
                    const char *const *ids, size_t n, struct nrm_erasure_result *res,
                    struct nrm_error *err)
{
	res->pseudonyms = json_array();
	res->changed = json_array();
	res->discarded = json_array();
	int rc = all_present(s, req->site, ids, n, err);
	if (rc || n == 0)
		return rc;
	struct store_erase_item *items = pseudonymise(req, ids, n, res, err);
	if (!items)
		return err->code;
	json_t *queued = ledger_deliveries(s, NULL, NULL);
	if (!queued) {
		free(items);
		return fail_store(s, err);
	}
	size_t n_places;
	const char **places = all_places(req, queued, &n_places);
	json_t *held = json_array();
	if (nrm_erase_held(places, n_places, items, n, req->dry_run, res->changed, held, err))
		rc = err->code;
	else
		rc = discard_held(s, req, held, res, err);
	json_decref(held);
	if (rc == 0 && !req->dry_run && (rc = withdraw_changed(s, res->changed, err)) == 0) {
		char *user = nrm_os_user();
		struct store_erasure e = {.site = req->site, .reason = req->reason,
		                          .command = req->command, .os_user = user, .now = req->now};
		int got = store_erase(s, &e, items, n);
		free(user);
		/* 1 (a case gone since it was looked up) cannot happen: the run lock
		 * is held, and nothing else erases. */
		rc = got == 0 ? 0 : got == 1 ? EX_SOFTWARE : fail_store(s, err);
		if (got == 1)
			nrm_fail(err, rc, "a case went from the store while it was being erased");
	}
	free(places);
	json_decref(queued);
	free(items);
	return rc;
}

int nrm_retention_run(struct store *s, const struct nrm_erasure_request *req,
                      const struct nrm_retention *policy, struct nrm_erasure_result *res,
                      struct nrm_error *err)
{
	char **ids;
	size_t n;
	if (store_retention_expired(s, req->site, policy, req->now, &ids, &n) != 0) {
		res->pseudonyms = json_array();
		res->changed = json_array();
		res->discarded = json_array();
		return fail_store(s, err);
	}
	struct nrm_erasure_request r = *req;
	if (!r.reason)
		r.reason = "retention";
	if (!r.command)
		r.command = "retention";
	int rc = nrm_erasure_run(s, &r, (const char *const *)ids, n, res, err);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

void nrm_erasure_result_free(struct nrm_erasure_result *res)
{
	json_decref(res->pseudonyms);
	json_decref(res->changed);
	json_decref(res->discarded);
	res->pseudonyms = res->changed = res->discarded = NULL;
}

void nrm_erasure_config_places(const struct nrm_config *cfg, json_t *places)
{
	for (size_t i = 0; i < cfg->n_jobs; i++) {
		const struct nrm_config_job *j = &cfg->jobs[i];
		const char *dir = j->kind == NRM_JOB_RETURN ? j->outbox
		                : j->kind == NRM_JOB_DELIVER ? j->from : NULL;
		if (dir)
			json_array_append_new(places, json_string(dir));
	}
	/* The returns held for review carry their extract too. */
	if (cfg->store)
		nrm_held_places(cfg->store, places);
}
