/*
 * The register of pilot sites: its file and its table (intake_site, made
 * by the store's migration that added the pilot scope).  The file is small
 * and written by hand, so it is read whole, checked row by row, and stored
 * only when every row is good.
 */
#include "pilot_sites.h"

#include "date.h"
#include "gss.h"
#include "nation.h"
#include "store.h"
#include "store_internal.h"
#include "read_file.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define N_COLUMNS 5
static const char header[] = "site,local_authority,joined,approximate,basis";
#define REGISTER_MAX_BYTES (1024 * 1024)
#define BASIS_MAX 300

static int site_code_ok(const char *s)
{
	size_t len = strlen(s);
	if (len < 2 || len > 40 || s[0] < 'a' || s[0] > 'z')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
}

static const char *nation_of(const char *gss)
{
	const struct nrm_nation *n = nrm_nation_of_area(gss);
	return n ? n->gss : nrm_nations[NRM_NATIONS - 1].gss;
}

/* The basis is free text written by the Home Office, not case data; it
 * must still be one printable field. */
static int basis_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > BASIS_MAX)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '"')
			return 0;
	return nrm_utf8_valid(s, len);
}

static int row_fail(struct nrm_error *err, const char *path, size_t line, const char *col,
                    const char *why)
{
	return nrm_fail(err, EX_DATAERR, "%s:%zu: %s: %s", path, line, col, why);
}

/* One row, split in place at its commas. */
static int read_row(char *line, const char *path, size_t lineno, struct nrm_site_area *a,
                    struct nrm_error *err)
{
	char *f[N_COLUMNS];
	size_t n = 0;
	for (char *p = line;; ) {
		if (n == N_COLUMNS)
			return row_fail(err, path, lineno, "basis", "more than 5 fields (a basis holds "
			                "no comma)");
		f[n++] = p;
		char *comma = strchr(p, ',');
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	if (n != N_COLUMNS)
		return nrm_fail(err, EX_DATAERR, "%s:%zu: %zu fields, not 5", path, lineno, n);
	if (!site_code_ok(f[0]))
		return row_fail(err, path, lineno, "site", "not a site code (2 to 40 lower-case "
		                "letters, digits or hyphens, starting with a letter)");
	if (!nrm_gss_is_local_authority(f[1]))
		return row_fail(err, path, lineno, "local_authority", "not a GSS local authority code");
	if (nrm_date_parse_iso(f[2], strlen(f[2]), &a->joined))
		return row_fail(err, path, lineno, "joined", "not a date YYYY-MM-DD");
	if (strcmp(f[3], "yes") && strcmp(f[3], "no"))
		return row_fail(err, path, lineno, "approximate", "not yes or no");
	if (!basis_ok(f[4]))
		return row_fail(err, path, lineno, "basis", "empty, too long, or not one printable "
		                "UTF-8 field without quotes");
	a->site = nrm_xstrdup(f[0]);
	a->local_authority = nrm_xstrdup(f[1]);
	snprintf(a->nation, sizeof(a->nation), "%s", nation_of(f[1]));
	a->approximate = strcmp(f[3], "yes") == 0;
	a->basis = nrm_xstrdup(f[4]);
	return 0;
}

static int read_lines(char *text, const char *path, struct nrm_site_register *out,
                      struct nrm_error *err)
{
	size_t lineno = 0;
	for (char *p, *rest = text; (p = nrm_next_line(&rest)) != NULL;) {
		size_t len = strlen(p);
		lineno++;
		if (lineno == 1) {
			if (strcmp(p, header) != 0)
				return nrm_fail(err, EX_DATAERR, "%s:1: the header must be '%s'", path,
				                header);
		} else if (len) {
			out->areas = nrm_xrealloc(out->areas, (out->n + 1) * sizeof(*out->areas));
			struct nrm_site_area *a = &out->areas[out->n];
			memset(a, 0, sizeof(*a));
			if (read_row(p, path, lineno, a, err))
				return -1;
			out->n++;
			if (nrm_sites_find(&(struct nrm_site_register){out->areas, out->n - 1},
			                   a->local_authority))
				return row_fail(err, path, lineno, "local_authority",
				                "already given: an area belongs to one site");
		}
	}
	if (lineno == 0)
		return nrm_fail(err, EX_DATAERR, "%s: empty, no header", path);
	return 0;
}

int nrm_sites_read(const char *path, struct nrm_site_register *out, struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	char *text;
	if (nrm_read_text_file(path, REGISTER_MAX_BYTES, "a register is a few lines", &text,
	                       err) != 0)
		return -1;
	int rc = read_lines(text, path, out, err);
	free(text);
	if (rc)
		nrm_sites_free(out);
	return rc;
}

int nrm_sites_store(struct store *s, const struct nrm_site_register *reg)
{
	if (store_begin(s))
		return -1;
	sqlite3_stmt *st = NULL;
	if (store_exec(s, "DELETE FROM intake_site") ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO intake_site (local_authority, site, nation, "
	                       "joined, source) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	for (size_t i = 0; i < reg->n; i++) {
		const struct nrm_site_area *a = &reg->areas[i];
		char *source = nrm_xasprintf("%s%s", a->approximate ? "approximate: " : "", a->basis);
		sqlite3_bind_text(st, 1, a->local_authority, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, a->site, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a->nation, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, a->joined);
		sqlite3_bind_text(st, 5, source, -1, SQLITE_TRANSIENT);
		free(source);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	sqlite3_finalize(st);
	return store_commit(s);
fail:
	store_fail_sqlite(s, "cannot store the register of pilot sites");
	sqlite3_finalize(st);
	store_rollback(s);
	return -1;
}

int nrm_sites_load(struct store *s, struct nrm_site_register *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT site, local_authority, nation, joined, source FROM "
	                       "intake_site ORDER BY site, local_authority", -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot read the register of pilot sites");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->areas = nrm_xrealloc(out->areas, (out->n + 1) * sizeof(*out->areas));
		struct nrm_site_area *a = &out->areas[out->n++];
		memset(a, 0, sizeof(*a));
		a->site = nrm_xstrdup((const char *)sqlite3_column_text(st, 0));
		a->local_authority = nrm_xstrdup((const char *)sqlite3_column_text(st, 1));
		snprintf(a->nation, sizeof(a->nation), "%s", (const char *)sqlite3_column_text(st, 2));
		a->joined = (int32_t)sqlite3_column_int64(st, 3);
		const char *source = (const char *)sqlite3_column_text(st, 4);
		a->approximate = strncmp(source, "approximate: ", 13) == 0;
		a->basis = nrm_xstrdup(source + (a->approximate ? 13 : 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		nrm_sites_free(out);
		return store_fail_sqlite(s, "cannot read the register of pilot sites");
	}
	return 0;
}

void nrm_sites_free(struct nrm_site_register *reg)
{
	for (size_t i = 0; i < reg->n; i++) {
		free(reg->areas[i].site);
		free(reg->areas[i].local_authority);
		free(reg->areas[i].basis);
	}
	free(reg->areas);
	reg->areas = NULL;
	reg->n = 0;
}

const struct nrm_site_area *nrm_sites_find(const struct nrm_site_register *reg,
                                           const char *local_authority)
{
	for (size_t i = 0; local_authority && i < reg->n; i++)
		if (strcmp(reg->areas[i].local_authority, local_authority) == 0)
			return &reg->areas[i];
	return NULL;
}

bool nrm_sites_pilot_area(const struct nrm_site_register *reg, const char *local_authority,
                          int32_t day)
{
	const struct nrm_site_area *a = nrm_sites_find(reg, local_authority);
	return a && day >= a->joined;
}
