/*
 * The quarterly return (return.json, shape in RETURN.md) flattened into the
 * tables that are published, once, so that the CSV files, SDMX-CSV and the
 * ODS workbook are all drawn from the same cells and cannot disagree.
 *
 * Every table follows the Government Analysis Function layout: a `Table_N`
 * name, a title that may reference notes as "[note N]", one header row, then
 * rows whose first columns are `Year` and `Quarter` (Q1..Q4) and whose codes
 * stand in their own column beside the Home Office label.
 */
#ifndef NRM_RETURN_TABLES_H
#define NRM_RETURN_TABLES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct nrm_error;

enum nrm_cell_kind {
	NRM_CELL_TEXT,       /* a label or a code */
	NRM_CELL_NUMBER,     /* a count or a statistic */
	NRM_CELL_SUPPRESSED, /* "[c]": confidential, published audience only */
	NRM_CELL_NA,         /* "[z]": not applicable (a statistic with no decisions) */
	NRM_CELL_MISSING,    /* "[x]": not available (a nation none of whose sites reported) */
};

struct nrm_cell {
	enum nrm_cell_kind kind;
	char *text;    /* always set: what CSV and ODS show ("12", "31.4", "[c]") */
	double number; /* NRM_CELL_NUMBER only */
	char *path;    /* the figure's JSON path in return.json ("$.referrals.total"),
	                  so that cells showing one figure are known as one; NULL
	                  for labels and for cells computed by the tables (Child) */
	char *text_cy; /* a label's Welsh, in a Welsh site's return (welsh below);
	                  NULL for figures and codes, in other returns, and for a
	                  label with no Welsh (a nationality: the Home Office's) */
	unsigned marks; /* a figure's NRM_MARK_* (return_marks.h): [p], [r]; 0 else */
};

/* A cell by position, stable while the tables grow. */
struct nrm_cell_ref {
	unsigned table, row, col;
};

enum nrm_relation_kind {
	NRM_RELATION_EQUAL,    /* sum of coef * cell == 0 */
	NRM_RELATION_AT_LEAST, /* sum of coef * cell >= 0 */
};

struct nrm_relation_term {
	struct nrm_cell_ref cell;
	int coef;
};

/* A linear fact a reader of the tables knows: a total is the sum of its
 * parts, a type is the sum of the combinations holding it, a figure shown
 * twice is the same.  Declared by the builder of the tables as it adds
 * them, so the disclosure-control model (disclosure_model.h) is the tables'
 * own description and cannot drift from it. */
struct nrm_relation {
	enum nrm_relation_kind kind;
	size_t n_terms;
	struct nrm_relation_term *terms;
};

/* A cell computed from others (a mean, a median, a percentage, the Child
 * row's sum): it must be hidden whenever one of them is.  `statistic`: not
 * a count (never in a linear relation, never suppressed for being small). */
struct nrm_derivation {
	struct nrm_cell_ref cell;
	int statistic;
	size_t n_from;
	struct nrm_cell_ref *from;
};

/* What a column holds; decides its CSVW datatype and its SDMX role. */
enum nrm_column_role {
	NRM_COL_YEAR,     /* the row's year (integer) */
	NRM_COL_QUARTER,  /* "Q1".."Q4" */
	NRM_COL_CODE,     /* the row's code: SDMX CATEGORY ("total" becomes _T) */
	NRM_COL_LABEL,    /* the Home Office label of the code */
	NRM_COL_NOTE,     /* other text about the row: its shorthand ("[p] [r]"), a
	                     revision's table and values (return_marks.h) */
	NRM_COL_COUNT,    /* an integer observation */
	NRM_COL_DECIMAL,  /* a statistic shown with one decimal */
};

struct nrm_column {
	const char *name;    /* machine name, CSV header and CSVW name: "age_band" */
	const char *title;   /* the header people read: "Age band" */
	enum nrm_column_role role;
	const char *measure; /* SDMX MEASURE of an observation column, or NULL
	                        when the table takes it from the row's code */
	const char *unit;    /* SDMX UNIT_MEASURE: "NUMBER" or "DAYS" */
};

/* A count column that may be below zero: a change of a count (the
 * series', measures "..._CHANGE_QUARTER" and "..._CHANGE_YEAR"). */
static inline bool nrm_column_signed(const struct nrm_column *c)
{
	return c->role == NRM_COL_COUNT && c->measure && strstr(c->measure, "_CHANGE_");
}

struct nrm_table {
	char *id;          /* "Table_1": ODS sheet name */
	const char *key;   /* what the table is, for code that looks one up: "trend" */
	char *file;        /* "table_1.csv" */
	char *title;       /* may end with "[note N]" references */
	char *title_cy;    /* its Welsh ("[nodyn N]"), in a Welsh site's return; else NULL */
	const char *breakdown; /* SDMX BREAKDOWN of the rows: "AGE_BAND", "_T" */
	int measure_from_code; /* each row is a different MEASURE, named by its code */
	size_t n_columns;
	const struct nrm_column *columns;
	size_t n_rows;
	struct nrm_cell *cells; /* n_rows * n_columns, row after row */
	struct nrm_column *columns_owned; /* `columns` when the table owns them (a
	                                     status column appended: return_marks.h) */
	char *lead;        /* a line people read above the table (a revision's
	                      reason), or NULL */
};

struct nrm_return_note {
	int number;
	const char *text;
};

