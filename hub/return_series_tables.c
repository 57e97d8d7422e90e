/*
 * The series' two tables, from a return's `series` (return_series.h): the
 * figures of every quarter, and the headline figures' change on the
 * previous quarter and on the same quarter a year earlier, as the Home
 * Office's release reports them (DOMAIN.md).  Every figure is checked
 * before it becomes a cell, as return_tables.c checks the rest, and both
 * tables declare what a reader knows of them (relations, derivations), so
 * that the published return's suppression and its audit cover them.
 */
#include "return_series_tables.h"

#include "quarter.h"
#include "return_series.h"
#include "return_stats.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define COUNT(name, title, measure) {name, title, NRM_COL_COUNT, measure, "NUMBER"}
#define DAYS(name, title, measure) {name, title, NRM_COL_DECIMAL, measure, "DAYS"}
#define PERCENT(name, title, measure) {name, title, NRM_COL_DECIMAL, measure, "PERCENT"}

/* Columns 2.. of the series table: one figure of the row each, in this
 * order; the percentages are the tables' own (from the two counts before
 * them), the rest return.json's. */
enum {
	S_REFERRALS = 2, S_RG, S_RG_POSITIVE, S_RG_PERCENT, S_CG, S_CG_POSITIVE, S_CG_PERCENT,
	S_RG_MEAN, S_RG_MEDIAN, S_CG_MEAN, S_CG_MEDIAN, S_AWAITING_RG, S_AWAITING_CG, S_COLUMNS
};
static const struct nrm_column series_cols[S_COLUMNS] = {
	{"year", "Year", NRM_COL_YEAR, NULL, NULL},
	{"quarter", "Quarter", NRM_COL_QUARTER, NULL, NULL},
	COUNT("referrals", "Referrals", "REFERRALS"),
	COUNT("rg_decisions", "Reasonable grounds decisions", "RG_DECISIONS"),
	COUNT("rg_positive", "Positive reasonable grounds", "RG_POSITIVE"),
	PERCENT("rg_percent_positive", "Reasonable grounds: percentage positive",
	        "RG_PERCENT_POSITIVE"),
	COUNT("cg_decisions", "Conclusive grounds decisions", "CG_DECISIONS"),
	COUNT("cg_positive", "Positive conclusive grounds", "CG_POSITIVE"),
	PERCENT("cg_percent_positive", "Conclusive grounds: percentage positive",
	        "CG_PERCENT_POSITIVE"),
	DAYS("mean_days_rg", "Mean days from referral to reasonable grounds", "RG_DAYS_MEAN"),
	DAYS("median_days_rg", "Median days from referral to reasonable grounds", "RG_DAYS_MEDIAN"),
	DAYS("mean_days_cg", "Mean days from referral to conclusive grounds", "CG_DAYS_MEAN"),
	DAYS("median_days_cg", "Median days from referral to conclusive grounds", "CG_DAYS_MEDIAN"),
	COUNT("awaiting_rg", "Awaiting reasonable grounds at quarter end", "AWAITING_RG"),
	COUNT("awaiting_cg", "Awaiting conclusive grounds at quarter end", "AWAITING_CG"),
};

/* The JSON figure of each column from S_REFERRALS (NULL: the tables'). */
static const char *const series_keys[S_COLUMNS] = {
	[S_REFERRALS] = "referrals", [S_RG] = "rg_decisions", [S_RG_POSITIVE] = "rg_positive",
	[S_CG] = "cg_decisions", [S_CG_POSITIVE] = "cg_positive", [S_RG_MEAN] = "mean_days_rg",
	[S_RG_MEDIAN] = "median_days_rg", [S_CG_MEAN] = "mean_days_cg",
	[S_CG_MEDIAN] = "median_days_cg", [S_AWAITING_RG] = "awaiting_rg",
	[S_AWAITING_CG] = "awaiting_cg",
};

/* The headline figures whose changes are shown, as columns of the series. */
static const unsigned headline[] = {S_REFERRALS, S_RG, S_CG, S_AWAITING_RG, S_AWAITING_CG};
#define N_HEADLINE (sizeof(headline) / sizeof(headline[0]))

