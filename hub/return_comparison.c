/*
 * The comparison's rows, from JSON a user may hand to `return render` or a
 * site may send: every figure is checked before it becomes a cell, as
 * return_tables.c checks the rest of a return.  The site's table declares
 * its relations too, so that the published return's suppression covers it.
 */
#include "return_comparison.h"

#include "date.h"
#include "util.h"
#include "welsh.h"

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

/* `path` names a figure of return.json ("$.comparison.groups[0]..."): the
 * cell carries it, so that disclosure control knows the figure and can
 * hide it there.  The national table's paths name national.json in words,
 * and its cells carry none. */
static void set_path(struct nrm_cell *c, const char *path)
{
	free(c->path);
	c->path = path[0] == '$' ? nrm_xstrdup(path) : NULL;
}

/* Whether figure k of a stage may be `v`: 0, or -1 with err naming the
 * rule.  `count` as for figure(). */
static int figure_ok(const json_t *v, size_t k, json_int_t count, bool published,
                     const char *path, struct nrm_error *err)
{
	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "[c]") != 0)
			return bad(err, path, "a string here must be \"[c]\"");
		return published ? 0 : bad(err, path, "\"[c]\" is only allowed in a published return");
	}
	if (figures[k].kind == F_COUNT || figures[k].kind == F_PART) {
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return bad(err, path, published ? "must be an integer >= 0 or \"[c]\""
			                                : "must be an integer >= 0");
		if (json_integer_value(v) > 1000000000000)
			return bad(err, path, "must be at most 1000000000000");
		if (figures[k].kind == F_PART && count >= 0 && json_integer_value(v) > count)
			return bad(err, path, "is more than the decisions counted");
		return 0;
	}
	if (json_is_null(v) && count == 0)
		return 0;
	double d = json_number_value(v);
	double max = figures[k].kind == F_PERCENT ? 100 : 1e9;
	if (!json_is_number(v) || count == 0 || !isfinite(d) || d < 0 || d > max ||
	    (figures[k].kind == F_WHOLE_STAT && !json_is_integer(v)))
		return bad(err, path, figures[k].kind == F_WHOLE_STAT
		                      ? "must be an integer >= 0, or null exactly when count is 0"
		                      : figures[k].kind == F_PERCENT
		                      ? "must be a number from 0 to 100, or null exactly when count is 0"
		                      : "must be a number >= 0, or null exactly when count is 0");
	return 0;
}

/* One figure into its cell: 0, or -1 with err.  `count` is the row's
 * decisions, -1 when hidden ("[c]", published returns only: a hidden
 * count is at least 1, so its statistics are never null). */
static int figure(struct nrm_cell *c, const json_t *v, size_t k, json_int_t count,
                  bool published, const char *path, struct nrm_error *err)
{
	set_path(c, path);
	int rc = figure_ok(v, k, count, published, path, err);
	if (rc == 0) {
		free(c->text);
		nrm_cell_set_figure(c, v, nrm_comparison_columns[FIRST_FIGURE + k].role);
	}
	return rc;
}

