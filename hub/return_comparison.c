/*
 * The comparison's rows, from JSON a user may hand to `return render` or a
 * site may send: every figure is checked before it becomes a cell, as
 * return_tables.c checks the rest of a return.
 */
#include "return_comparison.h"

#include "date.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The two percentages are derived from the row's counts (positive of
 * decisions, within 45 days of decisions). */
const struct nrm_column nrm_comparison_columns[] = {
	{"year", "Year", NRM_COL_YEAR, NULL, NULL},
	{"quarter", "Quarter", NRM_COL_QUARTER, NULL, NULL},
	{"row", "Group, decision and period code", NRM_COL_CODE, NULL, NULL},
	{"row_label", "Group, decision and period", NRM_COL_LABEL, NULL, NULL},
	{"decisions", "Decisions", NRM_COL_COUNT, "DECISIONS", "NUMBER"},
	{"positive", "Positive decisions", NRM_COL_COUNT, "POSITIVE", "NUMBER"},
	{"percent_positive", "Percentage positive (of decisions)", NRM_COL_DECIMAL,
	 "PERCENT_POSITIVE", "PERCENT"},
	{"mean_days", "Mean days from referral", NRM_COL_DECIMAL, "DAYS_MEAN", "DAYS"},
	{"median_days", "Median days from referral", NRM_COL_DECIMAL, "DAYS_MEDIAN", "DAYS"},
	{"p90_days", "90th percentile days from referral", NRM_COL_COUNT, "DAYS_P90", "DAYS"},
	{"within_45_days", "Decided within 45 days of referral", NRM_COL_COUNT, "WITHIN_45",
	 "NUMBER"},
	{"percent_within_45_days", "Percentage within 45 days (of decisions)", NRM_COL_DECIMAL,
	 "PERCENT_WITHIN_45", "PERCENT"},
};
const size_t nrm_comparison_n_columns =
	sizeof(nrm_comparison_columns) / sizeof(nrm_comparison_columns[0]);

/* The figures of a stage, in column order from "decisions". */
static const struct {
	const char *key;
	enum { F_COUNT, F_PART, F_STAT, F_WHOLE_STAT, F_PERCENT } kind;
} figures[] = {
	{"count", F_COUNT}, {"positive", F_PART}, {"percent_positive", F_PERCENT},
	{"mean", F_STAT}, {"median", F_STAT}, {"p90", F_WHOLE_STAT},
	{"within_45_days", F_PART}, {"percent_within_45_days", F_PERCENT},
};
#define N_FIGURES (sizeof(figures) / sizeof(figures[0]))
#define FIRST_FIGURE 4

static int bad(struct nrm_error *err, const char *path, const char *rule)
{
	return nrm_fail(err, EX_DATAERR, "%s: %s", path, rule);
}

static struct nrm_cell *new_row(struct nrm_return_tables *out)
{
	struct nrm_table *t = &out->tables[out->n_tables - 1];
	t->cells = nrm_xrealloc(t->cells, (t->n_rows + 1) * t->n_columns * sizeof(*t->cells));
	struct nrm_cell *row = &t->cells[t->n_rows++ * t->n_columns];
	memset(row, 0, t->n_columns * sizeof(*row));
	row[0].kind = NRM_CELL_NUMBER;
	row[0].number = out->year;
	row[0].text = nrm_xasprintf("%d", out->year);
	row[1].kind = NRM_CELL_TEXT;
	row[1].text = nrm_xasprintf("Q%d", out->q);
	for (size_t i = 2; i < t->n_columns; i++)
		row[i].text = nrm_xstrdup(""); /* every cell owns text, even before it is filled */
	return row;
}

static void set_cell(struct nrm_cell *c, enum nrm_cell_kind kind, double v, char *text)
{
	free(c->text);
	c->kind = kind;
	c->number = v;
	c->text = text;
}

/* One figure into its cell: 0, or -1 with err. */
static int figure(struct nrm_cell *c, const json_t *v, size_t k, json_int_t count,
                  const char *path, struct nrm_error *err)
{
	if (figures[k].kind == F_COUNT || figures[k].kind == F_PART) {
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return bad(err, path, "must be an integer >= 0");
		if (figures[k].kind == F_PART && json_integer_value(v) > count)
			return bad(err, path, "is more than the decisions counted");
		set_cell(c, NRM_CELL_NUMBER, (double)json_integer_value(v),
		         nrm_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v)));
		return 0;
	}
	if (json_is_null(v) && count == 0) {
		set_cell(c, NRM_CELL_NA, 0, nrm_xstrdup("[z]"));
		return 0;
	}
	double d = json_number_value(v);
	double max = figures[k].kind == F_PERCENT ? 100 : 1e9;
	if (!json_is_number(v) || count == 0 || !isfinite(d) || d < 0 || d > max ||
	    (figures[k].kind == F_WHOLE_STAT && !json_is_integer(v)))
		return bad(err, path, figures[k].kind == F_WHOLE_STAT
		                      ? "must be an integer >= 0, or null exactly when count is 0"
		                      : figures[k].kind == F_PERCENT
		                      ? "must be a number from 0 to 100, or null exactly when count is 0"
		                      : "must be a number >= 0, or null exactly when count is 0");
	char *text = figures[k].kind == F_WHOLE_STAT
	             ? nrm_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v))
	             : nrm_xasprintf("%.1f", d);
	set_cell(c, NRM_CELL_NUMBER, strtod(text, NULL), text);
	return 0;
}