#define CHANGE(fig, title, measure)                                                        \
	COUNT(fig "_change_quarter", title ": change on the previous quarter",               \
	      measure "_CHANGE_QUARTER"),                                                    \
	PERCENT(fig "_percent_change_quarter", title ": percent change on the previous quarter", \
	        measure "_PCT_CHANGE_QUARTER"),                                              \
	COUNT(fig "_change_year", title ": change on the same quarter a year earlier",      \
	      measure "_CHANGE_YEAR"),                                                       \
	PERCENT(fig "_percent_change_year",                                                  \
	        title ": percent change on the same quarter a year earlier",                 \
	        measure "_PCT_CHANGE_YEAR")
static const struct nrm_column change_cols[2 + 4 * N_HEADLINE] = {
	{"year", "Year", NRM_COL_YEAR, NULL, NULL},
	{"quarter", "Quarter", NRM_COL_QUARTER, NULL, NULL},
	CHANGE("referrals", "Referrals", "REFERRALS"),
	CHANGE("rg_decisions", "Reasonable grounds decisions", "RG_DECISIONS"),
	CHANGE("cg_decisions", "Conclusive grounds decisions", "CG_DECISIONS"),
	CHANGE("awaiting_rg", "Awaiting reasonable grounds", "AWAITING_RG"),
	CHANGE("awaiting_cg", "Awaiting conclusive grounds", "AWAITING_CG"),
};

/* No series is longer: 2021Q2 to 9999Q4 would be, but a hostile file
 * must not make millions of rows. */
#define MAX_ROWS 400

static int bad(struct nrm_error *err, const char *path, const char *rule)
{
	return nrm_fail(err, EX_DATAERR, "%s: %s", path, rule);
}

static struct nrm_cell_ref at(const struct nrm_return_tables *o, unsigned table, size_t row,
                              unsigned col)
{
	(void)o;
	return (struct nrm_cell_ref){table, (unsigned)row, col};
}

/* A figure of the series: a count an integer >= 0 (at most 10^12, so no
 * sum or percentage of it overflows), a statistic a number >= 0 or null,
 * "[c]" in a published return only. */
static int figure_ok(const json_t *v, enum nrm_column_role role, bool published,
                     const char *path, struct nrm_error *err)
{
	if (!v)
		return bad(err, path, "is missing");
	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "[c]") != 0)
			return bad(err, path, "a string here must be \"[c]\"");
		return published ? 0 : bad(err, path, "\"[c]\" is only allowed in a published return");
	}
	if (role == NRM_COL_COUNT) {
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return bad(err, path, "must be an integer >= 0 or \"[c]\"");
		if (json_integer_value(v) > 1000000000000)
			return bad(err, path, "must be at most 1000000000000");
		return 0;
	}
	double d = json_number_value(v);
	if (!json_is_null(v) && (!json_is_number(v) || !isfinite(d) || d < 0 || d > 1e9))
		return bad(err, path, "must be a number >= 0, null or \"[c]\"");
	return 0;
}

/* "[c]" when either count is hidden, "[z]" with no decisions, else one
 * decimal rounded half up in integers (as the decision tables' share). */
static void percent_positive(struct nrm_cell *row, unsigned decided, unsigned positive,
                             unsigned pct)
{
	struct nrm_cell *n = &row[decided], *p = &row[positive], *out = &row[pct];
	if (n->kind == NRM_CELL_SUPPRESSED || p->kind == NRM_CELL_SUPPRESSED) {
		out->kind = NRM_CELL_SUPPRESSED;
		out->text = nrm_xstrdup("[c]");
	} else if (n->number < 1) {
		out->kind = NRM_CELL_NA;
		out->text = nrm_xstrdup("[z]");
	} else {
		int64_t tenths = nrm_mean10((int64_t)p->number * 100, (uint64_t)n->number);
		out->kind = NRM_CELL_NUMBER;
		out->number = (double)tenths / 10.0;
		out->text = nrm_xasprintf("%lld.%lld", (long long)(tenths / 10),
		                          (long long)(tenths % 10));
	}
}

