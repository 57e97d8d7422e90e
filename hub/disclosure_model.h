/*
 * The published figures of a return as disclosure control sees them: one
 * figure per distinct value (a total shown in six tables is one figure),
 * the linear relations a reader knows between them, and the statistics
 * that must be hidden with the counts they are drawn from.  Built from the
 * tables' own description (return_tables.h), never from a second list.
 */
#ifndef NRM_DISCLOSURE_MODEL_H
#define NRM_DISCLOSURE_MODEL_H

#include "return_tables.h"

#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

struct nrm_dc_figure {
	const char *path;   /* JSON path in return.json; NULL for the Child row */
	char *name;         /* "Table_5 labour+criminal referrals": where it is shown */
	long long value;    /* when shown (or known to the builder); else -1 */
	bool count;         /* a count: in the linear relations, >= 0 */
	bool derived;       /* hidden whenever one of its sources is */
	bool na;            /* null ("[z]"): nothing to hide */
	bool hidden;
	bool primary;       /* hidden for being a count from 1 to the threshold */
	bool forced;        /* hidden because another published output hides it */
	bool fixed;         /* already published elsewhere (a site's published
	                       return beside the national tables): suppression
	                       never hides or shows it, only the audit reads it */
	/* The rule its publisher protects it by, where that is not the
	 * audit's own (a site's threshold beside the national one); 0: the
	 * audit's parameters. */
	int threshold, protection;
};

/* sum of coef * figure == rhs (EQUAL) or >= rhs (AT_LEAST). */
struct nrm_dc_relation {
	enum nrm_relation_kind kind;
	size_t n;
	int *figure;
	int *coef;
	long long rhs;
};

struct nrm_dc_derivation {
	int figure;
	size_t n;
	int *from;
};

struct nrm_dc_model {
	size_t n_figures;
	struct nrm_dc_figure *figures;
	size_t n_relations;
	struct nrm_dc_relation *relations;
	size_t n_derivations;
	struct nrm_dc_derivation *derivations;
};

/* The model of `t`'s figures; a cell shown "[c]" is a hidden figure of
 * unknown value.  Paths point into `t`, which must outlive the model. */
void nrm_dc_model_build(const struct nrm_return_tables *t, struct nrm_dc_model *m);
void nrm_dc_model_free(struct nrm_dc_model *m);

/* Hides every derived figure one of whose sources is hidden (to a fixed
 * point: a statistic of a statistic).  Derived figures that nothing forces
 * hidden are shown again, so the call can follow un-hiding too.  A null
 * statistic stays null. */
void nrm_dc_model_propagate(struct nrm_dc_model *m);

/* With every value known (the official figures): 0 when each relation
 * holds, else -1 with `err` naming the relation's first figure
 * (EX_SOFTWARE: a relation the tables declared is wrong). */
int nrm_dc_model_check(const struct nrm_dc_model *m, struct nrm_error *err);

/* A return received (bundle verify, intake): 0 when each relation whose
 * figures are all shown holds, else -1 with `err` (EX_DATAERR) naming the
 * figure and both values, e.g. a total of 999 whose parts add up to 7. */
int nrm_dc_model_check_shown(const struct nrm_dc_model *m, struct nrm_error *err);

/* Appends a copy of `m` to `into` (figures, relations, derivations, the
 * figure indices moved on), each name prefixed with `prefix` and a space.
 * Paths still point where `m`'s did. */
void nrm_dc_model_append(struct nrm_dc_model *into, const struct nrm_dc_model *m,
                         const char *prefix);
/* x == y, a fact that links two outputs (skipped unless both are counts,
 * or when either is -1). */
void nrm_dc_model_relate_equal(struct nrm_dc_model *m, int x, int y);
/* sum of parts == total over counts (parts with index -1 are skipped). */
void nrm_dc_model_relate_sum(struct nrm_dc_model *m, int total, const int *parts, size_t n);
/* `figure` is hidden whenever one of `from` is (the audit's `derived`
 * flag, for counts computed by the tables, is left as it is). */
void nrm_dc_model_derive(struct nrm_dc_model *m, int figure, const int *from, size_t n);


#endif
