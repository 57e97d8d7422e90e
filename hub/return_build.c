/*
 * The return builder: counters filled case by case, turned into return.json
 * at the end.  Every figure's definition is in formats/return.md; the
 * comments here say only why a rule is written the way it is.
 */
#include "return_build.h"

#include "comparison.h"
#include "date.h"
#include "json_path.h"
#include "nationality.h"
#include "pilot_scope.h"
#include "return_pattern.h"
#include "return_series.h"
#include "return_stats.h"
#include "return_suppress.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

enum { AGE_BANDS = 4, GENDERS = 4, TYPES = 5, COMBOS = 32, LOCATIONS = 4, RESPONDERS = 5,
       MAKERS = 4 };

enum missing_field {
	M_NRM_REF, M_FR_TYPE, M_FR_ORG, M_LA, M_POLICE, M_AGE, M_GENDER, M_NATIONALITY,
	M_TYPES, M_COUNTY_LINES, M_LOCATION, M_DECISION_MAKER, M_UPDATED_AT, N_MISSING
};
static const char *const missing_names[N_MISSING] = {
	"nrm_ref", "first_responder_type", "first_responder_org", "local_authority",
	"police_force", "age_at_exploitation", "gender", "nationality", "exploitation_types",
	"county_lines", "exploitation_location", "decision_maker", "updated_at",
};

/* Outcomes by decision maker; index 0 is "unknown" (NRM_DM_NONE). */
struct decisions {
	uint64_t positive[MAKERS], negative[MAKERS];
};

struct nrm_return_builder {
	struct nrm_return_params p;
	char *site;
	uint64_t other_sites;
	/* The series (return_series.h): counted by the return's own builder
	 * and lent to the earlier quarters' builders, each of which shows its
	 * first series_rows rows; its rows made once, by the first finish. */
	struct nrm_series *series;
	bool owns_series;
	size_t series_rows;
	struct nrm_return_builder *owner; /* the one owning the series */
	/* The owner's, once made: its rows as counted, and as shown (a past
	 * quarter's from the return sent for it, p.sent). */
	json_t *series_counted, *series_made;
	/* The owner's: rows before the quarter the site joined, counted but
	 * not shown (nrm_return_builder_set_joined). */
	size_t skip;

	uint64_t total, age_band[AGE_BANDS], gender[GENDERS], type[TYPES], no_type,
		combo[COMBOS], location[LOCATIONS], responder[RESPONDERS], county_lines;
	/* by_nationality: one key per child (a dual national's combined
	 * category is its own key), so a short list, searched in turn. */
	struct nation_count {
		char key[8];
		uint64_t n;
	} *nations;
	size_t n_nations;
	struct decisions rg, cg;
	struct nrm_days rg_days, cg_days, await_rg, await_cg;
	uint64_t withdrawn, transferred, out_of_scope, missing[N_MISSING];
	struct nrm_comparison cmp;
	/* Published: the returns of the series' earlier quarters, built from
	 * the same cases, whose own suppression the series' rows must follow;
	 * one per series row but the last, oldest first. */
	struct nrm_return_builder **earlier;
	size_t n_earlier;
	struct nrm_dc_params rule; /* the published audience's, resolved */
	/* published: the previous quarter's own published return, when known
	 * (an earlier quarter's builder is given the one before it) */
	const json_t *prev;
	int64_t latest_update; /* of the site's cases, for $.data_as_at */
};

/* ---- labels -------------------------------------------------------------- */

const char *nrm_age_band(int32_t age)
{
	static const char *const names[AGE_BANDS] = {"0-11", "12-15", "16-17", "unknown"};
	if (age < 0 || age > 17)
		return names[3];
	return names[age <= 11 ? 0 : age <= 15 ? 1 : 2];
}

static int age_band_index(int32_t age)
{
	if (age < 0 || age > 17)
		return 3;
	return age <= 11 ? 0 : age <= 15 ? 1 : 2;
}

const char *nrm_exploitation_label(uint32_t types)
{
	/* The Home Office's order within a combination (DOMAIN.md). */
	static const struct {
		uint32_t bit;
		const char *name;
	} order[TYPES] = {
		{NRM_EXPL_SEXUAL, "Sexual"}, {NRM_EXPL_LABOUR, "Labour"},
		{NRM_EXPL_DOMESTIC, "Domestic"}, {NRM_EXPL_ORGAN_HARVESTING, "Organ Harvesting"},
		{NRM_EXPL_CRIMINAL, "Criminal"},
	};
	static char labels[COMBOS][80];
	types &= NRM_EXPL_ALL;
	if (types == 0)
		return "Not specified or unknown";
	char *out = labels[types];
	if (*out)
		return out;
	int left = __builtin_popcount(types);
	size_t len = 0;
	for (int i = 0; i < TYPES; i++) {
		if (!(types & order[i].bit))
			continue;
		const char *sep = len == 0 ? "" : left == 1 ? " & " : ", ";
		len += (size_t)snprintf(out + len, sizeof(labels[0]) - len, "%s%s", sep,
		                        order[i].name);
		left--;
	}
	return out;
}