static int series_row(struct nrm_return_tables *o, const json_t *e, const char *path, int year,
                      int q, struct nrm_error *err)
{
	if (!json_is_object(e) || json_object_size(e) != 1 + NRM_SERIES_REPEATS)
		return bad(err, path, "must be an object of the quarter and the 11 figures of "
		                      "formats/return.md");
	bool published = o->audience && strcmp(o->audience, "published") == 0;
	struct nrm_cell *row = nrm_return_tables_add_row(o, year, q);
	for (unsigned c = S_REFERRALS; c < S_COLUMNS; c++) {
		if (!series_keys[c])
			continue;
		char *p = nrm_xasprintf("%s.%s", path, series_keys[c]);
		const json_t *v = json_object_get(e, series_keys[c]);
		int rc = figure_ok(v, series_cols[c].role, published, p, err);
		if (rc != 0) {
			free(p);
			return rc;
		}
		row[c].path = p;
		nrm_cell_set_figure(&row[c], v, series_cols[c].role);
	}
	if (row[S_RG_POSITIVE].kind == NRM_CELL_NUMBER && row[S_RG].kind == NRM_CELL_NUMBER &&
	    row[S_RG_POSITIVE].number > row[S_RG].number)
		return bad(err, path, "rg_positive is more than rg_decisions");
	if (row[S_CG_POSITIVE].kind == NRM_CELL_NUMBER && row[S_CG].kind == NRM_CELL_NUMBER &&
	    row[S_CG_POSITIVE].number > row[S_CG].number)
		return bad(err, path, "cg_positive is more than cg_decisions");
	percent_positive(row, S_RG, S_RG_POSITIVE, S_RG_PERCENT);
	percent_positive(row, S_CG, S_CG_POSITIVE, S_CG_PERCENT);
	return 0;
}

/* Every cell owns its text, even in a row left half-filled by an error. */
static void fill_blank(struct nrm_table *t)
{
	for (size_t i = 0; i < t->n_rows * t->n_columns; i++)
		if (!t->cells[i].text)
			t->cells[i].text = nrm_xstrdup("");
}

static int series_rows(struct nrm_return_tables *o, const json_t *series, struct nrm_error *err)
{
	size_t n = json_array_size(series);
	if (!json_is_array(series) || n == 0 || n > MAX_ROWS)
		return bad(err, "$.series", "must be an array of 1 to 400 quarters");
	/* The first row is n - 1 quarters before the return's own. */
	int index = o->year * 4 + (o->q - 1) - (int)(n - 1);
	for (size_t i = 0; i < n; i++, index++) {
		char *p = nrm_xasprintf("$.series[%zu]", i);
		const json_t *e = json_array_get(series, i);
		const json_t *quarter = json_object_get(e, "quarter");
		struct nrm_quarter qq;
		int rc = 0;
		if (!json_is_string(quarter) || nrm_quarter_parse(json_string_value(quarter), &qq) != 0)
			rc = bad(err, p, "quarter must be YYYYQn");
		else if (qq.year * 4 + qq.q - 1 != index)
			rc = bad(err, p, "quarter is out of sequence: the series is consecutive "
			                 "quarters ending with the return's quarter, oldest first");
		else if ((qq.year < 2021 || (qq.year == 2021 && qq.q < 2)) && i + 1 < n)
			rc = bad(err, p, "the series begins no earlier than the pilot, 2021Q2");
		else
			rc = series_row(o, e, p, qq.year, qq.q, err);
		free(p);
		if (rc) {
			fill_blank(&o->tables[o->n_tables - 1]);
			return rc;
		}
	}
	return 0;
}

/* What a reader knows of a row: a positive count is part of its
 * decisions; a percentage and each mean or median are drawn from their
 * counts; the last row is the return's own quarter, its figures those of
 * the tables before it (the same figure, equal or hidden together). */
