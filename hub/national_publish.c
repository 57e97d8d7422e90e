/*
 * The published national tables (`national build --audience published`,
 * formats/national.md): suppressed jointly with every site's published
 * return for the quarter, so that no differencing between the national,
 * nation and site figures recovers a hidden cell.
 *
 * The intake store holds each site's official return only, which records
 * the cells the site's published return hides and the rule it hides them
 * by (return_pattern.h): those cells are taken as hidden and fixed
 * (already out: never shown, and nothing to gain by hiding more of them),
 * and each site's figures are audited by the site's own threshold and
 * protection level.  A return made before nrmhub recorded the pattern is
 * suppressed here as `return build --audience published` would (without
 * the earlier quarters it followed), at the national rule.
 *
 * One model (disclosure_model.h) then holds the national totals' tables
 * (the site return's tables over totals), each nation's figures and every
 * site's published return, with the relations a reader knows: each count
 * of the totals is the sum of the sites' counts at the same path; each
 * nation's count is the sum of its sites'; each return's own relations.
 * A nation with one reporting site is that site: the relation makes its
 * figures equal, so the site's hidden cells force the nation's.  The
 * table by site repeats each site's published figures exactly, so it adds
 * nothing to the model.  The totals' trend rows of earlier quarters follow
 * those quarters' own published national tables (follow_earlier).
 * Primary: national counts from 1 to the threshold; secondary: the
 * audit-and-extend loop and trim (nrm_dc_suppress_model), only ever on
 * national figures.  The result is audited again from the
 * published files' own figures before anything is written.
 *
 * The comparison (headline, comparison, pilot against non-pilot) is not
 * published: as for a site, its counts are not covered by this model.
 */
#include "national.h"

#include "national_model.h"

#include "json_path.h"
#include "quarter.h"
#include "return_build.h"
#include "return_pattern.h"
#include "return_suppress.h"
#include "return_tables.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

struct site_ret {
	char *site;
	json_t *official, *published;
};

struct sites {
	struct site_ret *v;
	size_t n;
	struct nrm_error *err;
	int failed;
};

static int on_latest(const struct store_intake_bundle *sb, void *ctx)
{
	struct sites *s = ctx;
	json_t *ret = json_loads(sb->return_json, JSON_REJECT_DUPLICATES, NULL);
	if (!ret) {
		s->failed = nrm_fail(s->err, EX_DATAERR, "the stored return of %s %s is not JSON",
		                     sb->site, sb->quarter);
		return 1;
	}
	s->v = nrm_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = (struct site_ret){nrm_xstrdup(sb->site), ret, NULL};
	return 0;
}

static void sites_free(struct sites *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].site);
		json_decref(s->v[i].official);
		json_decref(s->v[i].published);
	}
	free(s->v);
}

/* ---- publishing ------------------------------------------------------------------ */

/* by_site[i] from the site's published return: the same figures, hidden
 * where it hides them. */
static void restate_site(json_t *row, const json_t *pub)
{
	const char *stage[2] = {"rg", "cg"};
	json_t *days = json_object_get(row, "days_to_decision");
	for (int k = 0; k < 2; k++) {
		char *pp = nrm_xasprintf("$.decisions.%s.positive", stage[k]);
		char *np = nrm_xasprintf("$.decisions.%s.negative", stage[k]);
		json_t *pos = nrm_json_path_get(pub, pp), *neg = nrm_json_path_get(pub, np);
		bool hidden = !json_is_integer(pos) || !json_is_integer(neg);
		char key[32];
		snprintf(key, sizeof(key), "%s_positive", stage[k]);
		json_object_set(row, key, pos);
		snprintf(key, sizeof(key), "%s_decisions", stage[k]);
		if (hidden)
			json_object_set_new(row, key, json_string("[c]"));
		snprintf(key, sizeof(key), "%s_percent_positive", stage[k]);
		if (hidden)
			json_object_set_new(row, key, json_string("[c]"));
		free(pp);
		free(np);
		const json_t *src = json_object_get(json_object_get(pub, "days_to_decision"), stage[k]);
		json_t *dst = json_object_get(days, stage[k]);
		static const char *const keys[] = {"count", "mean", "median", "p90", "within_45_days"};
		for (size_t i = 0; i < 5; i++)
			json_object_set(dst, keys[i], json_object_get(src, keys[i]));
		json_object_set(json_object_get(row, "awaiting"), stage[k],
		                json_object_get(json_object_get(json_object_get(pub, "awaiting"),
		                                                stage[k]),
		                                "count"));
	}
	json_object_set(row, "referrals", json_object_get(json_object_get(pub, "referrals"), "total"));
}