/* ---- counting ------------------------------------------------------------ */

static struct nrm_return_builder *builder_new(const struct nrm_return_params *p,
                                              struct nrm_series *series, size_t rows)
{
	struct nrm_return_builder *rb = nrm_xcalloc(1, sizeof(*rb));
	rb->p = *p;
	rb->site = p->site ? nrm_xstrdup(p->site) : NULL;
	rb->latest_update = NRM_TIME_NONE;
	rb->rule.threshold = p->threshold;
	nrm_dc_params_resolve(&rb->rule);
	rb->series = series;
	rb->series_rows = rows;
	rb->owner = rb;
	nrm_comparison_init(&rb->cmp, p->quarter.first, p->quarter.last);
	if (p->joined > rb->cmp.began)
		rb->cmp.began = p->joined;
	return rb;
}

struct nrm_return_builder *nrm_return_builder_new(const struct nrm_return_params *p)
{
	struct nrm_series *series = nrm_series_new(&p->quarter, p->joined);
	size_t n = nrm_series_length(series);
	struct nrm_return_builder *rb = builder_new(p, series, n);
	rb->owns_series = true;
	/* Official too: it records the pattern of its published counterpart
	 * (record_pattern), which follows the earlier quarters'. */
	if (!p->no_earlier && n > 1) {
		rb->n_earlier = n - 1;
		rb->earlier = nrm_xcalloc(rb->n_earlier, sizeof(*rb->earlier));
		for (size_t i = 0; i < rb->n_earlier; i++) {
			struct nrm_return_params e = *p;
			e.audience = NRM_AUDIENCE_PUBLISHED;
			e.quarter = *nrm_series_quarter(series, i);
			e.no_earlier = true;
			rb->earlier[i] = builder_new(&e, series, i + 1);
			rb->earlier[i]->owner = rb;
		}
	}
	return rb;
}

void nrm_return_builder_set_joined(struct nrm_return_builder *rb, int32_t joined)
{
	struct nrm_quarter first;
	nrm_series_span(&rb->p.quarter, joined, &first);
	int k = nrm_quarter_diff(nrm_series_quarter(rb->series, 0), &first);
	if (rb->owns_series && k > 0 && (size_t)k < nrm_series_length(rb->series))
		rb->skip = (size_t)k;
}

void nrm_return_builder_set_sent(struct nrm_return_builder *rb, const json_t *const *sent,
                                 size_t n_sent)
{
	rb->p.sent = sent;
	rb->p.n_sent = n_sent;
}

json_t *nrm_return_builder_series_counted(const struct nrm_return_builder *rb)
{
	const struct nrm_return_builder *o = rb->owner;
	json_t *a = json_array();
	for (size_t i = o->skip; o->series_counted && i < rb->series_rows; i++)
		json_array_append_new(a, json_deep_copy(json_array_get(o->series_counted, i)));
	return a;
}

const char *nrm_return_builder_site(const struct nrm_return_builder *rb)
{
	return rb->site;
}

static bool in_range(int32_t date, int32_t first, int32_t last)
{
	return date != NRM_DATE_NONE && date >= first && date <= last;
}

static bool on_or_before(int32_t date, int32_t day)
{
	return date != NRM_DATE_NONE && date <= day;
}

/* One row per child, as the Home Office counts (DOMAIN.md): a dual
 * national in one combined category, so the table sums to its total.  The
 * case validator admits only ISO 3166-1 codes; anything else (a store
 * written by a future version) counts as unknown. */
static void count_nationality(struct nrm_return_builder *rb, const struct nrm_case *c)
{
	char key[8];
	nrm_nationality_key(c->nationality[0], c->nationality[0] ? c->nationality[1] : NULL, key);
	for (size_t i = 0; i < rb->n_nations; i++)
		if (strcmp(rb->nations[i].key, key) == 0) {
			rb->nations[i].n++;
			return;
		}
	rb->nations = nrm_xrealloc(rb->nations, (rb->n_nations + 1) * sizeof(*rb->nations));
	memcpy(rb->nations[rb->n_nations].key, key, sizeof(key));
	rb->nations[rb->n_nations++].n = 1;
}

