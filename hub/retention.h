/*
 * The retention policy: how long a site keeps a case, from the site
 * configuration's "retention" object (nrmhub(1), SITE CONFIGURATION):
 *
 *   "retention": {"years_after_closed": 6, "years_after_last_update": 10}
 *
 * Each key is optional (at least one is given), a whole number of years
 * from 1 to 100, and a limit: a case goes when any limit given has passed.
 *
 * A case is closed when a conclusive grounds decision was made, when its
 * status is withdrawn or transferred, or when its reasonable grounds
 * decision was negative; it closed on the latest date among those that
 * apply (CG decision date, status date, RG decision date).  A withdrawn or
 * transferred case with no status date is not counted closed; the other
 * limit still applies to it.  Its last update is the later of the store's
 * own "a value last changed" time and the record's updated_at.
 *
 * "N years after D" is the same day and month N years on, on the day
 * itself (a case closed on 2019-05-01 with 6 years goes from 2025-05-01);
 * 29 February becomes 1 March in a year that has none, so a case is kept
 * at least the whole years.  Times count by their day in UTC.
 */
#ifndef NRM_RETENTION_H
#define NRM_RETENTION_H

#include <nrmhub/plugin.h>

#include <stdbool.h>
#include <stdint.h>

struct store;

#define NRM_RETENTION_MAX_YEARS 100

struct nrm_retention {
	int years_after_closed;       /* 0: no such limit */
	int years_after_last_update;  /* 0: no such limit */
};

/* True when the policy has a limit. */
bool nrm_retention_set(const struct nrm_retention *r);

/* The day `c` closed (see above), or false when it is not closed. */
bool nrm_retention_closed_on(const struct nrm_case *c, int32_t *day);

/* Whether `c`, whose values last changed in the store at `changed_at`, is
 * past the policy's limit at `now` (seconds since the epoch). */
bool nrm_retention_expired(const struct nrm_retention *r, const struct nrm_case *c,
                           int64_t changed_at, int64_t now);

/* The ids of `site`'s cases past the limit at `now`, in case_id byte
 * order: *ids (allocated, each allocated) and *n.  0, or -1 (store_error). */
int store_retention_expired(struct store *s, const char *site, const struct nrm_retention *r,
                            int64_t now, char ***ids, size_t *n);

#endif
