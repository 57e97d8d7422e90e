/*
 * Flattens return.json into the published tables.  The return comes from a
 * file a user can hand to `nrmhub return render`, so every value is checked
 * for its type and range before it becomes a cell, and every rejection
 * names the JSON path.
 */
#include "return_tables.h"
#include "return_marks.h"

#include "country.h"
#include "date.h"
#include "gss.h"
#include "nation.h"
#include "nationality.h"
#include "return_comparison.h"
#include "return_series_tables.h"
#include "return_stats.h"
#include "site_name.h"
#include "nrmhub/plugin.h"
#include "util.h"
#include "welsh.h"

#include <math.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

struct code_label {
	const char *code;
	const char *label;
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
/* jansson's iterators take non-const objects but do not change them. */
#define ITERABLE(obj) ((json_t *)(uintptr_t)(obj))

static const struct code_label age_bands[] = {
	/* The Home Office's category is Child (17 or under); these bands under
	 * it are the pilot's own, and say so. */
	{"0-11", "0 to 11 (local breakdown)"}, {"12-15", "12 to 15 (local breakdown)"},
	{"16-17", "16 to 17 (local breakdown)"},
	{"unknown", "Not specified or unknown"},
};
static const struct code_label genders[] = {
	{"female", "Female"}, {"male", "Male"}, {"other", "Other"},
	{"unknown", "Not specified or unknown"},
};
static const struct code_label exploitation_types[] = {
	{"criminal", "Criminal"}, {"domestic", "Domestic"}, {"labour", "Labour"},
	{"sexual", "Sexual"}, {"organ_harvesting", "Organ Harvesting"},
	{"not_specified", "Not specified or unknown"},
};
/* The order in which the Home Office names the types of a combination. */
static const struct code_label combination_order[] = {
	{"sexual", "Sexual"}, {"labour", "Labour"}, {"domestic", "Domestic"},
	{"organ_harvesting", "Organ Harvesting"}, {"criminal", "Criminal"},
};
static const struct code_label locations[] = {
	{"uk", "UK"}, {"overseas", "Overseas"}, {"uk_and_overseas", "UK and Overseas"},
	{"unknown", "Not specified or unknown"},
};
static const struct code_label responders[] = {
	{"government_agency", "Government agency"}, {"ngo", "NGO and third sector"},
	{"police", "Police"}, {"local_authority", "Local Authority"},
	{"unknown", "Not specified or unknown"},
};
static const struct code_label decision_makers[] = {
	{"ddm_panel", "Devolved decision-making panel"},
	{"sca", "Single Competent Authority"},
	{"ieca", "Immigration Enforcement Competent Authority"},
	{"unknown", "Not specified or unknown"},
};
static const struct code_label day_bands[] = {
	{"0-45", "0 to 45 days"}, {"46-90", "46 to 90 days"}, {"91-180", "91 to 180 days"},
	{"181-365", "181 to 365 days"}, {"366+", "366 days or more"},
};
static const struct code_label stages[] = {
	{"rg", "Reasonable grounds"}, {"cg", "Conclusive grounds"},
};
static const struct code_label missing_fields[] = {
	{"nrm_ref", "NRM reference"},
	{"first_responder_type", "First responder type"},
	{"first_responder_org", "First responder organisation"},
	{"local_authority", "Local authority"},
	{"police_force", "Police force"},
	{"age_at_exploitation", "Age at exploitation"},
	{"gender", "Gender"},
	{"nationality", "Nationality"},
	{"exploitation_types", "Exploitation type"},
	{"county_lines", "County lines flag"},
	{"exploitation_location", "Location of exploitation"},
	{"decision_maker", "Decision maker"},
	{"updated_at", "Date last updated"},
};

/* ---- columns ------------------------------------------------------------ */

#define COL_YEAR {"year", "Year", NRM_COL_YEAR, NULL, NULL}
#define COL_QUARTER {"quarter", "Quarter", NRM_COL_QUARTER, NULL, NULL}
#define COUNT(name, title, measure) {name, title, NRM_COL_COUNT, measure, "NUMBER"}
#define DAYS_INT(name, title, measure) {name, title, NRM_COL_COUNT, measure, "DAYS"}
#define DAYS_DEC(name, title, measure) {name, title, NRM_COL_DECIMAL, measure, "DAYS"}
/* A breakdown's two columns: its code ("gender_code", "Gender code") and label. */
#define DIMENSION(code, title)                                    \
	{code "_code", title " code", NRM_COL_CODE, NULL, NULL},  \
	{code, title, NRM_COL_LABEL, NULL, NULL}

static const struct nrm_column summary_cols[] = {
	COL_YEAR, COL_QUARTER,
	DIMENSION("measure", "Measure"),
	COUNT("value", "Number", NULL),
};
#define BREAKDOWN_COLS(code, title, count_title, measure)                           \
	{                                                                            \
		COL_YEAR, COL_QUARTER, DIMENSION(code, title),                       \
		COUNT("referrals", count_title, measure)                             \
	}
static const struct nrm_column age_cols[] =
	BREAKDOWN_COLS("age_band", "Age at exploitation", "Number of referrals", "REFERRALS");
static const struct nrm_column gender_cols[] =
	BREAKDOWN_COLS("gender", "Gender", "Number of referrals", "REFERRALS");
static const struct nrm_column type_cols[] =
	BREAKDOWN_COLS("exploitation_type", "Exploitation type", "Number of referrals",
	               "REFERRALS");
static const struct nrm_column combination_cols[] =
	BREAKDOWN_COLS("exploitation_combination", "Exploitation type combination",
	               "Number of referrals", "REFERRALS");
static const struct nrm_column nationality_cols[] =
	BREAKDOWN_COLS("nationality", "Nationality", "Number of referrals", "REFERRALS");
static const struct nrm_column location_cols[] =
	BREAKDOWN_COLS("location", "Location of exploitation", "Number of referrals",
	               "REFERRALS");
static const struct nrm_column responder_cols[] =
	BREAKDOWN_COLS("first_responder_type", "First responder type", "Number of referrals",
	               "REFERRALS");
static const struct nrm_column rg_maker_cols[] = {
	COL_YEAR, COL_QUARTER,
	DIMENSION("decision_maker", "Decision maker"),
	COUNT("positive", "Positive reasonable grounds", "RG_POSITIVE"),
	COUNT("negative", "Negative reasonable grounds", "RG_NEGATIVE"),
	/* Derived: 100 * positive / (positive + negative) of the same row, so it
	 * is hidden whenever either count is (decision_percent_cell). */
	{"percent_positive", "Percentage positive (of the row's positive and negative)",
	 NRM_COL_DECIMAL, "RG_PERCENT_POSITIVE", "PERCENT"},
};
static const struct nrm_column cg_maker_cols[] = {
	COL_YEAR, COL_QUARTER,
	DIMENSION("decision_maker", "Decision maker"),
	COUNT("positive", "Positive conclusive grounds", "CG_POSITIVE"),
	COUNT("negative", "Negative conclusive grounds", "CG_NEGATIVE"),
	{"percent_positive", "Percentage positive (of the row's positive and negative)",
	 NRM_COL_DECIMAL, "CG_PERCENT_POSITIVE", "PERCENT"},
};
static const struct nrm_column days_cols[] = {
	COL_YEAR, COL_QUARTER,
	DIMENSION("decision_stage", "Decision stage"),
	COUNT("decisions", "Number of decisions", "DECISIONS"),
	DAYS_DEC("mean_days", "Mean days from referral", "DAYS_MEAN"),
	DAYS_DEC("median_days", "Median days from referral", "DAYS_MEDIAN"),
	DAYS_INT("p90_days", "90th percentile days from referral", "DAYS_P90"),
	COUNT("within_45_days", "Decisions within 45 days of referral", "WITHIN_45_DAYS"),
};
static const struct nrm_column distribution_cols[] = {
	COL_YEAR, COL_QUARTER,
	DIMENSION("days_band", "Days to decision"),
	COUNT("rg_decisions", "Reasonable grounds decisions", "RG_DECISIONS"),
	COUNT("cg_decisions", "Conclusive grounds decisions", "CG_DECISIONS"),
};
static const struct nrm_column awaiting_cols[] = {
	COL_YEAR, COL_QUARTER,
	{"decision_stage_code", "Decision stage code", NRM_COL_CODE, NULL, NULL},
	{"decision_stage", "Decision awaited", NRM_COL_LABEL, NULL, NULL},
	COUNT("cases", "Cases awaiting a decision", "AWAITING"),
	DAYS_DEC("mean_age_days", "Mean age of case in days", "AGE_MEAN"),
	DAYS_DEC("median_age_days", "Median age of case in days", "AGE_MEDIAN"),
};
static const struct nrm_column awaiting_band_cols[] = {
	COL_YEAR, COL_QUARTER,
	DIMENSION("age_of_case", "Age of case"),
	COUNT("awaiting_rg", "Awaiting reasonable grounds", "AWAITING_RG"),
	COUNT("awaiting_cg", "Awaiting conclusive grounds", "AWAITING_CG"),
};
static const struct nrm_column quality_cols[] = {
	COL_YEAR, COL_QUARTER,
	DIMENSION("field", "Field"),
	COUNT("referrals_missing", "Referrals with the field missing", "MISSING"),
};
static const struct nrm_column trend_cols[] = {
	COL_YEAR, COL_QUARTER,
	COUNT("referrals", "Referrals", "REFERRALS"),
	COUNT("rg_decisions", "Reasonable grounds decisions", "RG_DECISIONS"),
	COUNT("cg_decisions", "Conclusive grounds decisions", "CG_DECISIONS"),
	DAYS_DEC("mean_days_rg", "Mean days from referral to reasonable grounds", "RG_DAYS_MEAN"),
	DAYS_DEC("mean_days_cg", "Mean days from referral to conclusive grounds", "CG_DAYS_MEAN"),
};

const struct nrm_trend_repeat nrm_trend_repeats[NRM_TREND_REPEATS] = {
	{"referrals", "$.referrals.total", true},
	{"rg_decisions", "$.days_to_decision.rg.count", true},
	{"cg_decisions", "$.days_to_decision.cg.count", true},
	{"mean_days_rg", "$.days_to_decision.rg.mean", false},
	{"mean_days_cg", "$.days_to_decision.cg.mean", false},
};

/* ---- notes -------------------------------------------------------------- */

#define NOTE_SUPPRESSION 7
static const char note_published[] =
	"[c] confidential: small counts (1 to 4, unless the site sets a higher threshold) "
	"are suppressed, and further cells so that no suppressed count can be worked out, or "
	"narrowed to an interval narrower than the threshold plus one, from all the tables "
	"taken together; statistics drawn from a suppressed count or band are suppressed too.";
static const char note_official[] =
	"Exact counts, for the Home Office only: this official return is not for "
	"publication. The published version replaces counts from 1 to 4 with [c].";
static const struct nrm_return_note notes_template[] = {
	{1, "Figures are for one decision-making pilot site (named on the cover sheet) and "
	    "one calendar quarter, from its first to its last day inclusive. Referrals are "
	    "counted by referral date, decisions by decision date, withdrawals and transfers "
	    "by the date of that status."},
	{2, "Age-disputed cases are out of scope of the pilot: they are left out of every "
	    "table and counted only as out of scope in Table_1."},
	{3, "A child can be exploited in more than one way: a referral counts once under "
	    "each exploitation type it has, so the types can add up to more than the number "
	    "of referrals. Table_5 counts each referral once, under its combination of types. "
	    "County lines is a flag, not a type."},
	{4, "Each child counts once: a child with two nationalities is in one combined category "
	    "joining the two labels (as the Home Office's Polish UK), so the nationalities add up "
	    "to the number of referrals. Labels are the Home Office's nationality labels; a "
	    "nationality without one is named from ISO 3166-1."},
	{5, "Days are calendar days from the referral date to the decision date. The median "
	    "of an even number of values is the mean of the two middle ones; the 90th "
	    "percentile is the nearest-rank value (the ceil(0.9 n)-th smallest). Means are "
	    "rounded to one decimal place."},
	{6, "Cases awaiting a decision on the last day of the quarter: referred on or before "
	    "it, with no decision of that stage dated on or before it, and not withdrawn or "
	    "transferred on or before it. A case awaits a conclusive grounds decision only "
	    "after a positive reasonable grounds decision. Age of case: days from the referral "
	    "date to the last day of the quarter."},
	{NOTE_SUPPRESSION, NULL},
	{8, "[z] not applicable: a statistic of no decisions or no cases."},
	{9, "Missing fields are counted over the quarter's referrals (Table_1)."},
	{10, "The last eight quarters, oldest first, ending with the quarter of this return."},
};

/* ---- building ----------------------------------------------------------- */

struct builder {
	struct nrm_return_tables *out;
	struct nrm_error *err;
};

struct nrm_table *nrm_return_tables_add(struct nrm_return_tables *o, const char *key,
                                        const char *title, const char *breakdown,
                                        const struct nrm_column *cols, size_t n_cols)
{
	o->tables = nrm_xrealloc(o->tables, (o->n_tables + 1) * sizeof(*o->tables));
	struct nrm_table *t = &o->tables[o->n_tables++];
	memset(t, 0, sizeof(*t));
	t->id = nrm_xasprintf("Table_%zu", o->n_tables);
	t->file = nrm_xasprintf("table_%zu.csv", o->n_tables);
	t->key = key;
	t->title = nrm_xstrdup(title);
	t->title_cy = nrm_table_welsh(o, title);
	t->breakdown = breakdown;
	t->columns = cols;
	t->n_columns = n_cols;
	return t;
}

static struct nrm_table *add_table(struct builder *b, const char *key, const char *title,
                                   const char *breakdown, const struct nrm_column *cols,
                                   size_t n_cols)
{
	return nrm_return_tables_add(b->out, key, title, breakdown, cols, n_cols);
}

static void set_text(struct nrm_cell *c, const char *s)
{
	c->kind = NRM_CELL_TEXT;
	c->text = nrm_xstrdup(s);
}

struct nrm_cell *nrm_return_tables_add_row(struct nrm_return_tables *o, int year, int q)
{
	struct nrm_table *t = &o->tables[o->n_tables - 1];
	/* Room for 16 rows, then doubled each time the rows reach a power of
	 * two: the capacity follows from n_rows, so nothing else keeps it. */
	size_t n = t->n_rows;
	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0))
		t->cells = nrm_xrealloc(t->cells, (n ? 2 * n : 16) * t->n_columns * sizeof(*t->cells));
	struct nrm_cell *row = &t->cells[t->n_rows++ * t->n_columns];
	memset(row, 0, t->n_columns * sizeof(*row));
	row[0].kind = NRM_CELL_NUMBER;
	row[0].number = year;
	row[0].text = nrm_xasprintf("%d", year);
	row[1].kind = NRM_CELL_TEXT;
	row[1].text = nrm_xasprintf("Q%d", q);
	return row;
}