static void count_missing(struct nrm_return_builder *rb, const struct nrm_case *c)
{
	/* Missing where Table_6 says unknown, an unknown code too: the tables
	 * declare the two equal. */
	char nationality[8];
	nrm_nationality_key(c->nationality[0], c->nationality[0] ? c->nationality[1] : NULL,
	                    nationality);
	bool decided = c->rg_decision_date != NRM_DATE_NONE || c->cg_decision_date != NRM_DATE_NONE;
	bool missing[N_MISSING] = {
		[M_NRM_REF] = !c->nrm_ref,
		[M_FR_TYPE] = c->first_responder_type <= NRM_FR_NONE ||
		              c->first_responder_type > NRM_FR_LOCAL_AUTHORITY,
		[M_FR_ORG] = !c->first_responder_org,
		[M_LA] = !c->local_authority,
		[M_POLICE] = !c->police_force,
		[M_AGE] = age_band_index(c->age_at_exploitation) == 3,
		[M_GENDER] = c->gender <= NRM_GENDER_UNKNOWN || c->gender > NRM_GENDER_OTHER,
		[M_NATIONALITY] = strcmp(nationality, "unknown") == 0,
		[M_TYPES] = (c->exploitation_types & NRM_EXPL_ALL) == 0,
		[M_COUNTY_LINES] = c->county_lines == NRM_UNKNOWN,
		[M_LOCATION] = c->exploitation_location <= NRM_LOC_UNKNOWN ||
		               c->exploitation_location > NRM_LOC_UK_AND_OVERSEAS,
		/* Only a decided case can lack its decision maker. */
		[M_DECISION_MAKER] = decided && (c->decision_maker <= NRM_DM_NONE ||
		                                 c->decision_maker > NRM_DM_IECA),
		[M_UPDATED_AT] = c->updated_at == NRM_TIME_NONE,
	};
	for (int i = 0; i < N_MISSING; i++)
		rb->missing[i] += missing[i];
}

/* An out-of-range enumeration counts as its set's unknown value (index 0 in
 * the case's enums), never as an index out of bounds. */
static int code_index(int32_t v, int n)
{
	return v > 0 && v < n ? v : 0;
}

static void count_referral(struct nrm_return_builder *rb, const struct nrm_case *c)
{
	rb->total++;
	rb->age_band[age_band_index(c->age_at_exploitation)]++;
	rb->gender[code_index(c->gender, GENDERS)]++;
	uint32_t types = c->exploitation_types & NRM_EXPL_ALL;
	for (int i = 0; i < TYPES; i++)
		if (types & (1u << i))
			rb->type[i]++;
	if (!types)
		rb->no_type++;
	rb->combo[types]++;
	count_nationality(rb, c);
	rb->location[code_index(c->exploitation_location, LOCATIONS)]++;
	rb->responder[code_index(c->first_responder_type, RESPONDERS)]++;
	if (c->county_lines == NRM_YES)
		rb->county_lines++;
	count_missing(rb, c);
}

static void count_decision(struct decisions *d, int32_t outcome, int32_t maker)
{
	int m = code_index(maker, MAKERS);
	if (outcome == NRM_OUTCOME_POSITIVE)
		d->positive[m]++;
	else if (outcome == NRM_OUTCOME_NEGATIVE)
		d->negative[m]++;
}

/* Withdrawn or transferred on or before `day`: no longer awaiting anything. */
static bool closed_by(const struct nrm_case *c, int32_t day)
{
	return (c->status == NRM_STATUS_WITHDRAWN || c->status == NRM_STATUS_TRANSFERRED) &&
	       on_or_before(c->status_date, day);
}

/* Returns true when the case awaits a decision at the quarter's last day. */
static bool count_awaiting(struct nrm_return_builder *rb, const struct nrm_case *c)
{
	int32_t last = rb->p.quarter.last;
	if (!on_or_before(c->referral_date, last) || closed_by(c, last))
		return false;
	int32_t age = last - c->referral_date;
	if (!on_or_before(c->rg_decision_date, last)) {
		nrm_days_add(&rb->await_rg, age);
		return true;
	}
	if (c->rg_outcome == NRM_OUTCOME_POSITIVE && !on_or_before(c->cg_decision_date, last)) {
		nrm_days_add(&rb->await_cg, age);
		return true;
	}
	return false;
}

/* Takes the first case's site when none was given; false for another
 * site's case. */
static bool is_our_site(struct nrm_return_builder *rb, const struct nrm_case *c)
{
	if (!c->site)
		return false;
	if (!rb->site)
		rb->site = nrm_xstrdup(c->site);
	if (strcmp(c->site, rb->site) == 0)
		return true;
	rb->other_sites++;
	return false;
}

/* The site's two groups of the comparison (hub/comparison.c decides the
 * group): every decision of the site's case from the day it joined (or the
 * pilot's start) to the quarter's end, whichever quarter it falls in. */
