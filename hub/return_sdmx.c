/*
 * return.sdmx.csv: SDMX-CSV 1.0, one row per observation of the dataflow
 * NRMHUB:DDM_RETURN(1.0).  Every count or statistic cell of the tables is
 * one observation, keyed by REF_AREA (the site), TIME_PERIOD (YYYY-Qn),
 * MEASURE, BREAKDOWN (what the rows are split by) and CATEGORY (the row's
 * code, _T for a total, _U for unknown).
 *
 * A total appears in several tables (referrals in Table_1 and as the Total
 * row of each breakdown): it is one observation, written once, the first
 * time its key is met.
 */
#include "return_render.h"
#include "return_tables.h"

#include "util.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define DATAFLOW "NRMHUB:DDM_RETURN(1.0)"

/* SDMX identifiers allow [A-Za-z0-9_@$-]: codes are upper-cased, '+'
 * joining the types of a combination becomes "__", and a trailing '+'
 * ("366+") becomes "_PLUS". */
static char *sdmx_code(const char *code)
{
	if (strcmp(code, "total") == 0)
		return nrm_xstrdup("_T");
	if (strcmp(code, "unknown") == 0 || strcmp(code, "not_specified") == 0)
		return nrm_xstrdup("_U");
	size_t len = strlen(code);
	char *out = nrm_xmalloc(2 * len + 6), *o = out;
	for (size_t i = 0; i < len; i++) {
		if (code[i] == '+' && i + 1 == len) {
			memcpy(o, "_PLUS", 5);
			o += 5;
		} else if (code[i] == '+') {
			*o++ = '_';
			*o++ = '_';
		} else if (isalnum((unsigned char)code[i]) || code[i] == '_' || code[i] == '-') {
			*o++ = (char)toupper((unsigned char)code[i]);
		} else {
			*o++ = '_';
		}
	}
	*o = '\0';
	return out;
}

static const char *obs_status(const struct nrm_cell *c)
{
	switch (c->kind) {
	case NRM_CELL_SUPPRESSED: return "Q";
	case NRM_CELL_NA: return "M";
	/* A figure that exists but was not sent is missing, not inapplicable. */
	case NRM_CELL_MISSING: return "O";
	default: return "A";
	}
}

struct seen {
	char **keys;
	size_t n;
};

/* True the first time `key` is offered; takes ownership of it. */
static bool first_time(struct seen *s, char *key)
{
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->keys[i], key) == 0) {
			free(key);
			return false;
		}
	}
	s->keys = nrm_xrealloc(s->keys, (s->n + 1) * sizeof(*s->keys));
	s->keys[s->n++] = key;
	return true;
}

static int code_column(const struct nrm_table *t)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (t->columns[c].role == NRM_COL_CODE)
			return (int)c;
	return -1;
}

static void write_observation(FILE *out, const char *site, const char *period,
                              const char *measure, const char *breakdown,
                              const char *category, const struct nrm_cell *cell,
                              const char *unit)
{
	fputs(DATAFLOW ",", out);
	nrm_csv_put_field(out, site);
	fprintf(out, ",%s,%s,%s,%s,%s,%s,%s\r\n", period, measure, breakdown, category,
	        cell->kind == NRM_CELL_NUMBER ? cell->text : "", obs_status(cell), unit);
}

static void write_table_observations(FILE *out, const struct nrm_return_tables *t,
                                     const struct nrm_table *tab, struct seen *seen)
{
	int code_col = code_column(tab);
	for (size_t r = 0; r < tab->n_rows; r++) {
		char *period = nrm_table_row_period(tab, r);
		char *code = code_col >= 0 ? sdmx_code(nrm_table_cell(tab, r, (size_t)code_col)->text)
		                           : nrm_xstrdup("_T");
		bool is_total = strcmp(code, "_T") == 0;
		for (size_t c = 0; c < tab->n_columns; c++) {
			const struct nrm_column *col = &tab->columns[c];
			if (col->role != NRM_COL_COUNT && col->role != NRM_COL_DECIMAL)
				continue;
			/* A row of the summary is a measure of its own, not a category. */
			const char *measure = tab->measure_from_code ? code : col->measure;
			const char *breakdown = tab->measure_from_code || is_total ? "_T" : tab->breakdown;
			const char *category = tab->measure_from_code ? "_T" : code;
			char *key = nrm_xasprintf("%s|%s|%s|%s", period, measure, breakdown, category);
			if (first_time(seen, key))
				write_observation(out, t->site, period, measure, breakdown, category,
				                  nrm_table_cell(tab, r, c), col->unit);
		}
		free(code);
		free(period);
	}
}

char *nrm_return_sdmx_csv(const struct nrm_return_tables *t, size_t *len_out)
{
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	if (!out)
		return NULL;
	fputs("DATAFLOW,REF_AREA,TIME_PERIOD,MEASURE,BREAKDOWN,CATEGORY,OBS_VALUE,OBS_STATUS,"
	      "UNIT_MEASURE\r\n",
	      out);
	struct seen seen = {0};
	for (size_t i = 0; i < t->n_tables; i++)
		write_table_observations(out, t, &t->tables[i], &seen);
	fclose(out);
	for (size_t i = 0; i < seen.n; i++)
		free(seen.keys[i]);
	free(seen.keys);
	*len_out = len;
	return data;
}

int nrm_return_write_sdmx(const struct nrm_return_tables *t, const char *dir,
                          struct nrm_error *err)
{
	size_t len;
	char *data = nrm_return_sdmx_csv(t, &len);
	if (!data)
		return nrm_fail(err, EX_OSERR, "out of memory");
	int rc = nrm_return_write_file(dir, "return.sdmx.csv", data, len, err);
	free(data);
	return rc;
}
