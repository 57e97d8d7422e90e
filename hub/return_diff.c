/*
 * Two returns' tables compared figure by figure (return_diff.h).
 */
#include "return_diff.h"

#include "util.h"

#include <jansson.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns that hold figures; the others name the row. */
static bool is_figure(const struct nrm_column *col)
{
	return col->role == NRM_COL_COUNT || col->role == NRM_COL_DECIMAL;
}

/* The column of `role`, or -1. */
static int column_of(const struct nrm_table *t, enum nrm_column_role role)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (t->columns[c].role == role)
			return (int)c;
	return -1;
}

static int column_named(const struct nrm_table *t, const char *name)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (strcmp(t->columns[c].name, name) == 0)
			return (int)c;
	return -1;
}

char *nrm_table_row_key(const struct nrm_table *t, size_t row)
{
	int code = column_of(t, NRM_COL_CODE);
	if (code >= 0)
		return nrm_xstrdup(nrm_table_cell(t, row, (size_t)code)->text);
	int y = column_of(t, NRM_COL_YEAR), q = column_of(t, NRM_COL_QUARTER);
	return nrm_xasprintf("%s %s", y >= 0 ? nrm_table_cell(t, row, (size_t)y)->text : "",
	                     q >= 0 ? nrm_table_cell(t, row, (size_t)q)->text : "");
}

long nrm_table_find_row(const struct nrm_table *t, const char *key)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		char *k = nrm_table_row_key(t, r);
		bool same = strcmp(k, key) == 0;
		free(k);
		if (same)
			return (long)r;
	}
	return -1;
}

static struct nrm_return_change *add_change(struct nrm_return_diff *d, enum nrm_change_kind kind,
                                            const struct nrm_table *t, size_t row, size_t col)
{
	d->changes = nrm_xrealloc(d->changes, (d->n_changes + 1) * sizeof(*d->changes));
	struct nrm_return_change *c = &d->changes[d->n_changes++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->table = t;
	c->column = &t->columns[col];
	int code = column_of(t, NRM_COL_CODE), label = column_of(t, NRM_COL_LABEL);
	if (code >= 0)
		c->row_code = nrm_table_cell(t, row, (size_t)code)->text;
	if (label >= 0) {
		c->row = nrm_table_cell(t, row, (size_t)label)->text;
	} else if (code >= 0) {
		c->row = c->row_code;
	} else {
		c->row_period = nrm_table_row_key(t, row);
		c->row = c->row_period;
	}
	return c;
}

/* Every figure of row `row` of `t`, as added or removed. */
static void whole_row(struct nrm_return_diff *d, enum nrm_change_kind kind,
                      const struct nrm_table *t, size_t row)
{
	for (size_t col = 0; col < t->n_columns; col++) {
		if (!is_figure(&t->columns[col]))
			continue;
		struct nrm_return_change *c = add_change(d, kind, t, row, col);
		if (kind == NRM_CHANGE_ADDED)
			c->new_cell = nrm_table_cell(t, row, col);
		else
			c->old_cell = nrm_table_cell(t, row, col);
	}
}

/* The figures of a row found in both returns.  A column only one of them
 * has (a table grown between versions) counts as added or removed. */
static void compare_row(struct nrm_return_diff *d, const struct nrm_table *ot, size_t orow,
                        const struct nrm_table *nt, size_t nrow)
{
	for (size_t col = 0; col < nt->n_columns; col++) {
		if (!is_figure(&nt->columns[col]))
			continue;
		const struct nrm_cell *n = nrm_table_cell(nt, nrow, col);
		int ocol = column_named(ot, nt->columns[col].name);
		const struct nrm_cell *o = ocol >= 0 ? nrm_table_cell(ot, orow, (size_t)ocol) : NULL;
		if (o && strcmp(o->text, n->text) == 0)
			continue;
		struct nrm_return_change *c =
			add_change(d, o ? NRM_CHANGE_CHANGED : NRM_CHANGE_ADDED, nt, nrow, col);
		c->old_cell = o;
		c->new_cell = n;
		/* From the figures as shown, so the difference is the one a
		 * reader of the two tables works out (31.4 - 30.1, not the
		 * unrounded means'). */
		if (o && o->kind == NRM_CELL_NUMBER && n->kind == NRM_CELL_NUMBER) {
			c->has_difference = 1;
			c->difference = strtod(n->text, NULL) - strtod(o->text, NULL);
		}
	}
	for (size_t col = 0; col < ot->n_columns; col++) {
		if (is_figure(&ot->columns[col]) && column_named(nt, ot->columns[col].name) < 0) {
			struct nrm_return_change *c = add_change(d, NRM_CHANGE_REMOVED, ot, orow, col);
			c->old_cell = nrm_table_cell(ot, orow, col);
		}
	}
}

/* One table of the new return against the old return's (NULL: it has
 * none).  Rows the old one has and the new one lacks come last. */
static void compare_table(struct nrm_return_diff *d, const struct nrm_table *ot,
                          const struct nrm_table *nt)
{
	for (size_t r = 0; r < nt->n_rows; r++) {
		char *key = nrm_table_row_key(nt, r);
		long o = ot ? nrm_table_find_row(ot, key) : -1;
		free(key);
		if (o >= 0)
			compare_row(d, ot, (size_t)o, nt, r);
		else
			whole_row(d, NRM_CHANGE_ADDED, nt, r);
	}
	for (size_t r = 0; ot && r < ot->n_rows; r++) {
		char *key = nrm_table_row_key(ot, r);
		if (nrm_table_find_row(nt, key) < 0)
			whole_row(d, NRM_CHANGE_REMOVED, ot, r);
		free(key);
	}
}

void nrm_return_diff(const struct nrm_return_tables *old, const struct nrm_return_tables *new,
                     struct nrm_return_diff *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < new->n_tables; i++) {
		const struct nrm_table *nt = &new->tables[i];
		size_t before = out->n_changes;
		compare_table(out, nrm_return_tables_find(old, nt->key), nt);
		out->n_tables += out->n_changes > before;
	}
	for (size_t i = 0; i < old->n_tables; i++) {
		const struct nrm_table *ot = &old->tables[i];
		if (nrm_return_tables_find(new, ot->key))
			continue;
		size_t before = out->n_changes;
		for (size_t r = 0; r < ot->n_rows; r++)
			whole_row(out, NRM_CHANGE_REMOVED, ot, r);
		out->n_tables += out->n_changes > before;
	}
}

