/*
 * return.sdmx.csv and national.sdmx.csv: SDMX-CSV 1.0 (a DATAFLOW column)
 * or 2.0 (STRUCTURE, STRUCTURE_ID, ACTION), one row per observation of the
 * dataflow NRMHUB:DF_DDM_SITE_RETURN(1.0) or, for the national tables,
 * NRMHUB:DF_DDM_NATIONAL_RETURN(1.0), both described by the structure
 * message schemas/nrmhub-sdmx.xml.  Every count or statistic cell of the
 * tables is one observation, keyed by one dimension per breakdown
 * (sdmx_codes.h), _T where a breakdown does not split it.
 *
 * A figure appears in several tables (referrals in Table_1 and as the
 * Total row of each breakdown): it has one key there, and is written once,
 * the first time.  Two different figures meeting under one key would be a
 * fault of the structure: both are written, and the suite's key check
 * (tests/e2e/check_sdmx.py) fails.
 */
#include "return_marks.h"
#include "return_render.h"
#include "return_tables.h"
#include "sdmx_codes.h"

#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define SITE_FLOW "NRMHUB:DF_DDM_SITE_RETURN(1.0)"
#define NATIONAL_FLOW "NRMHUB:DF_DDM_NATIONAL_RETURN(1.0)"
#define UK_AREA "K02000001"
/* The area of a return that does not record one (return.json without
 * "area"): the structure's code for unknown. */
#define UNKNOWN_AREA "_U"

/* SDMX's CL_OBS_STATUS: Q missing, suppressed; M missing, cannot exist
 * (a statistic of no decisions); O missing (a figure not sent); R revised
 * and P provisional (return_marks.h: a figure both is R, the newer news);
 * A normal. */
static const char *obs_status(const struct nrm_cell *c)
{
	switch (c->kind) {
	case NRM_CELL_SUPPRESSED: return "Q";
	case NRM_CELL_NA: return "M";
	case NRM_CELL_MISSING: return "O";
	default:
		return c->marks & NRM_MARK_REVISED ? "R" : c->marks & NRM_MARK_PROVISIONAL ? "P" : "A";
	}
}

struct writer {
	FILE *out;
	const struct nrm_return_tables *t;
	enum nrm_sdmx_version version;
	const char *area;
	char **seen; /* "key|value|status" of each observation written */
	size_t n_seen;
};

/* True the first time this observation (key and value) is offered. */
static bool first_time(struct writer *w, char *obs)
{
	for (size_t i = 0; i < w->n_seen; i++) {
		if (strcmp(w->seen[i], obs) == 0) {
			free(obs);
			return false;
		}
	}
	w->seen = nrm_xrealloc(w->seen, (w->n_seen + 1) * sizeof(*w->seen));
	w->seen[w->n_seen++] = obs;
	return true;
}

static bool in_layout(const struct nrm_return_tables *t, enum nrm_sdmx_dim d)
{
	return t->national || nrm_sdmx_dim_in_site(d);
}

_Static_assert(NRM_SDMX_N_DIMS + 6 <= NRM_SDMX_MAX_COLUMNS, "room for every column");

size_t nrm_sdmx_columns(const struct nrm_return_tables *t, enum nrm_sdmx_version version,
                        struct nrm_sdmx_column *cols)
{
	size_t n = 0;
	if (version == NRM_SDMX_2_0) {
		cols[n++] = (struct nrm_sdmx_column){"STRUCTURE", NRM_SDMX_COL_STRUCTURE};
		cols[n++] = (struct nrm_sdmx_column){"STRUCTURE_ID", NRM_SDMX_COL_KEY};
		cols[n++] = (struct nrm_sdmx_column){"ACTION", NRM_SDMX_COL_STRUCTURE};
	} else {
		cols[n++] = (struct nrm_sdmx_column){"DATAFLOW", NRM_SDMX_COL_KEY};
	}
	for (int d = 0; d < NRM_SDMX_N_DIMS; d++)
		if (in_layout(t, d))
			cols[n++] = (struct nrm_sdmx_column){nrm_sdmx_dim_id(d), NRM_SDMX_COL_KEY};
	cols[n++] = (struct nrm_sdmx_column){"OBS_VALUE", NRM_SDMX_COL_VALUE};
	cols[n++] = (struct nrm_sdmx_column){"OBS_STATUS", NRM_SDMX_COL_ATTRIBUTE};
	cols[n++] = (struct nrm_sdmx_column){"UNIT_MEASURE", NRM_SDMX_COL_ATTRIBUTE};
	return n;
}

const char *nrm_sdmx_flow(const struct nrm_return_tables *t)
{
	return t->national ? NATIONAL_FLOW : SITE_FLOW;
}

const char *nrm_sdmx_file_name(const struct nrm_return_tables *t)
{
	return t->national ? "national.sdmx.csv" : "return.sdmx.csv";
}

static void write_header(struct writer *w)
{
	struct nrm_sdmx_column cols[NRM_SDMX_MAX_COLUMNS];
	size_t n = nrm_sdmx_columns(w->t, w->version, cols);
	for (size_t i = 0; i < n; i++)
		fprintf(w->out, "%s%s", i ? "," : "", cols[i].name);
	fputs("\r\n", w->out);
}

