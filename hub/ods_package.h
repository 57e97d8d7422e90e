/*
 * An OpenDocument spreadsheet package: a zip written with libarchive,
 * `mimetype` first and stored (ODF 1.2 part 3, 3.3), then the XML parts
 * deflated, every entry dated in UTC (zip_dates.h), so the same parts give
 * the same bytes in any time zone.
 */
#ifndef NRM_ODS_PACKAGE_H
#define NRM_ODS_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

struct nrm_error;

#define ODS_MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"

struct ods_part {
	const char *name; /* "content.xml" */
	const void *data;
	size_t len;
};

/* Writes the package to `path` atomically (mode 0640), its entries dated
 * `when` (seconds since the epoch).  EX_SOFTWARE, EX_CANTCREAT or EX_IOERR
 * in `err` on failure, with nothing left at `path`. */
int nrm_ods_write_package(const char *path, const struct ods_part *parts, size_t n,
                          int64_t when, struct nrm_error *err);

#endif
