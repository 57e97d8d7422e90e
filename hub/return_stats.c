/*
 * Order statistics by sorting: a quarter has at most a few hundred thousand
 * decisions, and a sort of them costs less than reading the cases did.
 */
#include "return_stats.h"

#include "util.h"

#include <stdlib.h>

const char *const nrm_day_band_names[NRM_DAY_BANDS] = {"0-45", "46-90", "91-180",
                                                       "181-365", "366+"};

void nrm_days_add(struct nrm_days *d, int32_t days)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->v = nrm_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = days;
	d->sum += days;
}

void nrm_days_free(struct nrm_days *d)
{
	free(d->v);
	*d = (struct nrm_days){0};
}

int nrm_day_band(int32_t days)
{
	if (days <= 45)
		return 0;
	if (days <= 90)
		return 1;
	if (days <= 180)
		return 2;
	if (days <= 365)
		return 3;
	return 4;
}

size_t nrm_p90_rank(size_t n)
{
	/* ceil(9n / 10) without floating point: 0.9 is not exact in binary,
	 * and ceil(0.9 * 10) must be 9, not 10. */
	return (9 * n + 9) / 10;
}

static int cmp_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* Sorts n day counts.  Days span a few thousand values however many
 * there are, so counting each value sorts a million of them in one pass
 * (the series and the earlier quarters' returns sort many lists); a list
 * spread wider than that falls back to qsort.  The order is the same. */
static void sort_days(int32_t *v, size_t n)
{
	int32_t lo = v[0], hi = v[0];
	for (size_t i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	uint64_t span = (uint64_t)((int64_t)hi - lo) + 1;
	if (n < 64 || span > 4 * (uint64_t)n + 4096) {
		qsort(v, n, sizeof(*v), cmp_int32);
		return;
	}
	size_t *seen = nrm_xcalloc((size_t)span, sizeof(*seen));
	for (size_t i = 0; i < n; i++)
		seen[v[i] - lo]++;
	size_t k = 0;
	for (uint64_t d = 0; d < span; d++)
		for (size_t c = 0; c < seen[d]; c++)
			v[k++] = (int32_t)((int64_t)lo + (int64_t)d);
	free(seen);
}

/* floor(a / b) for b > 0, whatever the sign of a. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t nrm_mean10(int64_t sum, uint64_t n)
{
	/* floor(10 sum / n + 1/2) = floor((20 sum + n) / 2n) */
	return floor_div(20 * sum + (int64_t)n, 2 * (int64_t)n);
}

void nrm_days_summarise(struct nrm_days *d, struct nrm_day_stats *out)
{
	*out = (struct nrm_day_stats){.count = d->n};
	if (d->n == 0)
		return;
	sort_days(d->v, d->n);
	out->mean10 = nrm_mean10(d->sum, d->n);
	size_t mid = d->n / 2;
	out->median2 = d->n % 2 ? 2 * (int64_t)d->v[mid] : (int64_t)d->v[mid - 1] + d->v[mid];
	out->p90 = d->v[nrm_p90_rank(d->n) - 1];
	for (size_t i = 0; i < d->n; i++) {
		out->bands[nrm_day_band(d->v[i])]++;
		if (d->v[i] <= 45)
			out->within_45++;
	}
}
