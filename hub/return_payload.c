/*
 * The return folder's file set (return_payload.h): the list written into
 * return.json, and the check of a folder or a bag against it.  The list is
 * drawn from the same tables the renderers write (return_tables.c), so a
 * new table is a new listed file without a second list to keep in step.
 */
#include "return_payload.h"

#include "disclosure_model.h"
#include "html_script.h"
#include "return_pattern.h"
#include "return_render.h"
#include "return_tables.h"
#include "util.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The renderers' files besides the tables (hub/return_render.h). */
static const struct {
	const char *name, *role;
} fixed_outputs[] = {
	{"notes.csv", "notes"},
	{"csv-metadata.json", "csvw-metadata"},
	{"return.sdmx.csv", "sdmx"},
	{"return.ods", "workbook"},
	{"report.html", "report"},
};

static void add_file(json_t *files, const char *name, const char *role)
{
	json_array_append_new(files, json_pack("{s:s, s:s}", "name", name, "role", role));
}

json_t *nrm_return_files_json(const json_t *ret, struct nrm_error *err)
{
	struct nrm_return_tables t;
	if (nrm_return_tables_build(ret, &t, err))
		return NULL;
	json_t *files = json_array();
	for (size_t i = 0; i < t.n_tables; i++)
		add_file(files, t.tables[i].file, "table");
	for (size_t i = 0; i < sizeof(fixed_outputs) / sizeof(fixed_outputs[0]); i++)
		add_file(files, fixed_outputs[i].name, fixed_outputs[i].role);
	if (strcmp(t.audience, "official") == 0)
		add_file(files, "cases.csv", "extract");
	add_file(files, "return.json", "return");
	nrm_return_tables_free(&t);
	return files;
}

/* ---- what is never a payload file ------------------------------------------ */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

const char *nrm_payload_secret_kind(const char *name, const char *head, size_t len)
{
	static const char sqlite_magic[16] = "SQLite format 3";
	static const char untrusted[] = "untrusted comment:";
	if (len >= sizeof(sqlite_magic) && memcmp(head, sqlite_magic, sizeof(sqlite_magic)) == 0)
		return "an SQLite database";
	if (ends_with(name, ".pseudonym.key"))
		return "a pseudonym key";
	/* minisign's key files: an untrusted comment, then base64 of "Ed" and
	 * more; a public key is 42 bytes, a secret key 158 (formats/bundle.md). */
	if (len > sizeof(untrusted) && memcmp(head, untrusted, sizeof(untrusted) - 1) == 0) {
		const char *line = memchr(head, '\n', len);
		if (line) {
			line++;
			const char *end = memchr(line, '\n', len - (size_t)(line - head));
			unsigned char bin[256];
			size_t n = 0;
			if (end && sodium_base642bin(bin, sizeof(bin), line, (size_t)(end - line), "\r",
			                             &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
			    n > 42 && bin[0] == 'E' && bin[1] == 'd')
				return "a minisign secret key";
		}
	}
	if (ends_with(name, ".db") || ends_with(name, ".sqlite") || ends_with(name, ".db-wal") ||
	    ends_with(name, ".db-journal"))
		return "a store";
	return NULL;
}

/* ---- the check ------------------------------------------------------------- */

static const json_t *listed_file(const json_t *list, const char *name)
{
	size_t i;
	const json_t *f;
	json_array_foreach(list, i, f) {
		const char *n = json_string_value(json_object_get(f, "name"));
		if (n && strcmp(n, name) == 0)
			return f;
	}
	return NULL;
}

static const struct nrm_payload_file *present_file(const struct nrm_payload_file *files,
                                                   size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!files[i].is_dir && strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

int nrm_return_payload_check(const json_t *ret, const struct nrm_payload_file *files, size_t n,
                             const char *where, struct nrm_error *err)
{
	const json_t *list = json_object_get(ret, "files");
	if (!json_is_array(list))
		return nrm_fail(err, EX_DATAERR, "%s: return.json: $.files: missing, so the "
		                "return's set of files is not known", where);
	for (size_t i = 0; i < n; i++) {
		const char *kind = files[i].content
			? nrm_payload_secret_kind(files[i].name, files[i].content, files[i].size)
			: nrm_payload_secret_kind(files[i].name, "", 0);
		if (kind)
			return nrm_fail(err, EX_DATAERR, "%s: %s: %s, never part of a return",
			                where, files[i].name, kind);
		if (files[i].is_dir)
			return nrm_fail(err, EX_DATAERR, "%s: %s: a folder, not one of the return's "
			                "files (return.json $.files)", where, files[i].name);
		if (!listed_file(list, files[i].name))
			return nrm_fail(err, EX_DATAERR, "%s: %s: not one of the return's files "
			                "(return.json $.files)", where, files[i].name);
	}
	size_t i;
	const json_t *f;
	json_array_foreach(list, i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		if (name && !present_file(files, n, name))
			return nrm_fail(err, EX_DATAERR, "%s: %s: listed in return.json $.files[%zu] "
			                "but missing", where, name, i);
	}
	return 0;
}

/* ---- the files agree with return.json --------------------------------------- */

/* An untrusted value made safe and short to print. */
static void printable(const char *s, size_t len, char out[64])
{
	size_t o = 0, i = 0;
	for (; i < len && o < 52; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\'')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, 64 - o, "\\x%02x", c);
	}
	if (i < len)
		o += (size_t)snprintf(out + o, 64 - o, "...");
	out[o] = '\0';
}

