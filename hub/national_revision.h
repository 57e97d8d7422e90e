/*
 * How much a site's revision changed (national.json's by_site[].
 * revision_change): the return `national build` uses (the latest
 * accepted) against the one accepted before it of the same quarter, both
 * kept by intake.  The Home Office reads at a glance which sites moved
 * and by how much; `nrmhub intake history` shows every figure.
 */
#ifndef NRM_NATIONAL_REVISION_H
#define NRM_NATIONAL_REVISION_H

#include <jansson.h>
#include <stdint.h>

struct nrm_error;
struct store;

/* {previous_seq, figures_changed, tables_changed, referrals, rg_decisions,
 * cg_decisions, largest_headline_change, reason}: the three headline
 * counts' differences (latest - previous; null when either is "[c]"),
 * the largest of their absolute values, and the reason the site gave.
 * NULL with `err` (EX_DATAERR) when a stored return is not one, or -1's
 * store error; json null when `seq` is the site's first for the quarter. */
json_t *nrm_national_revision_change(struct store *s, const char *site, const char *quarter,
                                     int64_t seq, const json_t *latest, struct nrm_error *err);

#endif
