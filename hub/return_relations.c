/*
 * The relations and derivations the builders of tables declare
 * (return_tables.h): stored beside the tables, read by the disclosure
 * model.  Kept apart from the builders so that a builder of other tables
 * (the national ones) declares its relations the same way.
 */
#include "return_tables.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

void nrm_table_relate(struct nrm_return_tables *o, enum nrm_relation_kind kind,
                      const struct nrm_relation_term *terms, size_t n)
{
	if (n == 0)
		return;
	o->relations = nrm_xrealloc(o->relations, (o->n_relations + 1) * sizeof(*o->relations));
	struct nrm_relation *r = &o->relations[o->n_relations++];
	r->kind = kind;
	r->n_terms = n;
	r->terms = nrm_xmalloc(n * sizeof(*terms));
	memcpy(r->terms, terms, n * sizeof(*terms));
}

void nrm_table_relate_sum(struct nrm_return_tables *o, enum nrm_relation_kind kind,
                          struct nrm_cell_ref total, const struct nrm_cell_ref *parts,
                          size_t n)
{
	struct nrm_relation_term *terms = nrm_xmalloc((n + 1) * sizeof(*terms));
	for (size_t i = 0; i < n; i++)
		terms[i] = (struct nrm_relation_term){parts[i], 1};
	terms[n] = (struct nrm_relation_term){total, -1};
	nrm_table_relate(o, kind, terms, n + 1);
	free(terms);
}

void nrm_table_relate_equal(struct nrm_return_tables *o, struct nrm_cell_ref a,
                            struct nrm_cell_ref b)
{
	nrm_table_relate_sum(o, NRM_RELATION_EQUAL, a, &b, 1);
}

void nrm_table_derive(struct nrm_return_tables *o, struct nrm_cell_ref cell, int statistic,
                      const struct nrm_cell_ref *from, size_t n)
{
	o->derivations = nrm_xrealloc(o->derivations,
	                              (o->n_derivations + 1) * sizeof(*o->derivations));
	struct nrm_derivation *d = &o->derivations[o->n_derivations++];
	d->cell = cell;
	d->statistic = statistic;
	d->n_from = n;
	d->from = nrm_xmalloc((n ? n : 1) * sizeof(*from));
	if (n)
		memcpy(d->from, from, n * sizeof(*from));
}

int nrm_table_find_ref(const struct nrm_return_tables *o, const char *key, const char *code,
                       unsigned col, struct nrm_cell_ref *out)
{
	for (size_t t = 0; t < o->n_tables; t++) {
		const struct nrm_table *tab = &o->tables[t];
		if (strcmp(tab->key, key) != 0 || col >= tab->n_columns || tab->n_columns < 3)
			continue;
		for (size_t r = 0; r < tab->n_rows; r++) {
			const struct nrm_cell *c = nrm_table_cell(tab, r, 2);
			if (c->text && strcmp(c->text, code) == 0) {
				*out = (struct nrm_cell_ref){(unsigned)t, (unsigned)r, col};
				return 1;
			}
		}
	}
	return 0;
}

void nrm_table_relations_free(struct nrm_return_tables *o)
{
	for (size_t i = 0; i < o->n_relations; i++)
		free(o->relations[i].terms);
	for (size_t i = 0; i < o->n_derivations; i++)
		free(o->derivations[i].from);
	free(o->relations);
	free(o->derivations);
	o->relations = NULL;
	o->derivations = NULL;
	o->n_relations = o->n_derivations = 0;
}
