/*
 * Two returns' tables compared figure by figure (`nrmhub return diff`), to
 * say which published figures a late record, a correction or a rebuild
 * changed.  The comparison is of what each output shows: a cell's text
 * ("12", "31.4", "[c]"), so a figure hidden in one return and shown in the
 * other is a change, and one shown the same way in both is not.
 *
 * Tables are matched by what they are (nrm_table.key), not by their
 * number; rows by their code (the trend's by their quarter); columns by
 * their machine name.  Only figures are compared, never labels: a label
 * is the code's, so it changes only with the code's row.
 */
#ifndef NRM_RETURN_DIFF_H
#define NRM_RETURN_DIFF_H

#include "return_tables.h"

#include <stddef.h>

enum nrm_change_kind {
	NRM_CHANGE_CHANGED, /* in both, shown differently */
	NRM_CHANGE_ADDED,   /* only in the new return (a category that appeared) */
	NRM_CHANGE_REMOVED, /* only in the old return */
};

/* One figure that differs.  Every pointer points into the two tables
 * compared, which must outlive the diff. */
struct nrm_return_change {
	enum nrm_change_kind kind;
	const struct nrm_table *table;   /* the new return's, or the old's when removed */
	const char *row;                 /* the row as people read it: its label, or
	                                    "2024 Q1" for a trend row */
	const char *row_code;            /* its code ("female"), or NULL for a trend row */
	const struct nrm_column *column;
	const struct nrm_cell *old_cell; /* NULL when added */
	const struct nrm_cell *new_cell; /* NULL when removed */
	int has_difference;              /* both numbers: difference is new - old */
	double difference;
	char *row_period;                /* owned: a trend row's "2024 Q1" */
};

struct nrm_return_diff {
	size_t n_changes;
	struct nrm_return_change *changes; /* by table in the new return's order */
	size_t n_tables;                   /* tables with at least one change */
};

/* Fills `out` with every figure of `old` and `new` that differs.  Never
 * fails: two well-formed returns always compare. */
void nrm_return_diff(const struct nrm_return_tables *old, const struct nrm_return_tables *new,
                     struct nrm_return_diff *out);
void nrm_return_diff_free(struct nrm_return_diff *d);

/* What a row is, across returns: its code ("female"); in a table without
 * codes (the trend), its quarter ("2024 Q1").  Caller frees. */
char *nrm_table_row_key(const struct nrm_table *t, size_t row);
/* The row of `t` whose key is `key`, or -1. */
long nrm_table_find_row(const struct nrm_table *t, const char *key);

/* "+3", "-1.5": a change's difference as its column shows figures (a
 * count whole, a statistic to one decimal).  Caller frees. */
char *nrm_return_change_difference(const struct nrm_return_change *c);

/* A change as `return diff --json` prints it: {table, table_title, row,
 * row_code, column, column_title, change, old, new, difference}, a figure
 * a number, shorthand a string, null where there is none. */
#include <jansson.h>
json_t *nrm_return_change_json(const struct nrm_return_change *c);

#endif