static int stage_row(struct nrm_cell *row, const json_t *st, const char *path,
                     struct nrm_error *err)
{
	if (!json_is_object(st) || json_object_size(st) != N_FIGURES)
		return bad(err, path, "must be an object of the 8 figures of formats/return.md");
	const json_t *count = json_object_get(st, "count");
	json_int_t n = json_is_integer(count) ? json_integer_value(count) : 0;
	for (size_t k = 0; k < N_FIGURES; k++) {
		const json_t *v = json_object_get(st, figures[k].key);
		char *p = nrm_xasprintf("%s.%s", path, figures[k].key);
		int rc = v ? figure(&row[FIRST_FIGURE + k], v, k, n, p, err)
		           : bad(err, p, "is missing");
		free(p);
		if (rc)
			return rc;
	}
	return 0;
}

static bool group_code_ok(const char *s)
{
	return s && (strcmp(s, "pilot") == 0 || strcmp(s, "home_office") == 0 ||
	             strcmp(s, "pilot_site_home_office") == 0);
}

/* A label becomes a cell: printable, short, no control character. */
static bool label_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 300)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int group_rows(struct nrm_return_tables *out, const json_t *g, const char *path,
                      const char *since, struct nrm_error *err)
{
	const char *const periods[2][2] = {{"quarter", "decisions dated in the quarter"},
	                                   {"cumulative", since}};
	static const char *const stages[2][2] = {{"rg", "reasonable grounds"},
	                                         {"cg", "conclusive grounds"}};
	const char *group = json_string_value(json_object_get(g, "group"));
	const char *label = json_string_value(json_object_get(g, "label"));
	if (!json_is_object(g) || json_object_size(g) != 4)
		return bad(err, path, "must be an object of group, label, quarter and cumulative");
	if (!group_code_ok(group))
		return bad(err, path, "group must be pilot, home_office or pilot_site_home_office");
	if (!label_ok(label))
		return bad(err, path, "label must be 1 to 300 printable characters");
	for (int p = 0; p < 2; p++)
		for (int s = 0; s < 2; s++) {
			struct nrm_cell *row = new_row(out);
			set_cell(&row[2], NRM_CELL_TEXT, 0,
			         nrm_xasprintf("%s_%s_%s", group, stages[s][0], periods[p][0]));
			set_cell(&row[3], NRM_CELL_TEXT, 0,
			         nrm_xasprintf("%s; %s, %s", label, stages[s][1], periods[p][1]));
			char *where = nrm_xasprintf("%s.%s.%s", path, periods[p][0], stages[s][0]);
			const json_t *st = json_object_get(json_object_get(g, periods[p][0]), stages[s][0]);
			int rc = stage_row(row, st, where, err);
			free(where);
			if (rc)
				return rc;
		}
	return 0;
}

int nrm_comparison_rows(struct nrm_return_tables *out, const json_t *groups, const char *path,
                        const char *since, struct nrm_error *err)
{
	if (!json_is_array(groups) || json_array_size(groups) == 0 || json_array_size(groups) > 3)
		return bad(err, path, "must be an array of 1 to 3 groups");
	size_t i;
	const json_t *g;
	json_array_foreach(groups, i, g) {
		char *p = nrm_xasprintf("%s[%zu]", path, i);
		int rc = group_rows(out, g, p, since, err);
		free(p);
		if (rc)
			return rc;
	}
	return 0;
}

static const struct nrm_return_note site_note = {
	11, "The comparison at this site. Pilot: children in the pilot's scope (17 or under "
	    "and more than 100 days from their 18th birthday at referral, age not disputed), "
	    "referred on or after the day the site joined, decided by its devolved "
	    "decision-making panel. Decided by the Home Office: the same children decided by "
	    "the SCA or IECA (handed back or kept), shown apart and in neither side. The Home "
	    "Office's own group, children outside the pilot areas, needs the Home Office's "
	    "cases: it is in the national figures only. Cumulative figures count decisions "
	    "dated from the day the site joined (or 1 June 2021, the pilot's start, when that "
	    "day is not configured) to the end of the quarter."};

/* The return's notes, then this table's. */
static void add_note(struct nrm_return_tables *out)
{
	struct nrm_return_note *notes = nrm_xmalloc((out->n_notes + 1) * sizeof(*notes));
	memcpy(notes, out->notes, out->n_notes * sizeof(*notes));
	notes[out->n_notes] = site_note;
	free((void *)(uintptr_t)out->notes);
	out->notes = notes;
	out->n_notes++;
}

int nrm_return_comparison_table(const json_t *ret, struct nrm_return_tables *out,
                                struct nrm_error *err)
{
	const json_t *cmp = json_object_get(ret, "comparison");
	if (!cmp)
		return 0;
	if (strcmp(out->audience, "official") != 0)
		return bad(err, "$.comparison", "is only in an official return");
	if (!json_is_object(cmp) || json_object_size(cmp) != 2)
		return bad(err, "$.comparison", "must be an object of since and groups");
	const char *since = json_string_value(json_object_get(cmp, "since"));
	int32_t day;
	if (!since || nrm_date_parse_iso(since, strlen(since), &day) != 0)
		return bad(err, "$.comparison.since", "must be a date YYYY-MM-DD");
	char *title = nrm_xasprintf("The comparison at this site: its children in the pilot's "
	                            "scope decided by the panel, and those decided by the Home "
	                            "Office, for the quarter and cumulative since %s [note 11]",
	                            since);
	nrm_return_tables_add(out, "comparison", title, "COMPARISON", nrm_comparison_columns,
	                      nrm_comparison_n_columns);
	free(title);
	char *label = nrm_xasprintf("since %s", since);
	int rc = nrm_comparison_rows(out, json_object_get(cmp, "groups"), "$.comparison.groups",
	                             label, err);
	free(label);
	if (rc)
		return -1;
	add_note(out);
	return 0;
}
