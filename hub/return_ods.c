/*
 * return.ods: the tables as an OpenDocument spreadsheet laid out as the
 * Government Analysis Function asks (Cover_sheet, Table_of_contents, Notes,
 * then one Table_N per sheet from A1 with one header row, no merged cells
 * and nothing below the table).  The XML parts are written with libxml2's
 * xmlTextWriter, which escapes every string; the package is a zip written
 * with libarchive, `mimetype` first and stored, as ODF requires.
 */
#include "return_render.h"
#include "return_tables.h"

#include "atomic_file.h"
#include "date.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <libxml/xmlwriter.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#define MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_NUMBER "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

#define X(s) ((const xmlChar *)(s))

/* xmlTextWriter calls return -1 on failure; the first failure is kept and
 * the rest become no-ops through this wrapper's checks at the end. */
struct xml_doc {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	bool failed;
};

static void xml_begin(struct xml_doc *d)
{
	d->buf = xmlBufferCreate();
	d->w = d->buf ? xmlNewTextWriterMemory(d->buf, 0) : NULL;
	d->failed = d->w == NULL || xmlTextWriterStartDocument(d->w, "1.0", "UTF-8", NULL) < 0;
}

static void check(struct xml_doc *d, int rc)
{
	if (rc < 0)
		d->failed = true;
}

static void start(struct xml_doc *d, const char *name)
{
	check(d, xmlTextWriterStartElement(d->w, X(name)));
}

static void end(struct xml_doc *d)
{
	check(d, xmlTextWriterEndElement(d->w));
}

static void attr(struct xml_doc *d, const char *name, const char *value)
{
	check(d, xmlTextWriterWriteAttribute(d->w, X(name), X(value)));
}

static void element(struct xml_doc *d, const char *name, const char *text)
{
	check(d, xmlTextWriterWriteElement(d->w, X(name), X(text)));
}

/* Ends the document; the text stays in d->buf until xml_free. */
static void xml_end(struct xml_doc *d)
{
	check(d, xmlTextWriterEndDocument(d->w));
	xmlFreeTextWriter(d->w);
	d->w = NULL;
}

static void xml_free(struct xml_doc *d)
{
	if (d->w)
		xmlFreeTextWriter(d->w);
	if (d->buf)
		xmlBufferFree(d->buf);
}

/* ---- content.xml -------------------------------------------------------- */

static void text_cell(struct xml_doc *d, const char *text, const char *style)
{
	start(d, "table:table-cell");
	if (style)
		attr(d, "table:style-name", style);
	attr(d, "office:value-type", "string");
	element(d, "text:p", text);
	end(d);
}

/* Numbers are numeric cells, so that readers can sum and sort them;
 * "[c]" and "[z]" are text, as the guidance asks. */
static void data_cell(struct xml_doc *d, const struct nrm_cell *c, enum nrm_column_role role)
{
	if (c->kind != NRM_CELL_NUMBER) {
		text_cell(d, c->text, role == NRM_COL_COUNT || role == NRM_COL_DECIMAL ? "ceRight"
		                                                                        : NULL);
		return;
	}
	start(d, "table:table-cell");
	if (role == NRM_COL_DECIMAL)
		attr(d, "table:style-name", "ceDecimal");
	attr(d, "office:value-type", "float");
	attr(d, "office:value", c->text);
	element(d, "text:p", c->text);
	end(d);
}

static void columns(struct xml_doc *d, const char *style, size_t n)
{
	start(d, "table:table-column");
	attr(d, "table:style-name", style);
	if (n > 1) {
		char count[24];
		snprintf(count, sizeof(count), "%zu", n);
		attr(d, "table:number-columns-repeated", count);
	}
	end(d);
}

static void header_row(struct xml_doc *d, const char *const *titles, size_t n)
{
	start(d, "table:table-row");
	for (size_t i = 0; i < n; i++)
		text_cell(d, titles[i], "ceHeader");
	end(d);
}

static void cover_sheet(struct xml_doc *d, const struct nrm_return_tables *t)
{
	bool published = strcmp(t->audience, "published") == 0;
	char *lines[] = {
		nrm_xasprintf("National Referral Mechanism: devolved decision-making for child "
		              "victims, quarterly return for %s, %s",
		              t->site, t->quarter),
		nrm_xasprintf("Site: %s", t->site),
		nrm_xasprintf("Period: %s to %s (Q%d %d)", t->period_start, t->period_end, t->q,
		              t->year),
		nrm_xasprintf("Audience: %s", published
		                                  ? "published (small counts suppressed as [c])"
		                                  : "official (exact counts, not for publication)"),
		nrm_xasprintf("Produced at %s by nrmhub %s from the site's case records.",
		              t->generated_at, t->generator_version),
		nrm_xstrdup("The tables are listed on the Table_of_contents sheet; notes, "
		            "referenced as [note N], are on the Notes sheet."),
		nrm_xstrdup("Shorthand: [c] confidential (suppressed), [z] not applicable."),
		nrm_xstrdup("The same figures are in the CSV files (described by "
		            "csv-metadata.json) and in return.sdmx.csv."),
	};
	start(d, "table:table");
	attr(d, "table:name", "Cover_sheet");
	columns(d, "coWide", 1);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		start(d, "table:table-row");
		text_cell(d, lines[i], i == 0 ? "ceHeader" : NULL);
		end(d);
		free(lines[i]);
	}
	end(d);
}