/* A revision's size, published: how many figures and tables changed and
 * why, but not by how much each headline count moved, which the joint
 * suppression does not protect (the difference of an exact count and one
 * published before could pin down a hidden one). */
static void restate_revision(json_t *row)
{
	json_t *change = json_object_get(row, "revision_change");
	if (!json_is_object(change))
		return;
	static const char *const counts[] = {"referrals", "rg_decisions", "cg_decisions",
	                                     "largest_headline_change"};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		json_object_set_new(change, counts[i], json_null());
}

/* Figure f of the joint model, hidden, written as "[c]" where it is. */
static int hide(json_t *national, const struct nrm_national_model *j, size_t f, struct nrm_error *err)
{
	const struct nrm_dc_figure *fig = &j->m.figures[f];
	json_t *root = f < j->site_first[0] ? json_object_get(national, "totals") : national;
	if (nrm_json_path_set(root, fig->path, json_string("[c]")) != 0)
		return nrm_fail(err, EX_SOFTWARE, "cannot hide %s", fig->name);
	return 0;
}


/* A national figure that the sites' published figures already determine
 * (a total all of whose sites show their count, or any combination of
 * them) would be disclosed exactly if hidden as a secondary cell: it is
 * fixed as shown, so suppression never picks it (a primary one stays
 * hidden, and the audit refuses the output).  Found with one audit in which
 * every national count is unknown: those whose interval is one value. */
static int pin_known(struct nrm_dc_model *m, const struct nrm_dc_params *p,
                     struct nrm_error *err)
{
	bool *was = nrm_xcalloc(m->n_figures + 1, sizeof(bool));
	for (size_t i = 0; i < m->n_figures; i++) {
		struct nrm_dc_figure *f = &m->figures[i];
		was[i] = f->hidden;
		if (!f->fixed && f->count && f->value > 0)
			f->hidden = true;
	}
	struct nrm_dc_audit a = {0};
	int rc = nrm_dc_audit_run(m, p, false, &a, err);
	for (size_t i = 0; i < m->n_figures; i++)
		m->figures[i].hidden = was[i];
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		struct nrm_dc_figure *f = &m->figures[a.cells[i].figure];
		if (!f->fixed && !f->hidden && f->count && a.cells[i].hi - a.cells[i].lo < 0.5)
			f->fixed = true;
	}
	nrm_dc_audit_free(&a);
	free(was);
	return rc;
}

/* ---- the earlier quarters -------------------------------------------------------- */

/* What the published national tables of the quarters before this one did
 * with the figures this quarter's trend repeats: paths of this quarter's
 * totals' trend rows, hidden there or shown there. */
struct earlier {
	char **hidden, **shown;
	size_t n_hidden, n_shown;
};

static void earlier_add(char ***v, size_t *n, size_t row, const char *key)
{
	*v = nrm_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = nrm_xasprintf("$.trend[%zu].%s", row, key);
}

static bool listed(char *const *v, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], path) == 0)
			return true;
	return false;
}

static void earlier_free(struct earlier *e)
{
	for (size_t i = 0; i < e->n_hidden; i++)
		free(e->hidden[i]);
	for (size_t i = 0; i < e->n_shown; i++)
		free(e->shown[i]);
	free(e->hidden);
	free(e->shown);
	memset(e, 0, sizeof(*e));
}

static int publish_quarter(json_t *national, struct store *st, const struct nrm_dc_params *p,
                           bool follow, struct nrm_suppress_result *res,
                           struct nrm_error *err);

/* Each of the seven quarters before `quarter` as its national tables were
 * published: built from the store and published on its own (without
 * following its own earlier quarters, so this does not recurse).  A
 * quarter with no return, or whose tables could not be published, put
 * nothing out and constrains nothing. */
