/*
 * Unit tests of hub/cron.c: parsing, the next run in Europe/London time
 * across both clock changes of 2025 and 2026, leap days, and simulated
 * months counting runs.  Expected instants are written in UTC with the
 * London time beside them, worked out from the tzdata transitions
 * (zdump -v -c 2025,2027 Europe/London): clocks go forward at 01:00 UTC on
 * 30 March 2025 and 29 March 2026, and back at 01:00 UTC on 26 October 2025
 * and 25 October 2026.  The UTC strings are turned into time_t with timegm,
 * not with the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cron.h"
#include "london_time.h"
#include "util.h"

/* "2026-03-29T01:00" (UTC) -> time_t. */
static time_t utc(const char *s)
{
	struct tm tm = {0};
	int n = sscanf(s, "%d-%d-%dT%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
	               &tm.tm_min);
	assert_int_equal(n, 5);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static struct nrm_cron parse_ok(const char *text)
{
	struct nrm_cron c;
	struct nrm_error err = {0};
	if (nrm_cron_parse(text, &c, &err) != 0)
		fail_msg("'%s' did not parse: %s", text, err.msg);
	return c;
}

static void expect_next(const char *sched, const char *after, const char *want)
{
	struct nrm_cron c = parse_ok(sched);
	time_t got = nrm_cron_next(&c, utc(after));
	if (got != utc(want)) {
		char buf[64];
		nrm_london_format(got, buf, sizeof(buf));
		fail_msg("'%s' after %sZ: got %s, expected %sZ", sched, after, buf, want);
	}
}

/* Each run from `from`, in order. */
static void expect_runs(const char *sched, const char *from, const char *const *want, size_t n)
{
	struct nrm_cron c = parse_ok(sched);
	time_t t = utc(from);
	for (size_t i = 0; i < n; i++) {
		t = nrm_cron_next(&c, t);
		if (t != utc(want[i])) {
			char buf[64];
			nrm_london_format(t, buf, sizeof(buf));
			fail_msg("'%s' run %zu: got %s, expected %sZ", sched, i + 1, buf, want[i]);
		}
	}
}

static void expect_error(const char *sched, const char *message)
{
	struct nrm_cron c;
	struct nrm_error err = {0};
	if (nrm_cron_parse(sched, &c, &err) == 0)
		fail_msg("'%s' parsed, expected an error", sched);
	assert_int_equal(err.code, 78);
	if (!strstr(err.msg, message))
		fail_msg("'%s': message '%s' does not contain '%s'", sched, err.msg, message);
}

/* ---- parsing ----------------------------------------------------------- */

static void test_parse_errors_name_field_and_column(void **state)
{
	expect_error("61 * * * *", "minute at column 1: 61 is out of range 0-59");
	expect_error("* 24 * * *", "hour at column 3: 24 is out of range 0-23");
	expect_error("* * 0 * *", "day-of-month at column 5: 0 is out of range 1-31");
	expect_error("* * * 13 *", "month at column 7: 13 is out of range 1-12");
	expect_error("* * * * 8", "day-of-week at column 9: 8 is out of range 0-7");
	expect_error("0 9 * foo *", "month at column 7: unknown name; expected jan..dec");
	expect_error("0 9 * * funday", "day-of-week at column 9: unknown name; expected sun..sat");
	expect_error("0 9 * * mo", "day-of-week at column 9: unknown name");
	expect_error("5-2 * * * *", "minute at column 1: the range runs backwards");
	expect_error("*/0 * * * *", "minute at column 3: the step must be");
	expect_error("0 */99 * * *", "hour at column 5: the step must be");
	expect_error("5/10 * * * *", "minute at column 2: a step needs '*' or a range");
	expect_error("1,,2 * * * *", "minute at column 3: a value is missing");
	expect_error("1, * * * *", "minute at column 3: a value is missing");
	expect_error("0 9x * * *", "hour at column 4: unexpected character");
	expect_error("0 9 * *", "day-of-week at column 8: missing");
	expect_error("", "minute at column 1: missing");
	expect_error("   ", "minute at column 4: missing");
	expect_error("0 9 * * * /bin/true", "column 11: more than five fields");
	expect_error("@reboot", "unknown shorthand");
	expect_error("@daily 5", "unknown shorthand");
	expect_error("0 0 30 2 *", "would never run");
	expect_error("0 0 31 apr,jun,sep,nov *", "would never run");
	/* 01:xx on Sunday 31 March: that Sunday is always the last of March,
	 * whose 01:xx the clocks skip (found by fuzzing). */
	expect_error("* 1 31 3 */7", "no time in London ever matches it");
	expect_error("99999999999999999999 * * * *", "minute at column 1: number too large");
}

static void test_parse_fields(void **state)
{
	struct nrm_cron c = parse_ok("0,15,30-33 9-17/4 1,15 jan,JUL-aug mon-fri");
	assert_true(c.minutes == ((UINT64_C(1) << 0) | (UINT64_C(1) << 15) | (UINT64_C(1) << 30) |
	                          (UINT64_C(1) << 31) | (UINT64_C(1) << 32) | (UINT64_C(1) << 33)));
	assert_int_equal(c.hours, (1u << 9) | (1u << 13) | (1u << 17));
	assert_int_equal(c.mdays, (1u << 1) | (1u << 15));
	assert_int_equal(c.months, (1u << 1) | (1u << 7) | (1u << 8));
	assert_int_equal(c.wdays, 0x3e);
	assert_false(c.mday_star);
	assert_false(c.wday_star);
	assert_false(c.wildcard);

	/* 0 and 7 are both Sunday. */
	assert_int_equal(parse_ok("0 0 * * 7").wdays, 1);
	assert_int_equal(parse_ok("0 0 * * 0").wdays, 1);
	assert_int_equal(parse_ok("0 0 * * SUN").wdays, 1);
	assert_int_equal(parse_ok("0 0 * * 5-7").wdays, (1u << 5) | (1u << 6) | 1u);
	assert_int_equal(parse_ok("0 0 * * */2").wdays, 0x55 & 0x7f);

	c = parse_ok("*/20 * * * *");
	assert_true(c.minutes == ((UINT64_C(1) << 0) | (UINT64_C(1) << 20) | (UINT64_C(1) << 40)));
	assert_true(c.wildcard);
	assert_true(c.mday_star && c.wday_star);
	assert_true(parse_ok("0 * * * *").wildcard);
	assert_false(parse_ok("  0\t1 * * *  ").wildcard);
	assert_int_equal(parse_ok("0 0 29 2 *").mdays, 1u << 29);
}

static void test_shorthands(void **state)
{
	static const struct {
		const char *shorthand, *fields;
	} same[] = {
		{"@hourly", "0 * * * *"},    {"@daily", "0 0 * * *"},
		{"@midnight", "0 0 * * *"},  {"@weekly", "0 0 * * 0"},
		{"@monthly", "0 0 1 * *"},   {"@quarterly", "0 0 1 jan,apr,jul,oct *"},
		{"@yearly", "0 0 1 1 *"},    {"@annually", "0 0 1 1 *"},
		{" @DAILY ", "0 0 * * *"},
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct nrm_cron a = parse_ok(same[i].shorthand), b = parse_ok(same[i].fields);
		assert_memory_equal(&a, &b, sizeof(a));
	}
}

/* ---- the next run, ordinary days --------------------------------------- */

static void test_next_is_strictly_after(void **state)
{
	/* January: London is on GMT, so UTC and wall-clock agree. */
	expect_next("*/15 * * * *", "2026-01-10T10:07", "2026-01-10T10:15");
	expect_next("*/15 * * * *", "2026-01-10T10:15", "2026-01-10T10:30");
	expect_next("*/15 * * * *", "2026-01-10T23:59", "2026-01-11T00:00");
	expect_next("* * * * *", "2026-01-10T10:15", "2026-01-10T10:16");
	/* A time with seconds: the next whole matching minute. */
	struct nrm_cron c = parse_ok("* * * * *");
	assert_int_equal(nrm_cron_next(&c, utc("2026-01-10T10:15") + 59), utc("2026-01-10T10:16"));
	assert_int_equal(nrm_cron_next(&c, utc("2026-01-10T10:15") + 1), utc("2026-01-10T10:16"));
}

static void test_summer_time_is_london_time(void **state)
{
	/* 09:30 BST is 08:30 UTC. */
	expect_next("30 9 * * *", "2026-07-01T00:00", "2026-07-01T08:30");
	expect_next("30 9 * * *", "2026-07-01T08:30", "2026-07-02T08:30");
	expect_next("30 9 * * *", "2026-12-01T00:00", "2026-12-01T09:30");
	/* Midnight BST is 23:00 UTC the day before. */
	expect_next("@daily", "2026-06-15T12:00", "2026-06-15T23:00");
}

static void test_day_fields(void **state)
{
	/* Both restricted: the 13th or any Friday.  April 2026: 1st a Wednesday,
	 * Fridays 3, 10, 17, 24; the 13th a Monday.  Midnight BST = 23:00Z. */
	static const char *const either[] = {"2026-04-02T23:00", "2026-04-09T23:00",
	                                     "2026-04-12T23:00", "2026-04-16T23:00",
	                                     "2026-04-23T23:00", "2026-04-30T23:00"};
	expect_runs("0 0 13 * fri", "2026-04-01T00:00", either, 6);
	/* Day of month starts with '*' (a step): both must match, as in Vixie
	 * cron: odd days that are Mondays (April 2026: 13 and 27). */
	static const char *const both[] = {"2026-04-12T23:00", "2026-04-26T23:00",
	                                   "2026-05-10T23:00"};
	expect_runs("0 0 */2 * 1", "2026-04-01T00:00", both, 3);
	/* Weekdays at 07:45: Fri 27 Nov 2026, then Mon 30 Nov (GMT). */
	static const char *const weekdays[] = {"2026-11-27T07:45", "2026-11-30T07:45",
	                                       "2026-12-01T07:45"};
	expect_runs("45 7 * * mon-fri", "2026-11-26T08:00", weekdays, 3);
	/* Sunday as 7. */
	expect_next("0 6 * * 7", "2026-11-26T00:00", "2026-11-29T06:00");
	/* The last day of the month as "28-31" with nothing else does not mean
	 * the last day: it is each of those days. */
	static const char *const late[] = {"2026-02-28T12:00", "2026-03-28T12:00",
	                                   "2026-03-29T11:00", "2026-03-30T11:00"};
	expect_runs("0 12 28-31 * *", "2026-02-01T00:00", late, 4);
}

static void test_shorthand_runs(void **state)
{
	/* @quarterly: 00:00 on 1 Jan (GMT), 1 Apr, 1 Jul, 1 Oct (all BST). */
	static const char *const quarters[] = {"2026-03-31T23:00", "2026-06-30T23:00",
	                                       "2026-09-30T23:00", "2027-01-01T00:00"};
	expect_runs("@quarterly", "2026-01-01T00:00", quarters, 4);
	/* @weekly: Sunday midnight; 26 Nov 2026 is a Thursday. */
	expect_next("@weekly", "2026-11-26T06:00", "2026-11-29T00:00");
	expect_next("@monthly", "2026-11-26T06:00", "2026-12-01T00:00");
	expect_next("@monthly", "2026-05-15T06:00", "2026-05-31T23:00");
	expect_next("@yearly", "2026-11-26T06:00", "2027-01-01T00:00");
	expect_next("@hourly", "2026-11-26T06:00", "2026-11-26T07:00");
	expect_next("@daily", "2026-11-26T06:00", "2026-11-27T00:00");
}

static void test_leap_days(void **state)
{
	static const char *const leap[] = {"2028-02-29T12:00", "2032-02-29T12:00",
	                                   "2036-02-29T12:00"};
	expect_runs("0 12 29 2 *", "2025-03-01T00:00", leap, 3);
	expect_next("0 12 29 feb *", "2024-02-28T00:00", "2024-02-29T12:00");
	/* 2100 is not a leap year: from 2097 the next 29 February is in 2104. */
	expect_next("0 0 29 2 *", "2097-01-01T00:00", "2104-02-29T00:00");
	/* The day after 28 February in a leap year is the 29th. */
	expect_next("0 0 * 2 *", "2028-02-28T00:00", "2028-02-29T00:00");
	expect_next("0 0 * 2 *", "2027-02-28T00:00", "2028-02-01T00:00");
	/* Both day fields restricted: the 29th or a Tuesday, in February only;
	 * 4 February 2025 is the first Tuesday. */
	expect_next("0 0 29 2 tue", "2025-01-01T00:00", "2025-02-04T00:00");
	expect_next("0 0 29 2 *", "2028-02-29T00:00", "2032-02-29T00:00");
	/* One day field a '*' step: both must match.  29 February on a
	 * Sunday: 2032, then not until 2060, beyond any short search. */
	expect_next("0 12 29 2 */7", "2026-01-01T00:00", "2032-02-29T12:00");
	expect_next("0 12 29 2 */7", "2032-03-01T00:00", "2060-02-29T12:00");
}

/* ---- the clock changes ------------------------------------------------- */

static void test_spring_forward(void **state)
{
	/* 01:30 does not exist on 29 March 2026: run at 02:00 BST (01:00Z). */
	static const char *const r2026[] = {"2026-03-28T01:30", "2026-03-29T01:00",
	                                    "2026-03-30T00:30"};
	expect_runs("30 1 * * *", "2026-03-27T12:00", r2026, 3);
	static const char *const r2025[] = {"2025-03-29T01:30", "2025-03-30T01:00",
	                                    "2025-03-31T00:30"};
	expect_runs("30 1 * * *", "2025-03-28T12:00", r2025, 3);
	expect_next("0 1 * * *", "2026-03-28T12:00", "2026-03-29T01:00");
	expect_next("59 1 * * *", "2026-03-28T12:00", "2026-03-29T01:00");
	/* 02:00 and 02:30 exist (BST). */
	expect_next("0 2 * * *", "2026-03-28T12:00", "2026-03-29T01:00");
	expect_next("30 2 * * *", "2026-03-28T12:00", "2026-03-29T01:30");
	/* Two times in the gap still make one run that day. */
	static const char *const two[] = {"2026-03-29T00:00", "2026-03-29T01:00",
	                                  "2026-03-29T23:00"};
	expect_runs("0 0,1 * * *", "2026-03-28T12:00", two, 3);
	static const char *const gap_and_after[] = {"2026-03-29T01:00", "2026-03-30T00:00"};
	expect_runs("0,30 1 * * *", "2026-03-28T12:00", gap_and_after, 2);
	/* A job only on that Sunday. */
	expect_next("30 1 29 3 *", "2026-01-01T00:00", "2026-03-29T01:00");
	expect_next("30 1 * 3 sun", "2026-03-23T00:00", "2026-03-29T01:00");
	/* Wildcard schedules follow elapsed time and skip the missing hour. */
	static const char *const hourly30[] = {"2026-03-29T00:30", "2026-03-29T01:30",
	                                       "2026-03-29T02:30"};
	expect_runs("30 * * * *", "2026-03-29T00:00", hourly30, 3);
	expect_next("* 1 * * *", "2026-03-28T12:00", "2026-03-30T00:00");
}

static void test_fall_back(void **state)
{
	/* 01:30 happens twice on 25 October 2026: run at the first (BST). */
	static const char *const r2026[] = {"2026-10-24T00:30", "2026-10-25T00:30",
	                                    "2026-10-26T01:30"};
	expect_runs("30 1 * * *", "2026-10-23T12:00", r2026, 3);
	static const char *const r2025[] = {"2025-10-25T00:30", "2025-10-26T00:30",
	                                    "2025-10-27T01:30"};
	expect_runs("30 1 * * *", "2025-10-24T12:00", r2025, 3);
	expect_next("0 1 * * *", "2026-10-24T12:00", "2026-10-25T00:00");
	expect_next("0 1 * * *", "2026-10-25T00:00", "2026-10-26T01:00");
	expect_next("0 2 * * *", "2026-10-24T12:00", "2026-10-25T02:00");
	/* Wildcard schedules run in both passes of the repeated hour. */
	static const char *const hourly30[] = {"2026-10-25T00:30", "2026-10-25T01:30",
	                                       "2026-10-25T02:30"};
	expect_runs("30 * * * *", "2026-10-25T00:00", hourly30, 3);
	static const char *const hourly[] = {"2026-10-25T00:00", "2026-10-25T01:00",
	                                     "2026-10-25T02:00"};
	expect_runs("@hourly", "2026-10-24T23:30", hourly, 3);
}

static void test_due_catches_up_once(void **state)
{
	struct nrm_cron c = parse_ok("30 1 * * *");
	time_t last = utc("2026-11-01T01:30");
	assert_false(nrm_cron_due(&c, last, utc("2026-11-01T12:00")));
	assert_false(nrm_cron_due(&c, last, utc("2026-11-02T01:29")));
	assert_true(nrm_cron_due(&c, last, utc("2026-11-02T01:30")));
	/* Off for a week: due (once: the caller then records the run). */
	assert_true(nrm_cron_due(&c, last, utc("2026-11-09T09:00")));
	assert_false(nrm_cron_due(&c, utc("2026-11-09T09:00"), utc("2026-11-09T10:00")));
	assert_true(nrm_cron_due(&c, utc("2026-11-09T09:00"), utc("2026-11-10T01:30")));
}

/* ---- simulated months -------------------------------------------------- */

struct sim {
	const char *sched;
	int step_minutes;
	const char *off_from, *off_to; /* the machine is off in [from, to), or NULL */
	int per_day[32];               /* runs by London day of month */
	int total;
};

/* Steps `now` from `start` to `end`, running the job whenever it is due and
 * counting runs by the London day of month on which they happen. */
static void simulate(struct sim *s, const char *start, const char *end)
{
	struct nrm_cron c = parse_ok(s->sched);
	time_t last = utc(start), stop = utc(end);
	time_t off_from = s->off_from ? utc(s->off_from) : 0, off_to = s->off_to ? utc(s->off_to) : 0;
	memset(s->per_day, 0, sizeof(s->per_day));
	s->total = 0;
	for (time_t now = last; now <= stop; now += s->step_minutes * 60) {
		if (s->off_from && now >= off_from && now < off_to)
			continue;
		if (nrm_cron_due(&c, last, now)) {
			struct tm tm;
			nrm_london_local(now, &tm);
			s->per_day[tm.tm_mday]++;
			s->total++;
			last = now;
		}
	}
}

static void assert_per_day(const struct sim *s, int first, int last, int want)
{
	for (int d = first; d <= last; d++)
		if (s->per_day[d] != want)
			fail_msg("'%s' ran %d times on day %d, expected %d", s->sched, s->per_day[d], d,
			         want);
}

/* March 2026, London days 1-31: from 1 March 00:00 GMT (exclusive) to
 * 1 April 00:00 BST = 31 March 23:00Z (inclusive is harmless: nothing at
 * exactly that instant but @daily/@monthly, which the window excludes by
 * ending a minute before). */
#define MARCH_START "2026-03-01T00:00"
#define MARCH_END "2026-03-31T22:59"

static void test_month_of_march_2026(void **state)
{
	struct sim s = {.sched = "30 1 * * *", .step_minutes = 5};
	simulate(&s, MARCH_START, MARCH_END);
	assert_per_day(&s, 1, 31, 1);
	assert_int_equal(s.total, 31);

	s = (struct sim){.sched = "30 1 * * *", .step_minutes = 1};
	simulate(&s, MARCH_START, MARCH_END);
	assert_int_equal(s.total, 31);

	/* Every 5 minutes: 288 a day, 276 on the 23-hour day (29th). */
	s = (struct sim){.sched = "*/5 * * * *", .step_minutes = 5};
	simulate(&s, MARCH_START, MARCH_END);
	assert_int_equal(s.per_day[1], 287); /* 00:00 on the 1st is the excluded start */
	assert_per_day(&s, 2, 28, 288);
	assert_int_equal(s.per_day[29], 276);
	/* The last run, 23:55 BST on the 31st, is at 22:55Z: inside. */
	assert_per_day(&s, 30, 31, 288);
	assert_int_equal(s.total, 287 + 27 * 288 + 276 + 2 * 288);

	/* Hourly: 24 a day, 23 on the 29th; the start instant is excluded. */
	s = (struct sim){.sched = "@hourly", .step_minutes = 1};
	simulate(&s, MARCH_START, MARCH_END);
	assert_int_equal(s.per_day[1], 23);
	assert_per_day(&s, 2, 28, 24);
	assert_int_equal(s.per_day[29], 23);
	assert_per_day(&s, 30, 31, 24);
	assert_int_equal(s.total, 23 + 27 * 24 + 23 + 2 * 24);

	/* Sundays in March 2026: 1 (at the excluded start), 8, 15, 22, 29. */
	s = (struct sim){.sched = "@weekly", .step_minutes = 5};
	simulate(&s, MARCH_START, MARCH_END);
	assert_int_equal(s.total, 4);
	assert_int_equal(s.per_day[8] + s.per_day[15] + s.per_day[22] + s.per_day[29], 4);

	/* The machine is off from the 10th 00:00 to the 14th 12:00: the 01:30
	 * runs of the 10th to the 14th are missed and caught up once, at noon
	 * on the 14th. */
	s = (struct sim){.sched = "30 1 * * *", .step_minutes = 5,
	                 .off_from = "2026-03-10T00:00", .off_to = "2026-03-14T12:00"};
	simulate(&s, MARCH_START, MARCH_END);
	assert_per_day(&s, 1, 9, 1);
	assert_per_day(&s, 10, 13, 0);
	assert_int_equal(s.per_day[14], 1);
	assert_per_day(&s, 15, 31, 1);
	assert_int_equal(s.total, 27);
}

/* October 2026: London days 1-31 run from 30 September 23:00Z to
 * 1 November 00:00Z; the 25th has 25 hours. */
#define OCTOBER_START "2026-09-30T23:00"
#define OCTOBER_END "2026-10-31T23:59"

static void test_month_of_october_2026(void **state)
{
	struct sim s = {.sched = "30 1 * * *", .step_minutes = 1};
	simulate(&s, OCTOBER_START, OCTOBER_END);
	assert_per_day(&s, 1, 31, 1);
	assert_int_equal(s.total, 31);

	s = (struct sim){.sched = "0 2 * * *", .step_minutes = 5};
	simulate(&s, OCTOBER_START, OCTOBER_END);
	assert_per_day(&s, 1, 31, 1);

	s = (struct sim){.sched = "*/5 * * * *", .step_minutes = 5};
	simulate(&s, OCTOBER_START, OCTOBER_END);
	assert_per_day(&s, 2, 24, 288);
	assert_int_equal(s.per_day[25], 300);
	assert_per_day(&s, 26, 31, 288);
	assert_int_equal(s.per_day[1], 287); /* 00:00 on the 1st is the excluded start */
	assert_int_equal(s.total, 287 + 29 * 288 + 300);

	s = (struct sim){.sched = "@hourly", .step_minutes = 5};
	simulate(&s, OCTOBER_START, OCTOBER_END);
	assert_int_equal(s.per_day[25], 25);
	assert_int_equal(s.total, 23 + 29 * 24 + 25);

	s = (struct sim){.sched = "@daily", .step_minutes = 5};
	simulate(&s, OCTOBER_START, OCTOBER_END);
	assert_per_day(&s, 2, 31, 1);
	assert_int_equal(s.total, 30);

	/* Fridays at 23:30 and the 1st, weekly and monthly together (OR). */
	s = (struct sim){.sched = "30 23 1 * fri", .step_minutes = 5};
	simulate(&s, OCTOBER_START, OCTOBER_END);
	/* 1 Oct 2026 is a Thursday; Fridays 2, 9, 16, 23, 30. */
	assert_int_equal(s.total, 6);
	assert_int_equal(s.per_day[1] + s.per_day[2] + s.per_day[9] + s.per_day[16] +
	                     s.per_day[23] + s.per_day[30],
	                 6);

	/* October 2025 too: the 26th has 25 hours. */
	s = (struct sim){.sched = "30 1 * * *", .step_minutes = 5};
	simulate(&s, "2025-09-30T23:00", "2025-10-31T23:59");
	assert_per_day(&s, 1, 31, 1);
	s = (struct sim){.sched = "*/30 * * * *", .step_minutes = 5};
	simulate(&s, "2025-09-30T23:00", "2025-10-31T23:59");
	assert_int_equal(s.per_day[26], 50);
}

static void test_quarterly_over_two_years(void **state)
{
	struct sim s = {.sched = "@quarterly", .step_minutes = 60};
	simulate(&s, "2025-01-01T00:00", "2026-12-31T23:00");
	/* 1 Apr, 1 Jul, 1 Oct 2025; 1 Jan, 1 Apr, 1 Jul, 1 Oct 2026. */
	assert_int_equal(s.total, 7);
	assert_int_equal(s.per_day[1], 7);
}

/* Without the zone data glibc would quietly use UTC: refused instead.  In
 * a child, because the zone is set once per process. */
static void test_missing_zone_data_is_refused(void **state)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("TZDIR", "/nonexistent-zoneinfo", 1);
		struct nrm_cron c;
		struct nrm_error err = {0};
		int rc = nrm_cron_parse("@daily", &c, &err);
		if (write(fds[1], err.msg, strlen(err.msg)) < 0)
			_exit(99);
		_exit(rc == 0 ? 0 : err.code);
	}
	close(fds[1]);
	char msg[1024] = {0};
	assert_true(read(fds[0], msg, sizeof(msg) - 1) > 0);
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EX_UNAVAILABLE);
	assert_non_null(strstr(msg, "install Debian's tzdata package"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: before anything in this process has set the zone. */
		cmocka_unit_test(test_missing_zone_data_is_refused),
		cmocka_unit_test(test_parse_errors_name_field_and_column),
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_shorthands),
		cmocka_unit_test(test_next_is_strictly_after),
		cmocka_unit_test(test_summer_time_is_london_time),
		cmocka_unit_test(test_day_fields),
		cmocka_unit_test(test_shorthand_runs),
		cmocka_unit_test(test_leap_days),
		cmocka_unit_test(test_spring_forward),
		cmocka_unit_test(test_fall_back),
		cmocka_unit_test(test_due_catches_up_once),
		cmocka_unit_test(test_month_of_march_2026),
		cmocka_unit_test(test_month_of_october_2026),
		cmocka_unit_test(test_quarterly_over_two_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
