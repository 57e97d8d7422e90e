/*
 * The workbook's styles and its small parts: see return_ods.h.  Cell styles
 * are automatic styles of content.xml; the page layouts (A4 landscape, one
 * per print scale) and their master pages are in styles.xml, where ODF
 * keeps them.  Everything is ODF 1.2 (ods_xml.h).
 */
#include "return_ods.h"
#include "return_tables.h"

#include "util.h"
#include "welsh.h"

#include "ods_package.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void style(struct nrm_xml_doc *d, const char *name, const char *family)
{
	nrm_xml_start(d, "style:style");
	nrm_xml_attr(d, "style:name", name);
	nrm_xml_attr(d, "style:family", family);
}

/* Numbers with thousands separators ("1,234", "1,234.5"), as the guidance
 * asks; a reader's spreadsheet still holds the number itself. */
static void number_style(struct nrm_xml_doc *d, const char *name, const char *decimals)
{
	nrm_xml_start(d, "number:number-style");
	nrm_xml_attr(d, "style:name", name);
	nrm_xml_start(d, "number:number");
	nrm_xml_attr(d, "number:decimal-places", decimals);
	nrm_xml_attr(d, "number:min-integer-digits", "1");
	nrm_xml_attr(d, "number:grouping", "true");
	nrm_xml_close(d);
	nrm_xml_close(d);
}

/* fo:wrap-option, alignment, and a bold or larger font, as asked. */
static void cell_style(struct nrm_xml_doc *d, const char *name, const char *data_style, bool wrap,
                       const char *align, const char *size, bool bold)
{
	style(d, name, "table-cell");
	nrm_xml_attr(d, "style:parent-style-name", "Default");
	if (data_style)
		nrm_xml_attr(d, "style:data-style-name", data_style);
	nrm_xml_start(d, "style:table-cell-properties");
	nrm_xml_attr(d, "style:vertical-align", "top");
	if (wrap)
		nrm_xml_attr(d, "fo:wrap-option", "wrap");
	nrm_xml_close(d);
	if (align) {
		nrm_xml_start(d, "style:paragraph-properties");
		nrm_xml_attr(d, "fo:text-align", align);
		nrm_xml_close(d);
	}
	if (size || bold) {
		nrm_xml_start(d, "style:text-properties");
		if (size)
			nrm_xml_attr(d, "fo:font-size", size);
		if (bold)
			nrm_xml_attr(d, "fo:font-weight", "bold");
		nrm_xml_close(d);
	}
	nrm_xml_close(d);
}

static bool seen_before(const struct ods_workbook *wb, size_t sheet, size_t col, unsigned mm)
{
	for (size_t i = 0; i <= sheet; i++)
		for (size_t c = 0; c < (i == sheet ? col : wb->sheets[i].n_cols); c++)
			if (wb->sheets[i].col_mm[c] == mm)
				return true;
	return false;
}

static bool scale_seen_before(const struct ods_workbook *wb, size_t sheet)
{
	for (size_t i = 0; i < sheet; i++)
		if (wb->sheets[i].scale == wb->sheets[sheet].scale)
			return true;
	return false;
}

static void column_styles(struct nrm_xml_doc *d, const struct ods_workbook *wb)
{
	char name[32];
	for (size_t i = 0; i < wb->n_sheets; i++)
		for (size_t c = 0; c < wb->sheets[i].n_cols; c++) {
			unsigned mm = wb->sheets[i].col_mm[c];
			if (seen_before(wb, i, c, mm))
				continue;
			snprintf(name, sizeof(name), ODS_COLUMN_STYLE, mm);
			style(d, name, "table-column");
			nrm_xml_start(d, "style:table-column-properties");
			nrm_xml_attrf(d, "style:column-width", "%u.%ucm", mm / 10, mm % 10);
			nrm_xml_close(d);
			nrm_xml_close(d);
		}
}

static void table_styles(struct nrm_xml_doc *d, const struct ods_workbook *wb)
{
	char name[32], page[32];
	for (size_t i = 0; i < wb->n_sheets; i++) {
		if (scale_seen_before(wb, i))
			continue;
		snprintf(name, sizeof(name), ODS_TABLE_STYLE, wb->sheets[i].scale);
		snprintf(page, sizeof(page), ODS_MASTER_PAGE, wb->sheets[i].scale);
		style(d, name, "table");
		nrm_xml_attr(d, "style:master-page-name", page);
		nrm_xml_start(d, "style:table-properties");
		nrm_xml_attr(d, "table:display", "true");
		nrm_xml_close(d);
		nrm_xml_close(d);
	}
}

