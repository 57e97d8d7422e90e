/*
 * The three groups and their figures.  Percentages are computed in
 * integers and rounded half up to one decimal (nrm_mean10 of 100 times the
 * count), so a share is written the same way on every run and machine.
 */
#include "comparison.h"

#include "date.h"
#include "util.h"

#include <nrmhub/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const codes[NRM_CMP_GROUPS] = {
	"pilot", "home_office", "pilot_site_home_office",
};
static const char *const labels[NRM_CMP_GROUPS] = {
	"Pilot: in-scope children at pilot sites, decided by a devolved decision-making panel",
	"Home Office: in-scope children outside the pilot areas, decided by the SCA or IECA",
	"Pilot sites, decided by the Home Office: in-scope children at pilot sites, decided by "
	"the SCA or IECA (neither side of the comparison)",
};

enum nrm_cmp_group nrm_comparison_group(const struct nrm_cmp_record *r)
{
	if (!r->in_scope)
		return NRM_CMP_NONE;
	bool home_office = r->decision_maker == NRM_DM_SCA || r->decision_maker == NRM_DM_IECA;
	if (r->source == NRM_CMP_FROM_SITE) {
		/* Referred before its area joined: not yet a pilot case. */
		if (r->area_known && !r->pilot_area)
			return NRM_CMP_NONE;
		if (r->decision_maker == NRM_DM_DDM_PANEL)
			return NRM_CMP_PILOT;
		return home_office ? NRM_CMP_PILOT_SITE_HOME_OFFICE : NRM_CMP_NONE;
	}
	return home_office && r->area_known && !r->pilot_area ? NRM_CMP_HOME_OFFICE : NRM_CMP_NONE;
}

void nrm_comparison_init(struct nrm_comparison *c, int32_t first, int32_t last)
{
	memset(c, 0, sizeof(*c));
	nrm_date_from_ymd(NRM_PILOT_BEGAN_YMD, &c->began);
	c->first = first;
	c->last = last;
}

static void figures_free(struct nrm_cmp_figures *f)
{
	nrm_days_free(&f->rg.days);
	nrm_days_free(&f->cg.days);
}

void nrm_comparison_free(struct nrm_comparison *c)
{
	for (int g = 0; g < NRM_CMP_GROUPS; g++) {
		figures_free(&c->quarter[g]);
		figures_free(&c->cumulative[g]);
	}
}

static void add_to(struct nrm_cmp_figures *f, bool cg, int32_t days, bool positive)
{
	struct nrm_cmp_stage *s = cg ? &f->cg : &f->rg;
	nrm_days_add(&s->days, days);
	s->positive += positive;
}

void nrm_comparison_add(struct nrm_comparison *c, enum nrm_cmp_group g, bool cg, int32_t on,
                        int32_t days, bool positive)
{
	if (g < 0 || g >= NRM_CMP_GROUPS || on > c->last || on < c->began)
		return;
	add_to(&c->cumulative[g], cg, days, positive);
	if (on >= c->first)
		add_to(&c->quarter[g], cg, days, positive);
}

const char *nrm_cmp_group_code(enum nrm_cmp_group g)
{
	return g >= 0 && g < NRM_CMP_GROUPS ? codes[g] : NULL;
}

const char *nrm_cmp_group_label(enum nrm_cmp_group g)
{
	return g >= 0 && g < NRM_CMP_GROUPS ? labels[g] : NULL;
}

/* part/whole as a percentage with one decimal; null when whole is 0. */
static json_t *percent(int64_t part, size_t whole)
{
	return whole ? json_real((double)nrm_mean10(part * 100, whole) / 10.0) : json_null();
}

static json_t *median_json(const struct nrm_day_stats *s)
{
	return s->median2 % 2 == 0 ? json_integer(s->median2 / 2)
	                           : json_real((double)s->median2 / 2.0);
}

static json_t *stage_json(struct nrm_cmp_stage *st)
{
	struct nrm_day_stats s;
	nrm_days_summarise(&st->days, &s);
	bool any = s.count > 0;
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:o}", "count", (json_int_t)s.count,
	                 "positive", (json_int_t)st->positive, "percent_positive",
	                 percent(st->positive, s.count), "mean",
	                 any ? json_real((double)s.mean10 / 10.0) : json_null(), "median",
	                 any ? median_json(&s) : json_null(), "p90",
	                 any ? json_integer(s.p90) : json_null(), "within_45_days",
	                 (json_int_t)s.within_45, "percent_within_45_days",
	                 percent((int64_t)s.within_45, s.count));
}

