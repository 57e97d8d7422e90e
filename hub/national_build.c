/*
 * national.json (national.h, formats/national.md): the sites' latest
 * returns summed, and every statistic of days computed again from the case
 * rows they carried.
 */
#include "national.h"
#include "national_revision.h"
#include "../plugins/common/json_syntax.h"

#include "config.h"
#include "codes.h"
#include "comparison.h"
#include "date.h"
#include "intake.h"
#include "json_schema.h"
#include "nation.h"
#include "pilot_scope.h"
#include "pilot_sites.h"
#include "quarter.h"
#include "return_build.h"
#include "return_schema.h"
#include "return_stats.h"
#include "site_name.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#include <nrmhub/plugin.h>

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The days behind the statistics of one group of cases (a site, a nation,
 * the nation as a whole, or the non-pilot cases). */
struct days4 {
	struct nrm_days rg, cg, await_rg, await_cg;
};

struct group {
	char *name, *nation;
	char *display; /* sites only: the return's site_name, or NULL */
	int64_t referrals, rg_decisions, cg_decisions, rg_positive, cg_positive;
	struct days4 d;
	/* sites only */
	int64_t seq, received_at;
	char *bag;
	bool revision, key_revoked;
	json_t *revision_change; /* a revision: its size (national_revision.h) */
};

struct build {
	struct store *s;
	struct nrm_quarter q;
	char quarter[7];
	struct nrm_error *err;
	json_t *totals;       /* the summed return */
	struct days4 all;
	struct group *sites, *nations;
	size_t n_sites, n_nations;
	json_t *expected;     /* site -> nation, from the keys */
	struct group *cur;    /* the site whose rows are being read */
	int failed;
};

static void days4_free(struct days4 *d)
{
	nrm_days_free(&d->rg);
	nrm_days_free(&d->cg);
	nrm_days_free(&d->await_rg);
	nrm_days_free(&d->await_cg);
}

/* ---- the statistics -------------------------------------------------------- */

static json_t *mean_json(const struct nrm_day_stats *s)
{
	return s->count ? json_real((double)s->mean10 / 10.0) : json_null();
}

static json_t *median_json(const struct nrm_day_stats *s)
{
	if (!s->count)
		return json_null();
	return s->median2 % 2 == 0 ? json_integer(s->median2 / 2)
	                           : json_real((double)s->median2 / 2.0);
}

/* {count, mean, median, p90, within_45_days} of a list of days. */
static json_t *stats_json(struct nrm_days *d, struct nrm_day_stats *out)
{
	struct nrm_day_stats s;
	nrm_days_summarise(d, &s);
	if (out)
		*out = s;
	return json_pack("{s:I, s:o, s:o, s:o, s:I}", "count", (json_int_t)s.count, "mean",
	                 mean_json(&s), "median", median_json(&s), "p90",
	                 s.count ? json_integer(s.p90) : json_null(), "within_45_days",
	                 (json_int_t)s.within_45);
}

static json_t *bands_json(const struct nrm_day_stats *s)
{
	json_t *o = json_object();
	for (int i = 0; i < NRM_DAY_BANDS; i++)
		json_object_set_new(o, nrm_day_band_names[i], json_integer((json_int_t)s->bands[i]));
	return o;
}

/* ---- the case rows ----------------------------------------------------------- */

unsigned nrm_case_place(const struct nrm_case_dates *d, const struct nrm_quarter *q)
{
	int32_t L = q->last;
	unsigned place = 0;
	if (d->has_rg && d->rg >= q->first && d->rg <= L)
		place |= NRM_PLACE_RG;
	if (d->has_cg && d->cg >= q->first && d->cg <= L)
		place |= NRM_PLACE_CG;
	if (d->referral > L || (d->closed && d->closed_on <= L))
		return place;
	if (!(d->has_rg && d->rg <= L))
		place |= NRM_PLACE_AWAIT_RG;
	else if (d->rg_positive && !(d->has_cg && d->cg <= L))
		place |= NRM_PLACE_AWAIT_CG;
	return place;
}

