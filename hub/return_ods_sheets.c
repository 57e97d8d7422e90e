/*
 * What each sheet of the workbook says: see return_ods.h.  The words are
 * the Analysis Function's where it suggests some ("This worksheet contains
 * one table"), and the cover sheet holds what its guidance lists: the
 * title, what the workbook contains, the period, when the data are from,
 * who produced them and whom to contact, and where the notes are.  A
 * Welsh site's sheets say each in Welsh too (return_ods.h), from the
 * English by label_welsh() (welsh.h): a format's Welsh is filled with the
 * English's arguments, in Welsh where they are words (a month, a phrase).
 */
#include "return_ods.h"
#include "return_marks.h"
#include "return_tables.h"

#include "util.h"
#include "welsh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};

static char *keep(struct ods_sheet *s, char *text)
{
	s->owned = nrm_xrealloc(s->owned, (s->n_owned + 1) * sizeof(*s->owned));
	s->owned[s->n_owned++] = text;
	return text;
}

/* A line above the table, and its Welsh (NULL: none); the sheet keeps both. */
static void add_line(struct ods_sheet *s, char *text, char *cy)
{
	s->lines = nrm_xrealloc(s->lines, (s->n_lines + 1) * sizeof(*s->lines));
	s->lines_cy = nrm_xrealloc(s->lines_cy, (s->n_lines + 1) * sizeof(*s->lines_cy));
	s->lines_cy[s->n_lines] = cy ? keep(s, cy) : NULL;
	s->lines[s->n_lines++] = keep(s, text);
}

/* The Welsh of a fixed text of the sheets, when the workbook is a Welsh
 * site's; else NULL. */
static const char *welsh(const struct nrm_return_tables *t, const char *english)
{
	return t->welsh ? label_welsh(english) : NULL;
}

/* A copy of welsh(), for a sheet to keep. */
static char *welsh_copy(const struct nrm_return_tables *t, const char *english)
{
	const char *cy = welsh(t, english);
	return cy ? nrm_xstrdup(cy) : NULL;
}

/* The Welsh of a word an English format is filled with, or the word. */
static const char *cy_or_en(const char *english)
{
	const char *cy = label_welsh(english);
	return cy ? cy : english;
}

static struct ods_cell *add_row(struct ods_sheet *s)
{
	s->cells = nrm_xrealloc(s->cells, (s->n_rows + 1) * s->n_cols * sizeof(*s->cells));
	return &s->cells[s->n_rows++ * s->n_cols];
}

/* "2025-01-01" as "1 January 2025" (in Welsh "1 Ionawr 2025"); anything
 * else as it is.  Month names are the table's, never the locale's, so the
 * same return gives the same workbook anywhere. */
static char *long_date(const char *iso, bool in_welsh)
{
	int y, m, d;
	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		return nrm_xstrdup(iso);
	const char *month = in_welsh ? cy_or_en(month_names[m - 1]) : month_names[m - 1];
	return nrm_xasprintf("%d %s %d", d, month, y);
}

/* "2025-04-02T09:00:00Z" as "2 April 2025 at 09:00 UTC" (in Welsh "2 Ebrill
 * 2025 am 09:00 UTC"). */
static char *long_time(const char *rfc3339, bool in_welsh)
{
#define AT_TIME "%s at %02d:%02d UTC"
	int hour, minute;
	char *date = long_date(rfc3339, in_welsh);
	bool ok = strlen(rfc3339) >= 16 && sscanf(rfc3339 + 11, "%2d:%2d", &hour, &minute) == 2;
	char *text = !ok      ? nrm_xstrdup(rfc3339)
	             : in_welsh ? NRM_WELSH_PRINTF(true, AT_TIME, date, hour, minute)
	                        : NULL;
	if (!text)
		text = nrm_xasprintf(AT_TIME, date, hour, minute);
	free(date);
	return text;
}

static bool national(const struct nrm_return_tables *t)
{
	return t->national;
}

/* The shorthand a table uses, as the guidance asks it be explained
 * wherever it appears; `kinds` has a bit per nrm_cell_kind. */