static json_t *figures_json(struct nrm_cmp_figures *f)
{
	return json_pack("{s:o, s:o}", "rg", stage_json(&f->rg), "cg", stage_json(&f->cg));
}

static json_t *group_json(struct nrm_comparison *c, enum nrm_cmp_group g)
{
	return json_pack("{s:s, s:s, s:o, s:o}", "group", codes[g], "label", labels[g], "quarter",
	                 figures_json(&c->quarter[g]), "cumulative",
	                 figures_json(&c->cumulative[g]));
}

json_t *nrm_comparison_json(struct nrm_comparison *c)
{
	char began[11];
	nrm_date_format_iso(c->began, began);
	json_t *groups = json_array();
	for (int g = 0; g < NRM_CMP_GROUPS; g++)
		json_array_append_new(groups, group_json(c, (enum nrm_cmp_group)g));
	return json_pack("{s:s, s:o}", "began", began, "groups", groups);
}

/* A site cannot know the Home Office group: it needs the Home Office's
 * cases from areas outside the pilot, which only the national build has. */
json_t *nrm_comparison_site_json(struct nrm_comparison *c)
{
	char since[11];
	nrm_date_format_iso(c->began, since);
	json_t *groups = json_array();
	json_array_append_new(groups, group_json(c, NRM_CMP_PILOT));
	json_array_append_new(groups, group_json(c, NRM_CMP_PILOT_SITE_HOME_OFFICE));
	return json_pack("{s:s, s:o}", "since", since, "groups", groups);
}

/* "101" or "101.5"; the mean to one decimal, as everywhere else. */
static void mean_text(const struct nrm_day_stats *s, char *buf, size_t len)
{
	int64_t m = s->mean10;
	if (m % 10 == 0)
		snprintf(buf, len, "%lld", (long long)(m / 10));
	else
		snprintf(buf, len, "%lld.%lld", (long long)(m / 10), (long long)(m % 10));
}

static void median_text(const struct nrm_day_stats *s, char *buf, size_t len)
{
	if (s->median2 % 2 == 0)
		snprintf(buf, len, "%lld", (long long)(s->median2 / 2));
	else
		snprintf(buf, len, "%lld.5", (long long)(s->median2 / 2));
}

json_t *nrm_comparison_headline(struct nrm_comparison *c, const char *quarter)
{
	struct nrm_day_stats p, h;
	nrm_days_summarise(&c->cumulative[NRM_CMP_PILOT].cg.days, &p);
	nrm_days_summarise(&c->cumulative[NRM_CMP_HOME_OFFICE].cg.days, &h);
	char began[11], end[11];
	nrm_date_format_iso(c->began, began);
	nrm_date_format_iso(c->last, end);
	char *period = nrm_xasprintf("conclusive grounds decisions dated %s to %s (the pilot's "
	                             "start to the end of %s)", began, end, quarter);
	const char *population =
		"children in the pilot's scope (17 or under and more than 100 days from their 18th "
		"birthday at referral, age not disputed): in pilot areas those decided by a local "
		"panel, elsewhere those decided by the SCA or IECA";
	char *text;
	if (p.count && h.count) {
		char pm[32], hm[32], pmed[32], hmed[32];
		mean_text(&p, pm, sizeof(pm));
		mean_text(&h, hm, sizeof(hm));
		median_text(&p, pmed, sizeof(pmed));
		median_text(&h, hmed, sizeof(hmed));
		text = nrm_xasprintf("An average (mean) of %s days from referral to conclusive "
		                     "grounds decision in pilot areas, against %s days elsewhere "
		                     "(median %s against %s days; %zu and %zu decisions).",
		                     pm, hm, pmed, hmed, p.count, h.count);
	} else {
		text = nrm_xstrdup("No headline: one side of the comparison has no conclusive "
		                   "grounds decision in the period.");
	}
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "text", text, "statistic", "mean",
	                      "decision", "cg", "population", population, "period", period);
	free(text);
	free(period);
	return j;
}