/* Adds one case's days to `d`. */
static void add_case_days(struct days4 *d, const struct nrm_quarter *q,
                          const struct nrm_case_dates *c)
{
	unsigned place = nrm_case_place(c, q);
	if (place & NRM_PLACE_RG)
		nrm_days_add(&d->rg, c->rg - c->referral);
	if (place & NRM_PLACE_CG)
		nrm_days_add(&d->cg, c->cg - c->referral);
	if (place & NRM_PLACE_AWAIT_RG)
		nrm_days_add(&d->await_rg, q->last - c->referral);
	if (place & NRM_PLACE_AWAIT_CG)
		nrm_days_add(&d->await_cg, q->last - c->referral);
}

static struct group *nation_group(struct build *b, const char *nation)
{
	for (size_t i = 0; i < b->n_nations; i++)
		if (strcmp(b->nations[i].name, nation) == 0)
			return &b->nations[i];
	b->nations = nrm_xrealloc(b->nations, (b->n_nations + 1) * sizeof(*b->nations));
	struct group *g = &b->nations[b->n_nations++];
	memset(g, 0, sizeof(*g));
	g->name = nrm_xstrdup(nation);
	return g;
}

static int on_row(const char *pseudonym, const char *const v[STORE_INTAKE_CASE_VALUES],
                  void *ctx)
{
	struct build *b = ctx;
	struct nrm_case_dates d;
	if (nrm_intake_row_dates(v, &d))
		return 0; /* checked at intake; a row without a referral date cannot count */
	struct days4 *targets[3] = {&b->all, &b->cur->d,
	                            &nation_group(b, b->cur->nation)->d};
	for (int i = 0; i < 3; i++)
		add_case_days(targets[i], &b->q, &d);
	return 0;
}

/* ---- summing the returns ------------------------------------------------------ */

/* Adds every integer of `src` into `acc` (same shape), key by key; keys
 * only `src` has are copied.  Statistics (reals, nulls) are left: they are
 * computed again from the case rows. */
static void sum_into(json_t *acc, json_t *src)
{
	const char *key;
	json_t *v;
	json_object_foreach(src, key, v) {
		json_t *a = json_object_get(acc, key);
		if (!a)
			json_object_set_new(acc, key, json_deep_copy(v));
		else if (json_is_integer(a) && json_is_integer(v))
			json_integer_set(a, json_integer_value(a) + json_integer_value(v));
		else if (json_is_object(a) && json_is_object(v))
			sum_into(a, v);
		else if (json_is_array(a) && json_is_array(v))
			for (size_t i = 0; i < json_array_size(a) && i < json_array_size(v); i++)
				sum_into(json_array_get(a, i), json_array_get(v, i));
	}
}

static int64_t positive(json_t *ret, const char *stage)
{
	json_t *d = json_object_get(json_object_get(ret, "decisions"), stage);
	return json_integer_value(json_object_get(d, "positive"));
}

static int64_t decided(json_t *ret, const char *stage)
{
	json_t *d = json_object_get(json_object_get(ret, "decisions"), stage);
	return json_integer_value(json_object_get(d, "positive")) +
	       json_integer_value(json_object_get(d, "negative"));
}

/* The national tables still carry the eight quarters' trend: a site's
 * series (return_series.h) becomes that trend, its rows found by quarter,
 * a quarter before the site's series (before it joined) all zeros. */
static void series_to_trend(json_t *ret)
{
	json_t *series = json_object_get(ret, "series");
	struct nrm_quarter q;
	const char *name = json_string_value(json_object_get(ret, "quarter"));
	if (!json_is_array(series) || !name || nrm_quarter_parse(name, &q) != 0)
		return;
	json_t *trend = json_array();
	for (int i = 1 - NRM_RETURN_TREND_QUARTERS; i <= 0; i++) {
		struct nrm_quarter t;
		char tq[7] = "0000Q0";
		if (nrm_quarter_add(&q, i, &t) == 0)
			nrm_quarter_format(&t, tq);
		json_t *row = json_pack("{s:s, s:i, s:i, s:i, s:n, s:n}", "quarter", tq, "referrals", 0,
		                        "rg_decisions", 0, "cg_decisions", 0, "mean_days_rg",
		                        "mean_days_cg");
		size_t k;
		json_t *e;
		json_array_foreach(series, k, e) {
			const char *eq = json_string_value(json_object_get(e, "quarter"));
			if (!eq || strcmp(eq, tq) != 0)
				continue;
			static const char *const keys[] = {"referrals", "rg_decisions", "cg_decisions",
			                                   "mean_days_rg", "mean_days_cg"};
			for (size_t f = 0; f < 5; f++)
				json_object_set(row, keys[f], json_object_get(e, keys[f]));
		}
		json_array_append_new(trend, row);
	}
	json_object_set_new(ret, "trend", trend);
	json_object_del(ret, "series");
}