static struct nrm_cell *add_row(struct builder *b, int year, int q)
{
	return nrm_return_tables_add_row(b->out, year, q);
}

char *nrm_table_welsh(const struct nrm_return_tables *o, const char *english)
{
	const char *cy = o->welsh ? label_welsh(english) : NULL;
	return cy ? nrm_xstrdup(cy) : NULL;
}

/* A new row of this quarter in the last table, with its code and label
 * (in English only: a nationality, which has the Home Office's label). */
static struct nrm_cell *add_english_row(struct builder *b, const char *code, const char *label)
{
	struct nrm_cell *row = add_row(b, b->out->year, b->out->q);
	set_text(&row[2], code);
	set_text(&row[3], label);
	return row;
}

/* A new row of this quarter in the last table, with its code and label,
 * and the label's Welsh in a Welsh site's return. */
static struct nrm_cell *add_labelled_row(struct builder *b, const char *code, const char *label)
{
	struct nrm_cell *row = add_english_row(b, code, label);
	row[3].text_cy = nrm_table_welsh(b->out, label);
	return row;
}

/* ---- relations ----------------------------------------------------------
 * Each table declares, as it is added, the sums its cells obey and the
 * statistics drawn from its counts (return_tables.h), so that disclosure
 * control sees exactly what a reader of the tables can combine. */

