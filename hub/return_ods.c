/*
 * return.ods: the workbook model (return_ods.h) written as content.xml,
 * with the styles, meta and settings parts, in an OpenDocument package
 * (ods_package.h).  Numbers are numeric cells, so that readers can sum and
 * sort them; "[c]", "[z]" and "[x]" are text, as the guidance asks.
 */
#include "return_ods.h"
#include "return_render.h"
#include "return_tables.h"

#include "date.h"
#include "ods_package.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* One paragraph in a span of its language's text style. */
static void language_paragraph(struct nrm_xml_doc *d, const char *text, const char *style)
{
	nrm_xml_start(d, "text:p");
	nrm_xml_start(d, "text:span");
	nrm_xml_attr(d, "text:style-name", style);
	nrm_xml_text(d, text);
	nrm_xml_close(d);
	nrm_xml_close(d);
}

/* A cell's text, or its Welsh above its English (return_ods.h). */
static void text_cell(struct nrm_xml_doc *d, const char *text, const char *cy,
                      const char *style)
{
	nrm_xml_start(d, "table:table-cell");
	if (style)
		nrm_xml_attr(d, "table:style-name", style);
	nrm_xml_attr(d, "office:value-type", "string");
	if (cy) {
		language_paragraph(d, cy, ODS_WELSH_STYLE);
		language_paragraph(d, text, ODS_ENGLISH_STYLE);
	} else {
		nrm_xml_element(d, "text:p", text);
	}
	nrm_xml_close(d);
}

static void number_cell(struct nrm_xml_doc *d, const char *text, const char *style)
{
	nrm_xml_start(d, "table:table-cell");
	if (style)
		nrm_xml_attr(d, "table:style-name", style);
	nrm_xml_attr(d, "office:value-type", "float");
	nrm_xml_attr(d, "office:value", text);
	nrm_xml_element(d, "text:p", text);
	nrm_xml_close(d);
}

/* A link to the sheet's A1 ("#Table_1.A1"), which LibreOffice and Excel
 * both follow within the workbook. */
static void link_cell(struct nrm_xml_doc *d, const char *sheet)
{
	char *target = nrm_xasprintf("#%s.A1", sheet);
	nrm_xml_start(d, "table:table-cell");
	nrm_xml_attr(d, "office:value-type", "string");
	nrm_xml_start(d, "text:p");
	nrm_xml_start(d, "text:a");
	nrm_xml_attr(d, "xlink:type", "simple");
	nrm_xml_attr(d, "xlink:href", target);
	nrm_xml_text(d, sheet);
	nrm_xml_close(d);
	nrm_xml_close(d);
	nrm_xml_close(d);
	free(target);
}

static void cell(struct nrm_xml_doc *d, const struct ods_cell *c)
{
	switch (c->kind) {
	case ODS_YEAR: number_cell(d, c->text, NULL); break;
	case ODS_COUNT: number_cell(d, c->text, "ceCount"); break;
	case ODS_DECIMAL: number_cell(d, c->text, "ceDecimal"); break;
	case ODS_SHORT: text_cell(d, c->text, NULL, "ceRight"); break;
	case ODS_LINK: link_cell(d, c->text); break;
	case ODS_HEADING: text_cell(d, c->text, c->cy, "ceHeading"); break;
	case ODS_WRAP: text_cell(d, c->text, c->cy, "ceWrap"); break;
	case ODS_TEXT: text_cell(d, c->text, c->cy, NULL); break;
	}
}

static void one_cell_row(struct nrm_xml_doc *d, const char *text, const char *cy,
                         const char *style)
{
	nrm_xml_start(d, "table:table-row");
	text_cell(d, text, cy, style);
	nrm_xml_close(d);
}

static void columns(struct nrm_xml_doc *d, const struct ods_sheet *s)
{
	char name[32];
	for (size_t c = 0; c < s->n_cols; c++) {
		snprintf(name, sizeof(name), ODS_COLUMN_STYLE, s->col_mm[c]);
		nrm_xml_start(d, "table:table-column");
		nrm_xml_attr(d, "table:style-name", name);
		nrm_xml_close(d);
	}
}

/* The header row is a header row in ODF's sense too: printed again at the
 * top of every page the table runs onto. */
