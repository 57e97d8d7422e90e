/*
 * Europe/London wall-clock time, in one place.  Schedules are written in the
 * time people at a pilot site live by; the C library's time zone code (with
 * Debian's tzdata) knows when the clocks change, so nothing here hand-writes
 * a rule.  The first call sets TZ=Europe/London for the whole process: call
 * it before starting threads (setenv is not thread-safe).
 */
#ifndef NRM_LONDON_TIME_H
#define NRM_LONDON_TIME_H

#include <stdbool.h>
#include <time.h>

struct nrm_error;

/* Sets TZ and checks that the zone data is really there: glibc falls back
 * to UTC in silence when it is not, which would shift every schedule by an
 * hour for half the year.  Fails with EX_UNAVAILABLE naming tzdata. */
int nrm_london_init(struct nrm_error *err);

/* localtime_r in London; false only for times out of range. */
bool nrm_london_local(time_t t, struct tm *out);

/* The instant of a London wall-clock time with the given DST flag
 * (1 summer time, 0 winter time, -1 let the library choose), or -1. */
time_t nrm_london_instant(const struct tm *wall, int isdst);

/* Formats t as "YYYY-MM-DDTHH:MM:SS+01:00" (London offset); buf >= 32. */
void nrm_london_format(time_t t, char *buf, size_t size);

#endif