/* Cell (row, col) of the last table. */
static struct nrm_cell_ref here(struct builder *b, size_t row, unsigned col)
{
	return (struct nrm_cell_ref){(unsigned)(b->out->n_tables - 1), (unsigned)row, col};
}

/* Rows first..end-1 of column `col` of the last table add up to row `total`. */
static void relate_rows(struct builder *b, size_t first, size_t end, size_t total, unsigned col)
{
	struct nrm_cell_ref *parts = nrm_xmalloc((end - first + 1) * sizeof(*parts));
	for (size_t r = first; r < end; r++)
		parts[r - first] = here(b, r, col);
	nrm_table_relate_sum(b->out, NRM_RELATION_EQUAL, here(b, total, col), parts, end - first);
	free(parts);
}

/* The referrals total, as the summary table shows it. */
static struct nrm_cell_ref referrals_total(struct builder *b)
{
	struct nrm_cell_ref r = {0, 0, 4};
	nrm_table_find_ref(b->out, "summary", "referrals", 4, &r);
	return r;
}

/* part <= total: a count of some of the total's cases. */
static void relate_at_most(struct builder *b, struct nrm_cell_ref part, struct nrm_cell_ref total)
{
	const struct nrm_relation_term terms[] = {{total, 1}, {part, -1}};
	nrm_table_relate(b->out, NRM_RELATION_AT_LEAST, terms, 2);
}

static int fail_at(struct builder *b, const char *path, const char *rule)
{
	return nrm_fail(b->err, EX_DATAERR, "%s: %s", path, rule);
}

/* A figure: checked (a count an integer >= 0, a statistic a number >= 0,
 * "[c]" in published returns only, null where `nullable`), then shown as
 * every table shows one (nrm_cell_set_figure). */
static int set_value(struct builder *b, struct nrm_cell *c, const json_t *v, const char *path,
                     enum nrm_column_role role, bool nullable)
{
	free(c->path);
	c->path = nrm_xstrdup(path);
	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "[c]") != 0)
			return fail_at(b, path, "a string here must be \"[c]\"");
		if (strcmp(b->out->audience, "published") != 0)
			return fail_at(b, path, "\"[c]\" is only allowed in a published return");
	} else if (json_is_null(v) && nullable) {
		/* [z]: a statistic of no cases */
	} else if (!v) {
		return fail_at(b, path, "is missing");
	} else if (role == NRM_COL_COUNT) {
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return fail_at(b, path, nullable ? "must be an integer >= 0, null or \"[c]\""
			                                 : "must be an integer >= 0 or \"[c]\"");
		/* No count of children comes near this; a larger one is a hostile
		 * file, and the percentages and means computed from it in integers
		 * must not overflow. */
		if (json_integer_value(v) > 1000000000000)
			return fail_at(b, path, "must be at most 1000000000000");
	} else {
		double d = json_number_value(v);
		if (!json_is_number(v) || !isfinite(d) || d < 0 || d > 1e9)
			return fail_at(b, path, "must be a number >= 0, null or \"[c]\"");
	}
	nrm_cell_set_figure(c, v, role);
	return 0;
}

static const json_t *member(struct builder *b, const json_t *obj, const char *key,
                            const char *path, bool want_object)
{
	const json_t *v = json_object_get(obj, key);
	if (!v) {
		fail_at(b, path, "is missing");
		return NULL;
	}
	if (want_object && !json_is_object(v)) {
		fail_at(b, path, "must be an object");
		return NULL;
	}
	return v;
}

/* The value at `obj`.`key` into cell `c`, with path `prefix.key` in errors. */
static int take(struct builder *b, struct nrm_cell *c, const json_t *obj, const char *prefix,
                const char *key, enum nrm_column_role role, bool nullable)
{
	char *path = nrm_xasprintf("%s.%s", prefix, key);
	int rc = set_value(b, c, json_object_get(obj, key), path, role, nullable);
	free(path);
	return rc;
}

/* An object whose keys must be exactly `keys`: an unknown key would be a
 * figure that no table shows. */
static const json_t *fixed_object(struct builder *b, const json_t *parent, const char *key,
                                  const char *prefix, const struct code_label *keys,
                                  size_t n_keys)
{
	char *path = nrm_xasprintf("%s.%s", prefix, key);
	const json_t *obj = member(b, parent, key, path, true);
	const char *k;
	const json_t *v;
	json_object_foreach(ITERABLE(obj), k, v) {
		bool known = false;
		for (size_t i = 0; i < n_keys && !known; i++)
			known = strcmp(k, keys[i].code) == 0;
		if (!known) {
			char *rule = nrm_xasprintf("unexpected key \"%.40s\"", k);
			fail_at(b, path, rule);
			free(rule);
			obj = NULL;
			break;
		}
	}
	free(path);
	return obj;
}

/* Year/Quarter/code/label/count rows, one per key, and a Total row when
 * `total` is given (the breakdown adds up to it). */
static int add_breakdown(struct builder *b, const json_t *parent, const char *key,
                         const char *prefix, const struct code_label *keys, size_t n_keys,
                         const json_t *total, const char *total_path)
{
	const json_t *obj = fixed_object(b, parent, key, prefix, keys, n_keys);
	if (!obj)
		return -1;
	char *path = nrm_xasprintf("%s.%s", prefix, key);
	int rc = 0;
	for (size_t i = 0; i < n_keys && rc == 0; i++) {
		struct nrm_cell *row = add_labelled_row(b, keys[i].code, keys[i].label);
		rc = take(b, &row[4], obj, path, keys[i].code, NRM_COL_COUNT, false);
	}
	free(path);
	if (rc == 0 && total) {
		struct nrm_cell *row = add_labelled_row(b, "total", "Total");
		rc = set_value(b, &row[4], total, total_path, NRM_COL_COUNT, false);
		size_t end = b->out->tables[b->out->n_tables - 1].n_rows - 1;
		if (rc == 0)
			relate_rows(b, end - n_keys, end, end, 4);
	}
	return rc;
}

/* ---- the header --------------------------------------------------------- */