static void contents_sheet(struct xml_doc *d, const struct nrm_return_tables *t)
{
	static const char *const titles[] = {"Sheet name", "Table title"};
	start(d, "table:table");
	attr(d, "table:name", "Table_of_contents");
	columns(d, "coNarrow", 1);
	columns(d, "coWide", 1);
	header_row(d, titles, 2);
	start(d, "table:table-row");
	text_cell(d, "Notes", NULL);
	text_cell(d, "Notes used in the tables", NULL);
	end(d);
	for (size_t i = 0; i < t->n_tables; i++) {
		start(d, "table:table-row");
		text_cell(d, t->tables[i].id, NULL);
		text_cell(d, t->tables[i].title, NULL);
		end(d);
	}
	end(d);
}

static void notes_sheet(struct xml_doc *d, const struct nrm_return_tables *t)
{
	static const char *const titles[] = {"Note number", "Note text"};
	start(d, "table:table");
	attr(d, "table:name", "Notes");
	columns(d, "coNarrow", 1);
	columns(d, "coWide", 1);
	header_row(d, titles, 2);
	for (size_t i = 0; i < t->n_notes; i++) {
		char number[32];
		snprintf(number, sizeof(number), "[note %d]", t->notes[i].number);
		start(d, "table:table-row");
		text_cell(d, number, NULL);
		text_cell(d, t->notes[i].text, NULL);
		end(d);
	}
	end(d);
}

static void table_sheet(struct xml_doc *d, const struct nrm_table *tab)
{
	start(d, "table:table");
	attr(d, "table:name", tab->id);
	for (size_t c = 0; c < tab->n_columns; c++)
		columns(d, tab->columns[c].role == NRM_COL_LABEL ? "coWide" : "coMedium", 1);
	start(d, "table:table-row");
	for (size_t c = 0; c < tab->n_columns; c++)
		text_cell(d, tab->columns[c].title, "ceHeader");
	end(d);
	for (size_t r = 0; r < tab->n_rows; r++) {
		start(d, "table:table-row");
		for (size_t c = 0; c < tab->n_columns; c++)
			data_cell(d, nrm_table_cell(tab, r, c), tab->columns[c].role);
		end(d);
	}
	end(d);
}

static void style(struct xml_doc *d, const char *name, const char *family)
{
	start(d, "style:style");
	attr(d, "style:name", name);
	attr(d, "style:family", family);
}

static void column_style(struct xml_doc *d, const char *name, const char *width)
{
	style(d, name, "table-column");
	start(d, "style:table-column-properties");
	attr(d, "style:column-width", width);
	end(d);
	end(d);
}

static void automatic_styles(struct xml_doc *d)
{
	start(d, "office:automatic-styles");
	column_style(d, "coNarrow", "3.5cm");
	column_style(d, "coMedium", "4.5cm");
	column_style(d, "coWide", "12cm");
	/* One decimal place for means and medians. */
	start(d, "number:number-style");
	attr(d, "style:name", "N1");
	start(d, "number:number");
	attr(d, "number:decimal-places", "1");
	attr(d, "number:min-decimal-places", "1");
	attr(d, "number:min-integer-digits", "1");
	end(d);
	end(d);
	style(d, "ceHeader", "table-cell");
	start(d, "style:text-properties");
	attr(d, "fo:font-weight", "bold");
	end(d);
	end(d);
	style(d, "ceDecimal", "table-cell");
	attr(d, "style:data-style-name", "N1");
	end(d);
	style(d, "ceRight", "table-cell");
	start(d, "style:paragraph-properties");
	attr(d, "fo:text-align", "end");
	end(d);
	end(d);
	end(d);
}

static void root_element(struct xml_doc *d, const char *name)
{
	start(d, name);
	attr(d, "xmlns:office", NS_OFFICE);
	attr(d, "xmlns:style", NS_STYLE);
	attr(d, "xmlns:text", NS_TEXT);
	attr(d, "xmlns:table", NS_TABLE);
	attr(d, "xmlns:fo", NS_FO);
	attr(d, "xmlns:number", NS_NUMBER);
	attr(d, "office:version", "1.3");
}

static void content_xml(struct xml_doc *d, const struct nrm_return_tables *t)
{
	root_element(d, "office:document-content");
	automatic_styles(d);
	start(d, "office:body");
	start(d, "office:spreadsheet");
	cover_sheet(d, t);
	contents_sheet(d, t);
	notes_sheet(d, t);
	for (size_t i = 0; i < t->n_tables; i++)
		table_sheet(d, &t->tables[i]);
	end(d);
	end(d);
	end(d);
}

