/*
 * The audit of returns as published: their tables, the model of their
 * figures and the interval of every hidden count, from return.json alone,
 * as a reader who holds only the published files would compute them.
 * Several returns are audited together, with the facts that link them: a
 * return's trend row for a quarter repeats that quarter's own return and
 * the trend rows other returns hold for it.  Used by `nrmhub return audit`
 * and, before anything is written, by `return build --audience published`.
 */
#ifndef NRM_RETURN_AUDIT_H
#define NRM_RETURN_AUDIT_H

#include "disclosure_audit.h"
#include "return_tables.h"

#include <jansson.h>

struct nrm_error;

struct nrm_return_audit {
	size_t n_returns;
	struct nrm_return_tables *tables; /* one per return */
	size_t *first;                    /* the first figure of each return */
	struct nrm_dc_model model;        /* every return's figures, in order */
	struct nrm_dc_audit audit;        /* audit.n_failed: the cells that fail */
};

/* The return (index into the set) that figure `f` belongs to. */
size_t nrm_return_audit_owner(const struct nrm_return_audit *a, int f);

/* `p` NULL, or neither threshold nor protection set: each return's own
 * rule (its "disclosure"), else the defaults.  0 with `out` filled (look at
 * out->audit.n_failed), or -1 with `err` (EX_DATAERR naming the JSON path
 * and the rule: not a return; `*bad` is then the index of that return). */
int nrm_return_audit_set(const json_t *const *rets, size_t n, const struct nrm_dc_params *p,
                         struct nrm_return_audit *out, size_t *bad, struct nrm_error *err);
/* One return. */
int nrm_return_audit(const json_t *ret, const struct nrm_dc_params *p,
                     struct nrm_return_audit *out, struct nrm_error *err);
void nrm_return_audit_free(struct nrm_return_audit *a);

#endif