static int follow_earlier(struct store *st, const char *quarter, const struct nrm_dc_params *p,
                          struct earlier *e, struct nrm_error *err)
{
	struct nrm_quarter q;
	if (nrm_quarter_parse(quarter, &q) != 0)
		return nrm_fail(err, EX_SOFTWARE, "'%s' is not a quarter", quarter);
	for (int k = 1; k < NRM_RETURN_TREND_QUARTERS; k++) {
		struct nrm_quarter eq;
		char name[8];
		if (nrm_quarter_add(&q, -k, &eq) != 0)
			break;
		nrm_quarter_format(&eq, name);
		struct nrm_error why;
		json_t *before = nrm_national_build(st, name, 0, &why);
		int rc = before ? publish_quarter(before, st, p, false, NULL, &why) : -1;
		if (rc != 0 && why.code != EX_NOINPUT && why.code != EX_DATAERR) {
			*err = why;
			json_decref(before);
			return -1;
		}
		const json_t *totals = json_object_get(before, "totals");
		size_t row = (size_t)(NRM_RETURN_TREND_QUARTERS - 1 - k);
		for (size_t t = 0; rc == 0 && t < NRM_TREND_REPEATS; t++) {
			const json_t *v = nrm_json_path_get(totals, nrm_trend_repeats[t].own);
			if (json_is_string(v))
				earlier_add(&e->hidden, &e->n_hidden, row, nrm_trend_repeats[t].key);
			else if (json_is_number(v))
				earlier_add(&e->shown, &e->n_shown, row, nrm_trend_repeats[t].key);
		}
		json_decref(before);
	}
	return 0;
}

/* ---- choosing the pattern ---------------------------------------------------------- */

static int choose(json_t *national, struct sites *s, const struct earlier *e,
                  const struct nrm_dc_params *p, struct nrm_suppress_result *res,
                  struct nrm_error *err)
{
	json_t **official = nrm_xcalloc(s->n + 1, sizeof(*official));
	for (size_t i = 0; i < s->n; i++)
		official[i] = s->v[i].official;
	struct nrm_national_model j;
	int rc = nrm_national_model_build(national, official, s->n, &j, err);
	free(official);
	if (rc != 0)
		return -1;
	rc = nrm_dc_model_check(&j.m, err);
	for (size_t f = 0; rc == 0 && f < j.m.n_figures; f++) {
		struct nrm_dc_figure *fig = &j.m.figures[f];
		if (fig->fixed) {
			size_t site = nrm_national_model_site_of(&j, f);
			fig->forced = fig->path && json_is_string(nrm_json_path_get(
				s->v[site].published, fig->path));
			fig->hidden = fig->forced;
		} else if (fig->path && f < j.site_first[0] &&
		           listed(e->hidden, e->n_hidden, fig->path)) {
			fig->forced = fig->hidden = true;
		} else if (fig->path && f < j.site_first[0] &&
		           listed(e->shown, e->n_shown, fig->path)) {
			fig->fixed = true;  /* out already: hiding it protects nothing */
		} else {
			fig->primary = fig->count && fig->value >= 1 && fig->value <= p->threshold;
			fig->hidden = fig->primary;
		}
	}
	if (rc == 0)
		rc = pin_known(&j.m, p, err);
	if (rc == 0)
		rc = nrm_dc_suppress_model(&j.m, p, err);
	for (size_t f = 0; rc == 0 && f < j.m.n_figures; f++)
		if (nrm_national_model_is_national(&j, f) && j.m.figures[f].hidden)
			rc = hide(national, &j, f, err);
	if (rc == 0 && res) {
		memset(res, 0, sizeof(*res));
		for (size_t f = 0; f < j.m.n_figures; f++) {
			const struct nrm_dc_figure *fig = &j.m.figures[f];
			if (!nrm_national_model_is_national(&j, f) || !fig->hidden)
				continue;
			if (!fig->count)
				res->statistics++;
			else if (fig->primary)
				res->primary++;
			else
				res->secondary++;
		}
	}
	nrm_national_model_free(&j);
	return rc;
}

/* The published national.json and the sites' published returns audited
 * together from their own figures, as a reader holding them all would. */
static int audit(const json_t *national, struct sites *s, const struct nrm_dc_params *p,
                 struct nrm_error *err)
{
	json_t **pub = nrm_xcalloc(s->n + 1, sizeof(*pub));
	for (size_t i = 0; i < s->n; i++)
		pub[i] = s->v[i].published;
	struct nrm_national_model j;
	int rc = nrm_national_model_build(national, pub, s->n, &j, err);
	free(pub);
	if (rc != 0)
		return -1;
	struct nrm_dc_audit a = {0};
	rc = nrm_dc_audit_run(&j.m, p, false, &a, err);
	for (size_t i = 0; rc == 0 && i < a.n; i++)
		if (a.cells[i].verdict != NRM_DC_OK)
			rc = nrm_fail(err, EX_DATAERR, "the published national tables fail their "
			              "disclosure audit at %s: %s; nothing is written",
			              j.m.figures[a.cells[i].figure].name,
			              nrm_dc_verdict_text(a.cells[i].verdict));
	nrm_dc_audit_free(&a);
	nrm_national_model_free(&j);
	return rc;
}

