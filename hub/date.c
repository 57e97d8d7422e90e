/*
 * Dates for the canonical case.  libc's timegm() handles time zones we do not
 * need and is slow on the import path (several dates a record, millions of
 * records), so the proleptic Gregorian day count is computed directly with the
 * usual era arithmetic (400-year cycles of 146097 days).
 */
#include "date.h"

#include <nrmhub/plugin.h>
#include <stdbool.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int nrm_date_from_ymd(int y, int m, int d, int32_t *out)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return NRM_FAIL;
	/* Count years from March, so the leap day is the last day of a year. */
	int yy = m <= 2 ? y - 1 : y;
	int era = yy / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = era * 146097 + doe - 719468;
	return NRM_OK;
}

void nrm_date_to_ymd(int32_t date, int *year, int *month, int *day)
{
	/* 64-bit, so that any int32 date is safe to convert. */
	int64_t z = (int64_t)date + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

static bool digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int nrm_date_parse_iso(const char *s, size_t len, int32_t *out)
{
	int y, m, d;
	if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
		return NRM_FAIL;
	return nrm_date_from_ymd(y, m, d, out);
}

/* Writes `n` as `width` decimal digits (the caller keeps n in range). */
static void put_digits(char *out, int n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + n % 10);
		n /= 10;
	}
}

void nrm_date_format_iso(int32_t date, char buf[11])
{
	int y, m, d;
	nrm_date_to_ymd(date, &y, &m, &d);
	put_digits(buf, y % 10000, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = '\0';
}

/* RFC 3339 section 5.6: full-date "T" time-hour:minute:second[.frac] offset. */
int nrm_time_parse_rfc3339(const char *s, size_t len, int64_t *out)
{
	int32_t date;
	int hh, mm, ss;
	if (len < 20 || nrm_date_parse_iso(s, 10, &date) != NRM_OK)
		return NRM_FAIL;
	if ((s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
	    !digits(s + 11, 2, &hh) || !digits(s + 14, 2, &mm) ||
	    !digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 59)
		return NRM_FAIL;
	size_t i = 19;
	if (s[i] == '.') {
		size_t start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return NRM_FAIL;
	}
	int offset = 0;
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		int oh, om;
		if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return NRM_FAIL;
		offset = (oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
		i += 6;
	} else {
		return NRM_FAIL;
	}
	if (i != len)
		return NRM_FAIL;
	int64_t t = (int64_t)date * 86400 + hh * 3600 + mm * 60 + ss - offset;
	/* An offset can carry the instant past the years we can write. */
	if (t < (int64_t)NRM_DATE_MIN * 86400 || t >= ((int64_t)NRM_DATE_MAX + 1) * 86400)
		return NRM_FAIL;
	*out = t;
	return NRM_OK;
}

void nrm_time_format_rfc3339(int64_t t, char buf[21])
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	nrm_date_format_iso((int32_t)days, buf);
	buf[10] = 'T';
	put_digits(buf + 11, (int)(secs / 3600), 2);
	buf[13] = ':';
	put_digits(buf + 14, (int)(secs / 60 % 60), 2);
	buf[16] = ':';
	put_digits(buf + 17, (int)(secs % 60), 2);
	buf[19] = 'Z';
	buf[20] = '\0';
}

int32_t nrm_date_add_years(int32_t date, int years)
{
	int y, m, d;
	nrm_date_to_ymd(date, &y, &m, &d);
	int32_t out;
	if (nrm_date_from_ymd(y + years, m, d, &out) == 0)
		return out;
	/* Only 29 February fails, in a year without it: 1 March. */
	if (nrm_date_from_ymd(y + years, 3, 1, &out) == 0)
		return out;
	return NRM_DATE_MAX;
}