static void count_comparison(struct nrm_return_builder *rb, const struct nrm_case *c)
{
	struct nrm_cmp_record r = {
		.source = NRM_CMP_FROM_SITE,
		.in_scope = nrm_pilot_scope(c, NULL) == NRM_SCOPE_IN,
		.decision_maker = c->decision_maker,
		.area_known = true,
		/* Referred before the site joined: not yet a pilot case. */
		.pilot_area = c->referral_date >= rb->p.joined,
	};
	enum nrm_cmp_group g = nrm_comparison_group(&r);
	if (g == NRM_CMP_NONE)
		return;
	if (c->rg_decision_date != NRM_DATE_NONE)
		nrm_comparison_add(&rb->cmp, g, false, c->rg_decision_date,
		                   c->rg_decision_date - c->referral_date,
		                   c->rg_outcome == NRM_OUTCOME_POSITIVE);
	if (c->cg_decision_date != NRM_DATE_NONE)
		nrm_comparison_add(&rb->cmp, g, true, c->cg_decision_date,
		                   c->cg_decision_date - c->referral_date,
		                   c->cg_outcome == NRM_OUTCOME_POSITIVE);
}

bool nrm_return_builder_add(struct nrm_return_builder *rb, const struct nrm_case *c)
{
	/* A case referred after an earlier quarter cannot count in its return
	 * (no decision or status precedes the referral: hub/case.c). */
	for (size_t i = 0; i < rb->n_earlier; i++)
		if (c->referral_date != NRM_DATE_NONE &&
		    c->referral_date <= rb->earlier[i]->p.quarter.last)
			nrm_return_builder_add(rb->earlier[i], c);
	if (!is_our_site(rb, c) || c->referral_date == NRM_DATE_NONE)
		return false;
	if (c->updated_at != NRM_TIME_NONE && c->updated_at > rb->latest_update)
		rb->latest_update = c->updated_at;
	int32_t first = rb->p.quarter.first, last = rb->p.quarter.last;
	if (c->age_disputed == NRM_YES) {
		if (in_range(c->referral_date, first, last))
			rb->out_of_scope++;
		return false;
	}
	bool in_q = false;
	if (rb->owns_series)
		nrm_series_add(rb->series, c);
	count_comparison(rb, c);
	if (in_range(c->referral_date, first, last)) {
		count_referral(rb, c);
		in_q = true;
	}
	if (in_range(c->rg_decision_date, first, last)) {
		count_decision(&rb->rg, c->rg_outcome, c->decision_maker);
		nrm_days_add(&rb->rg_days, c->rg_decision_date - c->referral_date);
		in_q = true;
	}
	if (in_range(c->cg_decision_date, first, last)) {
		count_decision(&rb->cg, c->cg_outcome, c->decision_maker);
		nrm_days_add(&rb->cg_days, c->cg_decision_date - c->referral_date);
		in_q = true;
	}
	if (in_range(c->status_date, first, last)) {
		if (c->status == NRM_STATUS_WITHDRAWN)
			rb->withdrawn++, in_q = true;
		else if (c->status == NRM_STATUS_TRANSFERRED)
			rb->transferred++, in_q = true;
	}
	return count_awaiting(rb, c) || in_q;
}

/* ---- the JSON ------------------------------------------------------------ */

static json_t *count(uint64_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *mean_json(int64_t mean10)
{
	return json_real((double)mean10 / 10.0);
}

static json_t *median_json(int64_t median2)
{
	return median2 % 2 == 0 ? json_integer(median2 / 2) : json_real((double)median2 / 2.0);
}

static json_t *named_counts(const char *const *names, const uint64_t *values, int n)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(o, names[i], count(values[i]));
	return o;
}

static int compare_nations(const void *a, const void *b)
{
	const char *x = ((const struct nation_count *)a)->key;
	const char *y = ((const struct nation_count *)b)->key;
	bool ux = strcmp(x, "unknown") == 0, uy = strcmp(y, "unknown") == 0;
	return ux || uy ? ux - uy : strcmp(x, y);
}

/* By key ("GB" before "GB+IE" before "IE"), unknown last, so the file is
 * the same whatever order the cases were read in. */
static json_t *nationalities_json(const struct nrm_return_builder *rb)
{
	struct nation_count *sorted = nrm_xcalloc(rb->n_nations + 1, sizeof(*sorted));
	if (rb->n_nations)
		memcpy(sorted, rb->nations, rb->n_nations * sizeof(*sorted));
	qsort(sorted, rb->n_nations, sizeof(*sorted), compare_nations);
	json_t *o = json_object();
	for (size_t i = 0; i < rb->n_nations; i++)
		json_object_set_new(o, sorted[i].key, count(sorted[i].n));
	free(sorted);
	return o;
}

