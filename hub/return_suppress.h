/*
 * Statistical disclosure control for the published audience: small counts
 * become "[c]" (primary suppression), and more cells are hidden until the
 * LP audit (disclosure_audit.h) finds no hidden count that the published
 * figures and their relations narrow below the protection level
 * (secondary suppression).  The method is in return_suppress.c and
 * formats/return.md.
 */
#ifndef NRM_RETURN_SUPPRESS_H
#define NRM_RETURN_SUPPRESS_H

#include "disclosure_audit.h"

#include <jansson.h>
#include <stddef.h>

struct nrm_error;

struct nrm_suppress_result {
	size_t primary;    /* counts hidden for being from 1 to the threshold */
	size_t secondary;  /* counts hidden so that those cannot be worked out */
	size_t statistics; /* statistics hidden with their counts */
};

/*
 * Rewrites an official return.json (exact counts, audience already
 * "published") in place for publication, then audits the result as a
 * reader would.  0, or -1 with `err`: EX_DATAERR when no pattern protects
 * every cell or the rewritten return fails the audit (nothing should be
 * written), EX_SOFTWARE when the tables' relations do not hold.  `res` may
 * be NULL.
 */
/*
 * The secondary suppression of any model (the national tables beside the
 * sites' published returns use it): with primary and forced figures marked
 * hidden, hides more until the audit passes, then trims (return_suppress.c).
 * Figures marked `fixed` are never hidden or shown by it.  0, or -1 with
 * `err` (EX_DATAERR: no pattern protects a cell).
 */
int nrm_dc_suppress_model(struct nrm_dc_model *m, const struct nrm_dc_params *p,
                          struct nrm_error *err);
/* The figures of `m` hidden, counted as nrm_return_suppress counts them. */
void nrm_dc_model_count(const struct nrm_dc_model *m, struct nrm_suppress_result *res);

int nrm_return_suppress(json_t *ret, const struct nrm_dc_params *p,
                        struct nrm_suppress_result *res, struct nrm_error *err);

#endif
