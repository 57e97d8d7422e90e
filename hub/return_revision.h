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

#include <jansson.h>
#include <stdint.h>

struct nrm_error;

/* The site's provisional policy (site.provisional): the `quarters` most
 * recent quarters (1: the quarter just ended, the default; 0: none), or
 * every quarter that ended less than `months` months before the return
 * was generated. */
struct nrm_provisional {
	enum { NRM_PROVISIONAL_QUARTERS, NRM_PROVISIONAL_MONTHS } unit;
	int n;
};
#define NRM_PROVISIONAL_DEFAULT ((struct nrm_provisional){NRM_PROVISIONAL_QUARTERS, 1})
/* The most either may be: ten years. */
#define NRM_PROVISIONAL_MAX_QUARTERS 40
#define NRM_PROVISIONAL_MAX_MONTHS 120

/* The longest reason, in bytes. */
#define NRM_REVISION_REASON_MAX 500

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

/* NULL when `reason` may be a revision's reason: 1 to
 * NRM_REVISION_REASON_MAX bytes of UTF-8 on one line, no control
 * characters, no space at either end (as a site's name, site_name.h).
 * Else the rule it breaks, as a phrase.  Whether it names a child cannot
 * be checked: the documentation says it must not. */
const char *nrm_revision_reason_problem(const char *reason);

/* "quarters" and N, or "months" and N, as in the site configuration: 0 with
 * `out` set, or -1 for a unit or N out of range. */
int nrm_provisional_parse(const char *unit, long n, struct nrm_provisional *out);

#endif
