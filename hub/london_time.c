/*
 * Europe/London wall-clock time: see london_time.h.
 */
#include "london_time.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static bool initialised;

int nrm_london_init(struct nrm_error *err)
{
	if (initialised)
		return 0;
	if (setenv("TZ", "Europe/London", 1) != 0)
		return nrm_fail(err, EX_OSERR, "cannot set TZ");
	tzset();
	/* 1 July 2025 12:00 UTC is 13:00 BST: if the library says otherwise,
	 * the zone file is missing and glibc is quietly using UTC. */
	struct tm tm;
	time_t midsummer = 1751371200;
	if (!localtime_r(&midsummer, &tm) || tm.tm_hour != 13 || tm.tm_isdst != 1)
		return nrm_fail(err, EX_UNAVAILABLE,
		                "time zone data for Europe/London is missing: "
		                "install Debian's tzdata package (apt-get install tzdata)");
	initialised = true;
	return 0;
}

bool nrm_london_local(time_t t, struct tm *out)
{
	return localtime_r(&t, out) != NULL;
}

time_t nrm_london_instant(const struct tm *wall, int isdst)
{
	struct tm tm = *wall;
	tm.tm_isdst = isdst;
	return mktime(&tm);
}

void nrm_london_format(time_t t, char *buf, size_t size)
{
	struct tm tm;
	if (!nrm_london_local(t, &tm)) {
		snprintf(buf, size, "(time out of range)");
		return;
	}
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600,
	         off % 3600 / 60);
}
