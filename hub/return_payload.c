/*
 * The return folder's file set (return_payload.h): the list written into
 * return.json, and the check of a folder or a bag against it.  The list is
 * drawn from the same tables the renderers write (return_tables.c), so a
 * new table is a new listed file without a second list to keep in step.
 */
#include "return_payload.h"
#include "return_tables.h"

#include "util.h"

#include <sodium.h>
#include <stdbool.h>
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
