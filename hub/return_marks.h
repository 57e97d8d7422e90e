/*
 * The Analysis Function's [p] provisional and [r] revised, as a return
 * records them ($.revision, formats/return.md) and its tables show them.
 *
 * return.json is the one source of every output, and `bundle verify` and
 * `intake` check that the CSVs and SDMX-CSV hold exactly what it says, so
 * the marks are in it, worked out once by `return build`
 * (return_revision.h), and read back here when the tables are drawn:
 *
 *   - a figure is [p] when its row's quarter is in $.revision.provisional;
 *   - a figure is [r] when $.revision.revised lists it (it differs from
 *     the figure this site last sent for that quarter);
 *   - every table with figures gains a last column `status`, the row's
 *     shorthand ("[p]", "[r]", "[p] [r]" or empty), since a CSV cell
 *     "12 [r]" would no longer be a number (the guidance puts shorthand
 *     that sits beside a figure in a column of its own);
 *   - a return that revises one sent before, or lists revised figures,
 *     gains the table `revisions` (revisions.csv, not table_N.csv): one
 *     row per figure that changed, with both values, and its reason.
 *
 * A return without $.revision (built before it existed) has no marks, no
 * status column and no revisions table: its outputs are as they were.
 */
#ifndef NRM_RETURN_MARKS_H
#define NRM_RETURN_MARKS_H

#include <jansson.h>

struct nrm_error;
struct nrm_return_tables;
struct nrm_table;

#define NRM_MARK_PROVISIONAL 1u
#define NRM_MARK_REVISED 2u

/* The key and file of the revisions table. */
#define NRM_REVISIONS_KEY "revisions"
#define NRM_REVISIONS_FILE "revisions.csv"

/* The shorthand of `marks`: "[p]", "[r]", "[p] [r]", or "". */
const char *nrm_marks_text(unsigned marks);

/* Applies ret's $.revision to `t` (built from it, with no marks yet), as
 * above.  0; or -1 with `err` (EX_DATAERR) naming the JSON path when
 * $.revision names a figure the tables do not hold. */
int nrm_return_marks_apply(const json_t *ret, struct nrm_return_tables *t,
                           struct nrm_error *err);

/* True for a table that holds figures (COUNT or DECIMAL columns). */
int nrm_table_has_figures(const struct nrm_table *t);

#endif
