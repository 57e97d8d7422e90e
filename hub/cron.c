/*
 * Cron schedules: parsing, and the next run in Europe/London time.
 *
 * The next run is found by walking real time forward, a minute at a time
 * where the schedule matches and a month, day or hour at a time where it
 * does not, asking the C library for the wall-clock time of each instant.
 * Walking instants (not wall-clock times) keeps the result in order across
 * the repeated hour in October; the two clock-change rules of cron.h are
 * applied on the way.
 */
#include "cron.h"

#include "london_time.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

/* ---- parsing ----------------------------------------------------------- */

struct field_spec {
	const char *name;
	int min, max;
	const char *const *names; /* names[i] is the value min + i, or NULL */
	const char *range_text;   /* for messages */
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu",
                                        "fri", "sat", "sun", NULL};

enum { F_MINUTE, F_HOUR, F_MDAY, F_MONTH, F_WDAY, N_FIELDS };

static const struct field_spec fields[N_FIELDS] = {
	{"minute", 0, 59, NULL, "0-59"},
	{"hour", 0, 23, NULL, "0-23"},
	{"day-of-month", 1, 31, NULL, "1-31"},
	{"month", 1, 12, month_names, "1-12 (or jan-dec)"},
	{"day-of-week", 0, 7, day_names, "0-7 (or sun-sat)"},
};

struct parse_state {
	const char *text;     /* the whole schedule, for columns */
	const char *p;        /* the cursor */
	const struct field_spec *f;
	struct nrm_error *err;
};

static int field_error(struct parse_state *s, const char *at, const char *fmt, const char *what)
{
	return nrm_fail(s->err, EX_CONFIG, "schedule: %s at column %d: %s%s", s->f->name,
	                (int)(at - s->text) + 1, fmt, what ? what : "");
}

static bool at_item_end(char c)
{
	return c == '\0' || c == ',' || c == ' ' || c == '\t';
}

/* A number or (for months and days) a three-letter name. */
static int parse_value(struct parse_state *s, int *out)
{
	const char *start = s->p;
	if (isdigit((unsigned char)*s->p)) {
		long v = 0;
		while (isdigit((unsigned char)*s->p)) {
			v = v * 10 + (*s->p - '0');
			if (v > 1000)
				return field_error(s, start, "number too large", NULL);
			s->p++;
		}
		if (v < s->f->min || v > s->f->max) {
			char msg[64];
			snprintf(msg, sizeof(msg), "%ld is out of range ", v);
			return nrm_fail(s->err, EX_CONFIG, "schedule: %s at column %d: %s%s",
			                s->f->name, (int)(start - s->text) + 1, msg,
			                s->f->range_text);
		}
		*out = (int)v;
		return 0;
	}
	if (s->f->names && isalpha((unsigned char)*s->p)) {
		size_t len = 0;
		while (isalpha((unsigned char)s->p[len]))
			len++;
		for (int i = 0; len == 3 && s->f->names[i]; i++) {
			if (strncasecmp(s->p, s->f->names[i], 3) == 0) {
				*out = s->f->min + i;
				s->p += len;
				return 0;
			}
		}
		return field_error(s, start, "unknown name; expected ",
		                   s->f->names == month_names ? "jan..dec" : "sun..sat");
	}
	if (*s->p == '\0' || *s->p == ',' || *s->p == ' ' || *s->p == '\t')
		return field_error(s, start, "a value is missing", NULL);
	return field_error(s, start, "unexpected character; expected ",
	                   s->f->names ? "a number, a name or '*'" : "a number or '*'");
}