struct line {
	const char *p;
	size_t len; /* without its CR LF */
};

/* Line `*at` of text (len bytes) and moves past it; false at the end. */
static bool next_line(const char *text, size_t len, size_t *at, struct line *l)
{
	if (*at >= len)
		return false;
	const char *nl = memchr(text + *at, '\n', len - *at);
	size_t end = nl ? (size_t)(nl - text) : len;
	l->p = text + *at;
	l->len = end - *at;
	if (l->len && l->p[l->len - 1] == '\r')
		l->len--;
	*at = nl ? end + 1 : len;
	return true;
}

/* Field `*at` of an RFC 4180 line, unquoted into out; false past the last. */
static bool next_field(const struct line *l, size_t *at, char *out, size_t cap)
{
	if (*at > l->len)
		return false;
	size_t o = 0, i = *at;
	bool quoted = i < l->len && l->p[i] == '"';
	for (i += quoted; i < l->len; i++) {
		char c = l->p[i];
		if (quoted && c == '"') {
			if (i + 1 < l->len && l->p[i + 1] == '"')
				i++;
			else {
				quoted = false;
				continue;
			}
		} else if (!quoted && c == ',') {
			break;
		}
		if (o + 1 < cap)
			out[o++] = l->p[i];
	}
	out[o] = '\0';
	*at = i + 1;
	return true;
}

/* The first field where two lines differ, named by the header's title. */
static int field_differs(const char *where, const char *name, size_t lineno,
                         const struct line *header, const struct line *got,
                         const struct line *want, struct nrm_error *err)
{
	char g[256], w[256], title[256], pg[64], pw[64], pt[64];
	size_t ag = 0, aw = 0, ah = 0;
	for (size_t col = 1;; col++) {
		bool hg = next_field(got, &ag, g, sizeof(g));
		bool hw = next_field(want, &aw, w, sizeof(w));
		if (!header || !next_field(header, &ah, title, sizeof(title)))
			snprintf(title, sizeof(title), "%s", "?");
		if (hg && hw && strcmp(g, w) == 0)
			continue;
		printable(hg ? g : "(none)", strlen(hg ? g : "(none)"), pg);
		printable(hw ? w : "(none)", strlen(hw ? w : "(none)"), pw);
		printable(title, strlen(title), pt);
		if (lineno == 1)
			return nrm_fail(err, EX_DATAERR, "%s: %s: line 1 (the header), column %zu: "
			                "'%s', the table's is '%s'", where, name, col, pg, pw);
		return nrm_fail(err, EX_DATAERR, "%s: %s: line %zu, column %zu (%s): '%s', "
		                "return.json gives '%s'", where, name, lineno, col, pt, pg, pw);
	}
}

/* `got` is byte for byte `want`, the bytes the writer makes from return.json;
 * else the first differing line (and for CSV, field) with both values. */
static int same_bytes(const char *where, const char *name, const char *got, size_t glen,
                      const char *want, size_t wlen, bool csv, struct nrm_error *err)
{
	if (glen == wlen && memcmp(got, want, glen) == 0)
		return 0;
	size_t ag = 0, aw = 0;
	struct line header = {0}, lg, lw;
	for (size_t lineno = 1;; lineno++) {
		bool hg = next_line(got, glen, &ag, &lg);
		bool hw = next_line(want, wlen, &aw, &lw);
		if (!hg && !hw)
			break;
		if (!hg || !hw)
			return nrm_fail(err, EX_DATAERR, "%s: %s: line %zu: %s", where, name, lineno,
			                hg ? "more lines than return.json gives"
			                   : "missing, and return.json gives more");
		if (lineno == 1)
			header = lw;
		if (lg.len == lw.len && memcmp(lg.p, lw.p, lg.len) == 0)
			continue;
		if (csv)
			return field_differs(where, name, lineno, &header, &lg, &lw, err);
		char pg[64], pw[64];
		printable(lg.p, lg.len, pg);
		printable(lw.p, lw.len, pw);
		return nrm_fail(err, EX_DATAERR, "%s: %s: line %zu: '%s', return.json gives '%s'",
		                where, name, lineno, pg, pw);
	}
	return nrm_fail(err, EX_DATAERR, "%s: %s: not byte for byte what return.json gives "
	                "(line ends or a final newline)", where, name);
}