static json_t *referrals_json(const struct nrm_return_builder *rb)
{
	static const char *const ages[] = {"0-11", "12-15", "16-17", "unknown"};
	static const char *const types[] = {"criminal", "domestic", "labour", "sexual",
	                                    "organ_harvesting", "not_specified"};
	static const char *const locations[] = {"uk", "overseas", "uk_and_overseas", "unknown"};
	static const char *const responders[] = {"government_agency", "ngo", "police",
	                                         "local_authority", "unknown"};
	uint64_t gender[] = {rb->gender[NRM_GENDER_FEMALE], rb->gender[NRM_GENDER_MALE],
	                     rb->gender[NRM_GENDER_OTHER], rb->gender[NRM_GENDER_UNKNOWN]};
	static const char *const genders[] = {"female", "male", "other", "unknown"};
	uint64_t type[TYPES + 1];
	memcpy(type, rb->type, sizeof(rb->type));
	type[TYPES] = rb->no_type;
	uint64_t location[] = {rb->location[1], rb->location[2], rb->location[3], rb->location[0]};
	uint64_t responder[] = {rb->responder[1], rb->responder[2], rb->responder[3],
	                        rb->responder[4], rb->responder[0]};

	json_t *combos = json_object();
	for (uint32_t m = 0; m < COMBOS; m++)
		if (rb->combo[m])
			json_object_set_new(combos, nrm_exploitation_label(m), count(rb->combo[m]));
	json_t *nations = nationalities_json(rb);

	json_t *o = json_object();
	json_object_set_new(o, "total", count(rb->total));
	json_object_set_new(o, "by_age_band", named_counts(ages, rb->age_band, AGE_BANDS));
	json_object_set_new(o, "by_gender", named_counts(genders, gender, GENDERS));
	json_object_set_new(o, "by_exploitation_type", named_counts(types, type, TYPES + 1));
	json_object_set_new(o, "by_exploitation_combination", combos);
	json_object_set_new(o, "by_nationality", nations);
	json_object_set_new(o, "by_location", named_counts(locations, location, LOCATIONS));
	json_object_set_new(o, "by_first_responder_type",
	                    named_counts(responders, responder, RESPONDERS));
	json_object_set_new(o, "county_lines", count(rb->county_lines));
	return o;
}

static uint64_t sum(const uint64_t *v, int n)
{
	uint64_t s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

static json_t *decisions_json(const struct decisions *d)
{
	static const char *const makers[MAKERS] = {"unknown", "ddm_panel", "sca", "ieca"};
	static const int order[MAKERS] = {1, 2, 3, 0};
	json_t *by = json_object();
	for (int i = 0; i < MAKERS; i++) {
		int m = order[i];
		json_object_set_new(by, makers[m],
		                    json_pack("{s:o, s:o}", "positive", count(d->positive[m]),
		                              "negative", count(d->negative[m])));
	}
	return json_pack("{s:o, s:o, s:o}", "positive", count(sum(d->positive, MAKERS)),
	                 "negative", count(sum(d->negative, MAKERS)), "by_decision_maker", by);
}

static json_t *days_json(struct nrm_days *d)
{
	struct nrm_day_stats s;
	nrm_days_summarise(d, &s);
	bool any = s.count > 0;
	uint64_t bands[NRM_DAY_BANDS];
	for (int i = 0; i < NRM_DAY_BANDS; i++)
		bands[i] = s.bands[i];
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "count", count(s.count),
	                 "mean", any ? mean_json(s.mean10) : json_null(),
	                 "median", any ? median_json(s.median2) : json_null(),
	                 "p90", any ? json_integer(s.p90) : json_null(),
	                 "within_45_days", count(s.within_45),
	                 "distribution", named_counts(nrm_day_band_names, bands, NRM_DAY_BANDS));
}

static json_t *awaiting_json(struct nrm_days *d)
{
	struct nrm_day_stats s;
	nrm_days_summarise(d, &s);
	bool any = s.count > 0;
	uint64_t bands[NRM_DAY_BANDS];
	for (int i = 0; i < NRM_DAY_BANDS; i++)
		bands[i] = s.bands[i];
	return json_pack("{s:o, s:o, s:o, s:o}", "count", count(s.count),
	                 "mean_age_days", any ? mean_json(s.mean10) : json_null(),
	                 "median_age_days", any ? median_json(s.median2) : json_null(),
	                 "by_age_band", named_counts(nrm_day_band_names, bands, NRM_DAY_BANDS));
}

/* The series' rows, made once (by whichever builder finishes first) and
 * shared: each past quarter's row from the return the site sent for it
 * when one is given (p.sent), else as counted. */