/* A likely reason there is no pattern: a site that publishes with a lower
 * threshold than the national one has shown counts the national tables
 * must hide, and that a sum of sites can give back. */
static void explain_refusal(const struct sites *s, const struct nrm_dc_params *p,
                            struct nrm_error *err)
{
	for (size_t i = 0; i < s->n; i++) {
		int threshold, protection;
		nrm_return_disclosure_rule(s->v[i].official, &threshold, &protection);
		if (threshold && threshold < p->threshold) {
			size_t len = strlen(err->msg);
			snprintf(err->msg + len, sizeof(err->msg) - len,
			         " (%s publishes with threshold %d, below the national %d: its "
			         "small counts are out)", s->v[i].site, threshold, p->threshold);
			return;
		}
	}
}

/* The site's published return: as its official return records it, or made
 * again from it for a return that records none. */
static int site_published(struct site_ret *sr, const char *quarter,
                          const struct nrm_dc_params *p, struct nrm_error *err)
{
	char *where = nrm_xasprintf("the stored return of %s %s", sr->site, quarter);
	int rc = nrm_return_published_from(sr->official, where, &sr->published, err);
	free(where);
	if (rc != 0 || sr->published)
		return rc;
	struct nrm_dc_params site_p = {.threshold = p->threshold, .protection = p->protection};
	sr->published = json_deep_copy(sr->official);
	json_object_set_new(sr->published, "audience", json_string("published"));
	return nrm_return_suppress(sr->published, &site_p, NULL, err);
}

static int publish_quarter(json_t *national, struct store *st, const struct nrm_dc_params *params,
                           bool follow, struct nrm_suppress_result *res, struct nrm_error *err)
{
	struct nrm_dc_params p = *params;
	struct sites s = {.err = err};
	struct earlier e = {0};
	const char *quarter = json_string_value(json_object_get(national, "quarter"));
	if (store_intake_each_latest(st, quarter, on_latest, &s) < 0) {
		*err = *store_error(st);
		sites_free(&s);
		return -1;
	}
	int rc = s.failed;
	/* In by_site's order (the national build's, by name). */
	const json_t *by_site = json_object_get(national, "by_site");
	if (rc == 0 && json_array_size(by_site) != s.n)
		rc = nrm_fail(err, EX_SOFTWARE, "the sites' returns changed during the build");
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		const char *want =
			json_string_value(json_object_get(json_array_get(by_site, i), "site"));
		for (size_t k = i; k < s.n; k++)
			if (strcmp(s.v[k].site, want) == 0) {
				struct site_ret t = s.v[i];
				s.v[i] = s.v[k];
				s.v[k] = t;
			}
		if (strcmp(s.v[i].site, want) != 0)
			rc = nrm_fail(err, EX_SOFTWARE, "no stored return for %s", want);
	}
	for (size_t i = 0; rc == 0 && i < s.n; i++)
		rc = site_published(&s.v[i], quarter, &p, err);
	json_t *totals = json_object_get(national, "totals");
	if (rc == 0) {
		json_object_set_new(totals, "audience", json_string("published"));
		rc = follow ? follow_earlier(st, quarter, &p, &e, err) : 0;
		if (rc == 0)
			rc = choose(national, &s, &e, &p, res, err);
		if (rc != 0 && err->code == EX_DATAERR)
			explain_refusal(&s, &p, err);
	}
	if (rc == 0) {
		for (size_t i = 0; i < s.n; i++) {
			restate_site(json_array_get(by_site, i), s.v[i].published);
			restate_revision(json_array_get(by_site, i));
		}
		json_object_del(national, "headline");
		json_object_del(national, "comparison");
		json_object_del(national, "pilot_vs_non_pilot");
		json_object_set_new(national, "audience", json_string("published"));
		rc = audit(national, &s, &p, err);
	}
	if (rc == 0)
		rc = nrm_national_validate(national, err);
	sites_free(&s);
	earlier_free(&e);
	return rc;
}

int nrm_national_publish(json_t *national, struct store *st, const struct nrm_dc_params *params,
                         struct nrm_suppress_result *res, struct nrm_error *err)
{
	struct nrm_dc_params p = params ? *params : (struct nrm_dc_params){0};
	if (nrm_dc_params_resolve(&p) != 0)
		return nrm_fail(err, EX_USAGE, "the suppression threshold must be 1 to 1000");
	return publish_quarter(national, st, &p, true, res, err);
}