static void write_observation(struct writer *w, const struct nrm_sdmx_key *k,
                              const struct nrm_cell *cell, const char *unit)
{
	const char *flow = nrm_sdmx_flow(w->t);
	/* "dataflow": the structure the row's STRUCTURE_ID names; "I": the
	 * figures are information, to merge with what the receiver holds. */
	if (w->version == NRM_SDMX_2_0)
		fprintf(w->out, "dataflow,%s,I", flow);
	else
		fputs(flow, w->out);
	for (int d = 0; d < NRM_SDMX_N_DIMS; d++) {
		if (!in_layout(w->t, d))
			continue;
		fputc(',', w->out);
		nrm_csv_put_field(w->out, k->code[d]);
	}
	fprintf(w->out, ",%s,%s,%s\r\n", cell->kind == NRM_CELL_NUMBER ? cell->text : "",
	        obs_status(cell), nrm_sdmx_unit(unit));
}

static int code_column(const struct nrm_table *t)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (t->columns[c].role == NRM_COL_CODE)
			return (int)c;
	return -1;
}

/* The observation of column `c` of a row whose key is `row_key`. */
static void write_cell(struct writer *w, const struct nrm_table *tab, size_t r, size_t c,
                       const struct nrm_sdmx_key *row_key, const char *row_code)
{
	const struct nrm_column *col = &tab->columns[c];
	struct nrm_sdmx_key k;
	nrm_sdmx_key_copy(&k, row_key);
	/* A row of the summary is a measure of its own. */
	nrm_sdmx_key_measure(&k, tab->measure_from_code ? row_code : col->measure);
	const struct nrm_cell *cell = nrm_table_cell(tab, r, c);
	size_t len = 0;
	for (int d = 0; d < NRM_SDMX_N_DIMS; d++)
		len += strlen(k.code[d]) + 1;
	char *obs = nrm_xmalloc(len + strlen(cell->text) + 8), *o = obs;
	for (int d = 0; d < NRM_SDMX_N_DIMS; d++)
		o += sprintf(o, "%s|", k.code[d]);
	sprintf(o, "%s|%s", cell->kind == NRM_CELL_NUMBER ? cell->text : "", obs_status(cell));
	if (first_time(w, obs))
		write_observation(w, &k, cell, col->unit);
	nrm_sdmx_key_free(&k);
}

static int write_table(struct writer *w, const struct nrm_table *tab, struct nrm_error *err)
{
	if (!nrm_table_has_figures(tab)) /* revisions.csv: about figures, holding none */
		return 0;
	int code_col = code_column(tab);
	for (size_t r = 0; r < tab->n_rows; r++) {
		char *period = nrm_table_row_period(tab, r);
		const char *code = code_col >= 0 ? nrm_table_cell(tab, r, (size_t)code_col)->text
		                                 : "total";
		struct nrm_sdmx_key k;
		nrm_sdmx_key_init(&k, w->area, period);
		free(period);
		if (!tab->measure_from_code && !nrm_sdmx_key_breakdown(&k, tab->breakdown, code)) {
			nrm_sdmx_key_free(&k);
			return nrm_fail(err, EX_DATAERR, "%s: row code '%.40s' has no SDMX code in "
			                "the structure (schemas/nrmhub-sdmx.xml)", tab->id, code);
		}
		for (size_t c = 0; c < tab->n_columns; c++)
			if (tab->columns[c].role == NRM_COL_COUNT ||
			    tab->columns[c].role == NRM_COL_DECIMAL)
				write_cell(w, tab, r, c, &k, code);
		nrm_sdmx_key_free(&k);
	}
	return 0;
}

char *nrm_return_sdmx_csv(const struct nrm_return_tables *t, enum nrm_sdmx_version version,
                          size_t *len_out, struct nrm_error *err)
{
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	if (!out) {
		nrm_fail(err, EX_OSERR, "out of memory");
		return NULL;
	}
	struct writer w = {
		.out = out, .t = t, .version = version,
		.area = t->national ? UK_AREA : t->area ? t->area : UNKNOWN_AREA,
	};
	write_header(&w);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < t->n_tables; i++)
		rc = write_table(&w, &t->tables[i], err);
	fclose(out);
	for (size_t i = 0; i < w.n_seen; i++)
		free(w.seen[i]);
	free(w.seen);
	if (rc) {
		free(data);
		return NULL;
	}
	*len_out = len;
	return data;
}

enum nrm_sdmx_version nrm_sdmx_version_of(const char *data, size_t len)
{
	static const char v2[] = "STRUCTURE,";
	return len >= sizeof(v2) - 1 && memcmp(data, v2, sizeof(v2) - 1) == 0 ? NRM_SDMX_2_0
	                                                                      : NRM_SDMX_1_0;
}

int nrm_sdmx_version_parse(const char *s, enum nrm_sdmx_version *out)
{
	if (strcmp(s, "1.0") == 0)
		*out = NRM_SDMX_1_0;
	else if (strcmp(s, "2.0") == 0)
		*out = NRM_SDMX_2_0;
	else
		return -1;
	return 0;
}

int nrm_return_write_sdmx(const struct nrm_return_tables *t, enum nrm_sdmx_version version,
                          const char *dir, struct nrm_error *err)
{
	size_t len;
	char *data = nrm_return_sdmx_csv(t, version, &len, err);
	if (!data)
		return -1;
	int rc = nrm_return_write_file(dir, nrm_sdmx_file_name(t), data, len, err);
	free(data);
	return rc;
}
