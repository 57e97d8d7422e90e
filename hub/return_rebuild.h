/*
 * A return built again from the case store as the cases stand now, with
 * the settings an earlier return of the site's quarter records ($.site,
 * $.quarter, $.audience, the published threshold in $.disclosure, the
 * day its comparison starts in $.comparison.since, $.area, $.site_name):
 * "what return build would make now" for `return diff OLD --store FILE`.
 * Only the figures are made: no record-level extract, so nothing is
 * written and the store's access log has nothing to record.
 */
#ifndef NRM_RETURN_REBUILD_H
#define NRM_RETURN_REBUILD_H

#include <jansson.h>
#include <stdint.h>

struct nrm_error;
struct store;

/* The new return (caller decrefs), generated at `now`; NULL with `err`
 * filled: EX_DATAERR for an `old` without the settings above, or the
 * builder's and the store's codes. */
json_t *nrm_return_rebuild(struct store *s, const json_t *old, int64_t now, const char *version,
                           struct nrm_error *err);

#endif