static int on_bundle(const struct store_intake_bundle *sb, void *ctx)
{
	struct build *b = ctx;
	json_error_t je;
	json_t *ret = json_loads(sb->return_json, JSON_REJECT_DUPLICATES, &je);
	if (!ret) {
		char why[200];
		json_syntax_reason(je.text, why, sizeof(why));
		b->failed = nrm_fail(b->err, EX_DATAERR, "the stored return of %s %s: %s", sb->site,
		                     sb->quarter, why);
		return 1;
	}
	b->sites = nrm_xrealloc(b->sites, (b->n_sites + 1) * sizeof(*b->sites));
	struct group *g = b->cur = &b->sites[b->n_sites++];
	memset(g, 0, sizeof(*g));
	g->name = nrm_xstrdup(sb->site);
	const char *display = nrm_return_site_name(ret);
	g->display = display && !nrm_site_name_problem(display) ? nrm_xstrdup(display) : NULL;
	const char *nation = json_string_value(json_object_get(b->expected, sb->site));
	g->nation = nrm_xstrdup(nation ? nation : "unknown");
	g->seq = sb->seq;
	g->received_at = sb->received_at;
	g->bag = nrm_xstrdup(sb->bag);
	g->revision = sb->n_received > 1;
	g->key_revoked = sb->key_revoked;
	if (g->revision &&
	    !(g->revision_change = nrm_national_revision_change(b->s, sb->site, sb->quarter, sb->seq,
	                                                        ret, b->err))) {
		json_decref(ret);
		b->failed = -1;
		return 1;
	}
	g->referrals = json_integer_value(json_object_get(json_object_get(ret, "referrals"), "total"));
	g->rg_decisions = decided(ret, "rg");
	g->cg_decisions = decided(ret, "cg");
	g->rg_positive = positive(ret, "rg");
	g->cg_positive = positive(ret, "cg");
	struct group *n = nation_group(b, g->nation);
	n->referrals += g->referrals;
	n->rg_decisions += g->rg_decisions;
	n->cg_decisions += g->cg_decisions;
	n->rg_positive += g->rg_positive;
	n->cg_positive += g->cg_positive;
	/* A site's own comparison is not summed: the national comparison is
	 * made again from every child's row, with the Home Office group only
	 * it can make.  Nor is its rule of disclosure. */
	json_object_del(ret, "comparison");
	json_object_del(ret, "disclosure");
	/* Nor what it says of its own revisions: the national tables are no
	 * site's revision. */
	json_object_del(ret, "revision");
	series_to_trend(ret);
	/* The totals are no one site's: not its name, nor its area. */
	json_object_del(ret, "site_name");
	json_object_del(ret, "area");
	if (!b->totals)
		b->totals = json_deep_copy(ret);
	else
		sum_into(b->totals, ret);
	json_decref(ret);
	if (store_intake_each_case(b->s, sb->id, on_row, b) < 0) {
		*b->err = *store_error(b->s);
		b->failed = -1;
		return 1;
	}
	return 0;
}

static int on_key(const struct store_key *k, void *ctx)
{
	json_object_set_new(ctx, k->site, json_string(k->nation));
	return 0;
}

/* ---- the comparison ---------------------------------------------------------------- */

/* The comparison's pass over every quarter since the pilot began: each
 * site's latest return of each quarter gives that quarter's decisions (a
 * decision is in the extract of the quarter it is dated in, and only
 * there), then the Home Office's own imported cases give theirs. */
