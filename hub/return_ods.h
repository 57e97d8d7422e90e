/*
 * return.ods (and national.ods) as a workbook model between the return's
 * tables and the XML: which sheets there are and what each says
 * (return_ods_sheets.c), how wide each column is and how far each sheet is
 * scaled to print (return_ods_layout.c), the styles (return_ods_styles.c),
 * and content.xml and the package (return_ods.c).
 *
 * Each sheet follows the Government Analysis Function's "Releasing
 * statistics in spreadsheets": its title in A1, then only the lines the
 * guidance allows above a table (what the sheet holds, where the notes are,
 * the source, the shorthand used), then one header row and the rows; no
 * merged cells, no blank rows, nothing below.
 *
 * A Welsh site's workbook (nrm_return_tables.welsh) holds every text in
 * Welsh and English: a cell's Welsh is a paragraph above its English, each
 * in a text style of its language (ODS_WELSH_STYLE, ODS_ENGLISH_STYLE:
 * fo:language and fo:country), so that LibreOffice checks the spelling of
 * each in its own language.
 */
#ifndef NRM_RETURN_ODS_H
#define NRM_RETURN_ODS_H

#include "ods_xml.h"

#include <stdbool.h>
#include <stddef.h>

struct nrm_return_tables;

/* A4 landscape less 15 mm margins each side. */
#define ODS_PAGE_WIDTH_MM 267
#define ODS_COVER_WIDTH_MM 200

enum ods_cell_kind {
	ODS_TEXT,    /* a label, a code, a period */
	ODS_SHORT,   /* "[c]", "[z]", "[x]" in a figure's column: text, right-aligned */
	ODS_YEAR,    /* an integer with no thousands separator */
	ODS_COUNT,   /* an integer, with thousands separators */
	ODS_DECIMAL, /* one decimal place, with thousands separators */
	ODS_LINK,    /* a sheet name that links to the sheet's A1 */
	ODS_HEADING, /* the cover sheet: a heading over its text */
	ODS_WRAP,    /* the cover sheet and notes: text wrapped in its column */
};

struct ods_cell {
	enum ods_cell_kind kind;
	const char *text; /* for ODS_COUNT and ODS_DECIMAL, the number as written */
	const char *cy;   /* the text's Welsh, above it; NULL: none (English only) */
};

struct ods_sheet {
	char *name;    /* "Table_1": the sheet's name, and its links' target */
	char *title;   /* A1 */
	char *title_cy; /* the title's Welsh, or NULL */
	size_t n_lines;
	char **lines;  /* A2.. above the table */
	char **lines_cy; /* each line's Welsh (NULL: none) */
	size_t n_cols;
	const char *const *header; /* NULL: no table (the cover sheet) */
	const char **header_owned; /* `header`, when the sheet made it */
	const char **header_cy;    /* each header's Welsh (NULL: none), or NULL */
	size_t n_rows;
	struct ods_cell *cells;    /* n_rows * n_cols */
	unsigned *col_mm;          /* filled by nrm_ods_layout */
	unsigned scale;            /* percent, to print the sheet's width on one page */
	char **owned;              /* strings the sheet made, freed with it */
	size_t n_owned;
};

struct ods_workbook {
	const struct nrm_return_tables *t;
	size_t n_sheets;
	struct ods_sheet *sheets;
};

/* return_ods_sheets.c */
void nrm_ods_workbook_build(struct ods_workbook *wb, const struct nrm_return_tables *t);
void nrm_ods_workbook_free(struct ods_workbook *wb);

/* return_ods_layout.c: every sheet's column widths and print scale. */
void nrm_ods_layout(struct ods_workbook *wb);

/* return_ods_styles.c */
void nrm_ods_automatic_styles(struct nrm_xml_doc *d, const struct ods_workbook *wb);
void nrm_ods_styles_xml(struct nrm_xml_doc *d, const struct ods_workbook *wb);
void nrm_ods_meta_xml(struct nrm_xml_doc *d, const struct nrm_return_tables *t);
void nrm_ods_settings_xml(struct nrm_xml_doc *d);
void nrm_ods_manifest_xml(struct nrm_xml_doc *d);
/* <office:document-content> with its namespaces and version. */
void nrm_ods_content_root(struct nrm_xml_doc *d);
/* The style names the content uses. */
#define ODS_COLUMN_STYLE "co%u"  /* width in millimetres */
#define ODS_TABLE_STYLE "ta%u"   /* print scale in percent */
#define ODS_MASTER_PAGE "Scale%u"
#define ODS_WELSH_STYLE "Tcy"    /* text in Welsh */
#define ODS_ENGLISH_STYLE "Ten"  /* text in English, beside Welsh */

#endif
