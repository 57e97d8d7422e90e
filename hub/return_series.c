/*
 * The return's series: counters for every quarter since the series'
 * start, filled in one pass (return_series.h).  The definitions are
 * formats/return.md's, *The series*: each row counts what its quarter's own
 * return counts, so the two agree.
 */
#include "return_series.h"

#include "comparison.h"
#include "date.h"
#include "json_path.h"
#include "return_stats.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

const struct nrm_series_repeat nrm_series_repeats[NRM_SERIES_REPEATS] = {
	{"referrals", "$.referrals.total", true},
	{"rg_decisions", "$.days_to_decision.rg.count", true},
	{"rg_positive", "$.decisions.rg.positive", true},
	{"cg_decisions", "$.days_to_decision.cg.count", true},
	{"cg_positive", "$.decisions.cg.positive", true},
	{"awaiting_rg", "$.awaiting.rg.count", true},
	{"awaiting_cg", "$.awaiting.cg.count", true},
	{"mean_days_rg", "$.days_to_decision.rg.mean", false},
	{"median_days_rg", "$.days_to_decision.rg.median", false},
	{"mean_days_cg", "$.days_to_decision.cg.mean", false},
	{"median_days_cg", "$.days_to_decision.cg.median", false},
};

struct series_quarter {
	struct nrm_quarter q;
	uint64_t referrals, rg_positive, cg_positive;
	struct nrm_days rg_days, cg_days;
	/* Cases awaiting at this quarter's end minus those at the previous
	 * one's: a waiting case adds 1 where its wait begins and takes it
	 * away where it ends, so a prefix sum gives every quarter's count. */
	int64_t await_rg_delta, await_cg_delta;
};

struct nrm_series {
	size_t n;
	/* n + 1 entries: one more for the deltas of waits ending after the
	 * last quarter (never summed). */
	struct series_quarter *quarters;
};

size_t nrm_series_span(const struct nrm_quarter *last, int32_t joined,
                       struct nrm_quarter *first)
{
	int32_t began;
	nrm_date_from_ymd(NRM_PILOT_BEGAN_YMD, &began);
	if (joined > began)
		began = joined;
	nrm_quarter_of_date(began, first);
	if (first->first > last->first) /* joined after the quarter: its own row only */
		*first = *last;
	if (nrm_quarter_diff(first, last) >= NRM_SERIES_MAX_QUARTERS)
		nrm_quarter_add(last, -(NRM_SERIES_MAX_QUARTERS - 1), first);
	return (size_t)nrm_quarter_diff(first, last) + 1;
}

struct nrm_series *nrm_series_new(const struct nrm_quarter *last, int32_t joined)
{
	struct nrm_series *s = nrm_xcalloc(1, sizeof(*s));
	struct nrm_quarter first;
	s->n = nrm_series_span(last, joined, &first);
	s->quarters = nrm_xcalloc(s->n + 1, sizeof(*s->quarters));
	for (size_t i = 0; i < s->n; i++)
		nrm_quarter_add(&first, (int)i, &s->quarters[i].q);
	return s;
}

size_t nrm_series_length(const struct nrm_series *s)
{
	return s->n;
}

const struct nrm_quarter *nrm_series_quarter(const struct nrm_series *s, size_t i)
{
	return &s->quarters[i].q;
}

/* The first quarter k whose last day is on or after `date`: 0 for a date
 * before the series, n for one after it or none (a thing that has not
 * happened by the series' end). */
static size_t by_end(const struct nrm_series *s, int32_t date)
{
	if (date == NRM_DATE_NONE || date > s->quarters[s->n - 1].q.last)
		return s->n;
	size_t lo = 0, hi = s->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->quarters[mid].q.last >= date)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The quarter holding `date`, or NULL outside the series. */
static struct series_quarter *holding(struct nrm_series *s, int32_t date)
{
	size_t k = by_end(s, date);
	return k < s->n && date >= s->quarters[k].q.first ? &s->quarters[k] : NULL;
}

