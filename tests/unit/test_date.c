/*
 * Unit tests of hub/date.c: calendar dates as days since 1970-01-01 and
 * RFC 3339 times as seconds since the epoch.  Every expected day number and
 * time was worked out independently of the code under test, with GNU date
 * (`date -u -d 2025-01-01 +%s` divided by 86400), and is written here as a
 * literal, so a wrong formula cannot agree with itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <nrmhub/plugin.h>

#include "date.h"

/* Parses a NUL-terminated literal with its own length. */
static int parse_date(const char *text, int32_t *out)
{
	return nrm_date_parse_iso(text, strlen(text), out);
}

static int parse_time(const char *text, int64_t *out)
{
	return nrm_time_parse_rfc3339(text, strlen(text), out);
}

/* ---- nrm_date_from_ymd: known day numbers ------------------------------ */

static void test_epoch_is_day_zero(void **state)
{
	int32_t d = 12345;
	assert_int_equal(nrm_date_from_ymd(1970, 1, 1, &d), NRM_OK);
	assert_int_equal(d, 0);
}

static void test_known_day_numbers(void **state)
{
	static const struct {
		int y, m, d;
		int32_t days;
	} known[] = {
		{1969, 12, 31, -1},
		{1900, 1, 1, -25567},
		{2000, 2, 29, 11016},
		{2000, 3, 1, 11017},
		{2024, 2, 29, 19782},
		{2025, 1, 1, 20089},
		{2025, 6, 30, 20269},
		{2100, 12, 31, 47846},
		{1, 1, 1, -719162},
		{9999, 12, 31, 2932896},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		int32_t d = 0;
		assert_int_equal(nrm_date_from_ymd(known[i].y, known[i].m, known[i].d, &d),
		                 NRM_OK);
		assert_int_equal(d, known[i].days);
	}
}

/* ---- nrm_date_from_ymd: days that do not exist ------------------------- */