struct cmp_pass {
	struct store *s;
	struct nrm_comparison c;
	struct nrm_site_register reg;
	struct nrm_quarter q;      /* the quarter whose returns are being read */
	int failed;
};

enum { V_LA = 10, V_RG_OUT = 13, V_CG_OUT = 15, V_DM = 16, V_SCOPE = 20 };

static void add_decisions(struct nrm_comparison *c, enum nrm_cmp_group g,
                          const struct nrm_case_dates *d, int rg_outcome, int cg_outcome,
                          int32_t from, int32_t to)
{
	if (g == NRM_CMP_NONE)
		return;
	if (d->has_rg && d->rg >= from && d->rg <= to)
		nrm_comparison_add(c, g, false, d->rg, d->rg - d->referral,
		                   rg_outcome == NRM_OUTCOME_POSITIVE);
	if (d->has_cg && d->cg >= from && d->cg <= to)
		nrm_comparison_add(c, g, true, d->cg, d->cg - d->referral,
		                   cg_outcome == NRM_OUTCOME_POSITIVE);
}

static int32_t outcome_of(const char *v)
{
	int32_t o = NRM_OUTCOME_NONE;
	if (v)
		nrm_code_parse(NRM_CODE_OUTCOME, v, strlen(v), &o);
	return o;
}

static int on_cmp_row(const char *pseudonym, const char *const v[STORE_INTAKE_CASE_VALUES],
                      void *ctx)
{
	(void)pseudonym;
	struct cmp_pass *cp = ctx;
	struct nrm_case_dates d;
	if (nrm_intake_row_dates(v, &d))
		return 0;
	int32_t dm = NRM_DM_NONE;
	if (v[V_DM])
		nrm_code_parse(NRM_CODE_DECISION_MAKER, v[V_DM], strlen(v[V_DM]), &dm);
	const char *la = v[V_LA];
	struct nrm_cmp_record r = {
		.source = NRM_CMP_FROM_SITE,
		.in_scope = v[V_SCOPE] && nrm_pilot_scope_parse(v[V_SCOPE]) == NRM_SCOPE_IN,
		.decision_maker = dm,
		.area_known = la && nrm_sites_find(&cp->reg, la),
		.pilot_area = la && nrm_sites_pilot_area(&cp->reg, la, d.referral)};
	add_decisions(&cp->c, nrm_comparison_group(&r), &d, outcome_of(v[V_RG_OUT]),
	              outcome_of(v[V_CG_OUT]), cp->q.first, cp->q.last);
	return 0;
}

static int on_cmp_bundle(const struct store_intake_bundle *sb, void *ctx)
{
	struct cmp_pass *cp = ctx;
	if (store_intake_each_case(cp->s, sb->id, on_cmp_row, cp) < 0) {
		cp->failed = -1;
		return 1;
	}
	return 0;
}

static int on_case(const struct nrm_case *c, void *ctx)
{
	struct cmp_pass *cp = ctx;
	if (c->referral_date == NRM_DATE_NONE)
		return 0;
	struct nrm_cmp_record r = {
		.source = NRM_CMP_FROM_HOME_OFFICE,
		.in_scope = nrm_pilot_scope(c, NULL) == NRM_SCOPE_IN,
		.decision_maker = c->decision_maker,
		.area_known = c->local_authority != NULL,
		.pilot_area = nrm_sites_pilot_area(&cp->reg, c->local_authority, c->referral_date)};
	struct nrm_case_dates d = {
		.referral = c->referral_date, .rg = c->rg_decision_date, .cg = c->cg_decision_date,
		.has_rg = c->rg_decision_date != NRM_DATE_NONE,
		.has_cg = c->cg_decision_date != NRM_DATE_NONE};
	add_decisions(&cp->c, nrm_comparison_group(&r), &d, c->rg_outcome, c->cg_outcome,
	              cp->c.began, cp->c.last);
	return 0;
}