/* One list item: '*', N, N-M, each optionally /STEP; sets bits. */
static int parse_item(struct parse_state *s, uint64_t *bits)
{
	const char *start = s->p;
	int lo, hi;
	bool ranged = true;
	if (*s->p == '*') {
		lo = s->f->min;
		hi = s->f->max;
		s->p++;
	} else {
		if (parse_value(s, &lo) != 0)
			return -1;
		hi = lo;
		ranged = false;
		if (*s->p == '-') {
			s->p++;
			if (parse_value(s, &hi) != 0)
				return -1;
			if (hi < lo)
				return field_error(s, start, "the range runs backwards", NULL);
			ranged = true;
		}
	}
	int step = 1;
	if (*s->p == '/') {
		const char *slash = s->p;
		if (!ranged)
			return field_error(s, slash, "a step needs '*' or a range before it", NULL);
		s->p++;
		const char *num = s->p;
		long v = 0;
		while (isdigit((unsigned char)*s->p) && v <= 1000)
			v = v * 10 + (*s->p++ - '0');
		if (s->p == num || v < 1 || v > s->f->max)
			return field_error(s, num, "the step must be a number from 1 to the field's maximum", NULL);
		step = (int)v;
	}
	if (!at_item_end(*s->p))
		return field_error(s, s->p, "unexpected character", NULL);
	for (int v = lo; v <= hi; v += step)
		*bits |= UINT64_C(1) << v;
	return 0;
}

static int parse_field(struct parse_state *s, uint64_t *bits, bool *star)
{
	*bits = 0;
	*star = *s->p == '*';
	for (;;) {
		if (parse_item(s, bits) != 0)
			return -1;
		if (*s->p != ',')
			return 0;
		s->p++;
	}
}

static const struct {
	const char *name;
	const char *fields;
} shorthands[] = {
	{"@hourly", "0 * * * *"},    {"@daily", "0 0 * * *"},
	{"@midnight", "0 0 * * *"},  {"@weekly", "0 0 * * 0"},
	{"@monthly", "0 0 1 * *"},   {"@quarterly", "0 0 1 1,4,7,10 *"},
	{"@yearly", "0 0 1 1 *"},    {"@annually", "0 0 1 1 *"},
};

static int days_in_month_max(int month)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return days[month - 1];
}

/* The Gregorian calendar, and London's rule for its clock changes, repeat
 * every 400 years: a schedule that runs at all runs within one cycle (plus
 * a year, for a run early in a cycle after a start late in one).  The
 * search for a next run stops there; parsing checks it from 2000. */
#define CYCLE_YEARS 401
#define CYCLE_START ((time_t)946684800) /* 2000-01-01T00:00:00Z */

/* A restricted day of month with '*' days of week must fall in one of the
 * months, or the job would never run. */
static bool can_ever_run(const struct nrm_cron *c)
{
	if (c->mday_star || !c->wday_star)
		return true;
	for (int m = 1; m <= 12; m++)
		if (c->months & (1u << m))
			for (int d = 1; d <= days_in_month_max(m); d++)
				if (c->mdays & (1u << d))
					return true;
	return false;
}