static unsigned shorthand_kinds(const struct nrm_table *tab)
{
	unsigned kinds = 0;
	for (size_t i = 0; i < tab->n_rows * tab->n_columns; i++)
		kinds |= 1u << tab->cells[i].kind;
	return kinds;
}

/* The shorthand `kinds` uses after `lead`, in English or in Welsh. */
static char *shorthand_line(unsigned kinds, const char *lead, bool in_welsh)
{
	static const struct {
		enum nrm_cell_kind kind;
		const char *text;
	} meanings[] = {
		{NRM_CELL_SUPPRESSED, " [c] confidential: a small count or a figure that would "
		                      "reveal one, suppressed;"},
		{NRM_CELL_NA, " [z] not applicable;"},
		{NRM_CELL_MISSING, " [x] not available;"},
	};
	char text[600];
	int n = snprintf(text, sizeof(text), "%s", in_welsh ? cy_or_en(lead) : lead);
	for (size_t i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++)
		if (kinds & 1u << meanings[i].kind)
			n += snprintf(text + n, sizeof(text) - (size_t)n, "%s",
			              in_welsh ? cy_or_en(meanings[i].text) : meanings[i].text);
	text[n - 1] = '.';
	return nrm_xstrdup(text);
}

static unsigned workbook_kinds(const struct nrm_return_tables *t)
{
	unsigned kinds = 0;
	for (size_t i = 0; i < t->n_tables; i++)
		kinds |= shorthand_kinds(&t->tables[i]);
	return kinds;
}

#define SOURCE_SITE                                                                     \
	"Source: the case records of the pilot site %s (from the council, the police and the " \
	"Home Office), in its quarterly return for %s."

static char *source_line(const struct nrm_return_tables *t)
{
	if (national(t))
		return nrm_xasprintf("Source: the quarterly returns the decision-making pilot sites "
		                     "sent the Home Office for %s, consolidated by nrmhub %s.",
		                     t->quarter, t->generator_version);
	return nrm_xasprintf(SOURCE_SITE, nrm_return_tables_site_label(t), t->quarter);
}

static char *source_line_cy(const struct nrm_return_tables *t)
{
	return NRM_WELSH_PRINTF(t->welsh, SOURCE_SITE, nrm_return_tables_site_label(t), t->quarter);
}

/* The site by its name, else its code: a name, in no language. */
static char *site_item(const struct nrm_return_tables *t)
{
	return nrm_xstrdup(nrm_return_tables_site_label(t));
}

/* A heading over its text, each with its Welsh (`cy`: NULL for none, or
 * kept by the sheet). */
static void cover_item(struct ods_sheet *s, const struct nrm_return_tables *t,
                       const char *heading, char *text, char *cy)
{
	struct ods_cell *row = add_row(s);
	*row = (struct ods_cell){ODS_HEADING, heading, welsh(t, heading)};
	row = add_row(s);
	*row = (struct ods_cell){ODS_WRAP, keep(s, text), cy ? keep(s, cy) : NULL};
}

/* The formats of the cover's site-specific texts, named so that the Welsh
 * is looked up by the same English (labels_return.c). */
#define COVER_TITLE_SITE                                                                   \
	"National Referral Mechanism: devolved decision-making for child victims, quarterly " \
	"return for %s, %s"
#define CONTAINS                                                                           \
	"Children referred to the National Referral Mechanism %s in one quarter, and the "    \
	"reasonable grounds and conclusive grounds decisions made on them: referrals by age, " \
	"gender, nationality, type and place of exploitation and first responder; decisions " \
	"by outcome and decision maker; days to decision; cases awaiting a decision; and the " \
	"quality of the data. %zu tables, one to a worksheet."
#define PERIOD "%s to %s (Q%d %d, %s)"
#define AS_AT_END                                                                          \
	" was produced. Figures for recent quarters may be revised as later decisions are "   \
	"recorded."