/* Every quarter from the pilot's first to `last`, then the imported cases. */
static int compare(struct cmp_pass *cp, const struct nrm_quarter *last, struct nrm_error *err)
{
	nrm_comparison_init(&cp->c, last->first, last->last);
	if (nrm_sites_load(cp->s, &cp->reg) < 0) {
		*err = *store_error(cp->s);
		return -1;
	}
	nrm_quarter_of_date(cp->c.began, &cp->q);
	for (; cp->q.first <= last->first; nrm_quarter_add(&cp->q, 1, &cp->q)) {
		char name[7];
		nrm_quarter_format(&cp->q, name);
		if (store_intake_each_latest(cp->s, name, on_cmp_bundle, cp) < 0 || cp->failed) {
			*err = *store_error(cp->s);
			return -1;
		}
	}
	if (store_each_case(cp->s, NULL, on_case, cp) < 0) {
		*err = *store_error(cp->s);
		return -1;
	}
	return 0;
}

/* ---- national.json ------------------------------------------------------------------ */

/* Puts the statistics computed from the case rows into the summed return. */
static void restate(json_t *totals, struct days4 *d)
{
	struct nrm_days *dd[2] = {&d->rg, &d->cg}, *aw[2] = {&d->await_rg, &d->await_cg};
	const char *stage[2] = {"rg", "cg"};
	for (int i = 0; i < 2; i++) {
		struct nrm_day_stats s;
		json_t *st = stats_json(dd[i], &s);
		json_object_set_new(st, "distribution", bands_json(&s));
		json_object_set_new(json_object_get(totals, "days_to_decision"), stage[i], st);
		json_t *a = stats_json(aw[i], &s);
		json_t *aj = json_pack("{s:O, s:O, s:O, s:o}", "count", json_object_get(a, "count"),
		                       "mean_age_days", json_object_get(a, "mean"), "median_age_days",
		                       json_object_get(a, "median"), "by_age_band", bands_json(&s));
		json_decref(a);
		json_object_set_new(json_object_get(totals, "awaiting"), stage[i], aj);
	}
}

/* The trend's means: this quarter's from the case rows; earlier quarters'
 * cannot be computed exactly from this quarter's extracts, so null. */
static void restate_trend(json_t *totals, const char *quarter, const struct days4 *d)
{
	json_t *trend = json_object_get(totals, "trend");
	size_t i;
	json_t *e;
	json_array_foreach(trend, i, e) {
		bool now = strcmp(json_string_value(json_object_get(e, "quarter")), quarter) == 0;
		json_object_set_new(e, "mean_days_rg",
		                    now && d->rg.n ? json_real((double)nrm_mean10(d->rg.sum, d->rg.n) / 10.0)
		                                   : json_null());
		json_object_set_new(e, "mean_days_cg",
		                    now && d->cg.n ? json_real((double)nrm_mean10(d->cg.sum, d->cg.n) / 10.0)
		                                   : json_null());
	}
}

/* The Home Office's headline share: 100 * part / whole, one decimal, half
 * up, computed in integers as every percentage is; null when nothing was
 * decided. */
static json_t *percent_json(int64_t part, int64_t whole)
{
	return whole > 0 ? json_real((double)nrm_mean10(part * 100, (size_t)whole) / 10.0)
	                 : json_null();
}

static json_t *group_json(struct group *g, bool site)
{
	json_t *j = json_pack("{s:s}", site ? "site" : "nation", g->name);
	if (site && g->display)
		json_object_set_new(j, "site_name", json_string(g->display));
	if (site)
		json_object_set_new(j, "nation", json_string(g->nation));
	json_object_set_new(j, "referrals", json_integer(g->referrals));
	json_object_set_new(j, "rg_decisions", json_integer(g->rg_decisions));
	json_object_set_new(j, "cg_decisions", json_integer(g->cg_decisions));
	json_object_set_new(j, "rg_positive", json_integer(g->rg_positive));
	json_object_set_new(j, "rg_percent_positive", percent_json(g->rg_positive, g->rg_decisions));
	json_object_set_new(j, "cg_positive", json_integer(g->cg_positive));
	json_object_set_new(j, "cg_percent_positive", percent_json(g->cg_positive, g->cg_decisions));
	json_object_set_new(j, "days_to_decision",
	                    json_pack("{s:o, s:o}", "rg", stats_json(&g->d.rg, NULL), "cg",
	                              stats_json(&g->d.cg, NULL)));
	json_object_set_new(j, "awaiting", json_pack("{s:I, s:I}", "rg", (json_int_t)g->d.await_rg.n,
	                                             "cg", (json_int_t)g->d.await_cg.n));
	if (site) {
		char when[21];
		nrm_time_format_rfc3339(g->received_at, when);
		json_object_set_new(j, "seq", json_integer(g->seq));
		json_object_set_new(j, "bag", json_string(g->bag));
		json_object_set_new(j, "received_at", json_string(when));
		json_object_set_new(j, "revision", json_boolean(g->revision));
		json_object_set_new(j, "revision_change", g->revision_change
		                                                  ? json_incref(g->revision_change)
		                                                  : json_null());
		json_object_set_new(j, "key_revoked", json_boolean(g->key_revoked));
	}
	return j;
}