static int make_series(struct nrm_return_builder *rb, struct nrm_error *err)
{
	struct nrm_return_builder *owner = rb->owner;
	if (owner->series_made)
		return 0;
	json_t *counted = nrm_series_json(rb->series), *rows = json_deep_copy(counted);
	for (size_t k = 0; k < owner->p.n_sent; k++) {
		const json_t *sent = owner->p.sent[k];
		struct nrm_quarter q;
		const char *name = json_string_value(json_object_get(sent, "quarter"));
		if (!name || nrm_quarter_parse(name, &q) != 0)
			continue;
		int i = nrm_quarter_diff(nrm_series_quarter(rb->series, 0), &q);
		/* The return's own quarter is counted now, never taken. */
		if (i < 0 || (size_t)i + 1 >= nrm_series_length(rb->series))
			continue;
		json_t *row = nrm_series_row_from_return(sent, err);
		if (!row) {
			json_decref(rows);
			json_decref(counted);
			return -1;
		}
		json_array_set_new(rows, (size_t)i, row);
	}
	owner->series_counted = counted;
	owner->series_made = rows;
	return 0;
}

/* This builder's rows of the series: the first series_rows, the last (its
 * own quarter) as counted, so that it is this return's own figures. */
static json_t *series_json(const struct nrm_return_builder *rb)
{
	const struct nrm_return_builder *o = rb->owner;
	json_t *a = json_array();
	for (size_t i = o->skip; i < rb->series_rows; i++)
		json_array_append_new(a, json_deep_copy(json_array_get(
			i + 1 < rb->series_rows ? o->series_made : o->series_counted, i)));
	return a;
}

static json_t *header_fields(const struct nrm_return_builder *rb);

/* The store's latest import when given; else, from files, the cases'
 * latest update (a file holds no import time), never after generated_at. */
static int64_t data_as_at(const struct nrm_return_builder *rb)
{
	if (rb->p.data_as_at)
		return rb->p.data_as_at;
	if (rb->latest_update == NRM_TIME_NONE || rb->latest_update > rb->p.generated_at)
		return rb->p.generated_at;
	return rb->latest_update;
}

static json_t *header_json(const struct nrm_return_builder *rb)
{
	json_t *h = header_fields(rb);
	char as_at[21];
	nrm_time_format_rfc3339(data_as_at(rb), as_at);
	/* Beside generated_at: the two times a reader compares. */
	json_t *gen = json_incref(json_object_get(h, "generator"));
	json_object_del(h, "generator");
	json_object_set_new(h, "data_as_at", json_string(as_at));
	json_object_set_new(h, "generator", gen);
	/* Recorded only when known, so a return built without it is as before. */
	if (h && rb->p.area)
		json_object_set_new(h, "area", json_string(rb->p.area));
	return h;
}

static json_t *header_fields(const struct nrm_return_builder *rb)
{
	char q[7], start[11], end[11], at[21];
	nrm_quarter_format(&rb->p.quarter, q);
	nrm_date_format_iso(rb->p.quarter.first, start);
	nrm_date_format_iso(rb->p.quarter.last, end);
	nrm_time_format_rfc3339(rb->p.generated_at, at);
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s}}",
	                 "schema", "nrmhub-return/1", "site", rb->site, "quarter", q,
	                 "audience", rb->p.audience == NRM_AUDIENCE_PUBLISHED ? "published"
	                                                                      : "official",
	                 "period", "start", start, "end", end, "generated_at", at,
	                 "generator", "name", "nrmhub", "version",
	                 rb->p.version ? rb->p.version : "unknown");
}

/* A comparison figure: `group`'s `when` ("quarter", "cumulative") `stage`
 * object in `r`, or NULL. */
static const json_t *cmp_stage(const json_t *r, size_t group, const char *when,
                               const char *stage)
{
	const json_t *g = json_array_get(json_object_get(json_object_get(r, "comparison"),
	                                                 "groups"), group);
	return json_object_get(json_object_get(g, when), stage);
}

/* The comparison against the previous quarter's own published return
 * `prev`: a reader holding both knows that this quarter's cumulative
 * figure is the previous one plus this quarter's (when no decision was
 * revised).  So, in the suppressed return `pub` (official figures in
 * `off`), hide this quarter's cumulative figure where the previous return
 * hides its own (else the quarter's figure would give it back), and the
 * whole cumulative row of a group and decision where this quarter hides a
 * figure the previous return shows (else the two cumulative figures would
 * give the quarter's back).  Only non-zero figures are hidden: a zero
 * tells nothing.  Adds to `forced`; returns how many it added. */