#define AS_AT_SITE "%s: the case records as they stood when the return" AS_AT_END
#define AS_AT_NATIONAL "%s: the case records as they stood when the consolidation" AS_AT_END
#define PRODUCER_SITE "The pilot site %s, from its case records, with nrmhub %s."
#define CONTACT_SITE                                                                       \
	"The data officer of the pilot site %s, who sent this return; for the national "      \
	"tables, the Home Office's modern slavery statistics team."
#define OTHER_FORMATS                                                                      \
	"The same figures are in the CSV files (described by csv-metadata.json), in "         \
	"%s.sdmx.csv and in report.html."

static void cover_title(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	s->name = nrm_xstrdup("Cover_sheet");
	s->title = national(t)
	                   ? nrm_xasprintf("National Referral Mechanism: devolved decision-making "
	                                   "for child victims, national tables for %s",
	                                   t->quarter)
	                   : nrm_xasprintf(COVER_TITLE_SITE, nrm_return_tables_site_label(t),
	                                   t->quarter);
	s->title_cy = NRM_WELSH_PRINTF(t->welsh, COVER_TITLE_SITE, nrm_return_tables_site_label(t),
	                               t->quarter);
	s->n_cols = 1;
}

/* What the workbook holds, for when and for whom. */
static void cover_what(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	const char *where = national(t) ? "at the decision-making pilot sites"
	                                : "at this decision-making pilot site";
	cover_item(s, t, "What this workbook contains", nrm_xasprintf(CONTAINS, where, t->n_tables),
	           NRM_WELSH_PRINTF(t->welsh, CONTAINS, cy_or_en(where), t->n_tables));
	char *start = long_date(t->period_start, false), *end = long_date(t->period_end, false);
	char *start_cy = long_date(t->period_start, true), *end_cy = long_date(t->period_end, true);
	cover_item(s, t, "Period covered",
	           nrm_xasprintf(PERIOD, start, end, t->q, t->year, t->quarter),
	           NRM_WELSH_PRINTF(t->welsh, PERIOD, start_cy, end_cy, t->q, t->year, t->quarter));
	cover_item(s, t, national(t) ? "Sites" : "Site",
	           national(t) ? nrm_xstrdup("Every pilot site that sent a return; the sites "
	                                     "are listed in the tables by site.")
	                       : site_item(t),
	           NULL);
	const char *audience = strcmp(t->audience, "published") == 0
	                       ? "Published: small counts, and any figure that would reveal one, "
	                         "are suppressed as [c]."
	                       : "Official: exact counts, for the Home Office only; not for "
	                         "publication.";
	cover_item(s, t, "Audience", nrm_xstrdup(audience), welsh_copy(t, audience));
	const char *data_as_at = nrm_return_tables_data_as_at(t);
	char *as_at = long_time(data_as_at, false), *as_at_cy = long_time(data_as_at, true);
	cover_item(s, t, "Data as at",
	           nrm_xasprintf(national(t) ? AS_AT_NATIONAL : AS_AT_SITE, as_at),
	           NRM_WELSH_PRINTF(t->welsh, AS_AT_SITE, as_at_cy));
	free(start);
	free(end);
	free(start_cy);
	free(end_cy);
	free(as_at);
	free(as_at_cy);
}

/* Who produced it, and whom to ask. */
static void cover_who(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	const char *site = nrm_return_tables_site_label(t);
	cover_item(s, t, "Producer",
	           national(t) ? nrm_xasprintf("The Home Office, from the pilot sites' returns, "
	                                       "with nrmhub %s.", t->generator_version)
	                       : nrm_xasprintf(PRODUCER_SITE, site, t->generator_version),
	           NRM_WELSH_PRINTF(t->welsh, PRODUCER_SITE, site, t->generator_version));
	cover_item(s, t, "Contact",
	           national(t) ? nrm_xstrdup("The Home Office's modern slavery statistics team, "
	                                     "which received the pilot sites' returns.")
	                       : nrm_xasprintf(CONTACT_SITE, site),
	           NRM_WELSH_PRINTF(t->welsh, CONTACT_SITE, site));
}

