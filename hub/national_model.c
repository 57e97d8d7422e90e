/*
 * The national tables beside the sites' published returns, one model
 * (national_model.h).  Its nations' figures are read from national.json
 * itself: a number, "[c]" (hidden) or null ("[z]").
 */
#include "national_model.h"

#include "json_path.h"
#include "return_build.h"
#include "return_pattern.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static int figure_in(const struct nrm_dc_model *m, size_t from, size_t to, const char *path)
{
	for (size_t i = from; i < to; i++)
		if (m->figures[i].path && strcmp(m->figures[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* A figure of the national.json itself (a nation's), from its value there:
 * a number, "[c]" (hidden) or null ("[z]"). */
static int add_json_figure(struct nrm_national_model *j, const json_t *national, const char *path,
                           const char *name, bool count)
{
	const json_t *v = nrm_json_path_get(national, path);
	j->paths = nrm_xrealloc(j->paths, (j->n_paths + 1) * sizeof(*j->paths));
	char *owned = j->paths[j->n_paths++] = nrm_xstrdup(path);
	struct nrm_dc_model *m = &j->m;
	m->figures = nrm_xrealloc(m->figures, (m->n_figures + 1) * sizeof(*m->figures));
	double x = json_is_number(v) ? json_number_value(v) : -1;
	m->figures[m->n_figures] = (struct nrm_dc_figure){
		.path = owned,
		.name = nrm_xstrdup(name),
		.value = x >= 0 ? (long long)(x < 1e15 ? x : 1e15) : -1,
		.count = count,
		.na = json_is_null(v),
		.hidden = json_is_string(v),
	};
	return (int)m->n_figures++;
}

/* Each nation's figures, the site-return path each is the sum of (two for
 * decisions: positive and negative), and whether it is a count. */
static const struct {
	const char *key, *site_path, *site_path2;
} nation_counts[] = {
	{"referrals", "$.referrals.total", NULL},
	{"rg_decisions", "$.decisions.rg.positive", "$.decisions.rg.negative"},
	{"cg_decisions", "$.decisions.cg.positive", "$.decisions.cg.negative"},
	{"rg_positive", "$.decisions.rg.positive", NULL},
	{"cg_positive", "$.decisions.cg.positive", NULL},
	{"days_to_decision.rg.count", "$.days_to_decision.rg.count", NULL},
	{"days_to_decision.cg.count", "$.days_to_decision.cg.count", NULL},
	{"days_to_decision.rg.within_45_days", "$.days_to_decision.rg.within_45_days", NULL},
	{"days_to_decision.cg.within_45_days", "$.days_to_decision.cg.within_45_days", NULL},
	{"awaiting.rg", "$.awaiting.rg.count", NULL},
	{"awaiting.cg", "$.awaiting.cg.count", NULL},
};
#define N_NATION_COUNTS (sizeof(nation_counts) / sizeof(nation_counts[0]))

static void add_nations(struct nrm_national_model *j, const json_t *national)
{
	j->nation_first = j->m.n_figures;
	const json_t *by_site = json_object_get(national, "by_site");
	size_t i;
	const json_t *g;
	json_array_foreach(json_object_get(national, "by_nation"), i, g) {
		const char *nation = json_string_value(json_object_get(g, "nation"));
		int f[N_NATION_COUNTS];
		for (size_t k = 0; k < N_NATION_COUNTS; k++) {
			char *path = nrm_xasprintf("$.by_nation[%zu].%s", i, nation_counts[k].key);
			char *name = nrm_xasprintf("by_nation %s %s", nation, nation_counts[k].key);
			f[k] = add_json_figure(j, national, path, name, true);
			free(path);
			free(name);
			/* The sum of the nation's sites. */
			int *parts = nrm_xmalloc((2 * j->n_sites + 1) * sizeof(int));
			size_t n = 0;
			for (size_t s = 0; s < j->n_sites; s++) {
				const json_t *row = json_array_get(by_site, s);
				if (strcmp(json_string_value(json_object_get(row, "nation")), nation) != 0)
					continue;
				parts[n++] = figure_in(&j->m, j->site_first[s], j->site_first[s + 1],
				                       nation_counts[k].site_path);
				if (nation_counts[k].site_path2)
					parts[n++] = figure_in(&j->m, j->site_first[s], j->site_first[s + 1],
					                       nation_counts[k].site_path2);
			}
			nrm_dc_model_relate_sum(&j->m, f[k], parts, n);
			free(parts);
		}
		/* Statistics, hidden with the counts they are drawn from. */
		static const char *const stats[][3] = {
			{"rg_percent_positive", "rg_positive", "rg_decisions"},
			{"cg_percent_positive", "cg_positive", "cg_decisions"},
			{"days_to_decision.rg.mean", "days_to_decision.rg.count",
			 "days_to_decision.rg.within_45_days"},
			{"days_to_decision.rg.median", "days_to_decision.rg.count",
			 "days_to_decision.rg.within_45_days"},
			{"days_to_decision.rg.p90", "days_to_decision.rg.count",
			 "days_to_decision.rg.within_45_days"},
			{"days_to_decision.cg.mean", "days_to_decision.cg.count",
			 "days_to_decision.cg.within_45_days"},
			{"days_to_decision.cg.median", "days_to_decision.cg.count",
			 "days_to_decision.cg.within_45_days"},
			{"days_to_decision.cg.p90", "days_to_decision.cg.count",
			 "days_to_decision.cg.within_45_days"},
		};
		for (size_t k = 0; k < sizeof(stats) / sizeof(stats[0]); k++) {
			char *path = nrm_xasprintf("$.by_nation[%zu].%s", i, stats[k][0]);
			char *name = nrm_xasprintf("by_nation %s %s", nation, stats[k][0]);
			int s = add_json_figure(j, national, path, name, false);
			free(path);
			free(name);
			int from[2] = {-1, -1};
			for (size_t c = 0; c < N_NATION_COUNTS; c++)
				for (int t = 0; t < 2; t++)
					if (strcmp(nation_counts[c].key, stats[k][1 + t]) == 0)
						from[t] = f[c];
			nrm_dc_model_derive(&j->m, s, from, 2);
		}
	}
}

/* Each count of the totals is the sum of the sites' counts at its path
 * (the national build sums them key by key; a key a site lacks is 0). */
/* The figure of site s that national figure `path` sums: the same path,
 * or for a row of the national eight quarters' trend ("$.trend[i].key"),
 * the site's series row for that quarter (national_build.c makes the
 * trend from the sites' series).  -1: the site has none. */
static int site_part(const struct nrm_national_model *j, size_t s, const char *path)
{
	int g = figure_in(&j->m, j->site_first[s], j->site_first[s + 1], path);
	unsigned row;
	int used = 0;
	if (g >= 0 || sscanf(path, "$.trend[%u].%n", &row, &used) != 1 || used == 0)
		return g;
	const struct nrm_return_tables *site = &j->site_tables[s];
	const struct nrm_table *series = nrm_return_tables_find(site, "series");
	if (!series)
		return -1;
	int quarter = j->totals.year * 4 + j->totals.q - 1 - (NRM_RETURN_TREND_QUARTERS - 1) +
	              (int)row;
	int first = site->year * 4 + site->q - 1 - (int)(series->n_rows - 1);
	if (quarter < first || quarter >= first + (int)series->n_rows)
		return -1;
	char *mine = nrm_xasprintf("$.series[%d].%s", quarter - first, path + used);
	g = figure_in(&j->m, j->site_first[s], j->site_first[s + 1], mine);
	free(mine);
	return g;
}

static void relate_totals(struct nrm_national_model *j)
{
	size_t end = j->site_first[0];
	int *parts = nrm_xmalloc((j->n_sites + 1) * sizeof(int));
	for (size_t f = 0; f < end; f++) {
		const struct nrm_dc_figure *fig = &j->m.figures[f];
		if (!fig->count || !fig->path)
			continue;
		size_t n = 0;
		for (size_t s = 0; s < j->n_sites; s++) {
			int g = site_part(j, s, fig->path);
			if (g >= 0)
				parts[n++] = g;
		}
		if (n)
			nrm_dc_model_relate_sum(&j->m, (int)f, parts, n);
	}
	free(parts);
}

void nrm_national_model_free(struct nrm_national_model *j)
{
	nrm_dc_model_free(&j->m);
	nrm_return_tables_free(&j->totals);
	for (size_t i = 0; i < j->n_sites; i++)
		nrm_return_tables_free(&j->site_tables[i]);
	free(j->site_tables);
	free(j->site_first);
	for (size_t i = 0; i < j->n_paths; i++)
		free(j->paths[i]);
	free(j->paths);
	memset(j, 0, sizeof(*j));
}

int nrm_national_model_build(const json_t *national, json_t *const *rets, size_t n,
                             struct nrm_national_model *j, struct nrm_error *err)
{
	memset(j, 0, sizeof(*j));
	j->site_tables = nrm_xcalloc(n + 1, sizeof(*j->site_tables));
	j->site_first = nrm_xcalloc(n + 1, sizeof(*j->site_first));
	if (nrm_return_tables_build(json_object_get(national, "totals"), &j->totals, err) != 0)
		goto fail;
	struct nrm_dc_model m;
	nrm_dc_model_build(&j->totals, &m);
	nrm_dc_model_append(&j->m, &m, "national");
	nrm_dc_model_free(&m);
	for (size_t i = 0; i < n; i++) {
		if (nrm_return_tables_build(rets[i], &j->site_tables[i], err) != 0)
			goto fail;
		j->n_sites++;
		j->site_first[i] = j->m.n_figures;
		nrm_dc_model_build(&j->site_tables[i], &m);
		nrm_dc_model_append(&j->m, &m, j->site_tables[i].site);
		nrm_dc_model_free(&m);
		int threshold, protection;
		nrm_return_disclosure_rule(rets[i], &threshold, &protection);
		for (size_t f = j->site_first[i]; f < j->m.n_figures; f++) {
			j->m.figures[f].fixed = true;
			j->m.figures[f].threshold = threshold;
			j->m.figures[f].protection = protection;
		}
	}
	j->site_first[n] = j->m.n_figures;
	relate_totals(j);
	add_nations(j, national);
	return 0;
fail:
	nrm_national_model_free(j);
	return -1;
}

static bool is_return_of(const json_t *ret, const char *site, const char *quarter)
{
	const char *s = json_string_value(json_object_get(ret, "site"));
	const char *q = json_string_value(json_object_get(ret, "quarter"));
	return s && q && strcmp(s, site) == 0 && strcmp(q, quarter) == 0;
}

int nrm_national_model_match(const json_t *national, json_t *const *rets, size_t n,
                             struct nrm_national_model *j, struct nrm_error *err)
{
	const char *quarter = json_string_value(json_object_get(national, "quarter"));
	const json_t *by_site = json_object_get(national, "by_site");
	size_t want = json_array_size(by_site);
	json_t **ordered = nrm_xcalloc(want + 1, sizeof(*ordered));
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < want; i++) {
		const char *site = json_string_value(json_object_get(json_array_get(by_site, i), "site"));
		for (size_t k = 0; site && quarter && k < n && !ordered[i]; k++)
			if (is_return_of(rets[k], site, quarter))
				ordered[i] = rets[k];
		if (!ordered[i])
			rc = nrm_fail(err, EX_NOINPUT, "the national tables list %s: give its "
			              "published return for %s too", site ? site : "a site",
			              quarter ? quarter : "the quarter");
	}
	if (rc == 0)
		rc = nrm_national_model_build(national, ordered, want, j, err);
	free(ordered);
	return rc;
}

bool nrm_national_model_is_national(const struct nrm_national_model *j, size_t f)
{
	return (f < j->site_first[0] || f >= j->nation_first) && j->m.figures[f].path;
}

size_t nrm_national_model_site_of(const struct nrm_national_model *j, size_t f)
{
	size_t site = 0;
	while (site + 1 < j->n_sites && j->site_first[site + 1] <= f)
		site++;
	return site;
}