/* Text in one language (return_ods.h), which LibreOffice checks and
 * hyphenates as that language. */
static void language_style(struct nrm_xml_doc *d, const char *name, const char *language)
{
	style(d, name, "text");
	nrm_xml_start(d, "style:text-properties");
	nrm_xml_attr(d, "fo:language", language);
	nrm_xml_attr(d, "fo:country", "GB");
	nrm_xml_close(d);
	nrm_xml_close(d);
}

void nrm_ods_automatic_styles(struct nrm_xml_doc *d, const struct ods_workbook *wb)
{
	nrm_xml_start(d, "office:automatic-styles");
	column_styles(d, wb);
	table_styles(d, wb);
	number_style(d, "N0", "0");
	number_style(d, "N1", "1");
	cell_style(d, "ceTitle", NULL, false, NULL, "14pt", true);
	cell_style(d, "ceHeading", NULL, false, NULL, "12pt", true);
	cell_style(d, "ceHeader", NULL, true, NULL, NULL, true);
	cell_style(d, "ceWrap", NULL, true, NULL, NULL, false);
	cell_style(d, "ceCount", "N0", false, NULL, NULL, false);
	cell_style(d, "ceDecimal", "N1", false, NULL, NULL, false);
	cell_style(d, "ceRight", NULL, false, "end", NULL, false);
	if (wb->t->welsh) {
		language_style(d, ODS_WELSH_STYLE, "cy");
		language_style(d, ODS_ENGLISH_STYLE, "en");
	}
	nrm_xml_close(d);
}

static void root(struct nrm_xml_doc *d, const char *name)
{
	nrm_xml_start(d, name);
	nrm_xml_attr(d, "xmlns:office", NS_OFFICE);
	nrm_xml_attr(d, "xmlns:style", NS_STYLE);
	nrm_xml_attr(d, "xmlns:text", NS_TEXT);
	nrm_xml_attr(d, "xmlns:table", NS_TABLE);
	nrm_xml_attr(d, "xmlns:fo", NS_FO);
	nrm_xml_attr(d, "xmlns:number", NS_NUMBER);
	nrm_xml_attr(d, "xmlns:xlink", NS_XLINK);
	nrm_xml_attr(d, "office:version", ODF_VERSION);
}

void nrm_ods_content_root(struct nrm_xml_doc *d)
{
	root(d, "office:document-content");
}

/* A4 landscape, 15 mm margins, scaled so that the sheet's width fits. */
static void page_layouts(struct nrm_xml_doc *d, const struct ods_workbook *wb)
{
	char name[32];
	nrm_xml_start(d, "office:automatic-styles");
	for (size_t i = 0; i < wb->n_sheets; i++) {
		if (scale_seen_before(wb, i))
			continue;
		snprintf(name, sizeof(name), "pm" ODS_MASTER_PAGE, wb->sheets[i].scale);
		nrm_xml_start(d, "style:page-layout");
		nrm_xml_attr(d, "style:name", name);
		nrm_xml_start(d, "style:page-layout-properties");
		nrm_xml_attr(d, "fo:page-width", "29.7cm");
		nrm_xml_attr(d, "fo:page-height", "21cm");
		nrm_xml_attr(d, "style:print-orientation", "landscape");
		nrm_xml_attr(d, "fo:margin", "1.5cm");
		nrm_xml_attrf(d, "style:scale-to", "%u%%", wb->sheets[i].scale);
		nrm_xml_close(d);
		nrm_xml_close(d);
	}
	nrm_xml_close(d);
}

static void master_pages(struct nrm_xml_doc *d, const struct ods_workbook *wb)
{
	char name[32], layout[32];
	nrm_xml_start(d, "office:master-styles");
	for (size_t i = 0; i < wb->n_sheets; i++) {
		if (scale_seen_before(wb, i))
			continue;
		snprintf(name, sizeof(name), ODS_MASTER_PAGE, wb->sheets[i].scale);
		snprintf(layout, sizeof(layout), "pm" ODS_MASTER_PAGE, wb->sheets[i].scale);
		nrm_xml_start(d, "style:master-page");
		nrm_xml_attr(d, "style:name", name);
		nrm_xml_attr(d, "style:page-layout-name", layout);
		nrm_xml_close(d);
	}
	nrm_xml_close(d);
}