static void styles_xml(struct xml_doc *d)
{
	root_element(d, "office:document-styles");
	start(d, "office:styles");
	style(d, "Default", "table-cell");
	start(d, "style:text-properties");
	attr(d, "fo:font-size", "11pt");
	end(d);
	end(d);
	end(d);
	end(d);
}

static void meta_xml(struct xml_doc *d, const struct nrm_return_tables *t)
{
	start(d, "office:document-meta");
	attr(d, "xmlns:office", NS_OFFICE);
	attr(d, "xmlns:meta", NS_META);
	attr(d, "xmlns:dc", NS_DC);
	attr(d, "office:version", "1.3");
	start(d, "office:meta");
	char *generator = nrm_xasprintf("nrmhub/%s", t->generator_version);
	char *title = nrm_xasprintf("NRM devolved decision-making quarterly return: %s, %s",
	                            t->site, t->quarter);
	element(d, "meta:generator", generator);
	element(d, "dc:title", title);
	element(d, "dc:language", "en-GB");
	element(d, "meta:creation-date", t->generated_at);
	free(generator);
	free(title);
	end(d);
	end(d);
}

static void manifest_entry(struct xml_doc *d, const char *path, const char *type)
{
	start(d, "manifest:file-entry");
	attr(d, "manifest:full-path", path);
	attr(d, "manifest:media-type", type);
	if (strcmp(path, "/") == 0)
		attr(d, "manifest:version", "1.3");
	end(d);
}

static void manifest_xml(struct xml_doc *d)
{
	start(d, "manifest:manifest");
	attr(d, "xmlns:manifest", NS_MANIFEST);
	attr(d, "manifest:version", "1.3");
	manifest_entry(d, "/", MIMETYPE);
	manifest_entry(d, "content.xml", "text/xml");
	manifest_entry(d, "styles.xml", "text/xml");
	manifest_entry(d, "meta.xml", "text/xml");
	end(d);
}

/* ---- the package -------------------------------------------------------- */

static int add_entry(struct archive *a, const char *name, const void *data, size_t len,
                     bool stored, time_t mtime)
{
	/* The only per-entry switch libarchive offers between headers. */
	if ((stored ? archive_write_zip_set_compression_store(a)
	            : archive_write_zip_set_compression_deflate(a)) < ARCHIVE_WARN)
		return -1;
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	int rc = archive_write_header(a, e) < ARCHIVE_WARN ||
	                 archive_write_data(a, data, len) != (la_ssize_t)len
	             ? -1
	             : 0;
	archive_entry_free(e);
	return rc;
}

/* Entries are dated when the return was generated, so that rendering the
 * same return twice gives the same bytes. */
static int write_package(int fd, struct xml_doc parts[4], const char *generated_at,
                         struct nrm_error *err, const char *path)
{
	static const char *const names[] = {"content.xml", "styles.xml", "meta.xml",
	                                    "META-INF/manifest.xml"};
	struct archive *a = archive_write_new();
	int64_t when = 0;
	if (nrm_time_parse_rfc3339(generated_at, strlen(generated_at), &when) != 0)
		when = 0;
	time_t now = (time_t)when;
	int rc = archive_write_set_format_zip(a) < ARCHIVE_WARN ||
	                 archive_write_open_fd(a, fd) < ARCHIVE_WARN
	             ? -1
	             : 0;
	if (rc == 0)
		rc = add_entry(a, "mimetype", MIMETYPE, strlen(MIMETYPE), true, now);
	for (int i = 0; i < 4 && rc == 0; i++)
		rc = add_entry(a, names[i], xmlBufferContent(parts[i].buf),
		               (size_t)xmlBufferLength(parts[i].buf), false, now);
	if (rc == 0 && archive_write_close(a) < ARCHIVE_WARN)
		rc = -1;
	if (rc != 0)
		nrm_fail(err, EX_IOERR, "writing %s: %s", path,
		         archive_error_string(a) ? archive_error_string(a) : "zip writer failed");
	archive_write_free(a);
	return rc;
}

int nrm_return_write_ods(const struct nrm_return_tables *t, const char *dir,
                         struct nrm_error *err)
{
	struct xml_doc parts[4];
	for (int i = 0; i < 4; i++)
		xml_begin(&parts[i]);
	content_xml(&parts[0], t);
	styles_xml(&parts[1]);
	meta_xml(&parts[2], t);
	manifest_xml(&parts[3]);
	bool failed = false;
	for (int i = 0; i < 4; i++) {
		if (!parts[i].failed)
			xml_end(&parts[i]);
		failed = failed || parts[i].failed;
	}
	char *path = nrm_xasprintf("%s/return.ods", dir);
	int rc = -1;
	struct nrm_atomic_file f;
	if (failed)
		nrm_fail(err, EX_SOFTWARE, "cannot build the XML of %s", path);
	else if (nrm_atomic_open(&f, path, 0640, err) == 0) {
		rc = write_package(f.fd, parts, t->generated_at, err, path);
		if (rc == 0)
			rc = nrm_atomic_commit(&f, err);
		else
			nrm_atomic_abort(&f);
	}
	for (int i = 0; i < 4; i++)
		xml_free(&parts[i]);
	free(path);
	return rc;
}
