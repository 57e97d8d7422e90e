/*
 * Zip entry dates in UTC.  libarchive's zip writer turns an entry's mtime
 * into the MS-DOS date and time fields with localtime(3), so the same
 * workbook written under TZ=Europe/London and TZ=UTC differs by an hour;
 * the library may not change the process's time zone (DESIGN.md), so the
 * fields are rewritten afterwards, in the finished archive in memory.
 */
#ifndef NRM_ZIP_DATES_H
#define NRM_ZIP_DATES_H

#include <stddef.h>
#include <stdint.h>

/* Sets the MS-DOS date and time of every entry of the zip archive `zip`
 * (`len` bytes: local headers, central directory, end record with no
 * comment) to `when` (seconds since the epoch) read in UTC, in both the
 * local and the central headers.  Other fields, the Unix-time extra field
 * included (it is UTC already), are left alone.  Returns 0, or -1 when
 * `zip` is not laid out so (nothing is changed then). */
int nrm_zip_dates_utc(unsigned char *zip, size_t len, int64_t when);

#endif