static int header_string(struct builder *b, const json_t *ret, const char *key,
                         const char *path, char **out)
{
	const json_t *v = json_object_get(ret, key);
	if (!json_is_string(v))
		return fail_at(b, path, v ? "must be a string" : "is missing");
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (len == 0 || len > 64 || strlen(s) != len)
		return fail_at(b, path, "must be 1 to 64 characters without NUL");
	/* Control characters cannot be written in XML 1.0 or safely in a title. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fail_at(b, path, "must not contain control characters");
	*out = nrm_xstrdup(s);
	return 0;
}

static bool parse_quarter(const char *s, int *year, int *q)
{
	if (strlen(s) != 6 || s[4] != 'Q' || s[5] < '1' || s[5] > '4')
		return false;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	*year = atoi(s);
	*q = s[5] - '0';
	return *year >= 1;
}

/* The period must be the quarter's first and last days, or the tables'
 * Year and Quarter would say something else than the dates. */
static int check_period(struct builder *b, const struct nrm_return_tables *o)
{
	int32_t start, end, want_start, want_end;
	int first_month = 3 * (o->q - 1) + 1;
	if (nrm_date_parse_iso(o->period_start, strlen(o->period_start), &start) != NRM_OK)
		return fail_at(b, "$.period.start", "must be a date YYYY-MM-DD");
	if (nrm_date_parse_iso(o->period_end, strlen(o->period_end), &end) != NRM_OK)
		return fail_at(b, "$.period.end", "must be a date YYYY-MM-DD");
	nrm_date_from_ymd(o->year, first_month, 1, &want_start);
	if (o->q == 4)
		nrm_date_from_ymd(o->year + 1, 1, 1, &want_end);
	else
		nrm_date_from_ymd(o->year, first_month + 3, 1, &want_end);
	want_end--;
	if (start != want_start)
		return fail_at(b, "$.period.start", "is not the first day of the quarter");
	if (end != want_end)
		return fail_at(b, "$.period.end", "is not the last day of the quarter");
	return 0;
}

/* $.site_name, optional: returns built before it was recorded lack it. */
static int read_site_name(struct builder *b, const json_t *ret)
{
	const json_t *v = json_object_get(ret, "site_name");
	if (!v)
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return fail_at(b, "$.site_name", "must be a string without NUL");
	const char *problem = nrm_site_name_problem(json_string_value(v));
	if (problem)
		return fail_at(b, "$.site_name", problem);
	b->out->site_name = nrm_xstrdup(json_string_value(v));
	return 0;
}

static int read_header(struct builder *b, const json_t *ret)
{
	struct nrm_return_tables *o = b->out;
	const json_t *schema = json_object_get(ret, "schema");
	if (!json_is_string(schema) || strcmp(json_string_value(schema), "nrmhub-return/1") != 0)
		return fail_at(b, "$.schema", "must be \"nrmhub-return/1\"");
	if (header_string(b, ret, "site", "$.site", &o->site) ||
	    header_string(b, ret, "quarter", "$.quarter", &o->quarter) ||
	    header_string(b, ret, "audience", "$.audience", &o->audience) ||
	    header_string(b, ret, "generated_at", "$.generated_at", &o->generated_at))
		return -1;
	/* The site names files' contents only, but it is a code: keep it one. */
	bool site_ok = strlen(o->site) >= 2 && o->site[0] >= 'a' && o->site[0] <= 'z';
	for (const char *c = o->site; site_ok && *c; c++)
		site_ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-';
	if (!site_ok)
		return fail_at(b, "$.site", "must be 2 to 64 lower-case letters, digits or "
		                            "hyphens, starting with a letter");
	if (read_site_name(b, ret) != 0)
		return -1;
	/* The site's area (its local authority, or its nation), for SDMX's
	 * REF_AREA; optional, as returns built before it was recorded lack it. */
	if (json_object_get(ret, "area") &&
	    (header_string(b, ret, "area", "$.area", &o->area) ||
	     !(nrm_gss_is_local_authority(o->area) || nrm_gss_is_nation(o->area))))
		return o->area ? fail_at(b, "$.area", "must be the GSS code of a local authority "
		                                      "or a nation") : -1;
	const struct nrm_nation *nation = nrm_nation_of_area(o->area);
	o->welsh = nation && strcmp(nation->key, "wales") == 0;
	if (!parse_quarter(o->quarter, &o->year, &o->q))
		return fail_at(b, "$.quarter", "must be YYYYQn with n from 1 to 4");
	if (strcmp(o->audience, "official") != 0 && strcmp(o->audience, "published") != 0)
		return fail_at(b, "$.audience", "must be \"official\" or \"published\"");
	const json_t *period = member(b, ret, "period", "$.period", true);
	if (!period || header_string(b, period, "start", "$.period.start", &o->period_start) ||
	    header_string(b, period, "end", "$.period.end", &o->period_end))
		return -1;
	if (check_period(b, o) != 0)
		return -1;
	int64_t when;
	if (nrm_time_parse_rfc3339(o->generated_at, strlen(o->generated_at), &when) != NRM_OK)
		return fail_at(b, "$.generated_at", "must be an RFC 3339 time (YYYY-MM-DDThh:mm:ssZ)");
	/* Optional: returns built before it was recorded lack it. */
	if (json_object_get(ret, "data_as_at") &&
	    (header_string(b, ret, "data_as_at", "$.data_as_at", &o->data_as_at) ||
	     nrm_time_parse_rfc3339(o->data_as_at, strlen(o->data_as_at), &when) != NRM_OK))
		return o->data_as_at ? fail_at(b, "$.data_as_at", "must be an RFC 3339 time "
		                                                  "(YYYY-MM-DDThh:mm:ssZ)") : -1;
	const json_t *gen = member(b, ret, "generator", "$.generator", true);
	if (!gen || header_string(b, gen, "version", "$.generator.version",
	                          &o->generator_version))
		return -1;
	return 0;
}

/* ---- the tables --------------------------------------------------------- */

struct summary_row {
	const char *code, *label, *object, *key;
};

static int add_summary(struct builder *b, const json_t *ret)
{
	static const struct summary_row rows[] = {
		{"referrals", "Referrals", "referrals", "total"},
		{"county_lines", "Referrals flagged as county lines", "referrals", "county_lines"},
		{"rg_positive", "Positive reasonable grounds", "decisions.rg", "positive"},
		{"rg_negative", "Negative reasonable grounds", "decisions.rg", "negative"},
		{"cg_positive", "Positive conclusive grounds", "decisions.cg", "positive"},
		{"cg_negative", "Negative conclusive grounds", "decisions.cg", "negative"},
		{"awaiting_rg", "Awaiting a reasonable grounds decision at the end of the quarter",
		 "awaiting.rg", "count"},
		{"awaiting_cg", "Awaiting a conclusive grounds decision at the end of the quarter",
		 "awaiting.cg", "count"},
		{"withdrawn", "Withdrawn", NULL, "withdrawn"},
		{"transferred", "Transferred", NULL, "transferred"},
		{"out_of_scope", "Age-disputed referrals, out of scope", "quality", "out_of_scope"},
	};
	struct nrm_table *t = add_table(b, "summary", "Summary of referrals, decisions and cases awaiting "
	                                   "a decision [note 1] [note 2]",
	                                "_T", summary_cols, N_OF(summary_cols));
	t->measure_from_code = 1;
	for (size_t i = 0; i < N_OF(rows); i++) {
		const json_t *obj = ret;
		char *prefix = nrm_xasprintf("$%s%s", rows[i].object ? "." : "",
		                             rows[i].object ? rows[i].object : "");
		if (rows[i].object) {
			char *dotted = nrm_xstrdup(rows[i].object), *save = NULL;
			for (char *part = strtok_r(dotted, ".", &save); part && obj;
			     part = strtok_r(NULL, ".", &save))
				obj = json_object_get(obj, part);
			free(dotted);
		}
		struct nrm_cell *row = add_labelled_row(b, rows[i].code, rows[i].label);
		int rc = !obj                   ? fail_at(b, prefix, "is missing")
		         : !json_is_object(obj) ? fail_at(b, prefix, "must be an object")
		                                : take(b, &row[4], obj, prefix, rows[i].key,
		                                       NRM_COL_COUNT, false);
		free(prefix);
		if (rc)
			return rc;
	}
	return 0;
}

/* "Sexual, Labour & Criminal" -> "sexual+labour+criminal"; NULL unless the
 * label is exactly a Home Office combination label. */
static char *combination_code(const char *label)
{
	if (strcmp(label, "Not specified or unknown") == 0)
		return nrm_xstrdup("not_specified");
	char *code = nrm_xstrdup("");
	char *rebuilt = nrm_xstrdup("");
	size_t n = 0;
	const char *p = label;
	for (size_t i = 0; i < N_OF(combination_order); i++) {
		size_t len = strlen(combination_order[i].label);
		if (strncmp(p, combination_order[i].label, len) != 0)
			continue;
		const char *after = p + len;
		if (*after && strncmp(after, ", ", 2) != 0 && strncmp(after, " & ", 3) != 0)
			continue;
		char *c2 = nrm_xasprintf("%s%s%s", code, n ? "+" : "", combination_order[i].code);
		free(code);
		code = c2;
		n++;
		p = *after ? after + (after[0] == ',' ? 2 : 3) : after;
	}
	/* Rebuild the label from the types found and compare, so that the
	 * separators (", " then a final " & ") are checked too. */
	size_t k = 0;
	char *copy = nrm_xstrdup(code), *save = NULL;
	for (char *part = strtok_r(copy, "+", &save); part; part = strtok_r(NULL, "+", &save)) {
		const char *lab = NULL;
		for (size_t i = 0; i < N_OF(combination_order); i++)
			if (strcmp(part, combination_order[i].code) == 0)
				lab = combination_order[i].label;
		k++;
		char *r2 = nrm_xasprintf("%s%s%s", rebuilt, k == 1 ? "" : (k == n ? " & " : ", "),
		                         lab);
		free(rebuilt);
		rebuilt = r2;
	}
	free(copy);
	bool ok = n > 0 && *p == '\0' && strcmp(rebuilt, label) == 0;
	free(rebuilt);
	if (!ok) {
		free(code);
		return NULL;
	}
	return code;
}

/* Whether combination code `combo` ("labour+criminal") holds type `type`. */
static bool combination_holds(const char *combo, const char *type)
{
	size_t len = strlen(type);
	for (const char *p = combo; (p = strstr(p, type)) != NULL; p += len)
		if ((p == combo || p[-1] == '+') && (p[len] == '\0' || p[len] == '+'))
			return true;
	return false;
}

/* The Welsh of combination code `code` ("sexual+labour+criminal"), joined
 * as the English is ("Rhywiol, Llafur & Troseddol"), or NULL outside a
 * Welsh site's return. */
static char *combination_welsh(const struct nrm_return_tables *o, const char *code)
{
	if (strcmp(code, "not_specified") == 0)
		return nrm_table_welsh(o, "Not specified or unknown");
	if (!o->welsh)
		return NULL;
	size_t n = 1, k = 0;
	for (const char *c = code; *c; c++)
		n += *c == '+';
	char *joined = nrm_xstrdup("");
	for (size_t i = 0; i < N_OF(combination_order); i++) {
		if (!combination_holds(code, combination_order[i].code))
			continue;
		const char *cy = label_welsh(combination_order[i].label);
		k++;
		char *longer = nrm_xasprintf("%s%s%s", joined, k == 1 ? "" : k == n ? " & " : ", ",
		                             cy ? cy : combination_order[i].label);
		free(joined);
		joined = longer;
	}
	return joined;
}

/* Each type's count (Table_4) is the sum of the `n` combinations of the
 * last table that hold it: with "Labour" and "Labour & Criminal" shown,
 * Labour alone would give the third figure away. */
static void relate_types(struct builder *b, size_t n)
{
	const struct nrm_table *combos = &b->out->tables[b->out->n_tables - 1];
	struct nrm_cell_ref *parts = nrm_xmalloc((n ? n : 1) * sizeof(*parts));
	for (size_t i = 0; i < N_OF(exploitation_types); i++) {
		struct nrm_cell_ref type;
		if (!nrm_table_find_ref(b->out, "exploitation_type", exploitation_types[i].code, 4,
		                        &type))
			continue;
		size_t k = 0;
		for (size_t r = 0; r < n; r++)
			if (combination_holds(nrm_table_cell(combos, r, 2)->text,
			                      exploitation_types[i].code))
				parts[k++] = here(b, r, 4);
		nrm_table_relate_sum(b->out, NRM_RELATION_EQUAL, type, parts, k);
	}
	free(parts);
}

/* The table's last row: the quarter's referrals, its rows' total. */
static int add_total_row(struct builder *b, const json_t *referrals)
{
	struct nrm_cell *row = add_labelled_row(b, "total", "Total");
	return set_value(b, &row[4], json_object_get(referrals, "total"), "$.referrals.total",
	                 NRM_COL_COUNT, false);
}

static int add_combinations(struct builder *b, const json_t *referrals)
{
	const char *path = "$.referrals.by_exploitation_combination";
	const json_t *obj = member(b, referrals, "by_exploitation_combination", path, true);
	if (!obj)
		return -1;
	add_table(b, "exploitation_combination",
	          "Referrals by combination of exploitation types [note 1] [note 3]",
	          "EXPLOITATION_COMBINATION", combination_cols, N_OF(combination_cols));
	const char *k;
	const json_t *v;
	json_object_foreach(ITERABLE(obj), k, v) {
		char *code = combination_code(k);
		if (!code) {
			char *rule = nrm_xasprintf("\"%.60s\" is not a Home Office exploitation type "
			                           "combination label", k);
			int rc = fail_at(b, path, rule);
			free(rule);
			return rc;
		}
		struct nrm_cell *row = add_row(b, b->out->year, b->out->q);
		row[2].kind = NRM_CELL_TEXT;
		row[2].text = code;
		set_text(&row[3], k);
		row[3].text_cy = combination_welsh(b->out, code);
		char *p = nrm_xasprintf("%s[\"%s\"]", path, k);
		int rc = set_value(b, &row[4], v, p, NRM_COL_COUNT, false);
		free(p);
		if (rc)
			return rc;
	}
	if (add_total_row(b, referrals))
		return -1;
	size_t n = b->out->tables[b->out->n_tables - 1].n_rows - 1;
	relate_rows(b, 0, n, n, 4);
	relate_types(b, n);
	return 0;
}

static int compare_keys(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	/* "unknown" last, countries by code. */
	if (strcmp(x, "unknown") == 0 || strcmp(y, "unknown") == 0)
		return (strcmp(x, "unknown") == 0) - (strcmp(y, "unknown") == 0);
	return strcmp(x, y);
}

/* A code's label: the Home Office's, else the iso-codes name; NULL for a
 * code that is no country. */
static const char *code_label(const struct nrm_nationality_labels *ho, const char *code)
{
	const char *name = nrm_country_name(code);
	if (!name)
		return NULL;
	const char *label = nrm_nationality_label(ho, code);
	return label ? label : name;
}

/* A key's label ("UK", "Polish UK", "Not specified or unknown"), or NULL
 * when the key is not one return build writes. */
static char *key_label(const struct nrm_nationality_labels *ho, const char *key)
{
	if (!nrm_nationality_key_ok(key))
		return NULL;
	if (strcmp(key, "unknown") == 0)
		return nrm_xstrdup("Not specified or unknown");
	char a[3] = {key[0], key[1], '\0'};
	const char *la = code_label(ho, a);
	if (strlen(key) == 2)
		return la ? nrm_xstrdup(la) : NULL;
	char b[3] = {key[3], key[4], '\0'};
	const char *lb = code_label(ho, b);
	return la && lb ? nrm_nationality_combined_label(la, lb) : NULL;
}

static int add_nationality_rows(struct builder *b, const json_t *obj, const char **keys,
                                size_t n, const struct nrm_nationality_labels *ho)
{
	const char *path = "$.referrals.by_nationality";
	for (size_t i = 0; i < n; i++) {
		const char *k = keys[i];
		char *label = key_label(ho, k);
		if (!label) {
			char *rule = nrm_xasprintf("\"%.10s\" is not an ISO 3166-1 alpha-2 code, two "
			                           "in alphabetical order joined by +, or unknown", k);
			int rc = fail_at(b, path, rule);
			free(rule);
			return rc;
		}
		struct nrm_cell *row = strcmp(k, "unknown") == 0 ? add_labelled_row(b, k, label)
		                                                 : add_english_row(b, k, label);
		free(label);
		char *p = nrm_xasprintf("%s.%s", path, k);
		int rc = set_value(b, &row[4], json_object_get(obj, k), p, NRM_COL_COUNT, false);
		free(p);
		if (rc)
			return rc;
	}
	return 0;
}

/* One row per child: the last table's rows above its total row sum to it,
 * as the Home Office's do (a return that counted a dual national twice is
 * refused, not shown).  Unchecked when a cell is suppressed. */
static int check_rows_sum(struct builder *b, const char *path)
{
	const struct nrm_table *t = &b->out->tables[b->out->n_tables - 1];
	double sum = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		const struct nrm_cell *c = nrm_table_cell(t, r, 4);
		if (c->kind != NRM_CELL_NUMBER)
			return 0;
		if (r + 1 < t->n_rows)
			sum += c->number;
	}
	double total = nrm_table_cell(t, t->n_rows - 1, 4)->number;
	if (sum == total)
		return 0;
	char *rule = nrm_xasprintf("the rows sum to %.0f, not the total %.0f: each child counts "
	                           "once", sum, total);
	int rc = fail_at(b, path, rule);
	free(rule);
	return rc;
}

