/*
 * Suppression of the published return, over all its tables at once.
 *
 * The return's tables are built (return_tables.c), and with them the model
 * of their figures and of every relation a reader knows: breakdowns sum to
 * their totals, a type's count is the sum of the combinations that hold
 * it, a figure shown twice is one figure, the trend's last row is the
 * quarter's own (disclosure_model.h).
 *
 * Primary: every count from 1 to the threshold is hidden.  Zero is shown:
 * an empty cell discloses no child.  So is every figure the caller forces
 * (the trend's rows of earlier quarters, hidden where those quarters' own
 * published returns hide them, so that the two cannot be differenced).  Statistics drawn from a hidden count
 * or band (means, medians, p90, percentages) are hidden with it.
 *
 * Secondary, audit and extend: while the LP audit finds a hidden count
 * that the shown figures pin down or narrow (disclosure_audit.h), hide the
 * smallest non-zero shown count that shares a relation with it (on a tie,
 * the first in the tables' order; when it shares none, the smallest that
 * shares one with a hidden count linked to it through the relations), and
 * audit again.  Each round
 * hides one more figure, so the loop ends.  Then, last hidden first, each
 * secondary figure is shown again if the audit still passes without it, so
 * the pattern keeps no cell it does not need.  The greedy choice is not
 * optimal (fewest cells over all patterns is an integer programme), but it
 * is deterministic, fast for one return, and every pattern it gives is
 * checked by the same audit a reader could run.
 */
#include "return_suppress.h"

#include "json_path.h"
#include "return_audit.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static bool candidate(const struct nrm_dc_figure *f)
{
	return f->count && !f->hidden && !f->fixed && f->path && f->value > 0;
}

static bool relation_holds(const struct nrm_dc_relation *r, const bool *set)
{
	for (size_t k = 0; k < r->n; k++)
		if (set[r->figure[k]])
			return true;
	return false;
}

/* The hidden figures a reader links to `target`: those sharing a relation
 * with it, and with them, and so on (shown figures are constants). */
static bool *linked_hidden(const struct nrm_dc_model *m, int target)
{
	bool *set = nrm_xcalloc(m->n_figures + 1, sizeof(bool));
	set[target] = true;
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < m->n_relations; i++) {
			const struct nrm_dc_relation *r = &m->relations[i];
			if (!relation_holds(r, set))
				continue;
			for (size_t k = 0; k < r->n; k++)
				if (m->figures[r->figure[k]].hidden && !set[r->figure[k]])
					set[r->figure[k]] = grew = true;
		}
	}
	return set;
}

/* The best figure to hide for `target`: the smallest non-zero shown count
 * in a relation with it, else in a relation with a hidden figure linked to
 * it (its interval is bounded through those); ties to the first in the
 * tables' order.  -1 when there is none. */
static int best_for(const struct nrm_dc_model *m, int target)
{
	bool *set = nrm_xcalloc(m->n_figures + 1, sizeof(bool));
	set[target] = true;
	int best = -1;
	for (int pass = 0; pass < 2 && best < 0; pass++) {
		if (pass == 1) {
			free(set);
			set = linked_hidden(m, target);
		}
		for (size_t i = 0; i < m->n_relations; i++) {
			const struct nrm_dc_relation *r = &m->relations[i];
			if (!relation_holds(r, set))
				continue;
			for (size_t k = 0; k < r->n; k++) {
				int f = r->figure[k];
				const struct nrm_dc_figure *fig = &m->figures[f];
				if (candidate(fig) &&
				    (best < 0 || fig->value < m->figures[best].value ||
				     (fig->value == m->figures[best].value && f < best)))
					best = f;
			}
		}
	}
	free(set);
	return best;
}

/* The first failing figure, -2 when the audit passes, -1 on error.  Hidden
 * counts with `skip` set are known to pass and not audited; `wide` as
 * nrm_dc_audit_search() fills it. */
static int first_failure(const struct nrm_dc_model *m, const struct nrm_dc_params *p,
                         const bool *skip, bool *wide, struct nrm_error *err)
{
	struct nrm_dc_audit a;
	if (nrm_dc_audit_search(m, p, skip, wide, &a, err) != 0)
		return -1;
	int f = a.n_failed ? a.cells[a.n - 1].figure : -2;
	if (a.n_failed && a.cells[a.n - 1].verdict == NRM_DC_CONTRADICTION)
		f = nrm_fail(err, EX_SOFTWARE, "the relations of %s contradict the official "
		             "figures", m->figures[f].name);
	nrm_dc_audit_free(&a);
	return f;
}

/* Audit and extend; the secondary figures in the order they were hidden.
 * Each round only hides more, which only widens every hidden count's
 * interval: a count found at least its protection wide in one round is
 * passed over in the next (`safe`), the same answer for less solving. */
