/*
 * What `return build` records in $.revision (formats/return.md): which
 * quarters' figures are provisional, by the site's policy, and which
 * figures differ from what this site last sent (return_sent.h), so that
 * the outputs mark them [p] and [r] and list the changes in revisions.csv
 * (return_marks.h).  The comparison is automatic:
 *
 *   - the quarter's own figures, and its row of the trend, against the
 *     return last sent for the quarter (nrm_return_diff), when there is
 *     one; re-sending a quarter then needs a reason, typed by a person;
 *   - each earlier quarter's row of the trend against the return last
 *     sent for that quarter (the figures it repeats, nrm_trend_repeats):
 *     where the recomputation now differs, the trend shows the new figure
 *     marked [r], and revisions.csv lists what was sent.
 *
 * When nothing was sent, nothing is [r].
 */
#ifndef NRM_RETURN_REVISION_H
#define NRM_RETURN_REVISION_H

#include "revision_policy.h"

#include <jansson.h>
#include <stdint.h>

struct nrm_error;

struct nrm_revision_request {
	const json_t *deliveries;  /* ledger_deliveries(): what was sent; NULL: nothing */
	const char *revises;       /* the return last sent for the quarter, given by hand
	                              (a folder, return.json or bundle: return_input.h),
	                              in place of the ledger's; NULL: the ledger's */
	const char *reason;        /* why the quarter is sent again, or NULL */
	struct nrm_provisional provisional;
};

/* Adds $.revision to `ret` (a return just built, without one).  0; or -1
 * with `err`: EX_USAGE when the quarter was sent before and `reason` is
 * NULL (naming --reason), or a reason that breaks
 * nrm_revision_reason_problem; return_input.h's codes for a `revises`
 * that cannot be read, and EX_USAGE for one of another site or quarter. */
int nrm_return_revision_add(json_t *ret, const struct nrm_revision_request *r,
                            struct nrm_error *err);

#endif