static int add_nationalities(struct builder *b, const json_t *referrals)
{
	const json_t *obj = member(b, referrals, "by_nationality", "$.referrals.by_nationality",
	                           true);
	if (!obj)
		return -1;
	/* Country names from the same iso-codes file the validator reads,
	 * loaded once a process. */
	if (nrm_country_load(b->err) != 0)
		return -1;
	struct nrm_nationality_labels ho;
	if (nrm_nationality_labels_default(&ho, b->err))
		return -1;
	add_table(b, "nationality", "Referrals by nationality [note 1] [note 4]", "NATIONALITY",
	          nationality_cols, N_OF(nationality_cols));
	size_t n = json_object_size(obj), i = 0;
	const char **keys = nrm_xcalloc(n ? n : 1, sizeof(*keys));
	const char *k;
	const json_t *v;
	json_object_foreach(ITERABLE(obj), k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), compare_keys);
	int rc = add_nationality_rows(b, obj, keys, n, &ho);
	free(keys);
	nrm_nationality_labels_free(&ho);
	if (rc)
		return rc;
	if (add_total_row(b, referrals))
		return -1;
	relate_rows(b, 0, n, n, 4);  /* one row per child, as check_rows_sum holds */
	return check_rows_sum(b, "$.referrals.by_nationality");
}