struct nrm_return_tables {
	char *site;
	char *site_name;    /* the site's display name ($.site_name), or NULL */
	char *area;         /* the site's GSS area code ($.area), or NULL */
	char *quarter;      /* "2025Q1" */
	int year, q;        /* 2025, 1 */
	char *audience;     /* "official" or "published" */
	bool national;      /* the national tables (national_tables.c), not a site's */
	/* A site in Wales ($.area a Welsh local authority or Wales itself): its
	 * outputs for people are in Welsh and English, Welsh first, as the Welsh
	 * Language Standards ask.  Cells and titles carry their Welsh
	 * (text_cy, title_cy); column titles and notes are looked up with
	 * label_welsh() (plugins/common/labels.h), being fixed texts. */
	bool welsh;
	bool marked;        /* the return records $.revision: its figures may be [p]
	                       or [r], and its tables have a status column */
	char *period_start, *period_end, *generated_at, *generator_version;
	char *data_as_at;   /* when the data was as at ($.data_as_at), or NULL */
	size_t n_tables;
	struct nrm_table *tables;
	size_t n_notes;
	const struct nrm_return_note *notes;
	size_t n_relations;
	struct nrm_relation *relations;
	size_t n_derivations;
	struct nrm_derivation *derivations;
};

/* Checks `ret` against RETURN.md (every key present, counts integers >= 0 or
 * "[c]", statistics numbers, null or "[c]", codes well formed) and flattens
 * it.  On a broken return, fills `err` (EX_DATAERR, naming the JSON path and
 * the rule) and returns -1 with `out` left empty. */
/* The figures each trend row repeats from its own quarter's return: the
 * row's key ("referrals") and the figure's path in that quarter's return
 * ("$.referrals.total").  A reader holding both returns knows they are the
 * same figure. */
struct nrm_trend_repeat {
	const char *key, *own;
	bool count;  /* a count (equal); else a statistic (hidden together) */
};
#define NRM_TREND_REPEATS 5
extern const struct nrm_trend_repeat nrm_trend_repeats[NRM_TREND_REPEATS];

int nrm_return_tables_build(const json_t *ret, struct nrm_return_tables *out,
                            struct nrm_error *err);
void nrm_return_tables_free(struct nrm_return_tables *t);
/* Appends an empty table, numbered after the others (Table_N in
 * table_N.csv), for a builder of tables (the site return's, the national
 * ones).  `key`, `breakdown` and `cols` must outlive the tables. */
struct nrm_table *nrm_return_tables_add(struct nrm_return_tables *o, const char *key,
                                        const char *title, const char *breakdown,
                                        const struct nrm_column *cols, size_t n_cols);

/* A new row of the last table added, zeroed, with its Year and Quarter
 * cells filled in. */
struct nrm_cell *nrm_return_tables_add_row(struct nrm_return_tables *o, int year, int q);

/* What people read where the outputs name the site: its display name, or
 * its code when the return records none. */
static inline const char *nrm_return_tables_site_label(const struct nrm_return_tables *t)
{
	return t->site_name ? t->site_name : t->site;
}

/* When the figures' data was as at: $.data_as_at, or generated_at for a
 * return built before it was recorded (and the national tables'). */
static inline const char *nrm_return_tables_data_as_at(const struct nrm_return_tables *t)
{
	return t->data_as_at ? t->data_as_at : t->generated_at;
}

static inline const struct nrm_cell *nrm_table_cell(const struct nrm_table *t, size_t row,
                                                    size_t col)
{
	return &t->cells[row * t->n_columns + col];
}

/* Declares `terms` (copied) as a relation of the tables.  Terms naming
 * the same figure twice are kept: the model adds their coefficients. */
void nrm_table_relate(struct nrm_return_tables *o, enum nrm_relation_kind kind,
                      const struct nrm_relation_term *terms, size_t n);
/* total == sum of parts (EQUAL), or sum of parts >= total (AT_LEAST: a
 * breakdown where one case may count twice). */
void nrm_table_relate_sum(struct nrm_return_tables *o, enum nrm_relation_kind kind,
                          struct nrm_cell_ref total, const struct nrm_cell_ref *parts,
                          size_t n);
/* a == b: a figure published twice. */
void nrm_table_relate_equal(struct nrm_return_tables *o, struct nrm_cell_ref a,
                            struct nrm_cell_ref b);
/* `cell` is computed from `from` (copied). */
void nrm_table_derive(struct nrm_return_tables *o, struct nrm_cell_ref cell, int statistic,
                      const struct nrm_cell_ref *from, size_t n);
/* The cell of table `key` whose code (column 2) is `code`, in column `col`;
 * false when there is none (a combination that did not occur). */
int nrm_table_find_ref(const struct nrm_return_tables *o, const char *key, const char *code,
                       unsigned col, struct nrm_cell_ref *out);
void nrm_table_relations_free(struct nrm_return_tables *o);

/* Sets `c` (kind, text, number; not its path) to the figure `v` as a column
 * of `role` shows it in every output: an NRM_COL_COUNT as the integer it
 * is ("79"), an NRM_COL_DECIMAL to one decimal ("31.4"), a string "[c]"
 * (suppressed) and null "[z]".  `v` has been checked by the caller. */
void nrm_cell_set_figure(struct nrm_cell *c, const json_t *v, enum nrm_column_role role);
/* A copy of the Welsh of `english` (label_welsh) when `o` is a Welsh
 * site's, else NULL: what a builder of the tables puts in text_cy and
 * title_cy. */
char *nrm_table_welsh(const struct nrm_return_tables *o, const char *english);

/* The table whose key is `key`, or NULL. */
const struct nrm_table *nrm_return_tables_find(const struct nrm_return_tables *t,
                                               const char *key);

/* "2025-Q1": the SDMX TIME_PERIOD of a row, from its Year and Quarter. */
char *nrm_table_row_period(const struct nrm_table *t, size_t row);

#endif