/* The quarter's two sides of the comparison, in the older, shorter form the
 * tables show; the figures are the comparison's (pilot: the pilot group;
 * non-pilot: the Home Office group). */
static json_t *comparison_json(struct nrm_comparison *c)
{
	struct nrm_cmp_figures *p = &c->quarter[NRM_CMP_PILOT], *h = &c->quarter[NRM_CMP_HOME_OFFICE];
	return json_pack("{s:o, s:o}",
	                 "pilot", json_pack("{s:o, s:o}", "rg", stats_json(&p->rg.days, NULL), "cg",
	                                    stats_json(&p->cg.days, NULL)),
	                 "non_pilot", json_pack("{s:o, s:o}", "rg", stats_json(&h->rg.days, NULL),
	                                        "cg", stats_json(&h->cg.days, NULL)));
}

static json_t *site_lists(struct build *b, json_t **missing)
{
	json_t *revised = json_array();
	*missing = json_array();
	for (size_t i = 0; i < b->n_sites; i++)
		if (b->sites[i].revision)
			json_array_append_new(revised, json_string(b->sites[i].name));
	const char *site;
	json_t *v;
	json_object_foreach(b->expected, site, v) {
		bool have = false;
		for (size_t i = 0; i < b->n_sites && !have; i++)
			have = strcmp(b->sites[i].name, site) == 0;
		if (!have)
			json_array_append_new(*missing, json_string(site));
	}
	return revised;
}

static const char *nation_name(const char *gss)
{
	const struct nrm_nation *n = nrm_nation_find(gss);
	return n ? n->key : NULL;
}

/* Every nation with a pilot site (by the sites' keys and the register)
 * none of whose sites reported: listed, so a nation never silently drops
 * out of the national figures. */
static json_t *nations_not_reporting(struct build *b, const struct nrm_site_register *reg)
{
	static const char *const order[] = {"england", "wales", "scotland", "northern_ireland"};
	json_t *out = json_array();
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		bool has_site = false, reported = false;
		const char *site;
		json_t *v;
		json_object_foreach(b->expected, site, v)
			has_site = has_site || strcmp(json_string_value(v), order[k]) == 0;
		for (size_t i = 0; i < reg->n && !has_site; i++) {
			const char *n = nation_name(reg->areas[i].nation);
			has_site = n && strcmp(n, order[k]) == 0;
		}
		for (size_t i = 0; i < b->n_sites && !reported; i++)
			reported = strcmp(b->sites[i].nation, order[k]) == 0;
		if (has_site && !reported)
			json_array_append_new(out, json_string(order[k]));
	}
	return out;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static json_t *assemble(struct build *b, struct cmp_pass *cp, int64_t now)
{
	char start[11], end[11], gen[21];
	nrm_date_format_iso(b->q.first, start);
	nrm_date_format_iso(b->q.last, end);
	nrm_time_format_rfc3339(now, gen);
	json_t *totals = b->totals;
	b->totals = NULL;
	json_object_set_new(totals, "site", json_string("national"));
	json_object_set_new(totals, "generated_at", json_string(gen));
	restate(totals, &b->all);
	restate_trend(totals, b->quarter, &b->all);
	qsort(b->nations, b->n_nations, sizeof(*b->nations), compare_names);
	json_t *by_site = json_array(), *by_nation = json_array();
	for (size_t i = 0; i < b->n_sites; i++)
		json_array_append_new(by_site, group_json(&b->sites[i], true));
	for (size_t i = 0; i < b->n_nations; i++)
		json_array_append_new(by_nation, group_json(&b->nations[i], false));
	json_t *missing;
	json_t *revised = site_lists(b, &missing);
	json_t *silent = nations_not_reporting(b, &cp->reg);
	bool complete = json_array_size(missing) == 0 && json_array_size(silent) == 0;
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s}, s:I, s:I, s:o, s:o, s:o, "
	                 "s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	                 "schema", "nrmhub-national/1", "quarter", b->quarter, "period", "start",
	                 start, "end", end, "generated_at", gen, "generator", "name", "nrmhub",
	                 "version", PACKAGE_VERSION, "sites_expected",
	                 (json_int_t)json_object_size(b->expected), "sites_reporting",
	                 (json_int_t)b->n_sites, "sites_missing", missing, "sites_revised",
	                 revised, "totals", totals, "by_nation", by_nation, "by_site", by_site,
	                 "complete", json_boolean(complete), "nations_not_reporting", silent,
	                 "headline", nrm_comparison_headline(&cp->c, b->quarter),
	                 "comparison", nrm_comparison_json(&cp->c),
	                 "pilot_vs_non_pilot", comparison_json(&cp->c));
}