static void test_leap_years(void **state)
{
	int32_t d;
	assert_int_equal(nrm_date_from_ymd(2024, 2, 29, &d), NRM_OK);
	/* Divisible by 400: a leap year although divisible by 100. */
	assert_int_equal(nrm_date_from_ymd(2000, 2, 29, &d), NRM_OK);
	assert_int_equal(nrm_date_from_ymd(2025, 2, 29, &d), NRM_FAIL);
	/* Divisible by 100 but not 400: not a leap year. */
	assert_int_equal(nrm_date_from_ymd(2100, 2, 29, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(1900, 2, 29, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(2024, 2, 30, &d), NRM_FAIL);
}

static void test_impossible_days_refused(void **state)
{
	int32_t d;
	assert_int_equal(nrm_date_from_ymd(2025, 4, 31, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(2025, 4, 30, &d), NRM_OK);
	assert_int_equal(nrm_date_from_ymd(2025, 13, 1, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(2025, 0, 1, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(2025, 1, 0, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(2025, 1, 32, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(2025, -1, 1, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(2025, 1, -1, &d), NRM_FAIL);
}

static void test_year_range(void **state)
{
	int32_t d;
	assert_int_equal(nrm_date_from_ymd(0, 1, 1, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(-1, 1, 1, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(10000, 1, 1, &d), NRM_FAIL);
	assert_int_equal(nrm_date_from_ymd(1, 1, 1, &d), NRM_OK);
	assert_int_equal(nrm_date_from_ymd(9999, 12, 31, &d), NRM_OK);
}

/* ---- nrm_date_to_ymd: every day of two centuries ----------------------- */

/* Walks day numbers 1900-01-01..2100-12-31 and checks that each converts
 * back to itself and that consecutive days are consecutive dates, so a day
 * skipped or repeated at any month or year boundary is caught. */
static void test_round_trip_1900_to_2100(void **state)
{
	int py = 1899, pm = 12, pd = 31;
	int leap_days = 0;
	for (int32_t date = -25567; date <= 47846; date++) {
		int y, m, d;
		int32_t back = 0;
		nrm_date_to_ymd(date, &y, &m, &d);
		assert_int_equal(nrm_date_from_ymd(y, m, d, &back), NRM_OK);
		assert_int_equal(back, date);
		if (y == py && m == pm)
			assert_int_equal(d, pd + 1);
		else if (y == py)
			assert_true(m == pm + 1 && d == 1);
		else
			assert_true(y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
		if (m == 2 && d == 29)
			leap_days++;
		py = y, pm = m, pd = d;
	}
	assert_int_equal(py, 2100);
	assert_int_equal(pm, 12);
	assert_int_equal(pd, 31);
	/* 1904..2096 every fourth year, 2000 included; not 1900 nor 2100. */
	assert_int_equal(leap_days, 49);
}

static void test_to_ymd_known(void **state)
{
	int y, m, d;
	nrm_date_to_ymd(-1, &y, &m, &d);
	assert_true(y == 1969 && m == 12 && d == 31);
	nrm_date_to_ymd(11016, &y, &m, &d);
	assert_true(y == 2000 && m == 2 && d == 29);
	nrm_date_to_ymd(-719162, &y, &m, &d);
	assert_true(y == 1 && m == 1 && d == 1);
}

/* ---- nrm_date_parse_iso: exactly YYYY-MM-DD ---------------------------- */

static void test_parse_iso_accepts(void **state)
{
	int32_t d = 0;
	assert_int_equal(parse_date("2025-01-01", &d), NRM_OK);
	assert_int_equal(d, 20089);
	assert_int_equal(parse_date("1970-01-01", &d), NRM_OK);
	assert_int_equal(d, 0);
	assert_int_equal(parse_date("2000-02-29", &d), NRM_OK);
	assert_int_equal(d, 11016);
	/* Only `len` bytes are read: a longer buffer is fine. */
	assert_int_equal(nrm_date_parse_iso("2025-01-01T00:00:00Z", 10, &d), NRM_OK);
	assert_int_equal(d, 20089);
}

static void test_parse_iso_strict(void **state)
{
	static const char *const bad[] = {
		"2025-1-01", "2025-01-1", "25-01-01", "2025-01-01x", "2025-01-01 ",
		" 2025-01-01", "2025-01- 1", "2025/01/01", "2025-01-0a", "+025-01-01",
		"2025-02-29", "2025-13-01", "0000-01-01", "", "20250101",
		"2025-01-011", "2025--01-01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int32_t d;
		if (parse_date(bad[i], &d) != NRM_FAIL)
			fail_msg("'%s' was accepted", bad[i]);
	}
	int32_t d;
	/* Length must be exactly 10, even when the first 10 bytes are a date. */
	assert_int_equal(nrm_date_parse_iso("2025-01-01", 9, &d), NRM_FAIL);
	assert_int_equal(nrm_date_parse_iso("2025-01-01Z", 11, &d), NRM_FAIL);
}

/* ---- nrm_date_format_iso ----------------------------------------------- */

static void test_format_iso(void **state)
{
	char buf[11];
	nrm_date_format_iso(0, buf);
	assert_string_equal(buf, "1970-01-01");
	nrm_date_format_iso(20089, buf);
	assert_string_equal(buf, "2025-01-01");
	nrm_date_format_iso(-25567, buf);
	assert_string_equal(buf, "1900-01-01");
	nrm_date_format_iso(-719162, buf);
	assert_string_equal(buf, "0001-01-01");
	nrm_date_format_iso(2932896, buf);
	assert_string_equal(buf, "9999-12-31");
	nrm_date_format_iso(19782, buf);
	assert_string_equal(buf, "2024-02-29");
}

/* ---- nrm_time_parse_rfc3339 -------------------------------------------- */

/* 2025-06-30T09:15:00Z: `date -u -d 2025-06-30T09:15:00Z +%s`. */
#define T_2025_06_30_0915 INT64_C(1751274900)

static void test_time_utc(void **state)
{
	int64_t t = 0;
	assert_int_equal(parse_time("2025-06-30T09:15:00Z", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915);
	t = 0;
	assert_int_equal(parse_time("2025-06-30t09:15:00z", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915);
	assert_int_equal(parse_time("1970-01-01T00:00:00Z", &t), NRM_OK);
	assert_int_equal(t, 0);
	assert_int_equal(parse_time("1969-12-31T23:59:59Z", &t), NRM_OK);
	assert_int_equal(t, -1);
}

static void test_time_offsets(void **state)
{
	int64_t t = 0;
	/* 09:15 an hour east of UTC is 08:15 UTC. */
	assert_int_equal(parse_time("2025-06-30T09:15:00+01:00", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915 - 3600);
	/* 09:15 five and a half hours west is 14:45 UTC. */
	assert_int_equal(parse_time("2025-06-30T09:15:00-05:30", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915 + 5 * 3600 + 30 * 60);
	assert_int_equal(parse_time("2025-06-30T09:15:00+00:00", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915);
	/* An offset can move the time across midnight into the day before. */
	assert_int_equal(parse_time("1970-01-01T00:30:00+01:00", &t), NRM_OK);
	assert_int_equal(t, -1800);
}

static void test_time_fraction(void **state)
{
	int64_t t = 0;
	assert_int_equal(parse_time("2025-06-30T09:15:00.5Z", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915);
	assert_int_equal(parse_time("2025-06-30T09:15:00.123456789Z", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915);
	assert_int_equal(parse_time("2025-06-30T09:15:00.25+01:00", &t), NRM_OK);
	assert_int_equal(t, T_2025_06_30_0915 - 3600);
}

static void test_time_refused(void **state)
{
	static const char *const bad[] = {
		"2025-06-30T09:15:00",         /* no zone */
		"2025-06-30T09:15:00.5",       /* no zone after a fraction */
		"2025-06-30T24:00:00Z",
		"2025-06-30T23:60:00Z",
		"2025-06-30T23:59:60Z",        /* leap seconds are not kept */
		"2025-06-30T09:15:00Zjunk",
		"2025-06-30T09:15:00Z ",
		"2025-06-30T09:15:00+01:00x",
		"2025-06-30T09:15:00+0100",
		"2025-06-30T09:15:00+01",
		"2025-06-30T09:15:00+24:00",
		"9999-12-31T23:30:00-01:00",   /* UTC instant in year 10000 */
		"0001-01-01T00:30:00+01:00",   /* UTC instant in year 0 */
		"2025-06-30T09:15:00.Z",       /* a point needs digits */
		"2025-06-30 09:15:00Z",
		"2025-06-30X09:15:00Z",
		"2025-6-30T09:15:00Z",
		"2025-02-29T09:15:00Z",
		"2025-06-30T9:15:00Z",
		"2025-06-30T09:15:0Z",
		"2025-06-30",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t t;
		if (parse_time(bad[i], &t) != NRM_FAIL)
			fail_msg("'%s' was accepted", bad[i]);
	}
	int64_t t;
	/* Cut one byte short of its zone. */
	assert_int_equal(nrm_time_parse_rfc3339("2025-06-30T09:15:00Z", 19, &t), NRM_FAIL);
}

/* ---- nrm_time_format_rfc3339 ------------------------------------------- */

static void test_time_format(void **state)
{
	char buf[21];
	nrm_time_format_rfc3339(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	nrm_time_format_rfc3339(T_2025_06_30_0915, buf);
	assert_string_equal(buf, "2025-06-30T09:15:00Z");
	nrm_time_format_rfc3339(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	nrm_time_format_rfc3339(-86400, buf);
	assert_string_equal(buf, "1969-12-31T00:00:00Z");
	nrm_time_format_rfc3339(-86401, buf);
	assert_string_equal(buf, "1969-12-30T23:59:59Z");
}

static void test_time_round_trip(void **state)
{
	static const char *const times[] = {
		"2025-06-30T09:15:00Z", "1969-12-30T23:59:59Z", "2000-02-29T12:00:01Z",
		"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
	};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		int64_t t;
		char buf[21];
		assert_int_equal(parse_time(times[i], &t), NRM_OK);
		nrm_time_format_rfc3339(t, buf);
		assert_string_equal(buf, times[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_is_day_zero),
		cmocka_unit_test(test_known_day_numbers),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_impossible_days_refused),
		cmocka_unit_test(test_year_range),
		cmocka_unit_test(test_round_trip_1900_to_2100),
		cmocka_unit_test(test_to_ymd_known),
		cmocka_unit_test(test_parse_iso_accepts),
		cmocka_unit_test(test_parse_iso_strict),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_time_utc),
		cmocka_unit_test(test_time_offsets),
		cmocka_unit_test(test_time_fraction),
		cmocka_unit_test(test_time_refused),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