static int parse_fields(const char *text, const char *shown, struct nrm_cron *out,
                        struct nrm_error *err)
{
	struct parse_state s = {.text = shown, .p = text, .err = err};
	uint64_t bits[N_FIELDS];
	bool star[N_FIELDS];
	for (int i = 0; i < N_FIELDS; i++) {
		while (*s.p == ' ' || *s.p == '\t')
			s.p++;
		s.f = &fields[i];
		if (*s.p == '\0')
			return nrm_fail(err, EX_CONFIG,
			                "schedule: %s at column %d: missing; a schedule has five "
			                "fields (minute hour day-of-month month day-of-week) or is "
			                "one of @hourly, @daily, @weekly, @monthly, @quarterly, @yearly",
			                fields[i].name, (int)(s.p - s.text) + 1);
		if (parse_field(&s, &bits[i], &star[i]) != 0)
			return -1;
	}
	while (*s.p == ' ' || *s.p == '\t')
		s.p++;
	if (*s.p != '\0')
		return nrm_fail(err, EX_CONFIG,
		                "schedule: column %d: more than five fields (a schedule has no "
		                "command)", (int)(s.p - s.text) + 1);
	memset(out, 0, sizeof(*out));
	out->minutes = bits[F_MINUTE];
	out->hours = (uint32_t)bits[F_HOUR];
	out->mdays = (uint32_t)bits[F_MDAY];
	out->months = (uint16_t)bits[F_MONTH];
	/* 7 is Sunday again. */
	out->wdays = (uint8_t)((bits[F_WDAY] | (bits[F_WDAY] >> 7)) & 0x7f);
	out->mday_star = star[F_MDAY];
	out->wday_star = star[F_WDAY];
	out->wildcard = star[F_MINUTE] || star[F_HOUR];
	if (!can_ever_run(out))
		return nrm_fail(err, EX_CONFIG,
		                "schedule: day-of-month: none of the days given occurs in the "
		                "months given, so the job would never run");
	/* Days and clock changes repeat every 400 years, so a schedule with no
	 * run in one such cycle has none ever: minute '*', hour 1, 31 March, a
	 * Sunday, asks for 01:xx on the last Sunday of March, which is always
	 * the morning the clocks skip that hour (found by
	 * tests/fuzz/fuzz_cron.c; regressions/cron/). */
	if (nrm_cron_next(out, CYCLE_START) == (time_t)-1)
		return nrm_fail(err, EX_CONFIG,
		                "schedule: no time in London ever matches it (a day and hour "
		                "that the clock change always skips?), so the job would never run");
	return 0;
}

int nrm_cron_parse(const char *text, struct nrm_cron *out, struct nrm_error *err)
{
	if (nrm_london_init(err) != 0)
		return -1;
	const char *p = text;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '@') {
		size_t len = strcspn(p, " \t");
		for (size_t i = 0; i < sizeof(shorthands) / sizeof(shorthands[0]); i++)
			if (strlen(shorthands[i].name) == len && strncasecmp(p, shorthands[i].name, len) == 0) {
				const char *rest = p + len;
				while (*rest == ' ' || *rest == '\t')
					rest++;
				if (*rest != '\0')
					break;
				return parse_fields(shorthands[i].fields, shorthands[i].fields, out, err);
			}
		return nrm_fail(err, EX_CONFIG,
		                "schedule: column %d: unknown shorthand; expected one of @hourly, "
		                "@daily, @midnight, @weekly, @monthly, @quarterly, @yearly, @annually",
		                (int)(p - text) + 1);
	}
	return parse_fields(p, text, out, err);
}

/* ---- matching ---------------------------------------------------------- */

static bool day_matches(const struct nrm_cron *c, const struct tm *tm)
{
	bool md = c->mdays & (UINT32_C(1) << tm->tm_mday);
	bool wd = c->wdays & (1u << tm->tm_wday);
	if (c->mday_star || c->wday_star)
		return md && wd;
	return md || wd;
}

bool nrm_cron_matches(const struct nrm_cron *c, const struct tm *tm)
{
	return (c->months & (1u << (tm->tm_mon + 1))) && day_matches(c, tm) &&
	       (c->hours & (UINT32_C(1) << tm->tm_hour)) &&
	       (c->minutes & (UINT64_C(1) << tm->tm_min));
}

/* ---- the next run ------------------------------------------------------ */

static long offset_at(time_t t)
{
	struct tm tm;
	return nrm_london_local(t, &tm) ? tm.tm_gmtoff : 0;
}

/* Moves from t towards `target`, but stops at a change of UTC offset in
 * between, so that the instant right after a clock change is always looked
 * at (the fixed-schedule rule for skipped times needs it). */
static time_t advance(time_t t, time_t target)
{
	if (target <= t)
		target = t + 60;
	long off = offset_at(t);
	if (offset_at(target) == off)
		return target;
	/* Whole minutes: the first one in (t, target] with another offset. */
	time_t lo = t / 60, hi = target / 60;
	while (hi - lo > 1) {
		time_t mid = lo + (hi - lo) / 2;
		if (offset_at(mid * 60) == off)
			lo = mid;
		else
			hi = mid;
	}
	return hi * 60 < target ? hi * 60 : target;
}