int nrm_national_validate(json_t *national, struct nrm_error *err)
{
	struct nrm_error why;
	struct nrm_json_schema *sch = nrm_national_schema_load(&why);
	if (!sch)
		return nrm_fail(err, EX_SOFTWARE, "%s", why.msg);
	int bad = nrm_json_schema_validate(sch, national, &why);
	nrm_json_schema_free(sch);
	if (bad)
		return nrm_fail(err, EX_SOFTWARE, "national.json does not follow its schema: %s",
		                why.msg);
	sch = nrm_return_schema_load(&why);
	if (!sch)
		return nrm_fail(err, EX_SOFTWARE, "%s", why.msg);
	bad = nrm_json_schema_validate(sch, json_object_get(national, "totals"), &why);
	nrm_json_schema_free(sch);
	if (bad)
		return nrm_fail(err, EX_SOFTWARE, "national.json: $.totals is not a return: %s",
		                why.msg);
	return 0;
}

static void build_free(struct build *b, struct cmp_pass *cp)
{
	for (size_t i = 0; i < b->n_sites; i++) {
		free(b->sites[i].name);
		free(b->sites[i].display);
		free(b->sites[i].nation);
		free(b->sites[i].bag);
		json_decref(b->sites[i].revision_change);
		days4_free(&b->sites[i].d);
	}
	for (size_t i = 0; i < b->n_nations; i++) {
		free(b->nations[i].name);
		days4_free(&b->nations[i].d);
	}
	free(b->sites);
	free(b->nations);
	days4_free(&b->all);
	nrm_comparison_free(&cp->c);
	nrm_sites_free(&cp->reg);
	json_decref(b->totals);
	json_decref(b->expected);
}

json_t *nrm_national_build(struct store *s, const char *quarter, int64_t now,
                           struct nrm_error *err)
{
	struct build b = {.s = s, .err = err, .expected = json_object()};
	struct cmp_pass cp = {.s = s};
	if (nrm_quarter_parse(quarter, &b.q)) {
		nrm_fail(err, EX_USAGE, "'%s' is not a quarter YYYYQn", quarter);
		goto fail;
	}
	nrm_quarter_format(&b.q, b.quarter);
	if (store_key_each(s, on_key, b.expected) < 0 ||
	    store_intake_each_latest(s, b.quarter, on_bundle, &b) < 0) {
		*err = *store_error(s);
		goto fail;
	}
	if (b.failed)
		goto fail;
	if (!b.totals) {
		nrm_fail(err, EX_NOINPUT, "no return has been accepted for %s", b.quarter);
		goto fail;
	}
	if (compare(&cp, &b.q, err))
		goto fail;
	json_t *national = assemble(&b, &cp, now);
	build_free(&b, &cp);
	if (nrm_national_validate(national, err)) {
		json_decref(national);
		return NULL;
	}
	return national;
fail:
	build_free(&b, &cp);
	return NULL;
}
