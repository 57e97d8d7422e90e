/*
 * What each sheet of the workbook says: see return_ods.h.  The words are
 * the Analysis Function's where it suggests some ("This worksheet contains
 * one table"), and the cover sheet holds what its guidance lists: the
 * title, what the workbook contains, the period, when the data are from,
 * who produced them and whom to contact, and where the notes are.
 */
#include "return_ods.h"
#include "return_tables.h"

#include "util.h"

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

static void add_line(struct ods_sheet *s, char *text)
{
	s->lines = nrm_xrealloc(s->lines, (s->n_lines + 1) * sizeof(*s->lines));
	s->lines[s->n_lines++] = keep(s, text);
}

static struct ods_cell *add_row(struct ods_sheet *s)
{
	s->cells = nrm_xrealloc(s->cells, (s->n_rows + 1) * s->n_cols * sizeof(*s->cells));
	return &s->cells[s->n_rows++ * s->n_cols];
}

/* "2025-01-01" as "1 January 2025"; anything else as it is. */
static char *long_date(const char *iso)
{
	int y, m, d;
	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		return nrm_xstrdup(iso);
	return nrm_xasprintf("%d %s %d", d, month_names[m - 1], y);
}

/* "2025-04-02T09:00:00Z" as "2 April 2025 at 09:00 UTC". */
static char *long_time(const char *rfc3339)
{
	int hour, minute;
	char *date = long_date(rfc3339);
	char *text = strlen(rfc3339) >= 16 && sscanf(rfc3339 + 11, "%2d:%2d", &hour, &minute) == 2
	                     ? nrm_xasprintf("%s at %02d:%02d UTC", date, hour, minute)
	                     : nrm_xstrdup(rfc3339);
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

static char *shorthand_line(unsigned kinds, const char *lead)
{
	char text[400];
	int n = snprintf(text, sizeof(text), "%s", lead);
	if (kinds & 1u << NRM_CELL_SUPPRESSED)
		n += snprintf(text + n, sizeof(text) - (size_t)n,
		              " [c] confidential: a small count or a figure that would reveal one, "
		              "suppressed;");
	if (kinds & 1u << NRM_CELL_NA)
		n += snprintf(text + n, sizeof(text) - (size_t)n, " [z] not applicable;");
	if (kinds & 1u << NRM_CELL_MISSING)
		n += snprintf(text + n, sizeof(text) - (size_t)n, " [x] not available;");
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

static char *source_line(const struct nrm_return_tables *t)
{
	if (national(t))
		return nrm_xasprintf("Source: the quarterly returns the decision-making pilot sites "
		                     "sent the Home Office for %s, consolidated by nrmhub %s.",
		                     t->quarter, t->generator_version);
	return nrm_xasprintf("Source: the case records of the pilot site %s (from the council, "
	                     "the police and the Home Office), in its quarterly return for %s.",
	                     nrm_return_tables_site_label(t), t->quarter);
}

/* The site by name, with the code its files and signatures carry. */
static char *site_item(const struct nrm_return_tables *t)
{
	if (!t->site_name)
		return nrm_xstrdup(t->site);
	return nrm_xasprintf("%s (site code %s)", t->site_name, t->site);
}

static void cover_item(struct ods_sheet *s, const char *heading, char *text)
{
	struct ods_cell *row = add_row(s);
	row->kind = ODS_HEADING;
	row->text = heading;
	row = add_row(s);
	row->kind = ODS_WRAP;
	row->text = keep(s, text);
}

static void cover_sheet(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	bool published = strcmp(t->audience, "published") == 0;
	s->name = nrm_xstrdup("Cover_sheet");
	s->title = national(t)
	                   ? nrm_xasprintf("National Referral Mechanism: devolved decision-making "
	                                   "for child victims, national tables for %s",
	                                   t->quarter)
	                   : nrm_xasprintf("National Referral Mechanism: devolved decision-making "
	                                   "for child victims, quarterly return for %s, %s",
	                                   nrm_return_tables_site_label(t), t->quarter);
	s->n_cols = 1;
	char *start = long_date(t->period_start), *end = long_date(t->period_end);
	char *as_at = long_time(t->generated_at);
	cover_item(s, "What this workbook contains",
	           nrm_xasprintf("Children referred to the National Referral Mechanism %s in one "
	                         "quarter, and the reasonable grounds and conclusive grounds "
	                         "decisions made on them: referrals by age, gender, nationality, "
	                         "type and place of exploitation and first responder; decisions "
	                         "by outcome and decision maker; days to decision; cases "
	                         "awaiting a decision; and the quality of the data. %zu tables, "
	                         "one to a worksheet.",
	                         national(t) ? "at the decision-making pilot sites"
	                                     : "at this decision-making pilot site",
	                         t->n_tables));
	cover_item(s, "Period covered",
	           nrm_xasprintf("%s to %s (Q%d %d, %s)", start, end, t->q, t->year, t->quarter));
	cover_item(s, national(t) ? "Sites" : "Site",
	           national(t) ? nrm_xstrdup("Every pilot site that sent a return; the sites "
	                                     "are listed in the tables by site.")
	                       : site_item(t));
	cover_item(s, "Audience",
	           nrm_xstrdup(published ? "Published: small counts, and any figure that would "
	                                   "reveal one, are suppressed as [c]."
	                                 : "Official: exact counts, for the Home Office only; not "
	                                   "for publication."));
	cover_item(s, "Data as at",
	           nrm_xasprintf("%s: the case records as they stood when the %s was produced. "
	                         "Figures for recent quarters may be revised as later decisions "
	                         "are recorded.",
	                         as_at, national(t) ? "consolidation" : "return"));
	cover_item(s, "Producer",
	           national(t) ? nrm_xasprintf("The Home Office, from the pilot sites' returns, "
	                                       "with nrmhub %s.", t->generator_version)
	                       : nrm_xasprintf("The pilot site %s, from its case records, with "
	                                       "nrmhub %s.", nrm_return_tables_site_label(t),
	                                       t->generator_version));
	cover_item(s, "Contact",
	           national(t) ? nrm_xstrdup("The Home Office's modern slavery statistics team, "
	                                     "which received the pilot sites' returns.")
	                       : nrm_xasprintf("The data officer of the pilot site %s, who sent "
	                                       "this return; for the national tables, the Home "
	                                       "Office's modern slavery statistics team.",
	                                       nrm_return_tables_site_label(t)));
	cover_item(s, "Contents and notes",
	           nrm_xstrdup("The Table_of_contents worksheet lists every worksheet, each with a "
	                       "link to it. Notes are on the Notes worksheet; a table's title "
	                       "refers to them as [note N]."));
	unsigned kinds = workbook_kinds(t);
	if (kinds & (1u << NRM_CELL_SUPPRESSED | 1u << NRM_CELL_NA | 1u << NRM_CELL_MISSING))
		cover_item(s, "Shorthand", shorthand_line(kinds, "Shorthand used in the tables:"));
	cover_item(s, "Other formats",
	           nrm_xasprintf("The same figures are in the CSV files (described by "
	                         "csv-metadata.json), in %s.sdmx.csv and in report.html.",
	                         national(t) ? "national" : "return"));
	free(start);
	free(end);
	free(as_at);
}

static const char *const contents_header[] = {"Sheet name", "Sheet title"};
static const char *const notes_header[] = {"Note number", "Note text"};

static void contents_row(struct ods_sheet *s, const char *name, const char *title)
{
	struct ods_cell *row = add_row(s);
	row[0] = (struct ods_cell){ODS_LINK, name};
	row[1] = (struct ods_cell){ODS_TEXT, title};
}

static void contents_sheet(struct ods_sheet *s, const struct nrm_return_tables *t,
                           const char *cover_title)
{
	s->name = nrm_xstrdup("Table_of_contents");
	s->title = nrm_xstrdup("Table of contents");
	add_line(s, nrm_xstrdup("This worksheet contains one table. Each sheet name is a link "
	                        "to its worksheet."));
	s->n_cols = 2;
	s->header = contents_header;
	contents_row(s, "Cover_sheet", cover_title);
	contents_row(s, "Notes", "Notes used in the tables");
	for (size_t i = 0; i < t->n_tables; i++)
		contents_row(s, t->tables[i].id, t->tables[i].title);
}

static void notes_sheet(struct ods_sheet *s, const struct nrm_return_tables *t)
{
	s->name = nrm_xstrdup("Notes");
	s->title = nrm_xstrdup("Notes");
	add_line(s, nrm_xstrdup("This worksheet contains one table. The tables refer to these "
	                        "notes in their titles, as [note N]."));
	s->n_cols = 2;
	s->header = notes_header;
	for (size_t i = 0; i < t->n_notes; i++) {
		struct ods_cell *row = add_row(s);
		row[0] = (struct ods_cell){ODS_TEXT,
		                           keep(s, nrm_xasprintf("[note %d]", t->notes[i].number))};
		row[1] = (struct ods_cell){ODS_WRAP, t->notes[i].text};
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
	add_line(s, nrm_xstrdup("This worksheet contains one table."));
	if (strstr(tab->title, "[note "))
		add_line(s, nrm_xstrdup("The title refers to notes, which are on the Notes "
		                        "worksheet."));
	add_line(s, source_line(t));
	unsigned kinds = shorthand_kinds(tab);
	if (kinds & (1u << NRM_CELL_SUPPRESSED | 1u << NRM_CELL_NA | 1u << NRM_CELL_MISSING))
		add_line(s, shorthand_line(kinds, "Shorthand used in this table:"));
	s->n_cols = tab->n_columns;
	const char **header = nrm_xcalloc(tab->n_columns, sizeof(*header));
	for (size_t c = 0; c < tab->n_columns; c++)
		header[c] = tab->columns[c].title;
	s->header = s->header_owned = header;
	for (size_t r = 0; r < tab->n_rows; r++) {
		struct ods_cell *row = add_row(s);
		for (size_t c = 0; c < tab->n_columns; c++) {
			const struct nrm_cell *cell = nrm_table_cell(tab, r, c);
			row[c] = (struct ods_cell){cell_kind(cell, tab->columns[c].role), cell->text};
		}
	}
}

void nrm_ods_workbook_build(struct ods_workbook *wb, const struct nrm_return_tables *t)
{
	wb->t = t;
	wb->n_sheets = 3 + t->n_tables;
	wb->sheets = nrm_xcalloc(wb->n_sheets, sizeof(*wb->sheets));
	cover_sheet(&wb->sheets[0], t);
	contents_sheet(&wb->sheets[1], t, wb->sheets[0].title);
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
		free(s->owned);
		free(s->lines);
		free(s->cells);
		free(s->col_mm);
		free(s->name);
		free(s->title);
	}
	free(wb->sheets);
	wb->sheets = NULL;
	wb->n_sheets = 0;
}
