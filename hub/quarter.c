/*
 * Quarter arithmetic on top of hub/date.c: a quarter is a year and a number,
 * and its bounds are the first day of its first month and the day before the
 * next quarter's first day.
 */
#include "quarter.h"

#include "date.h"

#include <nrmhub/plugin.h>
#include <string.h>

int nrm_quarter_make(int year, int q, struct nrm_quarter *out)
{
	int32_t first, next;
	if (year < 1 || year > 9999 || q < 1 || q > 4)
		return -1;
	nrm_date_from_ymd(year, 3 * q - 2, 1, &first);
	if (q == 4) {
		/* 9999Q4 has no next quarter to count back from. */
		nrm_date_from_ymd(year, 12, 31, &next);
		next++;
	} else {
		nrm_date_from_ymd(year, 3 * q + 1, 1, &next);
	}
	out->year = year;
	out->q = q;
	out->first = first;
	out->last = next - 1;
	return 0;
}

int nrm_quarter_parse(const char *s, struct nrm_quarter *out)
{
	if (!s || strlen(s) != 6 || s[4] != 'Q')
		return -1;
	int year = 0;
	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		year = year * 10 + (s[i] - '0');
	}
	if (s[5] < '1' || s[5] > '4')
		return -1;
	return nrm_quarter_make(year, s[5] - '0', out);
}

void nrm_quarter_of_date(int32_t date, struct nrm_quarter *out)
{
	int y, m, d;
	nrm_date_to_ymd(date, &y, &m, &d);
	nrm_quarter_make(y, (m - 1) / 3 + 1, out);
}

int nrm_quarter_add(const struct nrm_quarter *q, int n, struct nrm_quarter *out)
{
	long index = (long)q->year * 4 + (q->q - 1) + n;
	if (index < 4 || index > 9999L * 4 + 3)
		return -1;
	return nrm_quarter_make((int)(index / 4), (int)(index % 4) + 1, out);
}

int nrm_quarter_diff(const struct nrm_quarter *a, const struct nrm_quarter *b)
{
	return (b->year - a->year) * 4 + (b->q - a->q);
}

void nrm_quarter_format(const struct nrm_quarter *q, char buf[7])
{
	int y = q->year;
	for (int i = 3; i >= 0; i--) {
		buf[i] = (char)('0' + y % 10);
		y /= 10;
	}
	buf[4] = 'Q';
	buf[5] = (char)('0' + q->q);
	buf[6] = '\0';
}