static void header_row(struct nrm_xml_doc *d, const struct ods_sheet *s)
{
	nrm_xml_start(d, "table:table-header-rows");
	nrm_xml_start(d, "table:table-row");
	for (size_t c = 0; c < s->n_cols; c++)
		text_cell(d, s->header[c], s->header_cy ? s->header_cy[c] : NULL, "ceHeader");
	nrm_xml_close(d);
	nrm_xml_close(d);
}

static void sheet(struct nrm_xml_doc *d, const struct ods_sheet *s)
{
	char style[32];
	snprintf(style, sizeof(style), ODS_TABLE_STYLE, s->scale);
	nrm_xml_start(d, "table:table");
	nrm_xml_attr(d, "table:name", s->name);
	nrm_xml_attr(d, "table:style-name", style);
	columns(d, s);
	one_cell_row(d, s->title, s->title_cy, "ceTitle");
	for (size_t i = 0; i < s->n_lines; i++)
		one_cell_row(d, s->lines[i], s->lines_cy[i], NULL);
	if (s->header)
		header_row(d, s);
	for (size_t r = 0; r < s->n_rows; r++) {
		nrm_xml_start(d, "table:table-row");
		for (size_t c = 0; c < s->n_cols; c++)
			cell(d, &s->cells[r * s->n_cols + c]);
		nrm_xml_close(d);
	}
	nrm_xml_close(d);
}

static void content_xml(struct nrm_xml_doc *d, const struct ods_workbook *wb)
{
	nrm_ods_content_root(d);
	nrm_ods_automatic_styles(d, wb);
	nrm_xml_start(d, "office:body");
	nrm_xml_start(d, "office:spreadsheet");
	for (size_t i = 0; i < wb->n_sheets; i++)
		sheet(d, &wb->sheets[i]);
	nrm_xml_close(d);
	nrm_xml_close(d);
	nrm_xml_close(d);
}

enum { CONTENT, STYLES, META, SETTINGS, MANIFEST, N_PARTS };

static const char *const part_names[N_PARTS] = {"content.xml", "styles.xml", "meta.xml",
                                                "settings.xml", "META-INF/manifest.xml"};

static bool build_parts(struct nrm_xml_doc parts[N_PARTS], const struct nrm_return_tables *t)
{
	struct ods_workbook wb;
	nrm_ods_workbook_build(&wb, t);
	for (int i = 0; i < N_PARTS; i++)
		nrm_xml_begin(&parts[i]);
	content_xml(&parts[CONTENT], &wb);
	nrm_ods_styles_xml(&parts[STYLES], &wb);
	nrm_ods_meta_xml(&parts[META], t);
	nrm_ods_settings_xml(&parts[SETTINGS]);
	nrm_ods_manifest_xml(&parts[MANIFEST]);
	nrm_ods_workbook_free(&wb);
	bool ok = true;
	for (int i = 0; i < N_PARTS; i++) {
		nrm_xml_end(&parts[i]);
		ok = ok && !parts[i].failed;
	}
	return ok;
}

/* Entries are dated when the return was generated, so that rendering the
 * same return twice, anywhere, gives the same bytes. */
int nrm_return_write_ods(const struct nrm_return_tables *t, const char *dir,
                         struct nrm_error *err)
{
	struct nrm_xml_doc parts[N_PARTS];
	char *path = nrm_xasprintf("%s/return.ods", dir);
	int rc = -1;
	if (!build_parts(parts, t)) {
		nrm_fail(err, EX_SOFTWARE, "cannot build the XML of %s", path);
	} else {
		struct ods_part files[N_PARTS];
		for (int i = 0; i < N_PARTS; i++)
			files[i] = (struct ods_part){part_names[i], xmlBufferContent(parts[i].buf),
			                             (size_t)xmlBufferLength(parts[i].buf)};
		int64_t when = 0;
		if (nrm_time_parse_rfc3339(t->generated_at, strlen(t->generated_at), &when) != 0)
			when = 0;
		rc = nrm_ods_write_package(path, files, N_PARTS, when, err);
	}
	for (int i = 0; i < N_PARTS; i++)
		nrm_xml_free(&parts[i]);
	free(path);
	return rc;
}
