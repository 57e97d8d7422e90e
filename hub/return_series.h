/*
 * The return's series (issue 16): one row a quarter from the pilot's
 * start (2021Q2) or the quarter the site joined, whichever is later, to the
 * return's quarter, oldest first.  Each row holds the figures that
 * quarter's own return counts (formats/return.md, *The series*), all
 * counted in one pass over the cases: a case touches only the quarters its
 * dates fall in, and the cases awaiting a decision at each quarter's end
 * are counted as intervals (a difference array), never quarter by quarter.
 */
#ifndef NRM_RETURN_SERIES_H
#define NRM_RETURN_SERIES_H

#include "quarter.h"

#include <jansson.h>
#include <nrmhub/plugin.h>
#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

/* The figures each series row repeats from its own quarter's return: the
 * row's key ("referrals") and the figure's path in that quarter's return
 * ("$.referrals.total").  A reader holding both returns knows they are the
 * same figure; the published series hides a row's figure wherever that
 * quarter's own published return hides it. */
struct nrm_series_repeat {
	const char *key, *own;
	bool count;  /* a count (equal); else a statistic (hidden together) */
};
#define NRM_SERIES_REPEATS 11
extern const struct nrm_series_repeat nrm_series_repeats[NRM_SERIES_REPEATS];

/* The most quarters a series holds: ten years, the last 40 when the
 * pilot is older (or a return is forced for a quarter far ahead).  Each
 * earlier quarter's published return is suppressed for the series' sake
 * (return_build.c), so the cost of a build grows with the series. */
#define NRM_SERIES_MAX_QUARTERS 40

/* The quarters of the series of a return for `last` whose site joined on
 * `joined` (0: not known, the pilot's start): the first in `*first`, and
 * how many (at least 1: the return's own quarter, even one before 2021Q2
 * or before the site joined; at most NRM_SERIES_MAX_QUARTERS). */
size_t nrm_series_span(const struct nrm_quarter *last, int32_t joined,
                       struct nrm_quarter *first);

struct nrm_series;

struct nrm_series *nrm_series_new(const struct nrm_quarter *last, int32_t joined);
size_t nrm_series_length(const struct nrm_series *s);
/* The i-th quarter, oldest first. */
const struct nrm_quarter *nrm_series_quarter(const struct nrm_series *s, size_t i);
/* Counts one case that the return counts (the site's, not age-disputed,
 * with a referral date). */
void nrm_series_add(struct nrm_series *s, const struct nrm_case *c);
/* The rows as a new JSON array, in return.json's shape.  Sorts the day
 * counts: call once. */
json_t *nrm_series_json(struct nrm_series *s);
void nrm_series_free(struct nrm_series *s);

/* A series row for the quarter of `ret`, a return as it was sent (either
 * audience), from that return's own figures: what the series shows for a
 * past quarter for which the site's latest return is known, so that the
 * series agrees with what was sent.  NULL with `err` filled (EX_DATAERR)
 * when `ret` lacks one of the figures. */
json_t *nrm_series_row_from_return(const json_t *ret, struct nrm_error *err);

/* Whether the published return of the figure at `own_path` hides it, as
 * `ret` records: "[c]" there in a published return, or listed in an
 * official return's disclosure.published_hidden. */
bool nrm_series_hidden_in(const json_t *ret, const char *own_path);

#endif
