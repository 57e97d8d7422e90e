/*
 * The national tables beside every site's published return, as one model
 * of figures and relations (disclosure_model.h): what a reader holding all
 * of them knows.  The totals' tables (the site return's tables over
 * national.json's totals), every site's return, then each nation's
 * figures; each count of the totals is the sum of the sites' counts at the
 * same path, each nation's the sum of its sites'.  Built by the national
 * published build (national_publish.c) to choose its pattern and to audit
 * it, and by `nrmhub return audit` given a national folder.
 */
#ifndef NRM_NATIONAL_MODEL_H
#define NRM_NATIONAL_MODEL_H

#include "disclosure_model.h"
#include "return_tables.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

struct nrm_national_model {
	struct nrm_dc_model m;
	struct nrm_return_tables totals;
	struct nrm_return_tables *site_tables;
	size_t n_sites;
	size_t *site_first;     /* n_sites + 1: the figures of site i */
	size_t nation_first;    /* the nations' figures, to the end */
	char **paths;           /* owned paths of the nations' figures */
	size_t n_paths;
};

/* The model of `national` beside the site returns `rets`, in the order of
 * its by_site.  Each site's figures are marked fixed (already published)
 * and carry the rule its return records.  0, or -1 with `err` (a return or
 * the totals are not a return's shape). */
int nrm_national_model_build(const json_t *national, json_t *const *rets, size_t n,
                             struct nrm_national_model *j, struct nrm_error *err);
/* The same, the site returns given in any order (`return audit`): each site
 * national.json lists must be among `rets`, a published return of the
 * same quarter, else -1 with `err` (EX_NOINPUT) naming the first missing. */
int nrm_national_model_match(const json_t *national, json_t *const *rets, size_t n,
                             struct nrm_national_model *j, struct nrm_error *err);
void nrm_national_model_free(struct nrm_national_model *j);

/* Figure f is one of the national tables' (the totals' or a nation's), not
 * a site's. */
bool nrm_national_model_is_national(const struct nrm_national_model *j, size_t f);
/* The site figure f belongs to (f must be a site's). */
size_t nrm_national_model_site_of(const struct nrm_national_model *j, size_t f);

#endif
