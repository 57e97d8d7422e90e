/*
 * An OpenDocument package: see ods_package.h.
 */
#include "ods_package.h"

#include "atomic_file.h"
#include "util.h"
#include "write_file.h"
#include "zip_dates.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The archive is built in memory: its dates are rewritten in UTC before it
 * reaches the file. */
struct zip_buffer {
	unsigned char *data;
	size_t len, cap;
};

static la_ssize_t buffer_write(struct archive *a, void *client, const void *data, size_t n)
{
	(void)a;
	struct zip_buffer *b = client;
	if (b->cap - b->len < n) {
		b->cap = (b->len + n) * 2;
		b->data = nrm_xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return (la_ssize_t)n;
}

static int add_entry(struct archive *a, const char *name, const void *data, size_t len,
                     bool stored, time_t mtime)
{
	/* The only per-entry switch libarchive offers between headers. */
	if ((stored ? archive_write_zip_set_compression_store(a)
	            : archive_write_zip_set_compression_deflate(a)) < ARCHIVE_WARN)
		return -1;
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	int rc = archive_write_header(a, e) < ARCHIVE_WARN ||
	                 archive_write_data(a, data, len) != (la_ssize_t)len
	             ? -1
	             : 0;
	archive_entry_free(e);
	return rc;
}

static int build_zip(struct zip_buffer *zip, const struct ods_part *parts, size_t n,
                     time_t when)
{
	struct archive *a = archive_write_new();
	/* No padding after the end record: the file ends where the zip ends. */
	int rc = archive_write_set_format_zip(a) < ARCHIVE_WARN ||
	                 archive_write_set_bytes_in_last_block(a, 1) < ARCHIVE_WARN ||
	                 archive_write_open2(a, zip, NULL, buffer_write, NULL, NULL) < ARCHIVE_WARN
	             ? -1
	             : 0;
	if (rc == 0)
		rc = add_entry(a, "mimetype", ODS_MIMETYPE, strlen(ODS_MIMETYPE), true, when);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_entry(a, parts[i].name, parts[i].data, parts[i].len, false, when);
	if (rc == 0 && archive_write_close(a) < ARCHIVE_WARN)
		rc = -1;
	archive_write_free(a);
	return rc;
}

int nrm_ods_write_package(const char *path, const struct ods_part *parts, size_t n,
                          int64_t when, struct nrm_error *err)
{
	struct zip_buffer zip = {0};
	struct nrm_atomic_file f;
	int rc = -1;
	if (build_zip(&zip, parts, n, (time_t)when) != 0)
		nrm_fail(err, EX_SOFTWARE, "writing %s: libarchive's zip writer failed", path);
	else if (nrm_zip_dates_utc(zip.data, zip.len, when) != 0)
		nrm_fail(err, EX_SOFTWARE,
		         "writing %s: the zip libarchive wrote is not laid out as expected", path);
	else if (nrm_atomic_open(&f, path, 0640, err) == 0) {
		if (nrm_write_all(f.fd, zip.data, zip.len) != 0) {
			nrm_fail(err, EX_IOERR, "writing %s: %s", path, strerror(errno));
			nrm_atomic_abort(&f);
		} else {
			rc = nrm_atomic_commit(&f, err);
		}
	}
	free(zip.data);
	return rc;
}
