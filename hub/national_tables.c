/*
 * The national tables: the site return's tables over national.json's
 * totals (return_tables.c, unchanged), then four of the nation's own, in
 * the same table model so the CSV, SDMX-CSV and ODS writers draw them like
 * any other:
 *   by nation, by site, pilot against non-pilot, sites missing or revised.
 */
#include "national.h"

#include "return_comparison.h"
#include "return_tables.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define YQ {"year", "Year", NRM_COL_YEAR, NULL, NULL}, {"quarter", "Quarter", NRM_COL_QUARTER, NULL, NULL}
/* Each percentage positive beside the counts it is drawn from, as in the
 * site tables; [z] when nothing was decided. */
#define GROUP_FIGURES                                                                        \
	{"referrals", "Referrals", NRM_COL_COUNT, "REFERRALS", "NUMBER"},                        \
	{"rg_decisions", "RG decisions", NRM_COL_COUNT, "RG_DECISIONS", "NUMBER"},               \
	{"rg_positive", "Positive RG decisions", NRM_COL_COUNT, "RG_POSITIVE", "NUMBER"},        \
	{"rg_percent_positive", "Percentage of RG decisions positive", NRM_COL_DECIMAL,          \
	 "RG_PERCENT_POSITIVE", "PERCENT"},                                                     \
	{"cg_decisions", "CG decisions", NRM_COL_COUNT, "CG_DECISIONS", "NUMBER"},               \
	{"cg_positive", "Positive CG decisions", NRM_COL_COUNT, "CG_POSITIVE", "NUMBER"},        \
	{"cg_percent_positive", "Percentage of CG decisions positive", NRM_COL_DECIMAL,          \
	 "CG_PERCENT_POSITIVE", "PERCENT"},                                                     \
	{"rg_median_days", "Median days to RG decision", NRM_COL_DECIMAL, "RG_DAYS_MEDIAN", "DAYS"}, \
	{"rg_p90_days", "90th percentile days to RG decision", NRM_COL_COUNT, "RG_DAYS_P90", "DAYS"}, \
	{"cg_median_days", "Median days to CG decision", NRM_COL_DECIMAL, "CG_DAYS_MEDIAN", "DAYS"}, \
	{"cg_p90_days", "90th percentile days to CG decision", NRM_COL_COUNT, "CG_DAYS_P90", "DAYS"}, \
	{"awaiting_rg", "Awaiting RG decision at quarter end", NRM_COL_COUNT, "AWAITING_RG", "NUMBER"}, \
	{"awaiting_cg", "Awaiting CG decision at quarter end", NRM_COL_COUNT, "AWAITING_CG", "NUMBER"}
#define N_GROUP_FIGURES 13

static const struct nrm_column nation_cols[] = {
	YQ,
	{"nation", "Nation code", NRM_COL_CODE, NULL, NULL},
	{"nation_label", "Nation", NRM_COL_LABEL, NULL, NULL},
	GROUP_FIGURES,
};
/* A site by its code and, for people, by its name (site_label). */
#define SITE_COLUMNS                                                                           \
	{"site", "Site code", NRM_COL_CODE, NULL, NULL},                                           \
	{"site_label", "Site", NRM_COL_LABEL, NULL, NULL}
static const struct nrm_column site_cols[] = {
	YQ,
	SITE_COLUMNS,
	{"nation_label", "Nation", NRM_COL_LABEL, NULL, NULL},
	{"latest_return", "Latest return", NRM_COL_LABEL, NULL, NULL},
	GROUP_FIGURES,
};
#define STAGE_FIGURES(who, WHO, title)                                                         \
	{who "_count", title ": decisions", NRM_COL_COUNT, WHO "_DECISIONS", "NUMBER"},          \
	{who "_mean_days", title ": mean days", NRM_COL_DECIMAL, WHO "_DAYS_MEAN", "DAYS"},      \
	{who "_median_days", title ": median days", NRM_COL_DECIMAL, WHO "_DAYS_MEDIAN", "DAYS"}, \
	{who "_p90_days", title ": 90th percentile days", NRM_COL_COUNT, WHO "_DAYS_P90", "DAYS"}, \
	{who "_within_45_days", title ": decided within 45 days", NRM_COL_COUNT, WHO "_WITHIN_45", "NUMBER"}
