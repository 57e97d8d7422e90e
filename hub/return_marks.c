/*
 * $.revision applied to a return's tables: [p] and [r] on its figures, the
 * status column, and the revisions table (return_marks.h).
 */
#include "return_marks.h"
#include "return_diff.h"
#include "return_tables.h"

#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

const char *nrm_marks_text(unsigned marks)
{
	static const char *const text[] = {"", "[p]", "[r]", "[p] [r]"};
	return text[marks & 3u];
}

int nrm_table_has_figures(const struct nrm_table *t)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (t->columns[c].role == NRM_COL_COUNT || t->columns[c].role == NRM_COL_DECIMAL)
			return 1;
	return 0;
}

static bool is_figure(const struct nrm_table *t, size_t c)
{
	return t->columns[c].role == NRM_COL_COUNT || t->columns[c].role == NRM_COL_DECIMAL;
}

/* "2025Q1" of row `r` (its Year and Quarter, the first two columns). */
static void row_quarter(const struct nrm_table *t, size_t r, char buf[8])
{
	snprintf(buf, 8, "%.4s%.2s", nrm_table_cell(t, r, 0)->text, nrm_table_cell(t, r, 1)->text);
}

static bool listed(const json_t *quarters, const char *q)
{
	size_t i;
	const json_t *v;
	json_array_foreach(quarters, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), q) == 0)
			return true;
	return false;
}

/* [p] on every figure shown of a provisional quarter's rows.  A figure
 * shown as shorthand ([c], [z]) keeps it alone: it shows no number. */
static void mark_provisional(struct nrm_return_tables *t, const json_t *quarters)
{
	for (size_t i = 0; i < t->n_tables; i++) {
		struct nrm_table *tab = &t->tables[i];
		if (tab->n_columns < 2 || tab->columns[0].role != NRM_COL_YEAR)
			continue;
		for (size_t r = 0; r < tab->n_rows; r++) {
			char q[8];
			row_quarter(tab, r, q);
			if (!listed(quarters, q))
				continue;
			for (size_t c = 0; c < tab->n_columns; c++)
				if (is_figure(tab, c) && tab->cells[r * tab->n_columns + c].kind ==
				                                 NRM_CELL_NUMBER)
					tab->cells[r * tab->n_columns + c].marks |= NRM_MARK_PROVISIONAL;
		}
	}
}

static int column_named(const struct nrm_table *t, const char *name)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (strcmp(t->columns[c].name, name) == 0)
			return (int)c;
	return -1;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static struct nrm_table *table_by_key(struct nrm_return_tables *t, const char *key)
{
	for (size_t i = 0; i < t->n_tables; i++)
		if (strcmp(t->tables[i].key, key) == 0)
			return &t->tables[i];
	return NULL;
}

/* [r] on each figure $.revision.revised lists as changed or added; one
 * removed (a category gone) has no cell left to mark. */
static int mark_revised(struct nrm_return_tables *t, const json_t *revised,
                        struct nrm_error *err)
{
	size_t i;
	const json_t *e;
	json_array_foreach(revised, i, e) {
		if (strcmp(str(e, "change"), "removed") == 0)
			continue;
		struct nrm_table *found = table_by_key(t, str(e, "table"));
		long row = found ? nrm_table_find_row(found, str(e, "row")) : -1;
		int col = row >= 0 ? column_named(found, str(e, "column")) : -1;
		if (col < 0 || !is_figure(found, (size_t)col))
			return nrm_fail(err, EX_DATAERR, "$.revision.revised[%zu]: no figure %s, %s, "
			                "%s in the return's tables", i, str(e, "table"), str(e, "row"),
			                str(e, "column"));
		found->cells[(size_t)row * found->n_columns + (size_t)col].marks |= NRM_MARK_REVISED;
	}
	return 0;
}

static const struct nrm_column status_column = {"status", "Status", NRM_COL_NOTE, NULL, NULL};

/* The last column `status`: each row's shorthand, the marks of its figures. */
static void add_status_column(struct nrm_table *tab)
{
	size_t n = tab->n_columns;
	struct nrm_column *cols = nrm_xcalloc(n + 1, sizeof(*cols));
	memcpy(cols, tab->columns, n * sizeof(*cols));
	cols[n] = status_column;
	struct nrm_cell *cells = nrm_xcalloc(tab->n_rows * (n + 1) + 1, sizeof(*cells));
	for (size_t r = 0; r < tab->n_rows; r++) {
		unsigned marks = 0;
		for (size_t c = 0; c < n; c++) {
			cells[r * (n + 1) + c] = tab->cells[r * n + c];
			marks |= tab->cells[r * n + c].marks;
		}
		cells[r * (n + 1) + n] =
			(struct nrm_cell){.kind = NRM_CELL_TEXT, .text = nrm_xstrdup(nrm_marks_text(marks))};
	}
	free(tab->cells);
	free(tab->columns_owned);
	tab->cells = cells;
	tab->columns = tab->columns_owned = cols;
	tab->n_columns = n + 1;
}

