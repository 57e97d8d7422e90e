/*
 * The two settings a revised return takes from people: which quarters'
 * figures are provisional (the site's policy, site.provisional) and why a
 * quarter sent before is sent again (--reason, a return job's
 * "revision_reason").  Read by the site configuration's loader and by
 * `return build` (return_revision.h).
 */
#ifndef NRM_REVISION_POLICY_H
#define NRM_REVISION_POLICY_H

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
