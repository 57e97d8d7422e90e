/*
 * return_render_all: the return's outputs, each drawn from one flattening
 * of return.json (return_tables.c) so that they cannot disagree.
 */
#include "return_render.h"
#include "return_tables.h"
#include "share_group.h"

#include "atomic_file.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

int nrm_return_write_file(const char *dir, const char *name, const char *data, size_t len,
                          struct nrm_error *err)
{
	char *path = nrm_xasprintf("%s/%s", dir, name);
	struct nrm_atomic_file f;
	int rc = nrm_atomic_open(&f, path, 0640, err);
	for (size_t off = 0; rc == 0 && off < len;) {
		ssize_t n = write(f.fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = nrm_fail(err, EX_IOERR, "writing %s: %s", path,
			              n < 0 ? strerror(errno) : "no progress");
			nrm_atomic_abort(&f);
			break;
		}
		off += (size_t)n;
	}
	if (rc == 0)
		rc = nrm_atomic_commit(&f, err);
	free(path);
	return rc;
}

static int make_dir(const char *dir, struct nrm_error *err)
{
	struct stat st;
	nrm_mkdir_parents(dir); /* -o reports/2025Q1/return: its folders too */
	if (nrm_mkdir_shared(dir) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return nrm_fail(err, EX_CANTCREAT, "cannot create the directory %s: %s", dir,
	                errno == EEXIST ? "a file of that name exists" : strerror(errno));
}

int return_render_all(const json_t *ret, const char *dir, enum nrm_sdmx_version sdmx,
                      struct nrm_error *err)
{
	struct nrm_return_tables t;
	if (nrm_return_tables_build(ret, &t, err))
		return -1;
	int rc = make_dir(dir, err);
	if (rc == 0)
		rc = nrm_return_write_csv(&t, sdmx, dir, err) ||
		             nrm_return_write_sdmx(&t, sdmx, dir, err) ||
		             nrm_return_write_ods(&t, dir, err) ||
		             nrm_return_write_html(ret, &t, dir, err)
		         ? -1
		         : 0;
	nrm_return_tables_free(&t);
	return rc;
}
