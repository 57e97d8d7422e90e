/*
 * Zip entry dates in UTC: see zip_dates.h.  Offsets from PKWARE's
 * APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central header) and
 * 4.3.16 (end of central directory).
 */
#include "zip_dates.h"

#include <stdbool.h>
#include <time.h>

#define LOCAL_SIG 0x04034b50u
#define CENTRAL_SIG 0x02014b50u
#define END_SIG 0x06054b50u
#define LOCAL_LEN 30
#define CENTRAL_LEN 46
#define END_LEN 22

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8 & 0xff);
}

/* MS-DOS time and date (APPNOTE 4.4.6): two-second steps, years from 1980
 * (an earlier instant is written as 1980-01-01 00:00). */
static void dos_date_time(int64_t when, uint32_t *time_out, uint32_t *date_out)
{
	time_t t = (time_t)when;
	struct tm tm;
	if (when < 315532800 || !gmtime_r(&t, &tm) || tm.tm_year > 207) {
		*time_out = 0;
		*date_out = 1 << 5 | 1;
		return;
	}
	*time_out = (uint32_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	*date_out = (uint32_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

/* The central header at `at`, and the local header it points to, are whole
 * inside the archive; `*next` is the header after it. */
static bool entry_in_bounds(const unsigned char *zip, size_t cd_end, size_t at, size_t *next)
{
	if (at > cd_end || cd_end - at < CENTRAL_LEN || le32(zip + at) != CENTRAL_SIG)
		return false;
	size_t whole = CENTRAL_LEN + (size_t)le16(zip + at + 28) + le16(zip + at + 30) +
	               le16(zip + at + 32);
	if (cd_end - at < whole)
		return false;
	size_t local = le32(zip + at + 42);
	if (local > cd_end || cd_end - local < LOCAL_LEN || le32(zip + local) != LOCAL_SIG)
		return false;
	*next = at + whole;
	return true;
}

int nrm_zip_dates_utc(unsigned char *zip, size_t len, int64_t when)
{
	if (len < END_LEN || le32(zip + len - END_LEN) != END_SIG)
		return -1;
	const unsigned char *end = zip + len - END_LEN;
	size_t entries = le16(end + 10), cd_size = le32(end + 12), cd_start = le32(end + 16);
	size_t cd_end = len - END_LEN;
	if (cd_start > cd_end || cd_end - cd_start != cd_size)
		return -1;
	/* Checked whole first, so that a failure changes nothing. */
	size_t at = cd_start;
	for (size_t i = 0; i < entries; i++)
		if (!entry_in_bounds(zip, cd_end, at, &at))
			return -1;
	if (at != cd_end)
		return -1;
	uint32_t dos_time, dos_date;
	dos_date_time(when, &dos_time, &dos_date);
	at = cd_start;
	for (size_t i = 0; i < entries; i++) {
		size_t local = le32(zip + at + 42);
		put16(zip + at + 12, dos_time);
		put16(zip + at + 14, dos_date);
		put16(zip + local + 10, dos_time);
		put16(zip + local + 12, dos_date);
		entry_in_bounds(zip, cd_end, at, &at);
	}
	return 0;
}
