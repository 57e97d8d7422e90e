/*
 * The LP audit.  One problem per audit: a column per hidden count (bounded
 * below by 1, since zeros are shown and so a hidden count is never 0, and
 * above by nothing but the relations: a part is at most its total through
 * the relation itself), a row per relation that holds a hidden count, with the shown
 * figures moved to the right-hand side.  Each hidden count is then
 * minimised and maximised in turn.
 */
#include "disclosure_audit.h"

#include "util.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Below this, two LP bounds are the same value. */
#define EPSILON 1e-6

int nrm_dc_params_resolve(struct nrm_dc_params *p)
{
	if (p->threshold == 0)
		p->threshold = NRM_DC_THRESHOLD;
	if (p->protection == 0)
		p->protection = p->threshold + 1;
	return p->threshold >= 1 && p->threshold <= 1000 && p->protection >= 1 &&
	               p->protection <= 100000
	           ? 0
	           : -1;
}

const char *nrm_dc_verdict_text(enum nrm_dc_verdict v)
{
	switch (v) {
	case NRM_DC_OK: return "protected";
	case NRM_DC_EXACT: return "derivable exactly";
	case NRM_DC_NARROW: return "narrower than the protection level";
	case NRM_DC_SMALL_SHOWN: return "a small count is shown";
	case NRM_DC_STAT_SHOWN: return "a statistic of a hidden count is shown";
	case NRM_DC_CONTRADICTION: return "the shown figures break a relation";
	}
	return "?";
}

static void record(struct nrm_dc_audit *a, int figure, double lo, double hi,
                   enum nrm_dc_verdict v)
{
	a->cells = nrm_xrealloc(a->cells, (a->n + 1) * sizeof(*a->cells));
	a->cells[a->n++] = (struct nrm_dc_interval){figure, lo, hi, v};
	a->n_failed += v != NRM_DC_OK;
}

static bool is_unknown(const struct nrm_dc_model *m, int f)
{
	return m->figures[f].count && m->figures[f].hidden;
}

/* The threshold and protection level figure `f` is published under. */
static int threshold_of(const struct nrm_dc_figure *f, const struct nrm_dc_params *p)
{
	return f->threshold ? f->threshold : p->threshold;
}

static int protection_of(const struct nrm_dc_figure *f, const struct nrm_dc_params *p)
{
	return f->protection ? f->protection : f->threshold ? f->threshold + 1 : p->protection;
}

/* What a reader sees without solving anything: small counts shown,
 * statistics shown beside hidden counts.  True when one was found. */
static bool visible_failures(const struct nrm_dc_model *m, const struct nrm_dc_params *p,
                             bool stop, struct nrm_dc_audit *out)
{
	size_t before = out->n_failed;
	for (size_t i = 0; i < m->n_figures && !(stop && out->n_failed); i++) {
		const struct nrm_dc_figure *f = &m->figures[i];
		if (f->count && !f->hidden && f->value >= 1 &&
		    f->value <= threshold_of(f, p))
			record(out, (int)i, (double)f->value, (double)f->value, NRM_DC_SMALL_SHOWN);
	}
	for (size_t i = 0; i < m->n_derivations && !(stop && out->n_failed); i++) {
		const struct nrm_dc_derivation *d = &m->derivations[i];
		const struct nrm_dc_figure *f = &m->figures[d->figure];
		for (size_t k = 0; k < d->n && !f->hidden && !f->na; k++)
			if (m->figures[d->from[k]].hidden) {
				record(out, d->figure, NAN, NAN, NRM_DC_STAT_SHOWN);
				break;
			}
	}
	return out->n_failed > before;
}

struct lp {
	const struct nrm_dc_model *model;
	glp_prob *prob;
	int *col_of;      /* figure -> column (1-based), 0 when shown */
	int *fig_of_col;  /* column -> figure */
	bool *in_row;     /* column appears in some row */
	bool *derived;    /* column is a derived count */
	double lower;     /* every hidden count's lower bound */
	int n_cols;
};

