/*
 * Suppression of the published return.
 *
 * Primary: every count from 1 to 4 is replaced by "[c]".  Zero is shown:
 * an empty cell discloses no child.
 *
 * Secondary: the return is seen as a set of equations "total = sum of
 * cells" (the groups below).  A hidden count that is the only hidden entry
 * of an equation could be worked out by subtraction, so until nothing
 * changes, for every equation with exactly one hidden entry (its total
 * counted as an entry):
 *   - hide the smallest non-zero shown cell (ties: the first in the order of
 *     return.json), or, when no cell is both non-zero and shown,
 *   - hide the total (when it is non-zero and shown).
 * The rule only ever hides more, so the loop ends.  Groups:
 *   - each referrals.by_* breakdown, with total referrals.total; exploitation
 *     type and nationality are treated the same way although a case may
 *     count twice in them, since most quarters have no such case and then
 *     they do sum to the total;
 *   - decisions.X.{positive,negative}, total days_to_decision.X.count;
 *   - each outcome over decisions.X.by_decision_maker, total decisions.X.<outcome>;
 *   - days_to_decision.X.distribution, total days_to_decision.X.count;
 *   - awaiting.X.by_age_band, total awaiting.X.count;
 *   - equalities (one cell and its total): within_45_days and
 *     distribution["0-45"]; the last trend entry and the quarter's own
 *     figures; each quality.missing count and the breakdown's unknown cell
 *     that counts the same cases.
 * A statistic of a hidden count is hidden too: mean, median, p90 and
 * within_45_days of days_to_decision.X.count, mean_age_days and
 * median_age_days of awaiting.X.count, the trend's mean_days_X of its
 * X_decisions.  A statistic that is null (no decisions) stays null.
 */
#include "return_suppress.h"

#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct cell {
	json_t *obj;
	char *key;
	json_int_t value;
	bool hidden;
};

struct group {
	int total;  /* a cell index, or -1 */
	int *cells;
	size_t n;
};

/* A hidden `from` hides the statistics `keys` of `obj`. */
struct link {
	int from;
	json_t *obj;
	const char *const *keys;
};

struct table {
	struct cell *cells;
	size_t n_cells;
	struct group *groups;
	size_t n_groups;
	struct link *links;
	size_t n_links;
};

/* The cell for obj[key], added on first use; -1 when it is not a count. */
static int cell(struct table *t, json_t *obj, const char *key)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!json_is_integer(v))
		return -1;
	for (size_t i = 0; i < t->n_cells; i++)
		if (t->cells[i].obj == obj && strcmp(t->cells[i].key, key) == 0)
			return (int)i;
	t->cells = nrm_xrealloc(t->cells, (t->n_cells + 1) * sizeof(*t->cells));
	t->cells[t->n_cells] = (struct cell){obj, nrm_xstrdup(key), json_integer_value(v), false};
	return (int)t->n_cells++;
}

static struct group *new_group(struct table *t, int total)
{
	t->groups = nrm_xrealloc(t->groups, (t->n_groups + 1) * sizeof(*t->groups));
	struct group *g = &t->groups[t->n_groups++];
	*g = (struct group){.total = total};
	return g;
}

static void group_add(struct group *g, int c)
{
	if (c < 0)
		return;
	g->cells = nrm_xrealloc(g->cells, (g->n + 1) * sizeof(int));
	g->cells[g->n++] = c;
}

/* Every count of `obj` as the cells of one group. */
static void group_object(struct table *t, int total, json_t *obj)
{
	struct group *g = new_group(t, total);
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
		group_add(g, cell(t, obj, key));
}

/* total == cell: a figure published twice. */
static void group_equal(struct table *t, int total, int c)
{
	if (total >= 0 && c >= 0)
		group_add(new_group(t, total), c);
}

static void link_stats(struct table *t, int from, json_t *obj, const char *const *keys)
{
	if (from < 0)
		return;
	t->links = nrm_xrealloc(t->links, (t->n_links + 1) * sizeof(*t->links));
	t->links[t->n_links++] = (struct link){from, obj, keys};
}

static json_t *path(json_t *o, const char *a, const char *b)
{
	o = json_object_get(o, a);
	return b ? json_object_get(o, b) : o;
}

static void referral_groups(struct table *t, json_t *ret)
{
	static const char *const breakdowns[] = {
		"by_age_band", "by_gender", "by_exploitation_type", "by_exploitation_combination",
		"by_nationality", "by_location", "by_first_responder_type",
	};
	json_t *ref = json_object_get(ret, "referrals");
	int total = cell(t, ref, "total");
	for (size_t i = 0; i < sizeof(breakdowns) / sizeof(*breakdowns); i++)
		group_object(t, total, json_object_get(ref, breakdowns[i]));
	cell(t, ref, "county_lines");

	/* quality.missing.F counts the same cases as a breakdown's unknown. */
	static const char *const same[][3] = {
		{"age_at_exploitation", "by_age_band", "unknown"},
		{"gender", "by_gender", "unknown"},
		{"nationality", "by_nationality", "unknown"},
		{"exploitation_types", "by_exploitation_type", "not_specified"},
		{"exploitation_types", "by_exploitation_combination", "Not specified or unknown"},
		{"exploitation_location", "by_location", "unknown"},
		{"first_responder_type", "by_first_responder_type", "unknown"},
	};
	json_t *missing = path(ret, "quality", "missing");
	for (size_t i = 0; i < sizeof(same) / sizeof(*same); i++)
		group_equal(t, cell(t, missing, same[i][0]),
		            cell(t, json_object_get(ref, same[i][1]), same[i][2]));
	const char *key;
	json_t *v;
	json_object_foreach(missing, key, v)
		cell(t, missing, key);
	cell(t, json_object_get(ret, "quality"), "out_of_scope");
	cell(t, ret, "withdrawn");
	cell(t, ret, "transferred");
}