static size_t min_of(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* A wait over the quarter ends from..end-1. */
static void wait_over(struct nrm_series *s, size_t from, size_t end, bool cg)
{
	if (from >= end)
		return;
	if (cg) {
		s->quarters[from].await_cg_delta++;
		s->quarters[end].await_cg_delta--;
	} else {
		s->quarters[from].await_rg_delta++;
		s->quarters[end].await_rg_delta--;
	}
}

/* Awaiting at a quarter's end, as return_build.c's count_awaiting decides
 * for the return's own quarter: referred on or before it, not withdrawn
 * or transferred on or before it, and no RG decision on or before it (RG),
 * or a positive RG decision and no CG decision on or before it (CG). */
static void count_waits(struct nrm_series *s, const struct nrm_case *c)
{
	bool closes = c->status == NRM_STATUS_WITHDRAWN || c->status == NRM_STATUS_TRANSFERRED;
	size_t referred = by_end(s, c->referral_date), rg = by_end(s, c->rg_decision_date);
	size_t closed = closes ? by_end(s, c->status_date) : s->n;
	wait_over(s, referred, min_of(rg, closed), false);
	if (c->rg_outcome == NRM_OUTCOME_POSITIVE)
		wait_over(s, referred > rg ? referred : rg,
		          min_of(by_end(s, c->cg_decision_date), closed), true);
}

void nrm_series_add(struct nrm_series *s, const struct nrm_case *c)
{
	struct series_quarter *q = holding(s, c->referral_date);
	if (q)
		q->referrals++;
	if ((q = holding(s, c->rg_decision_date))) {
		nrm_days_add(&q->rg_days, c->rg_decision_date - c->referral_date);
		q->rg_positive += c->rg_outcome == NRM_OUTCOME_POSITIVE;
	}
	if ((q = holding(s, c->cg_decision_date))) {
		nrm_days_add(&q->cg_days, c->cg_decision_date - c->referral_date);
		q->cg_positive += c->cg_outcome == NRM_OUTCOME_POSITIVE;
	}
	count_waits(s, c);
}

static json_t *count(uint64_t n)
{
	return json_integer((json_int_t)n);
}

/* Mean and median as the return's own days_to_decision writes them
 * (return_build.c): one decimal; a whole median as an integer. */
static void stats_json(struct nrm_days *d, json_t **mean, json_t **median)
{
	struct nrm_day_stats st;
	nrm_days_summarise(d, &st);
	if (st.count == 0) {
		*mean = json_null();
		*median = json_null();
		return;
	}
	*mean = json_real((double)st.mean10 / 10.0);
	*median = st.median2 % 2 == 0 ? json_integer(st.median2 / 2)
	                              : json_real((double)st.median2 / 2.0);
}

json_t *nrm_series_json(struct nrm_series *s)
{
	json_t *a = json_array();
	int64_t await_rg = 0, await_cg = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct series_quarter *q = &s->quarters[i];
		char name[7];
		nrm_quarter_format(&q->q, name);
		await_rg += q->await_rg_delta;
		await_cg += q->await_cg_delta;
		json_t *mean_rg, *median_rg, *mean_cg, *median_cg;
		stats_json(&q->rg_days, &mean_rg, &median_rg);
		stats_json(&q->cg_days, &mean_cg, &median_cg);
		json_array_append_new(
			a, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			             "quarter", name, "referrals", count(q->referrals),
			             "rg_decisions", count(q->rg_days.n), "rg_positive",
			             count(q->rg_positive), "cg_decisions", count(q->cg_days.n),
			             "cg_positive", count(q->cg_positive), "mean_days_rg", mean_rg,
			             "median_days_rg", median_rg, "mean_days_cg", mean_cg,
			             "median_days_cg", median_cg, "awaiting_rg",
			             json_integer(await_rg), "awaiting_cg", json_integer(await_cg)));
	}
	return a;
}

void nrm_series_free(struct nrm_series *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		nrm_days_free(&s->quarters[i].rg_days);
		nrm_days_free(&s->quarters[i].cg_days);
	}
	free(s->quarters);
	free(s);
}

json_t *nrm_series_row_from_return(const json_t *ret, struct nrm_error *err)
{
	const json_t *quarter = json_object_get(ret, "quarter");
	struct nrm_quarter q;
	if (!json_is_string(quarter) || nrm_quarter_parse(json_string_value(quarter), &q) != 0) {
		nrm_fail(err, EX_DATAERR, "$.quarter: must be YYYYQn");
		return NULL;
	}
	json_t *row = json_pack("{s:O}", "quarter", quarter);
	for (size_t k = 0; k < NRM_SERIES_REPEATS; k++) {
		json_t *v = nrm_json_path_get(ret, nrm_series_repeats[k].own);
		if (!v) {
			nrm_fail(err, EX_DATAERR, "%s: is missing", nrm_series_repeats[k].own);
			json_decref(row);
			return NULL;
		}
		json_object_set(row, nrm_series_repeats[k].key, v);
	}
	return row;
}

bool nrm_series_hidden_in(const json_t *ret, const char *own_path)
{
	if (json_is_string(nrm_json_path_get(ret, own_path)))
		return true;
	const json_t *hidden = json_object_get(json_object_get(ret, "disclosure"),
	                                       "published_hidden");
	size_t i;
	const json_t *p;
	json_array_foreach(hidden, i, p)
		if (json_is_string(p) && strcmp(json_string_value(p), own_path) == 0)
			return true;
	return false;
}