static const struct nrm_column pilot_cols[] = {
	YQ,
	{"stage", "Decision code", NRM_COL_CODE, NULL, NULL},
	{"stage_label", "Decision", NRM_COL_LABEL, NULL, NULL},
	STAGE_FIGURES("pilot", "PILOT", "Pilot"),
	STAGE_FIGURES("non_pilot", "NON_PILOT", "Non-pilot"),
};
static const struct nrm_column status_cols[] = {
	YQ,
	SITE_COLUMNS,
	{"status", "Status", NRM_COL_LABEL, NULL, NULL},
	{"latest_seq", "Sequence number of the latest return (0: none)", NRM_COL_COUNT,
	 "LATEST_SEQ", "NUMBER"},
	{"figures_changed", "Figures changed since the return accepted before", NRM_COL_COUNT,
	 "FIGURES_CHANGED", "NUMBER"},
	{"largest_headline_change", "Largest change of a headline count (referrals, RG or CG "
	 "decisions)", NRM_COL_COUNT, "HEADLINE_CHANGE", "NUMBER"},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

enum { NOTE_EXACT = 11, NOTE_NON_PILOT, NOTE_REVISION, NOTE_COMPARISON, NOTE_INCOMPLETE };
static const struct nrm_return_note national_notes[] = {
	{NOTE_EXACT, "National medians and percentiles are computed from every child's days "
	             "in the sites' pseudonymised extracts (cases.csv), never as a median of "
	             "the sites' medians. Counts are the sums of the sites' latest returns."},
	{NOTE_NON_PILOT, "Pilot: children in the pilot's scope (17 or under and more than 100 "
	                 "days from their 18th birthday at referral, age not disputed) at pilot "
	                 "sites, decided by a devolved decision-making panel. Non-pilot: children "
	                 "in scope decided by the SCA or IECA in areas outside the pilot on their "
	                 "referral date (the register of pilot sites), from the Home Office's own "
	                 "cases imported into the intake store."},
	{NOTE_REVISION, "A revision is a return sent again with a higher sequence number; it "
	                "replaces the earlier one in every national figure."},
	{NOTE_COMPARISON, "Children at pilot sites decided by the Home Office (handed back or "
	                  "kept) are shown apart and are in neither side. Cumulative figures "
	                  "count decisions dated from 1 June 2021 to the end of the quarter, "
	                  "from each quarter's latest returns; a quarter a site sent no return "
	                  "for adds nothing."},
	{NOTE_INCOMPLETE, "[x] not available: every pilot site of the nation is registered but "
	                  "none sent a return for the quarter. A total marked incomplete leaves "
	                  "out the sites with no return (listed in the last table); so do its "
	                  "trend and its cumulative figures, for this quarter."},
};

/* Replaces the return's note 1, which speaks of one site. */
static const char note_scope[] =
	"Figures are for every decision-making pilot site that sent a return for the quarter "
	"(the latest return of each), consolidated by the Home Office; sites that sent none "
	"are listed in the last table.";

struct tb {
	struct nrm_return_tables *out;
	size_t cap;
};

static struct nrm_table *add_table(struct tb *b, const char *key, const char *title,
                                   const char *breakdown, const struct nrm_column *cols,
                                   size_t n)
{
	b->cap = 0;
	return nrm_return_tables_add(b->out, key, title, breakdown, cols, n);
}

static struct nrm_cell *add_row(struct tb *b)
{
	struct nrm_table *t = &b->out->tables[b->out->n_tables - 1];
	if (t->n_rows == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		t->cells = nrm_xrealloc(t->cells, b->cap * t->n_columns * sizeof(*t->cells));
	}
	struct nrm_cell *row = &t->cells[t->n_rows++ * t->n_columns];
	memset(row, 0, t->n_columns * sizeof(*row));
	row[0].kind = NRM_CELL_NUMBER;
	row[0].number = b->out->year;
	row[0].text = nrm_xasprintf("%d", b->out->year);
	row[1].kind = NRM_CELL_TEXT;
	row[1].text = nrm_xasprintf("Q%d", b->out->q);
	return row;
}

static void text_cell(struct nrm_cell *c, const char *s)
{
	c->kind = NRM_CELL_TEXT;
	c->text = nrm_xstrdup(s);
}

static const char *nation_label(const char *code)
{
	static const char *const map[][2] = {{"england", "England"}, {"wales", "Wales"},
	                                     {"scotland", "Scotland"},
	                                     {"northern_ireland", "Northern Ireland"}};
	for (size_t i = 0; i < N_OF(map); i++)
		if (strcmp(code, map[i][0]) == 0)
			return map[i][1];
	return "Unknown";
}

/* The figures of a nation or a site, each shown as its column (from
 * GROUP_FIGURES, `cols`) declares. */
static void group_figures(struct nrm_cell *c, const struct nrm_column *cols, const json_t *g)
{
	const json_t *d = json_object_get(g, "days_to_decision");
	const json_t *rg = json_object_get(d, "rg"), *cg = json_object_get(d, "cg");
	const json_t *aw = json_object_get(g, "awaiting");
	const json_t *v[N_GROUP_FIGURES] = {
		json_object_get(g, "referrals"), json_object_get(g, "rg_decisions"),
		json_object_get(g, "rg_positive"), json_object_get(g, "rg_percent_positive"),
		json_object_get(g, "cg_decisions"), json_object_get(g, "cg_positive"),
		json_object_get(g, "cg_percent_positive"), json_object_get(rg, "median"),
		json_object_get(rg, "p90"), json_object_get(cg, "median"), json_object_get(cg, "p90"),
		json_object_get(aw, "rg"), json_object_get(aw, "cg"),
	};
	for (size_t k = 0; k < N_GROUP_FIGURES; k++)
		nrm_cell_set_figure(&c[k], v[k], cols[k].role);
}

static void add_nations(struct tb *b, const json_t *nat)
{
	bool complete = json_is_true(json_object_get(nat, "complete"));
	add_table(b, "by_nation", complete ? "Referrals, decisions and days to decision by nation "
	                                     "[note 11]"
	                                   : "Referrals, decisions and days to decision by nation, "
	                                     "incomplete: a pilot site sent no return [note 11] "
	                                     "[note 15]",
	          "NATION", nation_cols, N_OF(nation_cols));
	size_t i;
	const json_t *g;
	json_array_foreach(json_object_get(nat, "by_nation"), i, g) {
		struct nrm_cell *row = add_row(b);
		const char *code = json_string_value(json_object_get(g, "nation"));
		text_cell(&row[2], code);
		text_cell(&row[3], nation_label(code));
		group_figures(&row[4], &nation_cols[4], g);
	}
	/* A nation with pilot sites, none of which reported: listed, its
	 * figures not available. */
	json_array_foreach(json_object_get(nat, "nations_not_reporting"), i, g) {
		struct nrm_cell *row = add_row(b);
		text_cell(&row[2], json_string_value(g));
		text_cell(&row[3], nation_label(json_string_value(g)));
		for (size_t k = 4; k < N_OF(nation_cols); k++) {
			row[k].kind = NRM_CELL_MISSING;
			row[k].text = nrm_xstrdup("[x]");
		}
	}
}

/* A site's code and its name, or its code again when its return named it
 * by none (one sent before names were recorded). */
static void site_text_cells(struct nrm_cell *c, const char *site, const char *name)
{
	text_cell(&c[0], site);
	text_cell(&c[1], name ? name : site);
}

static void site_cells(struct nrm_cell *c, const json_t *g)
{
	site_text_cells(c, json_string_value(json_object_get(g, "site")),
	                json_string_value(json_object_get(g, "site_name")));
}

static void add_sites(struct tb *b, const json_t *nat)
{
	add_table(b, "by_site", "Referrals, decisions and days to decision by site, from each "
	          "site's latest return [note 13]", "SITE", site_cols, N_OF(site_cols));
	size_t i;
	const json_t *g;
	json_array_foreach(json_object_get(nat, "by_site"), i, g) {
		struct nrm_cell *row = add_row(b);
		site_cells(&row[2], g);
		text_cell(&row[4], nation_label(json_string_value(json_object_get(g, "nation"))));
		char *latest = nrm_xasprintf("sequence %" JSON_INTEGER_FORMAT "%s%s",
		                             json_integer_value(json_object_get(g, "seq")),
		                             json_is_true(json_object_get(g, "revision")) ? ", a revision" : "",
		                             json_is_true(json_object_get(g, "key_revoked"))
		                                     ? ", signed with a key since revoked" : "");
		text_cell(&row[5], latest);
		free(latest);
		group_figures(&row[6], &site_cols[6], g);
	}
}

/* A side's figures for one stage, from its column `cols` on. */
static void stage_figures(struct nrm_cell *c, const struct nrm_column *cols, const json_t *s)
{
	static const char *const keys[] = {"count", "mean", "median", "p90", "within_45_days"};
	for (size_t k = 0; k < N_OF(keys); k++)
		nrm_cell_set_figure(&c[k], json_object_get(s, keys[k]), cols[k].role);
}

static void add_pilot(struct tb *b, const json_t *nat)
{
	add_table(b, "pilot_vs_non_pilot", "Days from referral to decision: the pilot against "
	          "non-pilot areas [note 11] [note 12]", "DECISION", pilot_cols, N_OF(pilot_cols));
	const json_t *cmp = json_object_get(nat, "pilot_vs_non_pilot");
	const char *stages[2][2] = {{"rg", "Reasonable grounds"}, {"cg", "Conclusive grounds"}};
	for (int i = 0; i < 2; i++) {
		struct nrm_cell *row = add_row(b);
		text_cell(&row[2], stages[i][0]);
		text_cell(&row[3], stages[i][1]);
		stage_figures(&row[4], &pilot_cols[4],
		              json_object_get(json_object_get(cmp, "pilot"), stages[i][0]));
		stage_figures(&row[9], &pilot_cols[9],
		              json_object_get(json_object_get(cmp, "non_pilot"), stages[i][0]));
	}
}

/* The same rows as a site's comparison table (return_comparison.c), over
 * national.json, which the national build wrote and checked. */
static int add_comparison(struct tb *b, const json_t *nat, struct nrm_error *err)
{
	add_table(b, "comparison", "The comparison: the pilot's children against comparable "
	          "children decided by the Home Office, for the quarter and since the pilot "
	          "began [note 12] [note 14]", "COMPARISON", nrm_comparison_columns,
	          nrm_comparison_n_columns);
	return nrm_comparison_rows(b->out, json_object_get(json_object_get(nat, "comparison"),
	                                                   "groups"),
	                           "national.json: $.comparison.groups", "since 1 June 2021", err);
}

/* A revised site's revision_change (national_revision.h), or NULL: the
 * size of its revision; [z] for a site with no return, or a figure hidden. */
static void status_row(struct tb *b, const char *site, const char *name, const char *status,
                       json_int_t seq, const json_t *change)
{
	struct nrm_cell *row = add_row(b);
	site_text_cells(&row[2], site, name);
	text_cell(&row[4], status);
	row[5].kind = NRM_CELL_NUMBER;
	row[5].number = (double)seq;
	row[5].text = nrm_xasprintf("%" JSON_INTEGER_FORMAT, seq);
	nrm_cell_set_figure(&row[6], json_object_get(change, "figures_changed"), NRM_COL_COUNT);
	nrm_cell_set_figure(&row[7], json_object_get(change, "largest_headline_change"),
	                    NRM_COL_COUNT);
}

static void add_status(struct tb *b, const json_t *nat)
{
	add_table(b, "site_status", "Sites with no return for the quarter, and sites whose "
	          "latest return is a revision [note 13]", "SITE_STATUS", status_cols,
	          N_OF(status_cols));
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(nat, "sites_missing"), i, v)
		status_row(b, json_string_value(v), NULL, "no return", 0, NULL);
	const json_t *g;
	json_array_foreach(json_object_get(nat, "by_site"), i, g)
		if (json_is_true(json_object_get(g, "revision")))
			status_row(b, json_string_value(json_object_get(g, "site")),
			           json_string_value(json_object_get(g, "site_name")), "revised",
			           json_integer_value(json_object_get(g, "seq")),
			           json_object_get(g, "revision_change"));
}