static size_t force_cumulative(const json_t *prev, const json_t *off, const json_t *pub,
                               char ***forced, size_t *n)
{
	static const char *const keys[] = {"count", "positive", "within_45_days"};
	static const char *const stages[] = {"rg", "cg"};
	size_t before = *n;
	for (size_t g = 0; g < 2; g++)
		for (size_t s = 0; s < 2; s++) {
			const json_t *was = cmp_stage(prev, g, "cumulative", stages[s]);
			const json_t *q = cmp_stage(pub, g, "quarter", stages[s]);
			const json_t *cum = cmp_stage(off, g, "cumulative", stages[s]);
			const json_t *shown = cmp_stage(pub, g, "cumulative", stages[s]);
			bool row = false;
			for (size_t k = 0; k < 3; k++)
				row = row || (json_is_string(json_object_get(q, keys[k])) &&
				              json_is_integer(json_object_get(was, keys[k])));
			for (size_t k = 0; k < 3; k++) {
				bool hide = row || json_is_string(json_object_get(was, keys[k]));
				if (!hide || json_integer_value(json_object_get(cum, keys[k])) <= 0 ||
				    json_is_string(json_object_get(shown, keys[k])))
					continue;
				*forced = nrm_xrealloc(*forced, (*n + 1) * sizeof(**forced));
				(*forced)[(*n)++] = nrm_xasprintf("$.comparison.groups[%zu].cumulative."
				                                  "%s.%s", g, stages[s], keys[k]);
			}
		}
	return *n - before;
}

/* The sent return for series row i (p.sent), or NULL. */
static const json_t *sent_for(const struct nrm_return_builder *rb, size_t i)
{
	char name[7];
	nrm_quarter_format(nrm_series_quarter(rb->series, i), name);
	for (size_t k = 0; k < rb->p.n_sent; k++) {
		const char *q = json_string_value(json_object_get(rb->p.sent[k], "quarter"));
		if (q && strcmp(q, name) == 0)
			return rb->p.sent[k];
	}
	return NULL;
}

/* Hides series row i's figures that `e`, that quarter's published
 * return (or the one the site sent, recording its pattern), hides. */
static void force_row(const json_t *e, size_t i, char ***forced, size_t *n)
{
	for (size_t k = 0; e && k < NRM_SERIES_REPEATS; k++)
		if (nrm_series_hidden_in(e, nrm_series_repeats[k].own)) {
			*forced = nrm_xrealloc(*forced, (*n + 1) * sizeof(**forced));
			(*forced)[(*n)++] = nrm_xasprintf("$.series[%zu].%s", i,
			                                  nrm_series_repeats[k].key);
		}
}

/* Whether `sent` says what its published counterpart hid: a published
 * return, or an official one recording disclosure.published_hidden (one
 * made before it did is rebuilt, as a quarter never sent is). */
static bool pattern_known(const json_t *sent)
{
	const char *audience = json_string_value(json_object_get(sent, "audience"));
	return (audience && strcmp(audience, "published") == 0) ||
	       json_is_array(json_object_get(json_object_get(sent, "disclosure"),
	                                     "published_hidden"));
}

/* `sent` as its published counterpart shows it, for force_cumulative:
 * itself when published, else an official return with each figure its
 * disclosure.published_hidden lists as "[c]". */
static json_t *published_view(const json_t *sent)
{
	json_t *v = json_deep_copy(sent);
	const char *audience = json_string_value(json_object_get(sent, "audience"));
	if (audience && strcmp(audience, "published") == 0)
		return v;
	const json_t *hidden = json_object_get(json_object_get(sent, "disclosure"),
	                                       "published_hidden");
	size_t k;
	const json_t *path;
	json_array_foreach(hidden, k, path)
		if (json_is_string(path))
			nrm_json_path_set(v, json_string_value(path), json_string("[c]"));
	return v;
}

/* Suppresses `r` with the series' earlier rows hidden where those
 * quarters' own published returns hide them: a reader holding both must
 * learn nothing from the pair that either hides.  Likewise the
 * comparison's cumulative figures against the previous quarter's
 * (force_cumulative), to a fixed point: each round hides more, so it ends. */
