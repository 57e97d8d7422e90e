/*
 * The statistics of a quarterly return over a list of day counts (days from
 * referral to a decision, or a waiting case's age): count, mean to one
 * decimal, median, 90th percentile by nearest rank, and counts by band.
 * Only the day counts are kept (one int each), never the cases.
 */
#ifndef NRM_RETURN_STATS_H
#define NRM_RETURN_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The bands of days_to_decision.distribution and awaiting.by_age_band. */
enum { NRM_DAY_BANDS = 5 };
extern const char *const nrm_day_band_names[NRM_DAY_BANDS];  /* "0-45", ... "366+" */

struct nrm_days {
	int32_t *v;
	size_t n, cap;
	int64_t sum;
};

struct nrm_day_stats {
	size_t count;
	/* The mean times ten, rounded half up: 31.45 -> 315 (31.5).  Exact
	 * integer arithmetic, so no binary fraction decides a rounding. */
	int64_t mean10;
	/* The median times two: the mean of the two middle values when the
	 * count is even, so an odd median2 is a median of x.5. */
	int64_t median2;
	/* Nearest rank: the ceil(0.9 n)-th smallest value (1-based). */
	int32_t p90;
	size_t within_45;  /* days <= 45 */
	size_t bands[NRM_DAY_BANDS];
};

void nrm_days_add(struct nrm_days *d, int32_t days);
/* Sorts the values in place and fills `out`; with no values, count is 0 and
 * the other statistics are meaningless (the return writes null). */
void nrm_days_summarise(struct nrm_days *d, struct nrm_day_stats *out);
void nrm_days_free(struct nrm_days *d);

/* The mean of n values summing to `sum`, times ten, rounded half up
 * (n > 0). */
int64_t nrm_mean10(int64_t sum, uint64_t n);
/* The band (0..4) of a day count. */
int nrm_day_band(int32_t days);
/* ceil(0.9 n) computed in integers: the 1-based rank of the 90th percentile. */
size_t nrm_p90_rank(size_t n);

#endif