/* Every table of totals (the return's tables over totals, which include the
 * trend, the pilot against non-pilot areas and the comparison, cumulative
 * figures too) says it is incomplete when a registered site sent no return,
 * as the table by nation does; the table by site and the list of sites are
 * each site's own and stay as they are. */
static void mark_incomplete(struct nrm_return_tables *out)
{
	for (size_t i = 0; i < out->n_tables; i++) {
		struct nrm_table *t = &out->tables[i];
		if (strcmp(t->key, "by_nation") == 0 || strcmp(t->key, "by_site") == 0 ||
		    strcmp(t->key, "site_status") == 0)
			continue;
		char *title = nrm_xasprintf("%s, incomplete: a pilot site sent no return [note %d]",
		                            t->title, NOTE_INCOMPLETE);
		free(t->title);
		t->title = title;
	}
}

int nrm_national_tables_build(const json_t *national, struct nrm_return_tables *out,
                              struct nrm_error *err)
{
	if (nrm_return_tables_build(json_object_get(national, "totals"), out, err))
		return -1;
	out->national = true;
	struct tb b = {.out = out};
	add_nations(&b, national);
	add_sites(&b, national);
	/* Official only: the published audience leaves the comparison out. */
	if (json_object_get(national, "pilot_vs_non_pilot"))
		add_pilot(&b, national);
	if (json_object_get(national, "comparison") && add_comparison(&b, national, err)) {
		nrm_return_tables_free(out);
		return -1;
	}
	add_status(&b, national);
	if (!json_is_true(json_object_get(national, "complete")))
		mark_incomplete(out);
	/* The return's notes, then the national ones. */
	struct nrm_return_note *notes =
		nrm_xmalloc((out->n_notes + N_OF(national_notes)) * sizeof(*notes));
	memcpy(notes, out->notes, out->n_notes * sizeof(*notes));
	memcpy(notes + out->n_notes, national_notes, sizeof(national_notes));
	for (size_t i = 0; i < out->n_notes; i++)
		if (notes[i].number == 1)
			notes[i].text = note_scope;
	free((void *)(uintptr_t)out->notes);
	out->notes = notes;
	out->n_notes += N_OF(national_notes);
	return 0;
}
