/*
 * The quarterly return's outputs for people and machines, rendered from a
 * return.json (shape in RETURN.md) into a directory.  Each file appears
 * whole or not at all (hub/atomic_file.h); a broken return is refused
 * before anything is written.
 *
 *   table_N.csv, notes.csv   one CSV per published table (RFC 4180, UTF-8)
 *   csv-metadata.json        W3C CSV on the Web metadata for those CSVs
 *   return.sdmx.csv          SDMX-CSV 1.0 or 2.0, dataflow
 *                            NRMHUB:DF_DDM_SITE_RETURN(1.0), whose structure
 *                            is schemas/nrmhub-sdmx.xml
 *   return.ods               OpenDocument workbook (Analysis Function layout)
 *   report.html              one self-contained page with SVG charts
 *
 * formats/return-outputs.md documents every table, column and dimension.
 */
#ifndef NRM_RETURN_RENDER_H
#define NRM_RETURN_RENDER_H

#include <jansson.h>
#include <stddef.h>

struct nrm_error;
struct nrm_return_tables;
struct nrm_table;

/* The SDMX-CSV version written: 1.0 (a DATAFLOW column, the default) or
 * 2.0 (STRUCTURE, STRUCTURE_ID, ACTION). */
enum nrm_sdmx_version { NRM_SDMX_1_0, NRM_SDMX_2_0 };
/* "1.0" or "2.0": 0; else -1. */
int nrm_sdmx_version_parse(const char *s, enum nrm_sdmx_version *out);
/* The version a file of SDMX-CSV declares by its header. */
enum nrm_sdmx_version nrm_sdmx_version_of(const char *data, size_t len);

/* A column of the SDMX-CSV file, in the order of its header, for the
 * header itself and for csv-metadata.json, which describes the file. */
struct nrm_sdmx_column {
	const char *name; /* "DATAFLOW", "REF_AREA", "OBS_VALUE" */
	enum {
		NRM_SDMX_COL_KEY,       /* the dataflow or a dimension: with the others, names the row */
		NRM_SDMX_COL_STRUCTURE, /* 2.0's STRUCTURE and ACTION: the same on every row */
		NRM_SDMX_COL_VALUE,     /* OBS_VALUE: a number, empty when the figure is not shown */
		NRM_SDMX_COL_ATTRIBUTE, /* OBS_STATUS, UNIT_MEASURE */
	} role;
};
#define NRM_SDMX_MAX_COLUMNS 40
/* The columns of `t`'s SDMX-CSV in `version` into `cols` (room for
 * NRM_SDMX_MAX_COLUMNS); returns how many. */
size_t nrm_sdmx_columns(const struct nrm_return_tables *t, enum nrm_sdmx_version version,
                        struct nrm_sdmx_column *cols);
/* "NRMHUB:DF_DDM_SITE_RETURN(1.0)", or the national dataflow. */
const char *nrm_sdmx_flow(const struct nrm_return_tables *t);
/* "return.sdmx.csv", or "national.sdmx.csv" for the national tables. */
const char *nrm_sdmx_file_name(const struct nrm_return_tables *t);

/* Renders every output of `ret` into `dir` (created, mode 0755, when
 * missing).  Returns 0, or -1 with `err` filled: EX_DATAERR for a return
 * that does not follow RETURN.md (naming the JSON path), EX_CANTCREAT or
 * EX_IOERR for files that cannot be written.  Files written before a failure
 * are whole; none is left half-written. */
int return_render_all(const json_t *ret, const char *dir, enum nrm_sdmx_version sdmx,
                      struct nrm_error *err);

/* The writers, one per output, over the same flattened tables. */
/* The tables' CSV files, notes.csv and csv-metadata.json, which describes
 * them and the SDMX-CSV file of `sdmx`'s version beside them. */
int nrm_return_write_csv(const struct nrm_return_tables *t, enum nrm_sdmx_version sdmx,
                         const char *dir, struct nrm_error *err);
int nrm_return_write_sdmx(const struct nrm_return_tables *t, enum nrm_sdmx_version version,
                          const char *dir, struct nrm_error *err);
int nrm_return_write_ods(const struct nrm_return_tables *t, const char *dir,
                         struct nrm_error *err);
int nrm_return_write_html(const json_t *ret, const struct nrm_return_tables *t,
                          const char *dir, struct nrm_error *err);

/* The bytes those writers put in a file, for a check that a file holds
 * exactly them (return_payload.c): one table's CSV, notes.csv,
 * csv-metadata.json and return.sdmx.csv.  Callers free; NULL when out of
 * memory (and, for SDMX-CSV, with `err` filled: EX_DATAERR for a row
 * code the SDMX structure has no code for). */
char *nrm_return_table_csv(const struct nrm_table *t, size_t *len);
char *nrm_return_notes_csv(const struct nrm_return_tables *t, size_t *len);
char *nrm_return_csvw_metadata(const struct nrm_return_tables *t, enum nrm_sdmx_version sdmx);
char *nrm_return_sdmx_csv(const struct nrm_return_tables *t, enum nrm_sdmx_version version,
                          size_t *len, struct nrm_error *err);

/* The report page's pieces, shared with the national report: text escaped
 * for HTML, one table as an HTML table, and the page's style sheet. */
#include <stdbool.h>
#include <stdio.h>
struct nrm_table;
void nrm_html_escape(FILE *out, const char *s);
void nrm_html_table(FILE *out, const struct nrm_table *t, bool with_period);
const char *nrm_html_css(void);

/* html_welsh.c: a text of a Welsh site's page (`welsh`) in Welsh and in
 * English, Welsh first, each part marked with its language; else `en`
 * alone, escaped.  `cy` may be NULL (no Welsh: the English alone, marked).
 * Words run inline ("<span lang="cy">Rhywedd</span> / <span
 * lang="en-GB">Gender</span>"); paragraphs are a <p> each, their text in
 * <`tag`> when `tag` is not NULL.  On an English page, paragraphs are the
 * bare text (in <`tag`>: inside a <figcaption> or <dd>), a paragraph one
 * <p>. */
void nrm_html_words(FILE *out, bool welsh, const char *en, const char *cy);
void nrm_html_paragraphs(FILE *out, bool welsh, const char *en, const char *cy,
                         const char *tag);
void nrm_html_paragraph(FILE *out, bool welsh, const char *en, const char *cy, const char *tag);

/* Writes `len` bytes as DIR/NAME, atomically, mode 0600 like every output
 * of the hub (the official return is not for publication). */
int nrm_return_write_file(const char *dir, const char *name, const char *data, size_t len,
                          struct nrm_error *err);

/* Appends `s` to `out` as one RFC 4180 field, quoted when it holds a comma,
 * a quote, CR or LF. */
#include <stdio.h>
void nrm_csv_put_field(FILE *out, const char *s);

#endif
