/*
 * The return's tables as CSV, one file per table plus notes.csv, and the
 * W3C CSV on the Web metadata (csv-metadata.json) that names and types
 * every column, so that a machine reading them needs no guesswork.
 *
 * The header row holds the same titles as the ODS sheets; CSVW gives the
 * machine names.  The metadata describes every CSV of the folder: the
 * tables, notes.csv, the SDMX-CSV file and, in a site's official return,
 * cases.csv.  "[c]" and "[z]" stay as they are and are declared as the
 * columns' null values.
 *
 * A Welsh site's CSVs are byte for byte as any site's (their header row
 * and codes are what other tools read); its csv-metadata.json gives every
 * title in Welsh and English, as CSVW's language-tagged values: a column's
 * titles {"cy": ..., "en-GB": ...} (the English still names the header),
 * and each dc:title a Welsh and an English {"@value", "@language"}.
 */
#include "return_render.h"
#include "return_extract.h"
#include "return_marks.h"
#include "return_tables.h"

#include "util.h"
#include "welsh.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

void nrm_csv_put_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void put_row_end(FILE *out)
{
	fputs("\r\n", out); /* RFC 4180 */
}

char *nrm_return_table_csv(const struct nrm_table *t, size_t *len_out)
{
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	if (!out)
		return NULL;
	for (size_t c = 0; c < t->n_columns; c++) {
		if (c)
			fputc(',', out);
		nrm_csv_put_field(out, t->columns[c].title);
	}
	put_row_end(out);
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t c = 0; c < t->n_columns; c++) {
			if (c)
				fputc(',', out);
			nrm_csv_put_field(out, nrm_table_cell(t, r, c)->text);
		}
		put_row_end(out);
	}
	fclose(out);
	*len_out = len;
	return data;
}

static int write_table_csv(const struct nrm_table *t, const char *dir, struct nrm_error *err)
{
	size_t len;
	char *data = nrm_return_table_csv(t, &len);
	if (!data)
		return nrm_fail(err, EX_OSERR, "out of memory");
	int rc = nrm_return_write_file(dir, t->file, data, len, err);
	free(data);
	return rc;
}

char *nrm_return_notes_csv(const struct nrm_return_tables *t, size_t *len_out)
{
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	if (!out)
		return NULL;
	fputs("Note number,Note text\r\n", out);
	for (size_t i = 0; i < t->n_notes; i++) {
		fprintf(out, "[note %d],", t->notes[i].number);
		nrm_csv_put_field(out, t->notes[i].text);
		put_row_end(out);
	}
	fclose(out);
	*len_out = len;
	return data;
}

static int write_notes_csv(const struct nrm_return_tables *t, const char *dir,
                           struct nrm_error *err)
{
	size_t len;
	char *data = nrm_return_notes_csv(t, &len);
	if (!data)
		return nrm_fail(err, EX_OSERR, "out of memory");
	int rc = nrm_return_write_file(dir, "notes.csv", data, len, err);
	free(data);
	return rc;
}

static const char *csvw_datatype(const struct nrm_column *col)
{
	/* A change of a count (the series' changes) can be below zero. */
	if (nrm_column_signed(col))
		return "integer";
	switch (col->role) {
	case NRM_COL_YEAR: return "integer";
	case NRM_COL_COUNT: return "nonNegativeInteger";
	case NRM_COL_DECIMAL: return "decimal";
	default: return "string";
	}
}

/* A title for CSVW: the English, or with its Welsh a language map. */
static json_t *titles(const char *en, const char *cy)
{
	return cy ? json_pack("{s:s, s:s}", "cy", cy, "en-GB", en) : json_string(en);
}

/* A dc:title: the English, or its Welsh and English as language-tagged values. */
static json_t *dc_title(const char *en, const char *cy)
{
	if (!cy)
		return json_string(en);
	return json_pack("[{s:s, s:s}, {s:s, s:s}]", "@value", cy, "@language", "cy", "@value", en,
	                 "@language", "en-GB");
}

/* The Welsh of a fixed text, in a Welsh site's metadata. */
static const char *meta_cy(const struct nrm_return_tables *t, const char *en)
{
	return t->welsh ? label_welsh(en) : NULL;
}