static void relate_series(struct nrm_return_tables *o, unsigned tab)
{
	size_t n = o->tables[tab].n_rows;
	for (size_t r = 0; r < n; r++) {
		for (unsigned s = 0; s < 2; s++) {
			unsigned dec = s ? S_CG : S_RG, pos = s ? S_CG_POSITIVE : S_RG_POSITIVE;
			const struct nrm_relation_term part[] = {{at(o, tab, r, dec), 1},
			                                         {at(o, tab, r, pos), -1}};
			nrm_table_relate(o, NRM_RELATION_AT_LEAST, part, 2);
			const struct nrm_cell_ref counts[] = {at(o, tab, r, dec), at(o, tab, r, pos)};
			nrm_table_derive(o, at(o, tab, r, s ? S_CG_PERCENT : S_RG_PERCENT), 1, counts, 2);
			for (unsigned k = 0; k < 2; k++) {
				unsigned col = (s ? S_CG_MEAN : S_RG_MEAN) + k;
				struct nrm_cell_ref from[2] = {at(o, tab, r, dec), at(o, tab, r, dec)};
				/* The last row's mean and median are Table_11's too. */
				if (r + 1 == n)
					nrm_table_find_ref(o, "days_to_decision", s ? "cg" : "rg", 5 + k,
					                   &from[1]);
				nrm_table_derive(o, at(o, tab, r, col), 1, from, 2);
			}
		}
	}
	static const struct {
		unsigned col;
		const char *table, *code;
		unsigned table_col;
	} own[] = {
		{S_REFERRALS, "summary", "referrals", 4},
		{S_RG, "days_to_decision", "rg", 4},
		{S_CG, "days_to_decision", "cg", 4},
		{S_RG_POSITIVE, "rg_decision_maker", "total", 4},
		{S_CG_POSITIVE, "cg_decision_maker", "total", 4},
		{S_AWAITING_RG, "awaiting", "rg", 4},
		{S_AWAITING_CG, "awaiting", "cg", 4},
	};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		struct nrm_cell_ref ref;
		if (nrm_table_find_ref(o, own[i].table, own[i].code, own[i].table_col, &ref))
			nrm_table_relate_equal(o, at(o, tab, n - 1, own[i].col), ref);
	}
}

static void set_kind(struct nrm_cell *c, enum nrm_cell_kind kind, const char *text)
{
	c->kind = kind;
	c->text = nrm_xstrdup(text);
}

/* 100 * (now - base) / base to one decimal, rounded half away from zero
 * in integers: "-12.5", "300.0". */
static void percent_change(struct nrm_cell *c, int64_t now, int64_t base)
{
	int64_t d = now - base, mag = nrm_mean10((d < 0 ? -d : d) * 100, (uint64_t)base);
	int64_t tenths = d < 0 ? -mag : mag;
	c->kind = NRM_CELL_NUMBER;
	c->number = (double)tenths / 10.0;
	c->text = nrm_xasprintf("%s%lld.%lld", tenths < 0 ? "-" : "", (long long)(mag / 10),
	                        (long long)(mag % 10));
}

/* Change cells (count, percent) of `now` against `base`: "[x]" where the
 * base quarter is not in the series, "[c]" where either figure is hidden
 * (a change would give a hidden figure back), else the difference, and the
 * percent change or "[z]" on a base of 0. */
static void change_cells(struct nrm_cell *out, const struct nrm_cell *now,
                         const struct nrm_cell *base)
{
	if (!base) {
		set_kind(&out[0], NRM_CELL_MISSING, "[x]");
		set_kind(&out[1], NRM_CELL_MISSING, "[x]");
	} else if (now->kind != NRM_CELL_NUMBER || base->kind != NRM_CELL_NUMBER) {
		set_kind(&out[0], NRM_CELL_SUPPRESSED, "[c]");
		set_kind(&out[1], NRM_CELL_SUPPRESSED, "[c]");
	} else {
		int64_t a = (int64_t)now->number, b = (int64_t)base->number;
		out[0].kind = NRM_CELL_NUMBER;
		out[0].number = (double)(a - b);
		out[0].text = nrm_xasprintf("%lld", (long long)(a - b));
		if (b == 0)
			set_kind(&out[1], NRM_CELL_NA, "[z]");
		else
			percent_change(&out[1], a, b);
	}
}