static int publish(struct nrm_return_builder *rb, json_t *r, struct nrm_error *err)
{
	char **forced = NULL;
	size_t n = 0;
	int rc = 0;
	/* The earlier quarters oldest first, each suppressed against the one
	 * before it, as its own published return was. */
	json_t *prev = NULL;
	for (size_t i = rb->skip; i < rb->n_earlier && rc == 0; i++) {
		/* A quarter the site sent: its published pattern is the one it
		 * sent (its own suppression, or the published_hidden an official
		 * return records), so that quarter is not suppressed again. */
		const json_t *sent = sent_for(rb, i);
		if (sent && pattern_known(sent)) {
			json_decref(prev);
			prev = published_view(sent);
			force_row(sent, i - rb->skip, &forced, &n);
			continue;
		}
		/* One that saw no case (all referred later) has this one's site. */
		if (!rb->earlier[i]->site)
			rb->earlier[i]->site = nrm_xstrdup(rb->site);
		rb->earlier[i]->prev = prev;
		json_t *e = nrm_return_builder_finish(rb->earlier[i], err);
		rb->earlier[i]->prev = NULL;
		json_decref(prev);
		prev = e;
		if (!e) {
			rc = -1;
			break;
		}
		force_row(e, i - rb->skip, &forced, &n);
		force_row(sent, i - rb->skip, &forced, &n);
	}
	const json_t *before = rb->prev ? rb->prev : prev;
	while (rc == 0) {
		json_t *copy = json_deep_copy(r);
		struct nrm_dc_params p = rb->rule;
		p.forced = (const char *const *)forced;
		p.n_forced = n;
		rc = nrm_return_suppress(copy, &p, NULL, err);
		if (rc == 0 && (!before || force_cumulative(before, r, copy, &forced, &n) == 0)) {
			json_object_update(r, copy);
			json_decref(copy);
			break;
		}
		json_decref(copy);
	}
	json_decref(prev);
	for (size_t k = 0; k < n; k++)
		free(forced[k]);
	free(forced);
	return rc;
}

/* The official return `r` records the cells its published counterpart,
 * built from the same cases, hides (return_pattern.h). */
static int record_pattern(struct nrm_return_builder *rb, json_t *r, struct nrm_error *err)
{
	json_t *pub = json_deep_copy(r);
	json_object_set_new(pub, "audience", json_string("published"));
	json_t *d = publish(rb, pub, err) == 0 ? nrm_return_disclosure_json(&rb->rule, pub, err)
	                                       : NULL;
	json_decref(pub);
	if (!d)
		return -1;
	json_object_set_new(r, "disclosure", d);
	return 0;
}

json_t *nrm_return_builder_finish(struct nrm_return_builder *rb, struct nrm_error *err)
{
	if (!rb->site) {
		nrm_fail(err, EX_DATAERR, "no site to build a return for: the inputs hold no "
		         "case, and no --site was given");
		return NULL;
	}
	if (!rb->p.site && rb->other_sites) {
		nrm_fail(err, EX_DATAERR, "the inputs hold cases of more than one site; "
		         "choose one with --site");
		return NULL;
	}
	json_t *r = header_json(rb);
	json_object_set_new(r, "referrals", referrals_json(rb));
	json_object_set_new(r, "decisions", json_pack("{s:o, s:o}", "rg", decisions_json(&rb->rg),
	                                              "cg", decisions_json(&rb->cg)));
	json_object_set_new(r, "days_to_decision",
	                    json_pack("{s:o, s:o}", "rg", days_json(&rb->rg_days), "cg",
	                              days_json(&rb->cg_days)));
	json_object_set_new(r, "awaiting", json_pack("{s:o, s:o}", "rg", awaiting_json(&rb->await_rg),
	                                             "cg", awaiting_json(&rb->await_cg)));
	json_object_set_new(r, "withdrawn", count(rb->withdrawn));
	json_object_set_new(r, "transferred", count(rb->transferred));
	json_object_set_new(r, "quality",
	                    json_pack("{s:o, s:o}", "missing",
	                              named_counts(missing_names, rb->missing, N_MISSING),
	                              "out_of_scope", count(rb->out_of_scope)));
	if (make_series(rb, err) != 0) {
		json_decref(r);
		return NULL;
	}
	json_object_set_new(r, "series", series_json(rb));
	/* In both audiences: the published one suppresses it with the rest,
	 * by the relations its table declares (return_comparison.c). */
	json_object_set_new(r, "comparison", nrm_comparison_site_json(&rb->cmp));
	int rc = rb->p.audience == NRM_AUDIENCE_PUBLISHED ? publish(rb, r, err)
	         : rb->p.no_earlier                      ? 0
	                                                 : record_pattern(rb, r, err);
	if (rc == 0 && !json_object_get(r, "disclosure"))
		json_object_set_new(r, "disclosure", nrm_return_disclosure_json(&rb->rule, NULL, err));
	if (rc != 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

void nrm_return_builder_free(struct nrm_return_builder *rb)
{
	if (!rb)
		return;
	for (size_t i = 0; i < rb->n_earlier; i++)
		nrm_return_builder_free(rb->earlier[i]);
	free(rb->earlier);
	if (rb->owns_series)
		nrm_series_free(rb->series);
	json_decref(rb->series_made);
	json_decref(rb->series_counted);
	nrm_days_free(&rb->rg_days);
	nrm_days_free(&rb->cg_days);
	nrm_days_free(&rb->await_rg);
	nrm_days_free(&rb->await_cg);
	free(rb->site);
	free(rb->nations);
	nrm_comparison_free(&rb->cmp);
	free(rb);
}