/* ---- the revisions table -------------------------------------------------- */

static const struct nrm_column revision_cols[] = {
	{"year", "Year", NRM_COL_YEAR, NULL, NULL},
	{"quarter", "Quarter", NRM_COL_QUARTER, NULL, NULL},
	{"table", "Table", NRM_COL_NOTE, NULL, NULL},
	{"row_code", "Row code", NRM_COL_NOTE, NULL, NULL},
	{"row", "Row", NRM_COL_NOTE, NULL, NULL},
	{"column", "Column", NRM_COL_NOTE, NULL, NULL},
	{"change", "Change", NRM_COL_NOTE, NULL, NULL},
	{"previously_sent", "Previously sent", NRM_COL_NOTE, NULL, NULL},
	{"now", "Now", NRM_COL_NOTE, NULL, NULL},
	{"difference", "Difference", NRM_COL_NOTE, NULL, NULL},
	{"compared_with", "Compared with", NRM_COL_NOTE, NULL, NULL},
};
#define N_REVISION_COLS (sizeof(revision_cols) / sizeof(revision_cols[0]))

static void set_text(struct nrm_cell *c, const char *s)
{
	c->kind = NRM_CELL_TEXT;
	c->text = nrm_xstrdup(s);
}

/* The table a revised figure is in, as this return numbers it ("Table_3"),
 * or its key when this return has no such table. */
static const char *table_id(const struct nrm_return_tables *t, const char *key)
{
	const struct nrm_table *tab = nrm_return_tables_find(t, key);
	return tab ? tab->id : key;
}

static void add_revision_row(struct nrm_table *tab, const struct nrm_return_tables *t,
                             const json_t *e)
{
	size_t n = N_REVISION_COLS;
	tab->cells = nrm_xrealloc(tab->cells, (tab->n_rows + 1) * n * sizeof(*tab->cells));
	struct nrm_cell *row = &tab->cells[tab->n_rows++ * n];
	memset(row, 0, n * sizeof(*row));
	const char *q = str(e, "quarter"); /* "2025Q1": checked by the schema */
	char year[5] = {0}, quarter[3] = {0};
	memcpy(year, q, strlen(q) >= 4 ? 4 : 0);
	memcpy(quarter, strlen(q) >= 6 ? q + 4 : "", strlen(q) >= 6 ? 2 : 0);
	row[0] = (struct nrm_cell){.kind = NRM_CELL_NUMBER, .number = atoi(year),
	                           .text = nrm_xstrdup(year)};
	set_text(&row[1], quarter);
	set_text(&row[2], table_id(t, str(e, "table")));
	set_text(&row[3], str(e, "row"));
	set_text(&row[4], str(e, "row_label"));
	set_text(&row[5], str(e, "column"));
	set_text(&row[6], str(e, "change"));
	set_text(&row[7], str(e, "old"));
	set_text(&row[8], str(e, "new"));
	set_text(&row[9], str(e, "difference"));
	set_text(&row[10], str(e, "compared_with"));
}

static void add_revisions_table(struct nrm_return_tables *t, const json_t *rev)
{
	const json_t *revises = json_object_get(rev, "revises");
	char *title;
	if (json_is_object(revises))
		title = nrm_xasprintf("What changed and why: the figures that differ from the "
		                      "return last sent for %s (%s)",
		                      t->quarter, str(revises, "bundle"));
	else
		title = nrm_xstrdup("What changed and why: the figures of earlier quarters that "
		                    "differ from the returns last sent for them");
	struct nrm_table *tab = nrm_return_tables_add(t, NRM_REVISIONS_KEY, title, "_T",
	                                              revision_cols, N_REVISION_COLS);
	free(title);
	free(tab->file);
	tab->file = nrm_xstrdup(NRM_REVISIONS_FILE);
	const char *reason = json_string_value(json_object_get(rev, "reason"));
	if (reason)
		tab->lead = nrm_xasprintf("Why: %s", reason);
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(rev, "revised"), i, e)
		add_revision_row(tab, t, e);
}

int nrm_return_marks_apply(const json_t *ret, struct nrm_return_tables *t,
                           struct nrm_error *err)
{
	const json_t *rev = json_object_get(ret, "revision");
	if (!json_is_object(rev))
		return 0;
	const json_t *revised = json_object_get(rev, "revised");
	t->marked = true;
	mark_provisional(t, json_object_get(rev, "provisional"));
	if (mark_revised(t, revised, err) != 0)
		return -1;
	for (size_t i = 0; i < t->n_tables; i++)
		if (nrm_table_has_figures(&t->tables[i]))
			add_status_column(&t->tables[i]);
	if (json_is_object(json_object_get(rev, "revises")) || json_array_size(revised) > 0)
		add_revisions_table(t, rev);
	return 0;
}