/* The Home Office's "Child (17 or under)" row, first: the sum of the local
 * bands, which follow it.  Hidden when a band is: the bands' own equation
 * with the total and the unknown cell is already protected by the
 * secondary suppression, and this row is exactly their sum, so it reveals
 * nothing more (a relation child = 0-11 + 12-15 + 16-17 for the
 * suppression model to know). */
static void child_row(struct builder *b, struct nrm_cell *row)
{
	struct nrm_table *t = &b->out->tables[b->out->n_tables - 1];
	double sum = 0;
	bool hidden = false;
	for (size_t i = 1; i <= 3; i++) {
		const struct nrm_cell *band = nrm_table_cell(t, i, 4);
		hidden = hidden || band->kind == NRM_CELL_SUPPRESSED;
		sum += band->number;
	}
	row[4].kind = hidden ? NRM_CELL_SUPPRESSED : NRM_CELL_NUMBER;
	row[4].number = hidden ? 0 : sum;
	row[4].text = hidden ? nrm_xstrdup("[c]") : nrm_xasprintf("%.0f", sum);
}

static int add_age_table(struct builder *b, const json_t *r, const char *path,
                         const json_t *total)
{
	add_table(b, "age_band", "Referrals by age at exploitation [note 1]", "AGE_BAND", age_cols,
	          N_OF(age_cols));
	add_labelled_row(b, "child", "Child (17 or under)");
	if (add_breakdown(b, r, "by_age_band", path, age_bands, N_OF(age_bands), total,
	                  "$.referrals.total"))
		return -1;
	/* Row 0, found again: the cells may have moved as the table grew. */
	child_row(b, b->out->tables[b->out->n_tables - 1].cells);
	const struct nrm_cell_ref bands[] = {here(b, 1, 4), here(b, 2, 4), here(b, 3, 4)};
	nrm_table_relate_sum(b->out, NRM_RELATION_EQUAL, here(b, 0, 4), bands, 3);
	nrm_table_derive(b->out, here(b, 0, 4), 0, bands, 3);
	return 0;
}

static int add_referral_tables(struct builder *b, const json_t *ret)
{
	const char *path = "$.referrals";
	const json_t *r = member(b, ret, "referrals", path, true);
	if (!r)
		return -1;
	const json_t *total = json_object_get(r, "total");
	if (add_age_table(b, r, path, total))
		return -1;
	add_table(b, "gender", "Referrals by gender [note 1]", "GENDER", gender_cols, N_OF(gender_cols));
	if (add_breakdown(b, r, "by_gender", path, genders, N_OF(genders), total,
	                  "$.referrals.total"))
		return -1;
	add_table(b, "exploitation_type", "Referrals by exploitation type [note 1] [note 3]",
	          "EXPLOITATION_TYPE", type_cols, N_OF(type_cols));
	if (add_breakdown(b, r, "by_exploitation_type", path, exploitation_types,
	                  N_OF(exploitation_types), NULL, NULL) ||
	    add_combinations(b, r) || add_nationalities(b, r))
		return -1;
	add_table(b, "location", "Referrals by location of exploitation [note 1]", "LOCATION",
	          location_cols, N_OF(location_cols));
	if (add_breakdown(b, r, "by_location", path, locations, N_OF(locations), total,
	                  "$.referrals.total"))
		return -1;
	add_table(b, "first_responder_type", "Referrals by first responder type [note 1]",
	          "FIRST_RESPONDER_TYPE", responder_cols, N_OF(responder_cols));
	struct nrm_cell_ref county;
	if (nrm_table_find_ref(b->out, "summary", "county_lines", 4, &county))
		relate_at_most(b, county, referrals_total(b));
	return add_breakdown(b, r, "by_first_responder_type", path, responders,
	                     N_OF(responders), total, "$.referrals.total");
}

/* The Home Office's headline share, beside the counts it is computed from:
 * "[c]" when either count is suppressed (so it reveals nothing they hide),
 * "[z]" when nothing was decided, else one decimal rounded half up in
 * integers. */
