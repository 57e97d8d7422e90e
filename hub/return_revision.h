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
 *   - each earlier quarter's row of the series, which shows the figures
 *     of the return last sent for that quarter (the builder took them,
 *     nrm_return_params.sent), against that quarter counted now (the
 *     figures it repeats, nrm_series_repeats): where the recomputation
 *     differs, the series shows the sent figure marked [r], and
 *     revisions.csv lists the recomputed one (as "[c]" in a published
 *     return, whose suppression never covered it).
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
	/* The returns the site last sent for the series' earlier quarters
	 * (the builder's params.sent), each with the name of its bundle, and
	 * the series as counted now (nrm_return_builder_series_counted). */
	const json_t *const *sent;
	const char *const *sent_names;
	size_t n_sent;
	const json_t *series_counted;
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
