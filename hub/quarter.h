/*
 * Calendar quarters ("2025Q1"): the period a quarterly return covers, from
 * its first to its last calendar day, inclusive.
 */
#ifndef NRM_QUARTER_H
#define NRM_QUARTER_H

#include <stdint.h>

struct nrm_quarter {
	int year;     /* 1..9999 */
	int q;        /* 1..4 */
	int32_t first, last;  /* days since 1970-01-01, both inclusive */
};

/* Parses "YYYYQn" exactly: four digits, an upper-case Q, 1 to 4.  Lower
 * case ("2025q1"), spaces and anything else are refused, so one quarter has
 * one spelling in file names, keys and bundles.  0, or -1 when not valid. */
int nrm_quarter_parse(const char *text, struct nrm_quarter *out);
/* The quarter from a year and a number (1..4); 0 or -1 when out of range. */
int nrm_quarter_make(int year, int q, struct nrm_quarter *out);
/* The quarter holding a date. */
void nrm_quarter_of_date(int32_t date, struct nrm_quarter *out);
/* The quarter `n` quarters after `q` (n < 0: before); -1 when it would leave
 * years 1..9999. */
int nrm_quarter_add(const struct nrm_quarter *q, int n, struct nrm_quarter *out);
/* Writes "YYYYQn" and a NUL into buf[7]. */
void nrm_quarter_format(const struct nrm_quarter *q, char buf[7]);
/* Quarters from a to b (b - a, in quarters). */
int nrm_quarter_diff(const struct nrm_quarter *a, const struct nrm_quarter *b);

#endif