static int stage_row(struct nrm_cell *row, const json_t *st, bool published, const char *path,
                     struct nrm_error *err)
{
	if (!json_is_object(st) || json_object_size(st) != N_FIGURES)
		return bad(err, path, "must be an object of the 8 figures of formats/return.md");
	const json_t *count = json_object_get(st, "count");
	json_int_t n = json_is_integer(count) ? json_integer_value(count)
	               : json_is_string(count) ? -1 : 0;
	for (size_t k = 0; k < N_FIGURES; k++) {
		const json_t *v = json_object_get(st, figures[k].key);
		char *p = nrm_xasprintf("%s.%s", path, figures[k].key);
		int rc = v ? figure(&row[FIRST_FIGURE + k], v, k, n, published, p, err)
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
			int rc = stage_row(row, st, out->audience && strcmp(out->audience, "published") == 0, where,
			                   err);
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

/* ---- what a reader knows of the site's comparison -----------------------
 * The table's relations and derivations (return_tables.h), declared with
 * it so that the published audience's disclosure control (audit and
 * extend over every table, return_suppress.c) protects it as it protects
 * the rest.  Each is true by construction (hub/comparison.c,
 * return_build.c), and the builder checks them on the official figures. */

/* Columns of a row, from nrm_comparison_columns. */
enum { C_COUNT = 4, C_POSITIVE, C_PCT_POSITIVE, C_MEAN, C_MEDIAN, C_P90, C_WITHIN,
       C_PCT_WITHIN };

static struct nrm_cell_ref cref(const struct nrm_return_tables *o, size_t row, unsigned col)
{
	return (struct nrm_cell_ref){(unsigned)(o->n_tables - 1), (unsigned)row, col};
}

/* sum of `plus` - sum of `minus` >= 0 */
static void at_least(struct nrm_return_tables *o, const struct nrm_cell_ref *plus, size_t np,
                     const struct nrm_cell_ref *minus, size_t nm)
{
	struct nrm_relation_term *t = nrm_xmalloc((np + nm) * sizeof(*t));
	for (size_t i = 0; i < np; i++)
		t[i] = (struct nrm_relation_term){plus[i], 1};
	for (size_t i = 0; i < nm; i++)
		t[np + i] = (struct nrm_relation_term){minus[i], -1};
	nrm_table_relate(o, NRM_RELATION_AT_LEAST, t, np + nm);
	free(t);
}

/* part <= whole */
static void at_most(struct nrm_return_tables *o, struct nrm_cell_ref part,
                    struct nrm_cell_ref whole)
{
	at_least(o, &whole, 1, &part, 1);
}

/* Within one row: positive and within 45 days are some of its decisions;
 * the percentages are drawn from them and the count; the mean, median and
 * p90 from the count and from within 45 days (a shown median or p90 of 45
 * or less says that half or nine tenths were decided within 45 days). */
static void relate_row(struct nrm_return_tables *o, size_t r)
{
	at_most(o, cref(o, r, C_POSITIVE), cref(o, r, C_COUNT));
	at_most(o, cref(o, r, C_WITHIN), cref(o, r, C_COUNT));
	const struct nrm_cell_ref positive[] = {cref(o, r, C_COUNT), cref(o, r, C_POSITIVE)};
	const struct nrm_cell_ref within[] = {cref(o, r, C_COUNT), cref(o, r, C_WITHIN)};
	nrm_table_derive(o, cref(o, r, C_PCT_POSITIVE), 1, positive, 2);
	nrm_table_derive(o, cref(o, r, C_PCT_WITHIN), 1, within, 2);
	for (unsigned c = C_MEAN; c <= C_P90; c++)
		nrm_table_derive(o, cref(o, r, c), 1, within, 2);
}

/* The quarter's decisions (row q) are some of the cumulative ones (row c):
 * they are dated in the quarter and on or after `since`, the cumulative
 * ones from `since` to its end.  So each count of the quarter is at most
 * the cumulative one, and the decisions before the quarter hold at least as
 * many of each as their positive and within-45 parts; when the site joined
 * in the quarter (or after it), the two periods are the same decisions. */
static void relate_periods(struct nrm_return_tables *o, size_t q, size_t c, bool same)
{
	static const unsigned parts[] = {C_POSITIVE, C_WITHIN};
	if (same) {
		nrm_table_relate_equal(o, cref(o, q, C_COUNT), cref(o, c, C_COUNT));
		for (size_t i = 0; i < 2; i++)
			nrm_table_relate_equal(o, cref(o, q, parts[i]), cref(o, c, parts[i]));
		return;
	}
	at_most(o, cref(o, q, C_COUNT), cref(o, c, C_COUNT));
	for (size_t i = 0; i < 2; i++) {
		at_most(o, cref(o, q, parts[i]), cref(o, c, parts[i]));
		/* (count_c - count_q) - (part_c - part_q) >= 0 */
		const struct nrm_cell_ref plus[] = {cref(o, c, C_COUNT), cref(o, q, parts[i])};
		const struct nrm_cell_ref minus[] = {cref(o, q, C_COUNT), cref(o, c, parts[i])};
		at_least(o, plus, 2, minus, 2);
	}
}

/* The quarter's rows against the return's own tables: a group's decisions
 * are some of the site's decisions dated in the quarter (in-scope children,
 * by the group's decision makers), so they are at most the tables' counts
 * of them, outcome by outcome; and the groups together at most all the
 * decisions, and their within-45 counts at most Table_11's. */
static void relate_to_tables(struct nrm_return_tables *o, const size_t *q_row,
                             const char *const *group, size_t n_groups, int stage)
{
	static const char *const makers[2] = {"rg_decision_maker", "cg_decision_maker"};
	static const char *const stage_code[2] = {"rg", "cg"};
	struct nrm_cell_ref all, within;
	struct nrm_cell_ref counts[3], withins[3];
	for (size_t g = 0; g < n_groups; g++) {
		counts[g] = cref(o, q_row[g], C_COUNT);
		withins[g] = cref(o, q_row[g], C_WITHIN);
	}
	if (nrm_table_find_ref(o, "days_to_decision", stage_code[stage], 4, &all) &&
	    nrm_table_find_ref(o, "days_to_decision", stage_code[stage], 8, &within)) {
		at_least(o, &all, 1, counts, n_groups);
		at_least(o, &within, 1, withins, n_groups);
	}
	for (size_t g = 0; g < n_groups; g++) {
		static const char *const panel[] = {"ddm_panel"};
		static const char *const home_office[] = {"sca", "ieca"};
		bool pilot = strcmp(group[g], "pilot") == 0;
		if (!pilot && strcmp(group[g], "pilot_site_home_office") != 0)
			continue;
		const char *const *dm = pilot ? panel : home_office;
		size_t n_dm = pilot ? 1 : 2;
		struct nrm_cell_ref pos[2], neg[2];
		bool found = true;
		for (size_t k = 0; k < n_dm && found; k++)
			found = nrm_table_find_ref(o, makers[stage], dm[k], 4, &pos[k]) &&
			        nrm_table_find_ref(o, makers[stage], dm[k], 5, &neg[k]);
		if (!found)
			continue;
		/* positive <= the makers' positives */
		struct nrm_cell_ref mine = cref(o, q_row[g], C_POSITIVE);
		at_least(o, pos, n_dm, &mine, 1);
		/* count - positive <= the makers' negatives */
		struct nrm_cell_ref plus[3] = {neg[0], n_dm > 1 ? neg[1] : neg[0], mine};
		struct nrm_cell_ref count = cref(o, q_row[g], C_COUNT);
		if (n_dm > 1)
			at_least(o, plus, 3, &count, 1);
		else {
			const struct nrm_cell_ref p1[] = {neg[0], mine};
			at_least(o, p1, 2, &count, 1);
		}
		/* count <= the makers' decisions */
		struct nrm_cell_ref both[4];
		for (size_t k = 0; k < n_dm; k++) {
			both[2 * k] = pos[k];
			both[2 * k + 1] = neg[k];
		}
		at_least(o, both, 2 * n_dm, &count, 1);
	}
}

/* The relations of the comparison table just added: rows of group g come
 * in the order of group_rows, (quarter, cumulative) x (rg, cg). */
static void relate_comparison(struct nrm_return_tables *o, const json_t *groups,
                              const char *since)
{
	const struct nrm_table *t = &o->tables[o->n_tables - 1];
	size_t n_groups = json_array_size(groups);
	if (n_groups > 3 || t->n_rows != 4 * n_groups)
		return;
	bool same = o->period_start && strcmp(since, o->period_start) >= 0;
	const char *group[3];
	for (size_t g = 0; g < n_groups; g++) {
		group[g] = json_string_value(json_object_get(json_array_get(groups, g), "group"));
		for (size_t r = 0; r < 4; r++)
			relate_row(o, 4 * g + r);
		for (int s = 0; s < 2; s++)
			relate_periods(o, 4 * g + (size_t)s, 4 * g + 2 + (size_t)s, same);
	}
	for (int s = 0; s < 2; s++) {
		size_t q_row[3];
		for (size_t g = 0; g < n_groups; g++)
			q_row[g] = 4 * g + (size_t)s;
		relate_to_tables(o, q_row, group, n_groups, s);
	}
}

/* The Welsh of the labels of the comparison just added, whose rows come in
 * group_rows' order; a group whose label has no Welsh (a label that is not
 * nrmhub's) keeps its English alone. */
static void comparison_welsh(struct nrm_return_tables *o, const json_t *groups,
                             const char *since)
{
	struct nrm_table *t = &o->tables[o->n_tables - 1];
	char *periods[2] = {nrm_xstrdup(label_welsh("decisions dated in the quarter")),
	                    NRM_WELSH_PRINTF(true, "since %s", since)};
	const char *stages[2] = {label_welsh("reasonable grounds"),
	                         label_welsh("conclusive grounds")};
	for (size_t r = 0; r < t->n_rows && r / 4 < json_array_size(groups); r++) {
		const json_t *g = json_array_get(groups, r / 4);
		const char *group = label_welsh(json_string_value(json_object_get(g, "label")));
		if (group)
			t->cells[r * t->n_columns + 3].text_cy =
				nrm_xasprintf("%s; %s, %s", group, stages[r % 2], periods[r % 4 / 2]);
	}
	free(periods[0]);
	free(periods[1]);
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
	if (!json_is_object(cmp) || json_object_size(cmp) != 2)
		return bad(err, "$.comparison", "must be an object of since and groups");
	const char *since = json_string_value(json_object_get(cmp, "since"));
	int32_t day;
	if (!since || nrm_date_parse_iso(since, strlen(since), &day) != 0)
		return bad(err, "$.comparison.since", "must be a date YYYY-MM-DD");
#define COMPARISON_TITLE                                                                 \
	"The comparison at this site: its children in the pilot's scope decided by the panel, " \
	"and those decided by the Home Office, for the quarter and cumulative since %s "        \
	"[note 11]"
	char *title = nrm_xasprintf(COMPARISON_TITLE, since);
	struct nrm_table *t = nrm_return_tables_add(out, "comparison", title, "COMPARISON",
	                                            nrm_comparison_columns,
	                                            nrm_comparison_n_columns);
	t->title_cy = NRM_WELSH_PRINTF(out->welsh, COMPARISON_TITLE, since);
	free(title);
	char *label = nrm_xasprintf("since %s", since);
	int rc = nrm_comparison_rows(out, json_object_get(cmp, "groups"), "$.comparison.groups",
	                             label, err);
	free(label);
	if (rc)
		return -1;
	relate_comparison(out, json_object_get(cmp, "groups"), since);
	if (out->welsh)
		comparison_welsh(out, json_object_get(cmp, "groups"), since);
	add_note(out);
	return 0;
}
