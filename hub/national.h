/*
 * The national tables: the latest accepted return of every site for one
 * quarter, consolidated (formats/national.md).
 *
 * Counts are the sums of the sites' returns; every statistic of days
 * (mean, median, 90th percentile, and the counts and bands they go with) is
 * computed again from the sites' pseudonymised case rows (cases.csv), so a
 * national median is the median of all the children's days, never a median
 * of the sites' medians.  The non-pilot comparison is computed the same way
 * from the Home Office's own cases imported into the same store with
 * `nrmhub import --from homeoffice-json`.
 */
#ifndef NRM_NATIONAL_H
#define NRM_NATIONAL_H

#include "return_render.h"

#include <jansson.h>
#include <stdint.h>

#include <stdbool.h>

struct nrm_error;
struct nrm_quarter;
struct nrm_return_tables;
struct store;

/* The dates of one case that place it in a quarter's lists of days. */
struct nrm_case_dates {
	int32_t referral, rg, cg, closed_on;
	bool has_rg, has_cg, rg_positive, closed; /* closed: withdrawn or transferred */
};
enum { NRM_PLACE_RG = 1, NRM_PLACE_CG = 2, NRM_PLACE_AWAIT_RG = 4, NRM_PLACE_AWAIT_CG = 8 };
/* Where the case counts in quarter q, by formats/return.md's rules: an RG
 * (CG) decision dated in q, or awaiting an RG (CG) decision at q's last
 * day.  A set of NRM_PLACE_* bits. */
unsigned nrm_case_place(const struct nrm_case_dates *d, const struct nrm_quarter *q);

/* Builds national.json for `quarter` ("YYYYQn") at time `now`, validated
 * against schemas/national.schema.json (and its totals against
 * return.schema.json).  NULL with err filled on failure. */
json_t *nrm_national_build(struct store *s, const char *quarter, int64_t now,
                           struct nrm_error *err);

struct nrm_dc_params;
struct nrm_suppress_result;

/* Rewrites national.json (from nrm_national_build) in place for
 * publication (formats/national.md, *The published audience*): suppressed
 * jointly with each site's published return for the quarter (the pattern
 * its official return in `s` records), its trend following the earlier
 * quarters' published national tables; the comparison left out; then audited together with those returns and
 * validated.  `res` counts the national cells hidden (may be NULL).  0, or
 * -1 with err: EX_DATAERR when no pattern protects every cell or the
 * result fails its audit (nothing should be written). */
int nrm_national_publish(json_t *national, struct store *s, const struct nrm_dc_params *p,
                         struct nrm_suppress_result *res, struct nrm_error *err);

/* Validates national.json against its schema, and its totals against the
 * return's.  0, or -1 with err (EX_SOFTWARE). */
int nrm_national_validate(json_t *national, struct nrm_error *err);

/* The tables of a national.json: the return's tables over the national
 * totals, then the national ones (by nation, by site, pilot against
 * non-pilot, sites missing or revised).  0 or -1 with err. */
int nrm_national_tables_build(const json_t *national, struct nrm_return_tables *out,
                              struct nrm_error *err);

/* Writes every output of a national.json into `dir` (national.json, the
 * CSVs with csv-metadata.json, national.sdmx.csv, national.ods,
 * report.html), national.sdmx.csv in SDMX-CSV `sdmx`, dataflow
 * NRMHUB:DF_DDM_NATIONAL_RETURN(1.0).  0 or -1 with err. */
int nrm_national_render_all(const json_t *national, const char *dir,
                            enum nrm_sdmx_version sdmx, struct nrm_error *err);

/* report.html for a national.json and its tables. */
int nrm_national_write_html(const json_t *national, const struct nrm_return_tables *t,
                            const char *dir, struct nrm_error *err);

/* The schema, parsed (free with nrm_json_schema_free), or NULL. */
struct nrm_json_schema *nrm_national_schema_load(struct nrm_error *err);

#endif