static void decision_groups(struct table *t, json_t *ret, const char *kind)
{
	static const char *const day_stats[] = {"mean", "median", "p90", "within_45_days", NULL};
	static const char *const outcomes[] = {"positive", "negative"};
	json_t *dec = path(ret, "decisions", kind);
	json_t *days = path(ret, "days_to_decision", kind);
	int n = cell(t, days, "count");
	struct group *g = new_group(t, n);
	group_add(g, cell(t, dec, "positive"));
	group_add(g, cell(t, dec, "negative"));
	json_t *by = json_object_get(dec, "by_decision_maker");
	for (int o = 0; o < 2; o++) {
		struct group *col = new_group(t, cell(t, dec, outcomes[o]));
		const char *maker;
		json_t *row;
		json_object_foreach(by, maker, row)
			group_add(col, cell(t, row, outcomes[o]));
	}
	json_t *dist = json_object_get(days, "distribution");
	group_object(t, n, dist);
	group_equal(t, cell(t, days, "within_45_days"), cell(t, dist, "0-45"));
	link_stats(t, n, days, day_stats);

	static const char *const age_stats[] = {"mean_age_days", "median_age_days", NULL};
	json_t *wait = path(ret, "awaiting", kind);
	int w = cell(t, wait, "count");
	group_object(t, w, json_object_get(wait, "by_age_band"));
	link_stats(t, w, wait, age_stats);
}

static void trend_groups(struct table *t, json_t *ret)
{
	static const char *const rg_stats[] = {"mean_days_rg", NULL};
	static const char *const cg_stats[] = {"mean_days_cg", NULL};
	json_t *trend = json_object_get(ret, "trend");
	size_t i;
	json_t *q;
	json_array_foreach(trend, i, q) {
		cell(t, q, "referrals");
		link_stats(t, cell(t, q, "rg_decisions"), q, rg_stats);
		link_stats(t, cell(t, q, "cg_decisions"), q, cg_stats);
	}
	json_t *last = json_array_get(trend, json_array_size(trend) - 1);
	if (!last)
		return;
	group_equal(t, cell(t, last, "referrals"), cell(t, path(ret, "referrals", NULL), "total"));
	group_equal(t, cell(t, last, "rg_decisions"), cell(t, path(ret, "days_to_decision", "rg"),
	                                                   "count"));
	group_equal(t, cell(t, last, "cg_decisions"), cell(t, path(ret, "days_to_decision", "cg"),
	                                                   "count"));
}

static bool shown_nonzero(const struct table *t, int c)
{
	return c >= 0 && !t->cells[c].hidden && t->cells[c].value != 0;
}

/* One pass of the secondary rule over one group; true if it hid a cell. */
static bool protect(struct table *t, const struct group *g)
{
	size_t hidden = g->total >= 0 && t->cells[g->total].hidden;
	int smallest = -1;
	for (size_t i = 0; i < g->n; i++) {
		int c = g->cells[i];
		hidden += t->cells[c].hidden;
		if (shown_nonzero(t, c) && (smallest < 0 || t->cells[c].value < t->cells[smallest].value))
			smallest = c;
	}
	if (hidden != 1)
		return false;
	if (smallest < 0 && shown_nonzero(t, g->total))
		smallest = g->total;
	if (smallest < 0)
		return false;
	t->cells[smallest].hidden = true;
	return true;
}

/* A hidden count hides the within_45_days that is one of its statistics. */
static bool follow_links(struct table *t)
{
	bool changed = false;
	for (size_t i = 0; i < t->n_links; i++) {
		if (!t->cells[t->links[i].from].hidden)
			continue;
		for (const char *const *k = t->links[i].keys; *k; k++) {
			int c = cell(t, t->links[i].obj, *k);
			if (c >= 0 && !t->cells[c].hidden)
				t->cells[c].hidden = changed = true;
		}
	}
	return changed;
}

static void rewrite(struct table *t)
{
	for (size_t i = 0; i < t->n_cells; i++)
		if (t->cells[i].hidden)
			json_object_set_new(t->cells[i].obj, t->cells[i].key, json_string("[c]"));
	for (size_t i = 0; i < t->n_links; i++) {
		if (!t->cells[t->links[i].from].hidden)
			continue;
		for (const char *const *k = t->links[i].keys; *k; k++)
			if (!json_is_null(json_object_get(t->links[i].obj, *k)))
				json_object_set_new(t->links[i].obj, *k, json_string("[c]"));
	}
}

void nrm_return_suppress(json_t *ret)
{
	struct table t = {0};
	referral_groups(&t, ret);
	decision_groups(&t, ret, "rg");
	decision_groups(&t, ret, "cg");
	trend_groups(&t, ret);
	for (size_t i = 0; i < t.n_cells; i++)
		t.cells[i].hidden = t.cells[i].value >= NRM_SUPPRESS_MIN &&
		                    t.cells[i].value <= NRM_SUPPRESS_MAX;
	bool changed = true;
	while (changed) {
		changed = follow_links(&t);
		for (size_t i = 0; i < t.n_groups; i++)
			changed |= protect(&t, &t.groups[i]);
	}
	rewrite(&t);
	for (size_t i = 0; i < t.n_cells; i++)
		free(t.cells[i].key);
	for (size_t i = 0; i < t.n_groups; i++)
		free(t.groups[i].cells);
	free(t.cells);
	free(t.groups);
	free(t.links);
}
