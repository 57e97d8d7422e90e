/*
 * Cron schedules, as Vixie cron and cronie read them, in Europe/London time.
 *
 * Five fields, "minute hour day-of-month month day-of-week", each a comma
 * list of '*', N, N-M, '*' or N-M followed by /STEP; months jan..dec and days
 * sun..sat by name; 0 and 7 are both Sunday.  When both day fields are
 * restricted (neither starts with '*') a day matches if either does;
 * otherwise both must.  Also @hourly, @daily (= @midnight), @weekly,
 * @monthly, @quarterly (00:00 on 1 Jan, Apr, Jul, Oct) and @yearly
 * (= @annually).
 *
 * Clock changes follow cronie.  A "fixed" schedule (neither the minute nor
 * the hour field starts with '*') runs once per wall-clock time: when that
 * time is skipped (01:30 on the last Sunday of March) it runs at the first
 * instant after the gap (02:00 BST), once however many of its times fell in
 * the gap; when that time happens twice (01:30 on the last Sunday of
 * October) it runs at the first only.  A "wildcard" schedule (minute or hour
 * starting with '*', e.g. "*\/5 * * * *" or @hourly) follows elapsed time:
 * it runs at every instant whose wall-clock time matches, so not in the
 * skipped hour and in both passes of the repeated one.
 */
#ifndef NRM_CRON_H
#define NRM_CRON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct nrm_error;

struct nrm_cron {
	uint64_t minutes;    /* bit m for minute 0..59 */
	uint32_t hours;      /* bit h for hour 0..23 */
	uint32_t mdays;      /* bit d for day of month 1..31 */
	uint16_t months;     /* bit m for month 1..12 */
	uint8_t wdays;       /* bit d for day of week 0..6, Sunday 0 */
	bool mday_star;      /* the day-of-month field starts with '*' */
	bool wday_star;      /* the day-of-week field starts with '*' */
	bool wildcard;       /* minute or hour starts with '*': see above */
};

/* Parses `text`.  On error returns -1 and fills `err` (EX_CONFIG) with the
 * field's name, the column (1-based) and the rule broken, e.g.
 * "day-of-week at column 11: 8 is out of range 0-7 (or sun-sat)".
 * Schedules that can never run (30 February) are refused too.  Calls
 * nrm_london_init(), so it also fails if the zone data is missing. */
int nrm_cron_parse(const char *text, struct nrm_cron *out, struct nrm_error *err);

/* The first run strictly after `after`, or (time_t)-1 if there is none in
 * the next ten years (only impossible schedules, which parse refuses).
 * Runs fall on whole minutes. */
time_t nrm_cron_next(const struct nrm_cron *c, time_t after);

/* True when a run fell due in (last_run, now]: the job is run once, however
 * many runs were missed while the machine was off.  `last_run` is when the
 * job last ran (for a job never run, when it was added, so that it does not
 * fire for all of history). */
bool nrm_cron_due(const struct nrm_cron *c, time_t last_run, time_t now);

/* True when the wall-clock time in `tm` (minute precision) matches. */
bool nrm_cron_matches(const struct nrm_cron *c, const struct tm *tm);

#endif