static json_t *csvw_columns(const struct nrm_return_tables *o, const struct nrm_table *t)
{
	json_t *cols = json_array();
	for (size_t c = 0; c < t->n_columns; c++) {
		const struct nrm_column *col = &t->columns[c];
		json_t *j = json_pack("{s:s, s:o, s:s, s:b}", "name", col->name, "titles",
		                      titles(col->title, meta_cy(o, col->title)), "datatype",
		                      csvw_datatype(col), "required",
		                      col->role != NRM_COL_COUNT && col->role != NRM_COL_DECIMAL &&
		                              col->role != NRM_COL_NOTE);
		if (col->role == NRM_COL_COUNT || col->role == NRM_COL_DECIMAL)
			json_object_set_new(j, "null", json_pack("[s, s, s]", "[c]", "[x]", "[z]"));
		json_array_append_new(cols, j);
	}
	return cols;
}

/* Year, Quarter and the code column (when there is one) identify a row;
 * a row of revisions.csv is a figure: its quarter, table, row and column. */
static bool key_column(const struct nrm_table *t, size_t c)
{
	const struct nrm_column *col = &t->columns[c];
	if (col->role == NRM_COL_YEAR || col->role == NRM_COL_QUARTER || col->role == NRM_COL_CODE)
		return true;
	return strcmp(t->key, NRM_REVISIONS_KEY) == 0 &&
	       (strcmp(col->name, "table") == 0 || strcmp(col->name, "row_code") == 0 ||
	        strcmp(col->name, "column") == 0);
}

static json_t *csvw_primary_key(const struct nrm_table *t)
{
	json_t *key = json_array();
	for (size_t c = 0; c < t->n_columns; c++)
		if (key_column(t, c))
			json_array_append_new(key, json_string(t->columns[c].name));
	return key;
}

/* cases.csv's columns, named by its header (return_extract.h); an empty
 * field is an unknown value, CSVW's default null. */
static json_t *extract_column(const char *name, size_t len)
{
	char *n = nrm_xasprintf("%.*s", (int)len, name);
	bool date = len > 5 && strcmp(n + len - 5, "_date") == 0;
	const char *type = date                                    ? "date"
	                   : strcmp(n, "age_at_referral") == 0     ? "nonNegativeInteger"
	                   : strcmp(n, "county_lines") == 0        ? "boolean"
	                                                           : "string";
	bool required = strcmp(n, "pseudonym") == 0 || strcmp(n, "site") == 0 ||
	                strcmp(n, "referral_date") == 0 || strcmp(n, "pilot_scope") == 0;
	json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "name", n, "titles", n, "datatype", type,
	                      "required", required);
	free(n);
	return j;
}

static json_t *extract_table(const struct nrm_return_tables *t)
{
	const char *title = "Record-level extract: one row per case in the quarter's tables, under "
	                    "a keyed pseudonym (official audience only)";
	json_t *cols = json_array();
	for (const char *p = nrm_extract_header; *p && *p != '\r';) {
		size_t len = strcspn(p, ",\r");
		json_array_append_new(cols, extract_column(p, len));
		p += len + (p[len] == ',');
	}
	return json_pack("{s:s, s:o, s:{s:o, s:s}}", "url", "cases.csv", "dc:title",
	                 dc_title(title, meta_cy(t, title)), "tableSchema", "columns", cols,
	                 "primaryKey", "pseudonym");
}

/* notes.csv's description: two columns, the number its key. */
static json_t *notes_table(const struct nrm_return_tables *t)
{
	return json_pack("{s:s, s:o, s:{s:[{s:s, s:o, s:s, s:b}, {s:s, s:o, s:s, s:b}], s:s}}",
	                 "url", "notes.csv", "dc:title", dc_title("Notes", meta_cy(t, "Notes")),
	                 "tableSchema", "columns", "name", "note_number", "titles",
	                 titles("Note number", meta_cy(t, "Note number")), "datatype", "string",
	                 "required", 1, "name", "note_text", "titles",
	                 titles("Note text", meta_cy(t, "Note text")), "datatype", "string",
	                 "required", 1, "primaryKey", "note_number");
}

/* The SDMX-CSV file beside the tables (return_sdmx.c gives its columns):
 * an observation is named by its dataflow and dimensions; OBS_VALUE is
 * empty, CSVW's default null, when OBS_STATUS says the figure is not
 * shown. */
