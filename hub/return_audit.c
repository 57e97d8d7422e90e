/*
 * Published returns audited from their own figures: the tables each
 * renders to, read through the same description that wrote them, joined
 * into one model where returns of one site repeat each other's figures.
 */
#include "return_audit.h"

#include "return_pattern.h"
#include "return_series.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The figure of return `r` at `path`, or -1. */
static int figure_at(const struct nrm_return_audit *a, size_t r, const char *path)
{
	size_t end = r + 1 < a->n_returns ? a->first[r + 1] : a->model.n_figures;
	for (size_t i = a->first[r]; i < end; i++)
		if (a->model.figures[i].path && strcmp(a->model.figures[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* A return's history: its series (return_series.h), or in a return
 * made before it, its eight quarters' trend; `first` is the quarter
 * (0-based, year * 4 + q - 1) of its first row. */
struct history {
	const char *prefix; /* "$.series" */
	size_t n_rows, n_repeats;
	int first;
	const struct nrm_series_repeat *repeats;
};

static void history_of(const struct nrm_return_tables *t, struct history *h)
{
	/* The trend's repeats, in the series' shape (its keys are a subset). */
	static struct nrm_series_repeat trend[NRM_TREND_REPEATS];
	for (size_t k = 0; k < NRM_TREND_REPEATS; k++)
		trend[k] = (struct nrm_series_repeat){nrm_trend_repeats[k].key,
		                                      nrm_trend_repeats[k].own,
		                                      nrm_trend_repeats[k].count};
	const struct nrm_table *series = nrm_return_tables_find(t, "series");
	bool is_series = series != NULL;
	*h = (struct history){
		.prefix = is_series ? "$.series" : "$.trend",
		.n_rows = is_series ? series->n_rows : 8,
		.n_repeats = is_series ? NRM_SERIES_REPEATS : NRM_TREND_REPEATS,
		.repeats = is_series ? nrm_series_repeats : trend,
	};
	h->first = t->year * 4 + t->q - 1 - (int)(h->n_rows - 1);
}

/* History row `row` of return ra: the same figures as rb's own (when rb
 * is that quarter) and as rb's row for that quarter (linked once, from
 * the first of the two). */
static void link_row(struct nrm_return_audit *a, size_t ra, size_t row, size_t rb)
{
	struct history ha, hb;
	history_of(&a->tables[ra], &ha);
	history_of(&a->tables[rb], &hb);
	int index = ha.first + (int)row;  /* the row's quarter, 0-based */
	int b_last = hb.first + (int)hb.n_rows - 1;
	for (size_t k = 0; k < ha.n_repeats; k++) {
		const struct nrm_series_repeat *t = &ha.repeats[k];
		char *pa = nrm_xasprintf("%s[%zu].%s", ha.prefix, row, t->key);
		int x = figure_at(a, ra, pa), y = -1;
		if (index == b_last)
			y = figure_at(a, rb, t->own);
		else if (ra < rb && index < b_last && index >= hb.first) {
			char *pb = nrm_xasprintf("%s[%d].%s", hb.prefix, index - hb.first, t->key);
			y = figure_at(a, rb, pb);
			free(pb);
		}
		if (t->count) {
			nrm_dc_model_relate_equal(&a->model, x, y);
		} else if (x >= 0 && y >= 0) {
			/* A statistic shown twice: each hidden when the other is. */
			nrm_dc_model_derive(&a->model, x, &y, 1);
			nrm_dc_model_derive(&a->model, y, &x, 1);
		}
		free(pa);
	}
}

/* Every fact that links two returns of one site. */
static void link_returns(struct nrm_return_audit *a)
{
	for (size_t i = 0; i < a->n_returns; i++)
		for (size_t j = 0; j < a->n_returns; j++) {
			if (i == j || strcmp(a->tables[i].site, a->tables[j].site) != 0)
				continue;
			/* All rows but the last: that is the return's own quarter,
			 * which its own relations already tie to its figures. */
			struct history h;
			history_of(&a->tables[i], &h);
			for (size_t row = 0; row + 1 < h.n_rows; row++)
				link_row(a, i, row, j);
		}
}

size_t nrm_return_audit_owner(const struct nrm_return_audit *a, int f)
{
	size_t r = 0;
	while (r + 1 < a->n_returns && a->first[r + 1] <= (size_t)f)
		r++;
	return r;
}

int nrm_return_audit_set(const json_t *const *rets, size_t n, const struct nrm_dc_params *p,
                         struct nrm_return_audit *out, size_t *bad, struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	struct nrm_dc_params params = p ? *p : (struct nrm_dc_params){0};
	/* No rule given: each return's own, as it records it. */
	bool own_rule = params.threshold == 0 && params.protection == 0;
	if (nrm_dc_params_resolve(&params) != 0)
		return nrm_fail(err, EX_USAGE, "the threshold must be 1 to 1000 and the "
		                "protection level 1 to 100000");
	out->tables = nrm_xcalloc(n ? n : 1, sizeof(*out->tables));
	out->first = nrm_xcalloc(n ? n : 1, sizeof(*out->first));
	for (size_t i = 0; i < n; i++) {
		if (nrm_return_tables_build(rets[i], &out->tables[i], err) != 0) {
			if (bad)
				*bad = i;
			nrm_return_audit_free(out);
			return -1;
		}
		out->n_returns++;
		struct nrm_dc_model m;
		nrm_dc_model_build(&out->tables[i], &m);
		out->first[i] = out->model.n_figures;
		nrm_dc_model_append(&out->model, &m, out->tables[i].quarter);
		nrm_dc_model_free(&m);
		int threshold = 0, protection = 0;
		if (own_rule)
			nrm_return_disclosure_rule(rets[i], &threshold, &protection);
		for (size_t f = out->first[i]; f < out->model.n_figures; f++) {
			out->model.figures[f].threshold = threshold;
			out->model.figures[f].protection = protection;
		}
	}
	link_returns(out);
	if (nrm_dc_audit_run(&out->model, &params, false, &out->audit, err) != 0) {
		nrm_return_audit_free(out);
		return -1;
	}
	return 0;
}

int nrm_return_audit(const json_t *ret, const struct nrm_dc_params *p,
                     struct nrm_return_audit *out, struct nrm_error *err)
{
	return nrm_return_audit_set(&ret, 1, p, out, NULL, err);
}

void nrm_return_audit_free(struct nrm_return_audit *a)
{
	nrm_dc_audit_free(&a->audit);
	nrm_dc_model_free(&a->model);
	for (size_t i = 0; i < a->n_returns; i++)
		nrm_return_tables_free(&a->tables[i]);
	free(a->tables);
	free(a->first);
	memset(a, 0, sizeof(*a));
}