void nrm_ods_styles_xml(struct nrm_xml_doc *d, const struct ods_workbook *wb)
{
	root(d, "office:document-styles");
	nrm_xml_start(d, "office:styles");
	style(d, "Default", "table-cell");
	nrm_xml_start(d, "style:text-properties");
	nrm_xml_attr(d, "fo:font-size", "11pt");
	/* A Welsh site's workbook marks each text's language (return_ods.h);
	 * what it leaves unmarked (a nationality's label, a site's code) is
	 * English. */
	if (wb->t->welsh) {
		nrm_xml_attr(d, "fo:language", "en");
		nrm_xml_attr(d, "fo:country", "GB");
	}
	nrm_xml_close(d);
	nrm_xml_close(d);
	nrm_xml_close(d);
	page_layouts(d, wb);
	master_pages(d, wb);
	nrm_xml_close(d);
}

void nrm_ods_meta_xml(struct nrm_xml_doc *d, const struct nrm_return_tables *t)
{
	nrm_xml_start(d, "office:document-meta");
	nrm_xml_attr(d, "xmlns:office", NS_OFFICE);
	nrm_xml_attr(d, "xmlns:meta", NS_META);
	nrm_xml_attr(d, "xmlns:dc", NS_DC);
	nrm_xml_attr(d, "office:version", ODF_VERSION);
	nrm_xml_start(d, "office:meta");
	char *generator = nrm_xasprintf("nrmhub/%s", t->generator_version);
#define META_TITLE "NRM devolved decision-making quarterly return: %s, %s"
	const char *site = nrm_return_tables_site_label(t);
	char *title = nrm_xasprintf(META_TITLE, site, t->quarter);
	char *title_cy = NRM_WELSH_PRINTF(t->welsh, META_TITLE, site, t->quarter);
	/* One title: Welsh, then English. */
	char *both = title_cy ? nrm_xasprintf("%s / %s", title_cy, title) : NULL;
	nrm_xml_element(d, "meta:generator", generator);
	nrm_xml_element(d, "dc:title", both ? both : title);
	if (t->welsh)
		nrm_xml_element(d, "dc:language", "cy-GB");
	nrm_xml_element(d, "dc:language", "en-GB");
	nrm_xml_element(d, "meta:creation-date", t->generated_at);
	free(generator);
	free(title);
	free(title_cy);
	free(both);
	nrm_xml_close(d);
	nrm_xml_close(d);
}

static void config_item(struct nrm_xml_doc *d, const char *name, const char *type,
                        const char *value)
{
	nrm_xml_start(d, "config:config-item");
	nrm_xml_attr(d, "config:name", name);
	nrm_xml_attr(d, "config:type", type);
	nrm_xml_text(d, value);
	nrm_xml_close(d);
}

/* The workbook opens on its cover sheet. */
void nrm_ods_settings_xml(struct nrm_xml_doc *d)
{
	nrm_xml_start(d, "office:document-settings");
	nrm_xml_attr(d, "xmlns:office", NS_OFFICE);
	nrm_xml_attr(d, "xmlns:config", NS_CONFIG);
	nrm_xml_attr(d, "office:version", ODF_VERSION);
	nrm_xml_start(d, "office:settings");
	nrm_xml_start(d, "config:config-item-set");
	nrm_xml_attr(d, "config:name", "ooo:view-settings");
	nrm_xml_start(d, "config:config-item-map-indexed");
	nrm_xml_attr(d, "config:name", "Views");
	nrm_xml_start(d, "config:config-item-map-entry");
	config_item(d, "ViewId", "string", "view1");
	config_item(d, "ActiveTable", "string", "Cover_sheet");
	nrm_xml_close(d);
	nrm_xml_close(d);
	nrm_xml_close(d);
	nrm_xml_close(d);
	nrm_xml_close(d);
}

static void manifest_entry(struct nrm_xml_doc *d, const char *path, const char *type)
{
	nrm_xml_start(d, "manifest:file-entry");
	nrm_xml_attr(d, "manifest:full-path", path);
	nrm_xml_attr(d, "manifest:media-type", type);
	if (strcmp(path, "/") == 0)
		nrm_xml_attr(d, "manifest:version", ODF_VERSION);
	nrm_xml_close(d);
}

void nrm_ods_manifest_xml(struct nrm_xml_doc *d)
{
	nrm_xml_start(d, "manifest:manifest");
	nrm_xml_attr(d, "xmlns:manifest", NS_MANIFEST);
	nrm_xml_attr(d, "manifest:version", ODF_VERSION);
	manifest_entry(d, "/", ODS_MIMETYPE);
	manifest_entry(d, "content.xml", "text/xml");
	manifest_entry(d, "styles.xml", "text/xml");
	manifest_entry(d, "meta.xml", "text/xml");
	manifest_entry(d, "settings.xml", "text/xml");
	nrm_xml_close(d);
}
