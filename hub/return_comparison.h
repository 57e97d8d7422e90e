/*
 * The comparison as a table (formats/return.md and formats/national.md,
 * "The comparison"): one row per group, decision and period, with each
 * percentage beside the counts it comes from.  One description for the
 * site's table (two groups) and the national one (three).
 */
#ifndef NRM_RETURN_COMPARISON_H
#define NRM_RETURN_COMPARISON_H

#include "return_tables.h"

#include <jansson.h>

struct nrm_error;

/* The comparison table's columns, and how many. */
extern const struct nrm_column nrm_comparison_columns[];
extern const size_t nrm_comparison_n_columns;

/* Adds the rows of `groups` (an array of {group, label, quarter, cumulative})
 * to the last table of `out`, which has nrm_comparison_columns; `since`
 * names the cumulative period in the rows' labels ("since 1 June 2021").  Every value
 * is checked (counts integers >= 0, positive and within_45_days no more than
 * the count, statistics and percentages numbers or null exactly when the
 * count is 0); a refusal names the JSON path under `path`.  0, or -1 with
 * err (EX_DATAERR). */
int nrm_comparison_rows(struct nrm_return_tables *out, const json_t *groups, const char *path,
                        const char *since, struct nrm_error *err);

/* A site return's comparison table, after its other tables, when return.json
 * has a `comparison` (both audiences; "[c]" in a published one), with the
 * relations and derivations a reader knows of it (formats/return.md, The
 * comparison), so that the published audience's suppression covers it.
 * 0, or -1 with err. */
int nrm_return_comparison_table(const json_t *ret, struct nrm_return_tables *out,
                                struct nrm_error *err);

#endif