static json_t *sdmx_table(const struct nrm_return_tables *t, enum nrm_sdmx_version version)
{
	struct nrm_sdmx_column sc[NRM_SDMX_MAX_COLUMNS];
	size_t n = nrm_sdmx_columns(t, version, sc);
	json_t *cols = json_array(), *key = json_array();
	for (size_t i = 0; i < n; i++) {
		bool value = sc[i].role == NRM_SDMX_COL_VALUE;
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:b}", "name", sc[i].name,
		                                      "titles", sc[i].name, "datatype",
		                                      value ? "decimal" : "string", "required",
		                                      !value));
		if (sc[i].role == NRM_SDMX_COL_KEY)
			json_array_append_new(key, json_string(sc[i].name));
	}
#define SDMX_TITLE                                                                       \
	"Every figure of the tables as SDMX-CSV %s, one row per observation of the dataflow " \
	"%s (structure: schemas/nrmhub-sdmx.xml)"
	const char *v = version == NRM_SDMX_2_0 ? "2.0" : "1.0";
	char *title = nrm_xasprintf(SDMX_TITLE, v, nrm_sdmx_flow(t));
	char *title_cy = NRM_WELSH_PRINTF(t->welsh, SDMX_TITLE, v, nrm_sdmx_flow(t));
	json_t *j = json_pack("{s:s, s:o, s:{s:o, s:o}}", "url", nrm_sdmx_file_name(t),
	                      "dc:title", dc_title(title, title_cy), "tableSchema", "columns",
	                      cols, "primaryKey", key);
	free(title);
	free(title_cy);
	return j;
}

static json_t *csvw_metadata(const struct nrm_return_tables *t, enum nrm_sdmx_version sdmx)
{
	json_t *tables = json_array();
	for (size_t i = 0; i < t->n_tables; i++) {
		const struct nrm_table *tab = &t->tables[i];
		json_array_append_new(
			tables, json_pack("{s:s, s:o, s:{s:o, s:o}}", "url", tab->file, "dc:title",
		                          dc_title(tab->title, tab->title_cy), "tableSchema",
		                          "columns", csvw_columns(t, tab), "primaryKey",
		                          csvw_primary_key(tab)));
	}
	json_array_append_new(tables, notes_table(t));
	json_array_append_new(tables, sdmx_table(t, sdmx));
	/* A site's official return holds cases.csv beside the tables. */
	if (!t->national && strcmp(t->audience, "official") == 0)
		json_array_append_new(tables, extract_table(t));
#define META_TITLE "NRM devolved decision-making quarterly return: %s, %s (%s)"
	const char *site = nrm_return_tables_site_label(t);
	char *title = nrm_xasprintf(META_TITLE, site, t->quarter, t->audience);
	char *title_cy = NRM_WELSH_PRINTF(t->welsh, META_TITLE, site, t->quarter,
	                                  meta_cy(t, t->audience));
	/* dc:modified: when the data was last brought up to date (its data as
	 * at), beside when the files were made. */
	json_t *meta = json_pack(
		"{s:s, s:o, s:s, s:s, s:s, s:{s:s, s:b}, s:o}", "@context",
		"http://www.w3.org/ns/csvw", "dc:title", dc_title(title, title_cy), "dc:created",
		t->generated_at, "dc:modified", nrm_return_tables_data_as_at(t), "dc:coverage",
		t->quarter, "dialect", "encoding", "utf-8", "header", 1, "tables", tables);
	free(title);
	free(title_cy);
	return meta;
}

char *nrm_return_csvw_metadata(const struct nrm_return_tables *t, enum nrm_sdmx_version sdmx)
{
	json_t *meta = csvw_metadata(t, sdmx);
	char *text = json_dumps(meta, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(meta);
	if (!text)
		return NULL;
	char *with_newline = nrm_xasprintf("%s\n", text);
	free(text);
	return with_newline;
}

int nrm_return_write_csv(const struct nrm_return_tables *t, enum nrm_sdmx_version sdmx,
                         const char *dir, struct nrm_error *err)
{
	for (size_t i = 0; i < t->n_tables; i++)
		if (write_table_csv(&t->tables[i], dir, err))
			return -1;
	if (write_notes_csv(t, dir, err))
		return -1;
	char *with_newline = nrm_return_csvw_metadata(t, sdmx);
	if (!with_newline)
		return nrm_fail(err, EX_SOFTWARE, "cannot serialise csv-metadata.json");
	int rc = nrm_return_write_file(dir, "csv-metadata.json", with_newline,
	                               strlen(with_newline), err);
	free(with_newline);
	return rc;
}