/* Where the rest is: the contents, the notes, the shorthand, other files. */
static void cover_where(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	const char *contents = "The Table_of_contents worksheet lists every worksheet, each with "
	                       "a link to it. Notes are on the Notes worksheet; a table's title "
	                       "refers to them as [note N].";
	cover_item(s, t, "Contents and notes", nrm_xstrdup(contents), welsh_copy(t, contents));
	unsigned kinds = workbook_kinds(t);
	const char *lead = "Shorthand used in the tables:";
	if (kinds & (1u << NRM_CELL_SUPPRESSED | 1u << NRM_CELL_NA | 1u << NRM_CELL_MISSING))
		cover_item(s, t, "Shorthand", shorthand_line(kinds, lead, false),
		           t->welsh ? shorthand_line(kinds, lead, true) : NULL);
	const char *base = national(t) ? "national" : "return";
	cover_item(s, t, "Other formats", nrm_xasprintf(OTHER_FORMATS, base),
	           NRM_WELSH_PRINTF(t->welsh, OTHER_FORMATS, base));
}

static void cover_sheet(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	cover_title(s, t);
	cover_what(s, t);
	cover_who(s, t);
	cover_where(s, t);
}

static const char *const contents_header[] = {"Sheet name", "Sheet title"};
static const char *const notes_header[] = {"Note number", "Note text"};

/* The sheet's header and, in a Welsh site's workbook, its Welsh. */
static void set_header(struct ods_sheet *s, const struct nrm_return_tables *t,
                       const char *const *header, size_t n)
{
	s->n_cols = n;
	s->header = header;
	if (!t->welsh)
		return;
	s->header_cy = nrm_xcalloc(n, sizeof(*s->header_cy));
	for (size_t c = 0; c < n; c++)
		s->header_cy[c] = label_welsh(header[c]);
}

/* A sheet's title in A1 and its Welsh, both fixed texts. */
static void set_title(struct ods_sheet *s, const struct nrm_return_tables *t, const char *title)
{
	s->title = nrm_xstrdup(title);
	s->title_cy = welsh_copy(t, title);
}

/* A line above the table that is a fixed text, with its Welsh. */
static void add_fixed_line(struct ods_sheet *s, const struct nrm_return_tables *t,
                           const char *text)
{
	add_line(s, nrm_xstrdup(text), welsh_copy(t, text));
}

static void contents_row(struct ods_sheet *s, const char *name, const char *title,
                         const char *title_cy)
{
	struct ods_cell *row = add_row(s);
	row[0] = (struct ods_cell){ODS_LINK, name, NULL};
	row[1] = (struct ods_cell){ODS_TEXT, title, title_cy};
}

static void contents_sheet(struct ods_sheet *s, const struct nrm_return_tables *t,
                           const struct ods_sheet *cover)
{
	s->name = nrm_xstrdup("Table_of_contents");
	set_title(s, t, "Table of contents");
	add_fixed_line(s, t, "This worksheet contains one table. Each sheet name is a link to "
	                     "its worksheet.");
	set_header(s, t, contents_header, 2);
	contents_row(s, "Cover_sheet", cover->title, cover->title_cy);
	contents_row(s, "Notes", "Notes used in the tables", welsh(t, "Notes used in the tables"));
	for (size_t i = 0; i < t->n_tables; i++)
		contents_row(s, t->tables[i].id, t->tables[i].title, t->tables[i].title_cy);
}

static void notes_sheet(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	s->name = nrm_xstrdup("Notes");
	set_title(s, t, "Notes");
	add_fixed_line(s, t, "This worksheet contains one table. The tables refer to these notes "
	                     "in their titles, as [note N].");
	set_header(s, t, notes_header, 2);
	for (size_t i = 0; i < t->n_notes; i++) {
		struct ods_cell *row = add_row(s);
		int number = t->notes[i].number;
		char *cy = NRM_WELSH_PRINTF(t->welsh, "[note %d]", number);
		row[0] = (struct ods_cell){ODS_TEXT, keep(s, nrm_xasprintf("[note %d]", number)),
		                           cy ? keep(s, cy) : NULL};
		row[1] = (struct ods_cell){ODS_WRAP, t->notes[i].text, welsh(t, t->notes[i].text)};
	}
}

