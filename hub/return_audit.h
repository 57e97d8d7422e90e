/*
 * The audit of a return as published: its tables, the model of their
 * figures and the interval of every hidden count, from return.json alone,
 * as a reader who holds only the published files would compute them.
 * Used by `nrmhub return audit` and, before anything is written, by
 * `return build --audience published`.
 */
#ifndef NRM_RETURN_AUDIT_H
#define NRM_RETURN_AUDIT_H

#include "disclosure_audit.h"
#include "return_tables.h"

#include <jansson.h>

struct nrm_error;

struct nrm_return_audit {
	struct nrm_return_tables tables;
	struct nrm_dc_model model;
	struct nrm_dc_audit audit;  /* audit.n_failed: the cells that fail */
};

/* `p` NULL: the defaults.  0 with `out` filled (look at out->audit.n_failed), or -1 with `err`
 * (EX_DATAERR naming the JSON path and the rule: not a return). */
int nrm_return_audit(const json_t *ret, const struct nrm_dc_params *p,
                     struct nrm_return_audit *out, struct nrm_error *err);
void nrm_return_audit_free(struct nrm_return_audit *a);

#endif