/* The rows of one relation; false when it holds no unknown and is broken. */
static bool add_row(struct lp *lp, const struct nrm_dc_model *m, const struct nrm_dc_relation *r,
                    int *ia, int *ja, double *ar, int *nz)
{
	double rhs = (double)r->rhs;
	int unknown = 0;
	for (size_t k = 0; k < r->n; k++)
		if (is_unknown(m, r->figure[k]))
			unknown++;
		else
			rhs -= (double)r->coef[k] * (double)m->figures[r->figure[k]].value;
	if (unknown == 0)
		return r->kind == NRM_RELATION_EQUAL ? fabs(rhs) < EPSILON : rhs <= EPSILON;
	int row = glp_add_rows(lp->prob, 1);
	glp_set_row_bnds(lp->prob, row, r->kind == NRM_RELATION_EQUAL ? GLP_FX : GLP_LO, rhs, rhs);
	for (size_t k = 0; k < r->n; k++) {
		int col = lp->col_of[r->figure[k]];
		if (!col)
			continue;
		++*nz;
		ia[*nz] = row;
		ja[*nz] = col;
		ar[*nz] = r->coef[k];
		lp->in_row[col] = true;
	}
	return true;
}

/* Builds the problem; the index of a broken relation's first figure, or -1. */
static int lp_build(struct lp *lp, const struct nrm_dc_model *m, double lower)
{
	lp->model = m;
	lp->lower = lower;
	lp->prob = glp_create_prob();
	lp->col_of = nrm_xcalloc(m->n_figures + 1, sizeof(int));
	lp->fig_of_col = nrm_xcalloc(m->n_figures + 1, sizeof(int));
	lp->in_row = nrm_xcalloc(m->n_figures + 1, sizeof(bool));
	lp->derived = nrm_xcalloc(m->n_figures + 1, sizeof(bool));
	for (size_t i = 0; i < m->n_figures; i++)
		if (is_unknown(m, (int)i)) {
			lp->col_of[i] = ++lp->n_cols;
			lp->fig_of_col[lp->n_cols] = (int)i;
			lp->derived[lp->n_cols] = m->figures[i].derived;
		}
	if (lp->n_cols)
		glp_add_cols(lp->prob, lp->n_cols);
	for (int c = 1; c <= lp->n_cols; c++)
		glp_set_col_bnds(lp->prob, c, GLP_LO, lp->lower, 0.0);
	size_t cap = 1;
	for (size_t i = 0; i < m->n_relations; i++)
		cap += m->relations[i].n;
	int *ia = nrm_xmalloc(cap * sizeof(int)), *ja = nrm_xmalloc(cap * sizeof(int));
	double *ar = nrm_xmalloc(cap * sizeof(double));
	int nz = 0, broken = -1;
	for (size_t i = 0; i < m->n_relations; i++)
		if (!add_row(lp, m, &m->relations[i], ia, ja, ar, &nz) && broken < 0)
			broken = m->relations[i].figure[0];
	if (nz)
		glp_load_matrix(lp->prob, nz, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	return broken;
}

static void lp_free(struct lp *lp)
{
	glp_delete_prob(lp->prob);
	free(lp->col_of);
	free(lp->fig_of_col);
	free(lp->in_row);
	free(lp->derived);
}

/* The optimum of column `col` in direction `dir`: 0 with *value set (INFINITY
 * when unbounded), 1 when infeasible, -1 when GLPK failed. */
static int optimum(struct lp *lp, int col, int dir, double *value)
{
	glp_set_obj_dir(lp->prob, dir);
	glp_set_obj_coef(lp->prob, col, 1.0);
	/* Without presolve, each solve starts from the last one's optimal
	 * basis (the rows are the same, only the objective moves): about half
	 * the work of solving afresh.  A basis the solver cannot use (singular
	 * or ill-conditioned after many solves) is dropped and the LP solved
	 * from the standard basis. */
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.presolve = GLP_OFF;
	parm.msg_lev = GLP_MSG_OFF;
	int rc = glp_simplex(lp->prob, &parm), result = -1;
	if (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND) {
		glp_std_basis(lp->prob);
		rc = glp_simplex(lp->prob, &parm);
	}
	int status = rc == 0 ? glp_get_status(lp->prob) : 0;
	if (rc == GLP_ENOPFS || status == GLP_NOFEAS)
		result = 1;
	else if (rc == GLP_ENODFS || status == GLP_UNBND) {
		*value = dir == GLP_MAX ? INFINITY : -INFINITY;
		result = 0;
	} else if (rc == 0 && status == GLP_OPT) {
		*value = glp_get_obj_val(lp->prob);
		result = 0;
	}
	glp_set_obj_coef(lp->prob, col, 0.0);
	return result;
}

static enum nrm_dc_verdict judge(double lo, double hi, const struct nrm_dc_figure *f,
                                 const struct nrm_dc_params *p)
{
	if (hi - lo < EPSILON)
		return NRM_DC_EXACT;
	if (lo <= threshold_of(f, p) + EPSILON && hi - lo < protection_of(f, p) - EPSILON)
		return NRM_DC_NARROW;
	return NRM_DC_OK;
}

/* The interval of column `col`; -1 when GLPK failed.  `wide`, when not
 * NULL, is set for a figure whose interval is at least its protection wide. */
static int audit_column(struct lp *lp, int col, const struct nrm_dc_params *p,
                        struct nrm_dc_audit *out, bool *wide)
{
	int f = lp->fig_of_col[col];
	double lo = lp->lower, hi = INFINITY;
	if (lp->in_row[col]) {
		int a = optimum(lp, col, GLP_MIN, &lo);
		int b = a == 0 ? optimum(lp, col, GLP_MAX, &hi) : a;
		if (a < 0 || b < 0)
			return -1;
		if (a > 0 || b > 0) {
			record(out, f, NAN, NAN, NRM_DC_CONTRADICTION);
			return 0;
		}
	}
	/* A derived count (the Child row, the sum of the hidden bands) is
	 * hidden only so as not to add that sum; the bands are what is
	 * protected, and the LP already holds the sum as a relation. */
	record(out, f, lo, hi,
	       lp->derived[col] ? NRM_DC_OK : judge(lo, hi, &lp->model->figures[f], p));
	if (wide)
		wide[f] = lp->derived[col] ||
		          hi - lo >= protection_of(&lp->model->figures[f], p) - EPSILON;
	return 0;
}

static int audit(const struct nrm_dc_model *m, const struct nrm_dc_params *p,
                 bool stop_at_first, const bool *skip, bool *wide, struct nrm_dc_audit *out,
                 struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	if (visible_failures(m, p, stop_at_first, out) && stop_at_first)
		return 0;
	struct lp lp = {0};
	/* GLPK's terminal output is process-wide: off while we solve, then as
	 * it was, so the library leaves the process as it found it. */
	int term = glp_term_out(GLP_OFF);
	int broken = lp_build(&lp, m, p->zero_lower_bound ? 0.0 : 1.0), rc = 0;
	if (broken >= 0)
		record(out, broken, NAN, NAN, NRM_DC_CONTRADICTION);
	for (int c = 1; c <= lp.n_cols && rc == 0 && !(stop_at_first && out->n_failed); c++)
		if (!(skip && skip[lp.fig_of_col[c]]) && audit_column(&lp, c, p, out, wide) < 0)
			rc = nrm_fail(err, EX_SOFTWARE, "the LP solver failed on %s",
			              m->figures[lp.fig_of_col[c]].name);
	lp_free(&lp);
	glp_term_out(term);
	return rc;
}

int nrm_dc_audit_run(const struct nrm_dc_model *m, const struct nrm_dc_params *p,
                     bool stop_at_first, struct nrm_dc_audit *out, struct nrm_error *err)
{
	return audit(m, p, stop_at_first, NULL, NULL, out, err);
}

int nrm_dc_audit_search(const struct nrm_dc_model *m, const struct nrm_dc_params *p,
                        const bool *skip, bool *wide, struct nrm_dc_audit *out,
                        struct nrm_error *err)
{
	return audit(m, p, true, skip, wide, out, err);
}

void nrm_dc_audit_free(struct nrm_dc_audit *a)
{
	free(a->cells);
	memset(a, 0, sizeof(*a));
}