/* The listed set is the one the return's own tables give. */
static int same_list(const char *where, const json_t *list, const json_t *want,
                     struct nrm_error *err)
{
	if (json_equal(list, want))
		return 0;
	size_t n = json_array_size(want);
	for (size_t i = 0; i < n || i < json_array_size(list); i++) {
		const json_t *g = json_array_get(list, i), *w = json_array_get(want, i);
		if (g && w && json_equal(g, w))
			continue;
		char pg[64], pw[64];
		const char *gn = g ? json_string_value(json_object_get(g, "name")) : NULL;
		const char *wn = w ? json_string_value(json_object_get(w, "name")) : NULL;
		printable(gn ? gn : "(none)", strlen(gn ? gn : "(none)"), pg);
		printable(wn ? wn : "(none)", strlen(wn ? wn : "(none)"), pw);
		return nrm_fail(err, EX_DATAERR, "%s: return.json: $.files[%zu]: '%s', the return's "
		                "tables give '%s'", where, i, pg, pw);
	}
	return 0;
}

static int same_file(const char *where, const struct nrm_payload_file *files, size_t n,
                     const char *name, char *want, size_t wlen, bool csv,
                     struct nrm_error *err)
{
	if (!want)
		return nrm_fail(err, EX_OSERR, "out of memory");
	const struct nrm_payload_file *f = present_file(files, n, name);
	int rc = f ? same_bytes(where, name, f->content, f->size, want, wlen, csv, err) : 0;
	free(want);
	return rc;
}

/* Every breakdown sums to its total, and every figure shown twice is the
 * same, by the relations the tables themselves declare (the ones
 * disclosure control uses): where a figure is suppressed, the relation is
 * left unjudged. */
static int obeys_its_relations(const struct nrm_return_tables *t, const char *where,
                               struct nrm_error *err)
{
	struct nrm_dc_model m;
	nrm_dc_model_build(t, &m);
	struct nrm_error e;
	int rc = nrm_dc_model_check_shown(&m, &e);
	nrm_dc_model_free(&m);
	if (rc)
		return nrm_fail(err, EX_DATAERR, "%s: return.json: %s", where, e.msg);
	return 0;
}

/* The cells an official return records as hidden in its published
 * counterpart are cells of its own (the national published build hides
 * them beside its tables). */
static int names_its_published_cells(const json_t *ret, const char *where,
                                     struct nrm_error *err)
{
	json_t *pub;
	char *what = nrm_xasprintf("%s: return.json", where);
	int rc = nrm_return_published_from(ret, what, &pub, err);
	free(what);
	json_decref(pub);
	return rc;
}

int nrm_return_payload_agrees(const json_t *ret, const struct nrm_payload_file *files, size_t n,
                              const char *where, struct nrm_error *err)
{
	struct nrm_return_tables t;
	struct nrm_error e;
	if (nrm_return_tables_build(ret, &t, &e))
		return nrm_fail(err, e.code, "%s: return.json: %s", where, e.msg);
	json_t *want = nrm_return_files_json(ret, err);
	int rc = !want ? -1 : same_list(where, json_object_get(ret, "files"), want, err);
	json_decref(want);
	if (rc == 0)
		rc = obeys_its_relations(&t, where, err);
	if (rc == 0)
		rc = names_its_published_cells(ret, where, err);
	size_t len = 0;
	for (size_t i = 0; rc == 0 && i < t.n_tables; i++) {
		char *csv = nrm_return_table_csv(&t.tables[i], &len);
		rc = same_file(where, files, n, t.tables[i].file, csv, len, true, err);
	}
	char *text;
	if (rc == 0) {
		text = nrm_return_notes_csv(&t, &len);
		rc = same_file(where, files, n, "notes.csv", text, len, true, err);
	}
	/* Whichever SDMX-CSV version the site chose, the same figures, and
	 * csv-metadata.json describes that version's columns. */
	const struct nrm_payload_file *sdmx = present_file(files, n, "return.sdmx.csv");
	enum nrm_sdmx_version v = sdmx ? nrm_sdmx_version_of(sdmx->content, sdmx->size)
	                               : NRM_SDMX_1_0;
	if (rc == 0) {
		text = nrm_return_sdmx_csv(&t, v, &len, &e);
		rc = !text && e.code == EX_DATAERR
		             ? nrm_fail(err, EX_DATAERR, "%s: return.json: %s", where, e.msg)
		             : same_file(where, files, n, "return.sdmx.csv", text, len, true, err);
	}
	if (rc == 0) {
		text = nrm_return_csvw_metadata(&t, v);
		rc = same_file(where, files, n, "csv-metadata.json", text, text ? strlen(text) : 0,
		               false, err);
	}
	nrm_return_tables_free(&t);
	const struct nrm_payload_file *html = present_file(files, n, "report.html");
	long line;
	const char *what = html && rc == 0 ? nrm_html_script_find(html->content, html->size, &line)
	                                   : NULL;
	if (what)
		return nrm_fail(err, EX_DATAERR, "%s: report.html: line %ld: %s; the report is a "
		                "page without script", where, line, what);
	return rc;
}