/* The change table: each quarter's headline figures against the quarter
 * before (row r - 1) and the same quarter a year earlier (r - 4).  Each
 * change is derived from its two figures, so it is hidden with either
 * and, being a statistic, never counted as a figure of its own. */
static void add_changes(struct nrm_return_tables *o, unsigned series)
{
	const struct nrm_table *st = &o->tables[series];
	size_t n = st->n_rows;
	nrm_return_tables_add(o, "series_change",
	                      "Change in the headline figures on the previous quarter and on the "
	                      "same quarter a year earlier [note 1] [note 12] [note 13]",
	                      "_T", change_cols, sizeof(change_cols) / sizeof(change_cols[0]));
	unsigned tab = (unsigned)o->n_tables - 1;
	for (size_t r = 0; r < n; r++) {
		st = &o->tables[series]; /* the array moved when the table was added */
		struct nrm_cell *row = nrm_return_tables_add_row(o, (int)nrm_table_cell(st, r, 0)->number,
		                               nrm_table_cell(st, r, 1)->text[1] - '0');
		for (size_t h = 0; h < N_HEADLINE; h++) {
			const struct nrm_cell *now = nrm_table_cell(st, r, headline[h]);
			for (unsigned back = 0; back < 2; back++) {
				size_t lag = back ? 4 : 1;
				unsigned col = 2 + (unsigned)(4 * h) + 2 * back;
				const struct nrm_cell *base = r >= lag ? nrm_table_cell(st, r - lag, headline[h])
				                                       : NULL;
				change_cells(&row[col], now, base);
				if (!base) /* "[x]": drawn from nothing */
					continue;
				const struct nrm_cell_ref from[2] = {at(o, series, r, headline[h]),
				                                     at(o, series, r - lag, headline[h])};
				nrm_table_derive(o, at(o, tab, r, col), 1, from, 2);
				nrm_table_derive(o, at(o, tab, r, col + 1), 1, from, 2);
			}
		}
	}
}

int nrm_return_series_tables(const json_t *ret, struct nrm_return_tables *o,
                             struct nrm_error *err)
{
	nrm_return_tables_add(o, "series",
	                      "Referrals, decisions and days to decision, and cases awaiting a "
	                      "decision, each quarter since the pilot began or the site joined "
	                      "[note 1] [note 5] [note 6] [note 8] [note 12]",
	                      "_T", series_cols, S_COLUMNS);
	unsigned tab = (unsigned)o->n_tables - 1;
	if (series_rows(o, json_object_get(ret, "series"), err))
		return -1;
	relate_series(o, tab);
	add_changes(o, tab);
	return 0;
}

static const struct nrm_return_note series_notes[] = {
	{12, "Each quarter from the pilot's start (2021 Q2) or the quarter the site joined, "
	     "whichever is later, to the quarter of this return, oldest first; each quarter's "
	     "figures as that quarter's own return counts them (referrals by referral date, "
	     "decisions by decision date, cases awaiting a decision on its last day)."},
	{13, "Change: this quarter's figure less that of the previous quarter, or of the same "
	     "quarter a year earlier; percent change: that difference as a percentage of the "
	     "earlier figure, to one decimal place. [x] where the earlier quarter is not in the "
	     "series, [z] for the percent change of an earlier figure of 0, [c] where either "
	     "figure is suppressed."},
};

void nrm_return_series_notes(struct nrm_return_tables *o)
{
	size_t n = sizeof(series_notes) / sizeof(series_notes[0]);
	struct nrm_return_note *notes = nrm_xmalloc((o->n_notes + n) * sizeof(*notes));
	memcpy(notes, o->notes, o->n_notes * sizeof(*notes));
	memcpy(notes + o->n_notes, series_notes, sizeof(series_notes));
	free((void *)(uintptr_t)o->notes);
	o->notes = notes;
	o->n_notes += n;
}
