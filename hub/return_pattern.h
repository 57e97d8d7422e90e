/*
 * A published return's suppression pattern, recorded in the official
 * return it was made from ("disclosure" in return.json, formats/return.md).
 *
 * The Home Office holds each site's official return only, and publishes
 * national tables beside every site's published return; to suppress them
 * jointly it must know which cells the site's published return hides,
 * exactly.  It cannot rebuild that pattern from the official figures
 * alone: the published trend and comparison follow the site's earlier
 * quarters' published returns, and the site's threshold is its own.  So
 * the site, building its official return, suppresses the same figures for
 * publication and records the cells hidden and the rule it used.
 */
#ifndef NRM_RETURN_PATTERN_H
#define NRM_RETURN_PATTERN_H

#include "disclosure_audit.h"

#include <jansson.h>

struct nrm_error;

/* The "disclosure" object of a published return (threshold and protection
 * level, resolved), and of an official one: the same, and the JSON paths
 * of the cells `published` (the official figures suppressed for
 * publication) hides.  NULL with `err` when `published` is not a return. */
json_t *nrm_return_disclosure_json(const struct nrm_dc_params *p, const json_t *published,
                                   struct nrm_error *err);

/* The rule a return was published under, from its "disclosure" object:
 * threshold and protection, each 0 where the return does not say. */
void nrm_return_disclosure_rule(const json_t *ret, int *threshold, int *protection);

/*
 * The published return an official return records: in `*out`, a copy with
 * audience "published", every recorded cell "[c]" and its "disclosure" in
 * the published form; NULL when the official return records no pattern
 * (made before nrmhub recorded them).  0, or -1 with `err` (EX_DATAERR)
 * when a recorded path names no figure of the return; `where` names the
 * return in that message.
 */
int nrm_return_published_from(const json_t *official, const char *where, json_t **out,
                              struct nrm_error *err);

#endif