void nrm_return_diff_free(struct nrm_return_diff *d)
{
	for (size_t i = 0; i < d->n_changes; i++)
		free(d->changes[i].row_period);
	free(d->changes);
	memset(d, 0, sizeof(*d));
}

char *nrm_return_change_difference(const struct nrm_return_change *c)
{
	if (c->column->role == NRM_COL_DECIMAL)
		return nrm_xasprintf("%+.1f", c->difference);
	return nrm_xasprintf("%+.0f", c->difference);
}

/* ---- JSON ---------------------------------------------------------------- */

/* A figure as scripts want it: a number, the shorthand ("[c]") as a
 * string, or null where the cell is not there. */
static json_t *cell_json(const struct nrm_cell *cell, const struct nrm_column *col)
{
	if (!cell)
		return json_null();
	if (cell->kind != NRM_CELL_NUMBER)
		return json_string(cell->text);
	if (col->role == NRM_COL_COUNT)
		return json_integer((json_int_t)strtoll(cell->text, NULL, 10));
	return json_real(strtod(cell->text, NULL));
}

static const char *kind_name(enum nrm_change_kind k)
{
	return k == NRM_CHANGE_ADDED ? "added" : k == NRM_CHANGE_REMOVED ? "removed" : "changed";
}

json_t *nrm_return_change_json(const struct nrm_return_change *c)
{
	json_t *diff = json_null();
	if (c->has_difference) {
		char *s = nrm_return_change_difference(c);
		diff = c->column->role == NRM_COL_COUNT ? json_integer(strtoll(s, NULL, 10))
		                                        : json_real(strtod(s, NULL));
		free(s);
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o}",
	                 "table", c->table->id, "table_title", c->table->title, "row", c->row,
	                 "row_code", c->row_code ? json_string(c->row_code) : json_null(),
	                 "column", c->column->name, "column_title", c->column->title,
	                 "change", kind_name(c->kind), "old", cell_json(c->old_cell, c->column),
	                 "new", cell_json(c->new_cell, c->column), "difference", diff);
}