static int extend(struct nrm_dc_model *m, const struct nrm_dc_params *p, int **order,
                  size_t *n_order, struct nrm_error *err)
{
	bool *safe = nrm_xcalloc(m->n_figures + 1, sizeof(bool));
	for (;;) {
		int failing = first_failure(m, p, safe, safe, err);
		if (failing == -2)
			break;
		int pick = failing < 0 ? -1 : best_for(m, failing);
		if (pick < 0) {
			free(safe);
			return failing < 0 ? -1
			                   : nrm_fail(err, EX_DATAERR, "no pattern of suppression "
			                              "protects %s: no shown count is left to hide; "
			                              "nothing is written", m->figures[failing].name);
		}
		m->figures[pick].hidden = true;
		nrm_dc_model_propagate(m);
		*order = nrm_xrealloc(*order, (*n_order + 1) * sizeof(int));
		(*order)[(*n_order)++] = pick;
	}
	free(safe);
	return 0;
}

/* Shows again, last first, each secondary figure the audit does not need.
 * The pattern before each step passes the audit, and showing a figure
 * moves only the intervals of the hidden counts linked to it through the
 * relations (linked_hidden): the others are passed over. */
static int trim(struct nrm_dc_model *m, const struct nrm_dc_params *p, const int *order,
                size_t n_order, struct nrm_error *err)
{
	for (size_t i = n_order; i-- > 0;) {
		bool *skip = linked_hidden(m, order[i]);
		for (size_t f = 0; f < m->n_figures; f++)
			skip[f] = !skip[f];
		m->figures[order[i]].hidden = false;
		nrm_dc_model_propagate(m);
		int failing = first_failure(m, p, skip, NULL, err);
		free(skip);
		if (failing == -1)
			return -1;
		if (failing >= 0) {
			m->figures[order[i]].hidden = true;
			nrm_dc_model_propagate(m);
		}
	}
	return 0;
}

static void count_result(const struct nrm_dc_model *m, struct nrm_suppress_result *res)
{
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < m->n_figures; i++) {
		const struct nrm_dc_figure *f = &m->figures[i];
		if (!f->hidden || !f->path)
			continue;
		if (!f->count)
			res->statistics++;
		else if (f->primary || f->forced)
			res->primary++;
		else
			res->secondary++;
	}
}

int nrm_dc_suppress_model(struct nrm_dc_model *m, const struct nrm_dc_params *p,
                          struct nrm_error *err)
{
	int *order = NULL;
	size_t n_order = 0;
	nrm_dc_model_propagate(m);
	int rc = extend(m, p, &order, &n_order, err);
	if (rc == 0)
		rc = trim(m, p, order, n_order, err);
	free(order);
	return rc;
}

void nrm_dc_model_count(const struct nrm_dc_model *m, struct nrm_suppress_result *res)
{
	count_result(m, res);
}

static int choose(json_t *ret, const struct nrm_dc_params *p, struct nrm_suppress_result *res,
                  struct nrm_error *err)
{
	struct nrm_return_tables t;
	if (nrm_return_tables_build(ret, &t, err) != 0)
		return -1;
	struct nrm_dc_model m;
	nrm_dc_model_build(&t, &m);
	int rc = nrm_dc_model_check(&m, err);
	for (size_t i = 0; rc == 0 && i < m.n_figures; i++) {
		struct nrm_dc_figure *f = &m.figures[i];
		f->primary = f->count && f->value >= 1 && f->value <= p->threshold;
		for (size_t k = 0; k < p->n_forced && f->path && !f->na; k++)
			f->forced = f->forced || strcmp(f->path, p->forced[k]) == 0;
		f->hidden = f->primary || f->forced;
	}
	if (rc == 0)
		rc = nrm_dc_suppress_model(&m, p, err);
	for (size_t i = 0; rc == 0 && i < m.n_figures; i++)
		if (m.figures[i].hidden && m.figures[i].path &&
		    nrm_json_path_set(ret, m.figures[i].path, json_string("[c]")) != 0)
			rc = nrm_fail(err, EX_SOFTWARE, "cannot hide %s", m.figures[i].name);
	if (rc == 0)
		count_result(&m, res);
	nrm_dc_model_free(&m);
	nrm_return_tables_free(&t);
	return rc;
}

/* The rewritten return audited as a reader holding only it would. */
static int audit_published(const json_t *ret, const struct nrm_dc_params *p,
                           struct nrm_error *err)
{
	struct nrm_return_audit a;
	if (nrm_return_audit(ret, p, &a, err) != 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < a.audit.n && rc == 0; i++)
		if (a.audit.cells[i].verdict != NRM_DC_OK)
			rc = nrm_fail(err, EX_DATAERR, "the published return fails its disclosure "
			              "audit at %s: %s; nothing is written",
			              a.model.figures[a.audit.cells[i].figure].name,
			              nrm_dc_verdict_text(a.audit.cells[i].verdict));
	nrm_return_audit_free(&a);
	return rc;
}

int nrm_return_suppress(json_t *ret, const struct nrm_dc_params *params,
                        struct nrm_suppress_result *res, struct nrm_error *err)
{
	struct nrm_dc_params p = params ? *params : (struct nrm_dc_params){0};
	struct nrm_suppress_result ignored;
	if (nrm_dc_params_resolve(&p) != 0)
		return nrm_fail(err, EX_USAGE, "the suppression threshold must be 1 to 1000");
	if (choose(ret, &p, res ? res : &ignored, err) != 0)
		return -1;
	return audit_published(ret, &p, err);
}