/* The wall-clock minutes skipped just before t (t the first instant after
 * clocks went forward): does a fixed schedule match any of them? */
static bool skipped_time_matches(const struct nrm_cron *c, time_t t, const struct tm *now)
{
	struct tm before;
	if (!nrm_london_local(t - 60, &before) || now->tm_gmtoff <= before.tm_gmtoff)
		return false;
	long skipped = (now->tm_gmtoff - before.tm_gmtoff) / 60;
	/* Wall-clock fields as UTC arithmetic: no zone involved. */
	time_t wall = (t - 60) + before.tm_gmtoff;
	for (long k = 1; k <= skipped; k++) {
		time_t w = wall + k * 60;
		struct tm tm;
		if (gmtime_r(&w, &tm) && nrm_cron_matches(c, &tm))
			return true;
	}
	return false;
}

/* Is t the second pass of a wall-clock time (the October repeat)? */
static bool is_repeat(time_t t, const struct tm *tm)
{
	time_t other = nrm_london_instant(tm, !tm->tm_isdst);
	struct tm o;
	if (other == (time_t)-1 || other >= t || !nrm_london_local(other, &o))
		return false;
	return o.tm_year == tm->tm_year && o.tm_mon == tm->tm_mon && o.tm_mday == tm->tm_mday &&
	       o.tm_hour == tm->tm_hour && o.tm_min == tm->tm_min;
}

static time_t start_of_next(const struct tm *tm, bool month)
{
	struct tm n = {0};
	n.tm_year = tm->tm_year;
	n.tm_mon = tm->tm_mon + (month ? 1 : 0);
	n.tm_mday = month ? 1 : tm->tm_mday + 1;
	return nrm_london_instant(&n, -1);
}

static time_t next_hour(time_t t, const struct tm *tm)
{
	return t + (60 - tm->tm_min) * 60 - tm->tm_sec;
}

/* The next matching hour today, else the next day (advance() stops at a
 * clock change on the way, so real-time arithmetic is safe here). */
static time_t next_hour_matching(const struct nrm_cron *c, time_t t, const struct tm *tm)
{
	for (int h = tm->tm_hour + 1; h < 24; h++)
		if (c->hours & (UINT32_C(1) << h))
			return t + (h - tm->tm_hour) * 3600 - tm->tm_min * 60 - tm->tm_sec;
	return start_of_next(tm, false);
}

static time_t next_minute(const struct nrm_cron *c, time_t t, const struct tm *tm)
{
	for (int m = tm->tm_min + 1; m < 60; m++)
		if (c->minutes & (UINT64_C(1) << m))
			return t + (m - tm->tm_min) * 60 - tm->tm_sec;
	return next_hour(t, tm);
}

time_t nrm_cron_next(const struct nrm_cron *c, time_t after)
{
	time_t t = after - ((after % 60) + 60) % 60 + 60;
	const time_t limit = after + (time_t)CYCLE_YEARS * 366 * 86400;
	while (t <= limit) {
		struct tm tm;
		if (!nrm_london_local(t, &tm))
			return (time_t)-1;
		if (!c->wildcard && skipped_time_matches(c, t, &tm))
			return t;
		if (!(c->months & (1u << (tm.tm_mon + 1))))
			t = advance(t, start_of_next(&tm, true));
		else if (!day_matches(c, &tm))
			t = advance(t, start_of_next(&tm, false));
		else if (!(c->hours & (UINT32_C(1) << tm.tm_hour)))
			t = advance(t, next_hour_matching(c, t, &tm));
		else if (!(c->minutes & (UINT64_C(1) << tm.tm_min)))
			t = advance(t, next_minute(c, t, &tm));
		else if (!c->wildcard && is_repeat(t, &tm))
			t = advance(t, t + 60);
		else
			return t;
	}
	return (time_t)-1;
}

bool nrm_cron_due(const struct nrm_cron *c, time_t last_run, time_t now)
{
	time_t next = nrm_cron_next(c, last_run);
	return next != (time_t)-1 && next <= now;
}