static void decision_percent_cell(struct nrm_cell *row)
{
	struct nrm_cell *pos = &row[4], *neg = &row[5], *pct = &row[6];
	if (pos->kind == NRM_CELL_SUPPRESSED || neg->kind == NRM_CELL_SUPPRESSED) {
		pct->kind = NRM_CELL_SUPPRESSED;
		pct->text = nrm_xstrdup("[c]");
		return;
	}
	int64_t p = (int64_t)pos->number, total = p + (int64_t)neg->number;
	if (total == 0) {
		pct->kind = NRM_CELL_NA;
		pct->text = nrm_xstrdup("[z]");
		return;
	}
	int64_t tenths = nrm_mean10(p * 100, (uint64_t)total);
	pct->kind = NRM_CELL_NUMBER;
	pct->text = nrm_xasprintf("%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
	pct->number = (double)tenths / 10.0;
}

static int add_decision_table(struct builder *b, const json_t *decisions, const char *stage)
{
	bool rg = strcmp(stage, "rg") == 0;
	char *path = nrm_xasprintf("$.decisions.%s", stage);
	char *makers_path = nrm_xasprintf("%s.by_decision_maker", path);
	int rc = -1;
	const json_t *d = member(b, decisions, stage, path, true);
	const json_t *makers = d ? fixed_object(b, d, "by_decision_maker", path,
	                                        decision_makers, N_OF(decision_makers))
	                         : NULL;
	if (!makers)
		goto out;
	add_table(b, rg ? "rg_decision_maker" : "cg_decision_maker",
	          rg ? "Reasonable grounds decisions by decision maker [note 1]"
	             : "Conclusive grounds decisions by decision maker [note 1]",
	          "DECISION_MAKER", rg ? rg_maker_cols : cg_maker_cols,
	          N_OF(rg_maker_cols));
	for (size_t i = 0; i < N_OF(decision_makers); i++) {
		char *p = nrm_xasprintf("%s.%s", makers_path, decision_makers[i].code);
		const json_t *m = member(b, makers, decision_makers[i].code, p, true);
		struct nrm_cell *row = add_labelled_row(b, decision_makers[i].code,
		                                        decision_makers[i].label);
		int bad = !m || take(b, &row[4], m, p, "positive", NRM_COL_COUNT, false) ||
		          take(b, &row[5], m, p, "negative", NRM_COL_COUNT, false);
		free(p);
		if (bad)
			goto out;
		decision_percent_cell(row);
	}
	struct nrm_cell *row = add_labelled_row(b, "total", "Total");
	if (take(b, &row[4], d, path, "positive", NRM_COL_COUNT, false) ||
	    take(b, &row[5], d, path, "negative", NRM_COL_COUNT, false))
		goto out;
	decision_percent_cell(row);
	size_t n = N_OF(decision_makers);
	relate_rows(b, 0, n, n, 4);
	relate_rows(b, 0, n, n, 5);
	for (size_t r = 0; r <= n; r++) {
		const struct nrm_cell_ref counts[] = {here(b, r, 4), here(b, r, 5)};
		nrm_table_derive(b->out, here(b, r, 6), 1, counts, 2);
	}
	rc = 0;
out:
	free(path);
	free(makers_path);
	return rc;
}

/* The two stages' objects under `key` ("days_to_decision", "awaiting"). */
static int stage_objects(struct builder *b, const json_t *ret, const char *key,
                         const json_t *st[2])
{
	char *path = nrm_xasprintf("$.%s", key);
	const json_t *obj = member(b, ret, key, path, true);
	for (int i = 0; i < 2 && obj; i++) {
		char *p = nrm_xasprintf("%s.%s", path, stages[i].code);
		st[i] = member(b, obj, stages[i].code, p, true);
		free(p);
		if (!st[i])
			obj = NULL;
	}
	free(path);
	return obj ? 0 : -1;
}

/* Statistics (columns 5.. of row `stage` of table `stats`, `n` of them)
 * drawn from that row's count and the last table's bands for the stage. */
static void relate_band_statistics(struct builder *b, unsigned stats, unsigned stage, unsigned n)
{
	struct nrm_cell_ref from[1 + N_OF(day_bands)];
	from[0] = (struct nrm_cell_ref){stats, stage, 4};
	for (size_t r = 0; r < N_OF(day_bands); r++)
		from[1 + r] = here(b, r, 4 + stage);
	for (unsigned c = 0; c < n; c++)
		nrm_table_derive(b->out, (struct nrm_cell_ref){stats, stage, 5 + c}, 1, from,
		                 N_OF(from));
}

/* Rows of bands with one count column per stage, then a Total row. */
static int add_band_table(struct builder *b, const json_t *st[2], const char *prefix,
                          const char *key, const char *total_key)
{
	const json_t *bands[2];
	for (int i = 0; i < 2; i++) {
		char *p = nrm_xasprintf("%s.%s", prefix, stages[i].code);
		bands[i] = fixed_object(b, st[i], key, p, day_bands, N_OF(day_bands));
		free(p);
		if (!bands[i])
			return -1;
	}
	for (size_t r = 0; r <= N_OF(day_bands); r++) {
		bool total = r == N_OF(day_bands);
		struct nrm_cell *row = add_labelled_row(b, total ? "total" : day_bands[r].code,
		                                        total ? "Total" : day_bands[r].label);
		for (int i = 0; i < 2; i++) {
			char *p = total ? nrm_xasprintf("%s.%s", prefix, stages[i].code)
			                : nrm_xasprintf("%s.%s.%s", prefix, stages[i].code, key);
			int rc = take(b, &row[4 + i], total ? st[i] : bands[i], p,
			              total ? total_key : day_bands[r].code, NRM_COL_COUNT, false);
			free(p);
			if (rc)
				return rc;
		}
	}
	size_t n = N_OF(day_bands);
	relate_rows(b, 0, n, n, 4);
	relate_rows(b, 0, n, n, 5);
	return 0;
}

/* The value under each stage's object that fills one column. */
struct stage_value {
	const char *key;
	enum nrm_column_role role;
	bool nullable;
};

/* One row a stage (rg, cg): its code and label, then `values` in order. */
static int add_stage_rows(struct builder *b, const json_t *st[2], const char *prefix,
                          const struct stage_value *values, size_t n_values)
{
	for (int i = 0; i < 2; i++) {
		char *p = nrm_xasprintf("%s.%s", prefix, stages[i].code);
		struct nrm_cell *row = add_labelled_row(b, stages[i].code, stages[i].label);
		int rc = 0;
		for (size_t v = 0; v < n_values && rc == 0; v++)
			rc = take(b, &row[4 + v], st[i], p, values[v].key, values[v].role,
			          values[v].nullable);
		free(p);
		if (rc)
			return -1;
	}
	return 0;
}

/* Days to decision (the table before the last) against its distribution
 * (the last) and the decisions by outcome: decisions = positive +
 * negative, within 45 days = the 0-45 band, and the mean, median and
 * 90th percentile hidden with the count or with any band, since a shown
 * median or p90 tells where the hidden bands' cases lie. */
static void relate_days(struct builder *b)
{
	unsigned days = (unsigned)b->out->n_tables - 2;
	static const char *const makers[] = {"rg_decision_maker", "cg_decision_maker"};
	for (unsigned i = 0; i < 2; i++) {
		struct nrm_cell_ref count = {days, i, 4}, within = {days, i, 8};
		struct nrm_cell_ref pos, neg;
		if (nrm_table_find_ref(b->out, makers[i], "total", 4, &pos) &&
		    nrm_table_find_ref(b->out, makers[i], "total", 5, &neg)) {
			const struct nrm_cell_ref parts[] = {pos, neg};
			nrm_table_relate_sum(b->out, NRM_RELATION_EQUAL, count, parts, 2);
		}
		nrm_table_relate_equal(b->out, within, here(b, 0, 4 + i));
		relate_band_statistics(b, days, i, 3);
	}
}

static int add_days_tables(struct builder *b, const json_t *ret)
{
	const json_t *st[2];
	if (stage_objects(b, ret, "days_to_decision", st))
		return -1;
	add_table(b, "days_to_decision", "Days from referral to decision [note 1] [note 5] [note 8]",
	          "DECISION_STAGE", days_cols, N_OF(days_cols));
	static const struct stage_value values[] = {
		{"count", NRM_COL_COUNT, false}, {"mean", NRM_COL_DECIMAL, true},
		{"median", NRM_COL_DECIMAL, true}, {"p90", NRM_COL_COUNT, true},
		{"within_45_days", NRM_COL_COUNT, false},
	};
	if (add_stage_rows(b, st, "$.days_to_decision", values, N_OF(values)))
		return -1;
	add_table(b, "days_distribution", "Decisions by days from referral to decision [note 1] [note 5]",
	          "DAYS_TO_DECISION", distribution_cols, N_OF(distribution_cols));
	if (add_band_table(b, st, "$.days_to_decision", "distribution", "count"))
		return -1;
	relate_days(b);
	return 0;
}

static int add_awaiting_tables(struct builder *b, const json_t *ret)
{
	const json_t *st[2];
	if (stage_objects(b, ret, "awaiting", st))
		return -1;
	add_table(b, "awaiting", "Cases awaiting a decision at the end of the quarter [note 1] [note 6] "
	             "[note 8]",
	          "DECISION_STAGE", awaiting_cols, N_OF(awaiting_cols));
	static const struct stage_value values[] = {
		{"count", NRM_COL_COUNT, false}, {"mean_age_days", NRM_COL_DECIMAL, true},
		{"median_age_days", NRM_COL_DECIMAL, true},
	};
	if (add_stage_rows(b, st, "$.awaiting", values, N_OF(values)))
		return -1;
	add_table(b, "awaiting_age", "Cases awaiting a decision at the end of the quarter by age of case "
	             "[note 1] [note 6]",
	          "AGE_OF_CASE", awaiting_band_cols, N_OF(awaiting_band_cols));
	if (add_band_table(b, st, "$.awaiting", "by_age_band", "count"))
		return -1;
	for (unsigned i = 0; i < 2; i++)
		relate_band_statistics(b, (unsigned)b->out->n_tables - 2, i, 2);
	return 0;
}

/* A missing field is a count of the quarter's referrals, and where a
 * breakdown has an unknown row, the same count: shown in one table and
 * hidden in the other, it would be no secret. */
static void relate_quality(struct builder *b)
{
	static const char *const same[][3] = {
		{"age_at_exploitation", "age_band", "unknown"},
		{"gender", "gender", "unknown"},
		{"nationality", "nationality", "unknown"},
		{"exploitation_types", "exploitation_type", "not_specified"},
		{"exploitation_location", "location", "unknown"},
		{"first_responder_type", "first_responder_type", "unknown"},
	};
	for (size_t r = 0; r < N_OF(missing_fields); r++)
		relate_at_most(b, here(b, r, 4), referrals_total(b));
	for (size_t i = 0; i < N_OF(same); i++) {
		struct nrm_cell_ref missing, unknown;
		if (!nrm_table_find_ref(b->out, "quality", same[i][0], 4, &missing))
			continue;
		if (nrm_table_find_ref(b->out, same[i][1], same[i][2], 4, &unknown))
			nrm_table_relate_equal(b->out, missing, unknown);
		else  /* no such row: nobody had the field unknown */
			nrm_table_relate(b->out, NRM_RELATION_EQUAL,
			                 &(struct nrm_relation_term){missing, 1}, 1);
	}
}

static int add_quality_table(struct builder *b, const json_t *ret)
{
	const json_t *quality = member(b, ret, "quality", "$.quality", true);
	if (!quality)
		return -1;
	add_table(b, "quality", "Referrals with a field missing [note 1] [note 9]", "FIELD", quality_cols,
	          N_OF(quality_cols));
	if (add_breakdown(b, quality, "missing", "$.quality", missing_fields,
	                  N_OF(missing_fields), NULL, NULL))
		return -1;
	relate_quality(b);
	return 0;
}

static int add_trend_row(struct builder *b, const json_t *e, size_t i, int want_year,
                         int want_q)
{
	char *p = nrm_xasprintf("$.trend[%zu]", i);
	int year, q, rc = -1;
	const json_t *quarter = json_object_get(e, "quarter");
	if (!json_is_object(e))
		fail_at(b, p, "must be an object");
	else if (!json_is_string(quarter) || !parse_quarter(json_string_value(quarter), &year, &q))
		fail_at(b, p, "quarter must be YYYYQn");
	else if (year != want_year || q != want_q)
		fail_at(b, p, "quarter is out of sequence: the trend is the eight quarters "
		              "ending with the return's quarter, oldest first");
	else {
		struct nrm_cell *row = add_row(b, year, q);
		rc = take(b, &row[2], e, p, "referrals", NRM_COL_COUNT, false) ||
		             take(b, &row[3], e, p, "rg_decisions", NRM_COL_COUNT, false) ||
		             take(b, &row[4], e, p, "cg_decisions", NRM_COL_COUNT, false) ||
		             take(b, &row[5], e, p, "mean_days_rg", NRM_COL_DECIMAL, true) ||
		             take(b, &row[6], e, p, "mean_days_cg", NRM_COL_DECIMAL, true)
		         ? -1
		         : 0;
	}
	free(p);
	return rc;
}

/* Each quarter's mean days hidden with its decisions; the last row is the
 * quarter's own figures again, its means those of Table_11. */
static void relate_trend(struct builder *b)
{
	struct nrm_cell_ref days[2][2];  /* [stage][count, mean] */
	bool have_days = true;
	for (unsigned i = 0; i < 2; i++)
		for (unsigned c = 0; c < 2; c++)
			have_days = have_days && nrm_table_find_ref(b->out, "days_to_decision",
			                                            stages[i].code, 4 + c, &days[i][c]);
	for (size_t r = 0; r < 8; r++)
		for (unsigned i = 0; i < 2; i++) {
			struct nrm_cell_ref from[] = {here(b, r, 3 + i), r == 7 && have_days
			                                                      ? days[i][1]
			                                                      : here(b, r, 3 + i)};
			nrm_table_derive(b->out, here(b, r, 5 + i), 1, from, 2);
		}
	nrm_table_relate_equal(b->out, here(b, 7, 2), referrals_total(b));
	if (have_days)
		for (unsigned i = 0; i < 2; i++)
			nrm_table_relate_equal(b->out, here(b, 7, 3 + i), days[i][0]);
}

static int add_trend_table(struct builder *b, const json_t *ret)
{
	const json_t *trend = json_object_get(ret, "trend");
	if (!json_is_array(trend) || json_array_size(trend) != 8)
		return fail_at(b, "$.trend", "must be an array of exactly 8 quarters");
	add_table(b, "trend", "Referrals, decisions and mean days to decision over the last eight "
	             "quarters [note 1] [note 5] [note 8] [note 10]",
	          "_T", trend_cols, N_OF(trend_cols));
	/* The first quarter is seven before the return's own. */
	int index = b->out->year * 4 + (b->out->q - 1) - 7;
	for (size_t i = 0; i < 8; i++, index++)
		if (add_trend_row(b, json_array_get(trend, i), i, index / 4, index % 4 + 1))
			return -1;
	relate_trend(b);
	return 0;
}

/* A return's history: the series (return_series_tables.c), or in a
 * return made before it, the eight quarters' trend. */
static int add_history(struct builder *b, const json_t *ret)
{
	if (json_object_get(ret, "trend") && !json_object_get(ret, "series"))
		return add_trend_table(b, ret);
	if (!json_object_get(ret, "series"))
		return fail_at(b, "$.series", "is missing");
	return nrm_return_series_tables(ret, b->out, b->err);
}

static void set_notes(struct nrm_return_tables *o)
{
	struct nrm_return_note *notes = nrm_xmalloc(sizeof(notes_template));
	memcpy(notes, notes_template, sizeof(notes_template));
	for (size_t i = 0; i < N_OF(notes_template); i++)
		if (notes[i].number == NOTE_SUPPRESSION)
			notes[i].text = strcmp(o->audience, "published") == 0 ? note_published
			                                                      : note_official;
	o->notes = notes;
	o->n_notes = N_OF(notes_template);
}

int nrm_return_tables_build(const json_t *ret, struct nrm_return_tables *out,
                            struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	struct builder b = {.out = out, .err = err};
	int rc;
	if (!json_is_object(ret))
		rc = fail_at(&b, "$", "must be an object");
	else {
		const json_t *decisions = NULL;
		rc = read_header(&b, ret);
		if (rc == 0)
			rc = add_summary(&b, ret) || add_referral_tables(&b, ret) ? -1 : 0;
		if (rc == 0 && !(decisions = member(&b, ret, "decisions", "$.decisions", true)))
			rc = -1;
		if (rc == 0)
			rc = add_decision_table(&b, decisions, "rg") ||
			             add_decision_table(&b, decisions, "cg") ||
			             add_days_tables(&b, ret) || add_awaiting_tables(&b, ret) ||
			             add_quality_table(&b, ret) || add_history(&b, ret)
			         ? -1
			         : 0;
	}
	if (rc != 0) {
		nrm_return_tables_free(out);
		return -1;
	}
	set_notes(out);
	if (nrm_return_comparison_table(ret, out, err) || nrm_return_marks_apply(ret, out, err)) {
		nrm_return_tables_free(out);
		return -1;
	}
	if (nrm_return_tables_find(out, "series"))
		nrm_return_series_notes(out);
	return 0;
}

void nrm_return_tables_free(struct nrm_return_tables *t)
{
	for (size_t i = 0; i < t->n_tables; i++) {
		struct nrm_table *tab = &t->tables[i];
		for (size_t c = 0; c < tab->n_rows * tab->n_columns; c++) {
			free(tab->cells[c].text);
			free(tab->cells[c].path);
			free(tab->cells[c].text_cy);
		}
		free(tab->cells);
		free(tab->id);
		free(tab->file);
		free(tab->title);
		free(tab->title_cy);
		free(tab->columns_owned);
		free(tab->lead);
	}
	free(t->tables);
	free(t->site);
	free(t->site_name);
	free(t->area);
	free(t->quarter);
	free(t->audience);
	free(t->period_start);
	free(t->period_end);
	free(t->generated_at);
	free(t->data_as_at);
	free(t->generator_version);
	free((void *)(uintptr_t)t->notes);
	nrm_table_relations_free(t);
	memset(t, 0, sizeof(*t));
}

char *nrm_table_row_period(const struct nrm_table *t, size_t row)
{
	return nrm_xasprintf("%s-%s", nrm_table_cell(t, row, 0)->text,
	                     nrm_table_cell(t, row, 1)->text);
}

const struct nrm_table *nrm_return_tables_find(const struct nrm_return_tables *t,
                                               const char *key)
{
	for (size_t i = 0; i < t->n_tables; i++)
		if (strcmp(t->tables[i].key, key) == 0)
			return &t->tables[i];
	return NULL;
}
