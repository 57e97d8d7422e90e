/*
 * Every output of the national tables, into one folder, each file whole or
 * not at all: national.json, then the same writers as a site return's
 * (CSV with CSVW metadata, SDMX-CSV, ODS) over the national table model,
 * then report.html.
 */
#include "national.h"
#include "share_group.h"

#include "return_render.h"
#include "return_tables.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

/* The shared ODS writer names its file return.ods; here it is national.ods. */
static int rename_output(const char *dir, const char *from, const char *to,
                         struct nrm_error *err)
{
	char *a = nrm_xasprintf("%s/%s", dir, from);
	char *b = nrm_xasprintf("%s/%s", dir, to);
	int rc = rename(a, b) == 0 ? 0
	         : nrm_fail(err, EX_IOERR, "cannot rename %s to %s: %s", a, b, strerror(errno));
	free(a);
	free(b);
	return rc;
}

int nrm_national_render_all(const json_t *national, const char *dir,
                            enum nrm_sdmx_version sdmx, struct nrm_error *err)
{
	nrm_mkdir_parents(dir); /* -o national/2025Q1: its folders too */
	if (nrm_mkdir_shared(dir) != 0 && errno != EEXIST)
		return nrm_fail(err, EX_CANTCREAT, "cannot create %s: %s", dir, strerror(errno));
	struct nrm_return_tables t;
	if (nrm_national_tables_build(national, &t, err))
		return -1;
	char *text = json_dumps(national, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII);
	int rc = -1;
	if (!text)
		nrm_fail(err, EX_OSERR, "out of memory");
	else if (nrm_return_write_file(dir, "national.json", text, strlen(text), err) == 0 &&
	         nrm_return_write_csv(&t, sdmx, dir, err) == 0 &&
	         nrm_return_write_sdmx(&t, sdmx, dir, err) == 0 &&
	         nrm_return_write_ods(&t, dir, err) == 0 &&
	         rename_output(dir, "return.ods", "national.ods", err) == 0 &&
	         nrm_national_write_html(national, &t, dir, err) == 0)
		rc = 0;
	free(text);
	nrm_return_tables_free(&t);
	return rc;
}
