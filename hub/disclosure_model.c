/*
 * Builds the disclosure-control model from the tables: cells showing one
 * JSON path become one figure, and the tables' relations and derivations
 * are re-expressed over figures.
 */
#include "disclosure_model.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Where each table cell's figure is: -1 for labels. */
struct cell_map {
	int **of;  /* [table][row * n_columns + col] */
	size_t n_tables;
};

static bool is_figure(const struct nrm_table *t, size_t r, size_t c)
{
	enum nrm_column_role role = t->columns[c].role;
	enum nrm_cell_kind kind = nrm_table_cell(t, r, c)->kind;
	return (role == NRM_COL_COUNT || role == NRM_COL_DECIMAL) && kind != NRM_CELL_TEXT;
}

static char *figure_name(const struct nrm_table *t, size_t r, size_t c)
{
	if (t->columns[2].role == NRM_COL_CODE)
		return nrm_xasprintf("%s %s %s", t->id, nrm_table_cell(t, r, 2)->text,
		                     t->columns[c].name);
	char *period = nrm_table_row_period(t, r);
	char *name = nrm_xasprintf("%s %s %s", t->id, period, t->columns[c].name);
	free(period);
	return name;
}

static int find_path(const struct nrm_dc_model *m, const char *path)
{
	for (size_t i = 0; path && i < m->n_figures; i++)
		if (m->figures[i].path && strcmp(m->figures[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* A count as read (a double from JSON), kept in range: a hostile file's
 * 2^63 must not overflow the conversion. */
static long long figure_value(double number)
{
	if (!(number >= 0))
		return -1;
	return number < 1e15 ? (long long)number : (long long)1e15;
}

static int add_figure(struct nrm_dc_model *m, const struct nrm_table *t, size_t r, size_t c)
{
	const struct nrm_cell *cell = nrm_table_cell(t, r, c);
	int f = find_path(m, cell->path);
	if (f >= 0)
		return f;
	m->figures = nrm_xrealloc(m->figures, (m->n_figures + 1) * sizeof(*m->figures));
	struct nrm_dc_figure *fig = &m->figures[m->n_figures];
	*fig = (struct nrm_dc_figure){
		.path = cell->path,
		.name = figure_name(t, r, c),
		.value = cell->kind == NRM_CELL_NUMBER ? figure_value(cell->number) : -1,
		.count = t->columns[c].role == NRM_COL_COUNT,
		.na = cell->kind == NRM_CELL_NA,
		.hidden = cell->kind == NRM_CELL_SUPPRESSED,
	};
	return (int)m->n_figures++;
}

static void map_cells(const struct nrm_return_tables *t, struct nrm_dc_model *m,
                      struct cell_map *map)
{
	map->n_tables = t->n_tables;
	map->of = nrm_xcalloc(t->n_tables ? t->n_tables : 1, sizeof(*map->of));
	for (size_t i = 0; i < t->n_tables; i++) {
		const struct nrm_table *tab = &t->tables[i];
		size_t n = tab->n_rows * tab->n_columns;
		map->of[i] = nrm_xmalloc((n ? n : 1) * sizeof(int));
		for (size_t r = 0; r < tab->n_rows; r++)
			for (size_t c = 0; c < tab->n_columns; c++)
				map->of[i][r * tab->n_columns + c] =
					is_figure(tab, r, c) ? add_figure(m, tab, r, c) : -1;
	}
}

static int figure_of(const struct nrm_return_tables *t, const struct cell_map *map,
                     struct nrm_cell_ref ref)
{
	if (ref.table >= map->n_tables)
		return -1;
	const struct nrm_table *tab = &t->tables[ref.table];
	if (ref.row >= tab->n_rows || ref.col >= tab->n_columns)
		return -1;
	return map->of[ref.table][ref.row * tab->n_columns + ref.col];
}

static void add_derivations(const struct nrm_return_tables *t, const struct cell_map *map,
                            struct nrm_dc_model *m)
{
	m->derivations = nrm_xcalloc(t->n_derivations ? t->n_derivations : 1,
	                             sizeof(*m->derivations));
	for (size_t i = 0; i < t->n_derivations; i++) {
		const struct nrm_derivation *d = &t->derivations[i];
		int f = figure_of(t, map, d->cell);
		if (f < 0)
			continue;
		struct nrm_dc_derivation *out = &m->derivations[m->n_derivations++];
		out->figure = f;
		out->from = nrm_xmalloc((d->n_from ? d->n_from : 1) * sizeof(int));
		for (size_t k = 0; k < d->n_from; k++) {
			int g = figure_of(t, map, d->from[k]);
			if (g >= 0 && g != f)
				out->from[out->n++] = g;
		}
		m->figures[f].derived = true;
		/* A statistic is never a count, whatever its unit (p90 is whole days). */
		if (d->statistic)
			m->figures[f].count = false;
	}
}

/* A relation over figures: one term per figure, coefficients added. */
static void add_relation(const struct nrm_return_tables *t, const struct cell_map *map,
                         struct nrm_dc_model *m, const struct nrm_relation *rel)
{
	struct nrm_dc_relation *out = &m->relations[m->n_relations];
	*out = (struct nrm_dc_relation){.kind = rel->kind};
	out->figure = nrm_xmalloc(rel->n_terms * sizeof(int));
	out->coef = nrm_xmalloc(rel->n_terms * sizeof(int));
	for (size_t k = 0; k < rel->n_terms; k++) {
		int f = figure_of(t, map, rel->terms[k].cell);
		if (f < 0 || !m->figures[f].count)
			continue;
		size_t j = 0;
		while (j < out->n && out->figure[j] != f)
			j++;
		if (j == out->n) {
			out->figure[out->n] = f;
			out->coef[out->n++] = 0;
		}
		out->coef[j] += rel->terms[k].coef;
	}
	size_t kept = 0;
	for (size_t j = 0; j < out->n; j++)
		if (out->coef[j] != 0) {
			out->figure[kept] = out->figure[j];
			out->coef[kept++] = out->coef[j];
		}
	out->n = kept;
	if (kept == 0) {  /* a figure equal to itself: no fact */
		free(out->figure);
		free(out->coef);
		return;
	}
	m->n_relations++;
}

void nrm_dc_model_build(const struct nrm_return_tables *t, struct nrm_dc_model *m)
{
	memset(m, 0, sizeof(*m));
	struct cell_map map;
	map_cells(t, m, &map);
	add_derivations(t, &map, m);
	m->relations = nrm_xcalloc(t->n_relations ? t->n_relations : 1, sizeof(*m->relations));
	for (size_t i = 0; i < t->n_relations; i++)
		add_relation(t, &map, m, &t->relations[i]);
	for (size_t i = 0; i < map.n_tables; i++)
		free(map.of[i]);
	free(map.of);
}

void nrm_dc_model_free(struct nrm_dc_model *m)
{
	for (size_t i = 0; i < m->n_figures; i++)
		free(m->figures[i].name);
	for (size_t i = 0; i < m->n_relations; i++) {
		free(m->relations[i].figure);
		free(m->relations[i].coef);
	}
	for (size_t i = 0; i < m->n_derivations; i++)
		free(m->derivations[i].from);
	free(m->figures);
	free(m->relations);
	free(m->derivations);
	memset(m, 0, sizeof(*m));
}

void nrm_dc_model_propagate(struct nrm_dc_model *m)
{
	for (size_t i = 0; i < m->n_derivations; i++) {
		struct nrm_dc_figure *f = &m->figures[m->derivations[i].figure];
		f->hidden = f->primary || f->forced;
	}
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < m->n_derivations; i++) {
			const struct nrm_dc_derivation *d = &m->derivations[i];
			struct nrm_dc_figure *f = &m->figures[d->figure];
			for (size_t k = 0; k < d->n && !f->hidden && !f->na; k++)
				if (m->figures[d->from[k]].hidden)
					f->hidden = changed = true;
		}
	}
}

int nrm_dc_model_check(const struct nrm_dc_model *m, struct nrm_error *err)
{
	for (size_t i = 0; i < m->n_relations; i++) {
		const struct nrm_dc_relation *r = &m->relations[i];
		long long sum = -r->rhs;
		for (size_t k = 0; k < r->n; k++)
			sum += r->coef[k] * m->figures[r->figure[k]].value;
		if (r->kind == NRM_RELATION_EQUAL ? sum != 0 : sum < 0)
			return nrm_fail(err, EX_SOFTWARE, "the figures do not obey the relation of %s "
			                "that the tables declare", m->figures[r->figure[0]].name);
	}
	return 0;
}

static const char *path_of(const struct nrm_dc_figure *f)
{
	return f->path ? f->path : "derived";
}

static bool all_shown(const struct nrm_dc_model *m, const struct nrm_dc_relation *r)
{
	for (size_t k = 0; k < r->n; k++) {
		const struct nrm_dc_figure *f = &m->figures[r->figure[k]];
		if (f->hidden || f->na || f->value < 0)
			return false;
	}
	return true;
}

/* Says how `r` is broken.  The tables declare two shapes: a sum (parts +1,
 * the total -1, last) and "part <= total" (total +1, part -1). */
static int broken(const struct nrm_dc_model *m, const struct nrm_dc_relation *r,
                  struct nrm_error *err)
{
	const struct nrm_dc_figure *last = &m->figures[r->figure[r->n - 1]];
	const struct nrm_dc_figure *first = &m->figures[r->figure[0]];
	if (r->kind == NRM_RELATION_EQUAL && r->n == 2)
		return nrm_fail(err, EX_DATAERR, "%s (%s) is %lld, but %s (%s), the same figure, is "
		                "%lld", last->name, path_of(last), last->value, first->name,
		                path_of(first), first->value);
	if (r->kind == NRM_RELATION_EQUAL) {
		long long parts = 0;
		for (size_t k = 0; k + 1 < r->n; k++)
			parts += m->figures[r->figure[k]].value;
		return nrm_fail(err, EX_DATAERR, "%s (%s) is %lld, but its parts (%s, ...) add up to "
		                "%lld", last->name, path_of(last), last->value, path_of(first), parts);
	}
	return nrm_fail(err, EX_DATAERR, "%s (%s) is %lld, more than %s (%s), %lld, which counts "
	                "the same cases and more", last->name, path_of(last), last->value,
	                first->name, path_of(first), first->value);
}

int nrm_dc_model_check_shown(const struct nrm_dc_model *m, struct nrm_error *err)
{
	for (size_t i = 0; i < m->n_relations; i++) {
		const struct nrm_dc_relation *r = &m->relations[i];
		if (r->n < 2 || !all_shown(m, r))
			continue;
		long long sum = -r->rhs;
		for (size_t k = 0; k < r->n; k++)
			sum += r->coef[k] * m->figures[r->figure[k]].value;
		if (r->kind == NRM_RELATION_EQUAL ? sum != 0 : sum < 0)
			return broken(m, r, err);
	}
	return 0;
}

void nrm_dc_model_append(struct nrm_dc_model *into, const struct nrm_dc_model *m,
                         const char *prefix)
{
	int off = (int)into->n_figures;
	into->figures = nrm_xrealloc(into->figures,
	                             (into->n_figures + m->n_figures + 1) * sizeof(*m->figures));
	for (size_t i = 0; i < m->n_figures; i++) {
		into->figures[into->n_figures] = m->figures[i];
		into->figures[into->n_figures++].name =
			nrm_xasprintf("%s %s", prefix, m->figures[i].name);
	}
	into->relations = nrm_xrealloc(into->relations, (into->n_relations + m->n_relations + 1) *
	                                                        sizeof(*m->relations));
	for (size_t i = 0; i < m->n_relations; i++) {
		const struct nrm_dc_relation *r = &m->relations[i];
		struct nrm_dc_relation *c = &into->relations[into->n_relations++];
		*c = (struct nrm_dc_relation){r->kind, r->n, nrm_xmalloc(r->n * sizeof(int)),
		                              nrm_xmalloc(r->n * sizeof(int)), r->rhs};
		for (size_t k = 0; k < r->n; k++) {
			c->figure[k] = r->figure[k] + off;
			c->coef[k] = r->coef[k];
		}
	}
	into->derivations = nrm_xrealloc(into->derivations,
	                                 (into->n_derivations + m->n_derivations + 1) *
	                                         sizeof(*m->derivations));
	for (size_t i = 0; i < m->n_derivations; i++) {
		const struct nrm_dc_derivation *d = &m->derivations[i];
		struct nrm_dc_derivation *c = &into->derivations[into->n_derivations++];
		*c = (struct nrm_dc_derivation){d->figure + off, d->n,
		                                nrm_xmalloc((d->n ? d->n : 1) * sizeof(int))};
		for (size_t k = 0; k < d->n; k++)
			c->from[k] = d->from[k] + off;
	}
}

void nrm_dc_model_relate_sum(struct nrm_dc_model *m, int total, const int *parts, size_t n)
{
	if (total < 0 || !m->figures[total].count)
		return;
	struct nrm_dc_relation r = {NRM_RELATION_EQUAL, 0, nrm_xmalloc((n + 1) * sizeof(int)),
	                            nrm_xmalloc((n + 1) * sizeof(int)), 0};
	for (size_t k = 0; k < n; k++)
		if (parts[k] >= 0 && m->figures[parts[k]].count) {
			r.figure[r.n] = parts[k];
			r.coef[r.n++] = 1;
		} else if (parts[k] >= 0) {
			r.n = 0;  /* not a sum of counts: no fact */
			break;
		}
	if (r.n == 0) {
		free(r.figure);
		free(r.coef);
		return;
	}
	r.figure[r.n] = total;
	r.coef[r.n++] = -1;
	m->relations = nrm_xrealloc(m->relations, (m->n_relations + 1) * sizeof(*m->relations));
	m->relations[m->n_relations++] = r;
}

void nrm_dc_model_relate_equal(struct nrm_dc_model *m, int x, int y)
{
	if (x < 0 || y < 0 || !m->figures[x].count || !m->figures[y].count)
		return;
	nrm_dc_model_relate_sum(m, x, &y, 1);
}

void nrm_dc_model_derive(struct nrm_dc_model *m, int figure, const int *from, size_t n)
{
	if (figure < 0)
		return;
	m->derivations = nrm_xrealloc(m->derivations,
	                              (m->n_derivations + 1) * sizeof(*m->derivations));
	struct nrm_dc_derivation *d = &m->derivations[m->n_derivations++];
	*d = (struct nrm_dc_derivation){figure, 0, nrm_xmalloc((n ? n : 1) * sizeof(int))};
	for (size_t k = 0; k < n; k++)
		if (from[k] >= 0 && from[k] != figure)
			d->from[d->n++] = from[k];
}