static enum ods_cell_kind cell_kind(const struct nrm_cell *c, enum nrm_column_role role)
{
	bool figure = role == NRM_COL_COUNT || role == NRM_COL_DECIMAL;
	if (c->kind != NRM_CELL_NUMBER)
		return figure ? ODS_SHORT : ODS_TEXT;
	return role == NRM_COL_DECIMAL ? ODS_DECIMAL : role == NRM_COL_COUNT ? ODS_COUNT : ODS_YEAR;
}

static void table_sheet(struct ods_sheet *s, const struct nrm_return_tables *t,
                        const struct nrm_table *tab)
{
	s->name = nrm_xstrdup(tab->id);
	s->title = nrm_xstrdup(tab->title);
	s->title_cy = tab->title_cy ? nrm_xstrdup(tab->title_cy) : NULL;
	add_fixed_line(s, t, "This worksheet contains one table.");
	if (strstr(tab->title, "[note "))
		add_fixed_line(s, t, "The title refers to notes, which are on the Notes worksheet.");
	add_line(s, source_line(t), source_line_cy(t));
	unsigned kinds = shorthand_kinds(tab);
	const char *lead = "Shorthand used in this table:";
	if (kinds & (1u << NRM_CELL_SUPPRESSED | 1u << NRM_CELL_NA | 1u << NRM_CELL_MISSING))
		add_line(s, shorthand_line(kinds, lead, false),
		         t->welsh ? shorthand_line(kinds, lead, true) : NULL);
	if (t->marked && nrm_table_has_figures(tab))
		add_fixed_line(s, t, "The Status column shows each row's shorthand: [p] "
		                     "provisional, [r] revised.");
	if (tab->lead) /* a revision's reason, typed by a person: no Welsh */
		add_line(s, nrm_xstrdup(tab->lead), NULL);
	const char **header = nrm_xcalloc(tab->n_columns, sizeof(*header));
	for (size_t c = 0; c < tab->n_columns; c++)
		header[c] = tab->columns[c].title;
	set_header(s, t, header, tab->n_columns);
	s->header_owned = header;
	for (size_t r = 0; r < tab->n_rows; r++) {
		struct ods_cell *row = add_row(s);
		for (size_t c = 0; c < tab->n_columns; c++) {
			const struct nrm_cell *cell = nrm_table_cell(tab, r, c);
			row[c] = (struct ods_cell){cell_kind(cell, tab->columns[c].role), cell->text,
			                           cell->text_cy};
		}
	}
}

void nrm_ods_workbook_build(struct ods_workbook *wb, const struct nrm_return_tables *t)
{
	wb->t = t;
	wb->n_sheets = 3 + t->n_tables;
	wb->sheets = nrm_xcalloc(wb->n_sheets, sizeof(*wb->sheets));
	cover_sheet(&wb->sheets[0], t);
	contents_sheet(&wb->sheets[1], t, &wb->sheets[0]);
	notes_sheet(&wb->sheets[2], t);
	for (size_t i = 0; i < t->n_tables; i++)
		table_sheet(&wb->sheets[3 + i], t, &t->tables[i]);
	nrm_ods_layout(wb);
}

void nrm_ods_workbook_free(struct ods_workbook *wb)
{
	for (size_t i = 0; i < wb->n_sheets; i++) {
		struct ods_sheet *s = &wb->sheets[i];
		for (size_t k = 0; k < s->n_owned; k++)
			free(s->owned[k]);
		free(s->header_owned);
		free(s->header_cy);
		free(s->owned);
		free(s->lines);
		free(s->lines_cy);
		free(s->cells);
		free(s->col_mm);
		free(s->name);
		free(s->title);
		free(s->title_cy);
	}
	free(wb->sheets);
	wb->sheets = NULL;
	wb->n_sheets = 0;
}
