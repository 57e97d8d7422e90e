/*
 * Calendar dates as days since 1970-01-01 and times as seconds since the
 * epoch, in UTC.  Exposed to plugins through the host table.
 */
#ifndef NRM_DATE_H
#define NRM_DATE_H

#include <stddef.h>
#include <stdint.h>

/* The dates the hub can write as YYYY-MM-DD: 0001-01-01 to 9999-12-31. */
#define NRM_DATE_MIN (-719162)
#define NRM_DATE_MAX 2932896

int nrm_date_from_ymd(int year, int month, int day, int32_t *out);
void nrm_date_to_ymd(int32_t date, int *year, int *month, int *day);
/* The same day and month `years` on; 29 February in a common year is
 * 1 March (as a birthday is in English law).  NRM_DATE_MAX past 9999. */
int32_t nrm_date_add_years(int32_t date, int years);
int nrm_date_parse_iso(const char *text, size_t len, int32_t *out);
void nrm_date_format_iso(int32_t date, char buf[11]);
int nrm_time_parse_rfc3339(const char *text, size_t len, int64_t *out);
void nrm_time_format_rfc3339(int64_t t, char buf[21]);

#endif
