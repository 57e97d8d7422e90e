/*
 * A return read for comparing, from a folder, a file or a bundle
 * (return_input.h).
 */
#include "return_input.h"
#include "../plugins/common/json_syntax.h"

#include "bundle_peek.h"
#include "commands.h"
#include "json_schema.h"
#include "return_schema.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

/* The bound nrm_return_load_file keeps: a return is a few hundred
 * kilobytes, and jansson would hold any file whole. */
#define RETURN_MAX (16 * 1024 * 1024)
#define BUNDLE_MEMBER "data/return.json"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int load_folder(const char *dir, json_t **out, struct nrm_error *err)
{
	char *path = nrm_xasprintf("%s/return.json", dir);
	struct stat st;
	int rc = 0;
	if (stat(path, &st) != 0)
		rc = nrm_fail(err, EX_NOINPUT, "%s: no return.json: not a return folder", dir);
	else if (nrm_return_load_file(path, out, err) != 0)
		rc = -1;
	free(path);
	return rc;
}

static int load_bundle(const char *path, json_t **out, struct nrm_error *err)
{
	char *text;
	size_t len;
	int rc = nrm_bundle_read_member(path, BUNDLE_MEMBER, RETURN_MAX, &text, &len, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return nrm_fail(err, EX_DATAERR, "%s: a bundle with no %s: not a return's", path,
		                BUNDLE_MEMBER);
	json_error_t jerr;
	*out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (*out)
		return 0;
	char why[200];
	json_syntax_reason(jerr.text, why, sizeof(why));
	return nrm_fail(err, EX_DATAERR, "%s: %s:%d:%d: %s", path, BUNDLE_MEMBER, jerr.line,
	                jerr.column, why);
}

/* return.json from whatever `path` is. */
static int load_json(const char *path, json_t **out, struct nrm_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return nrm_fail(err, EX_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return load_folder(path, out, err);
	/* A name says what a user meant to give; the content still decides
	 * (a .json that is not JSON, a .tar.gz that is not an archive). */
	if (ends_with(path, ".json"))
		return nrm_return_load_file(path, out, err) ? -1 : 0;
	return load_bundle(path, out, err);
}

/* The return's schema, then the rules its tables need (RETURN.md); both
 * name the JSON path and the rule, to which the file's name is added. */
static int check_return(const char *path, json_t *ret, struct nrm_return_tables *t,
                        struct nrm_error *err)
{
	struct nrm_error why = {0};
	struct nrm_json_schema *schema = nrm_return_schema_load(&why);
	if (!schema)
		return nrm_fail(err, EX_SOFTWARE, "%s", why.msg);
	int rc = nrm_json_schema_validate(schema, ret, &why);
	nrm_json_schema_free(schema);
	if (rc != 0)
		return nrm_fail(err, EX_DATAERR, "%s: not a return: %s", path, why.msg);
	if (nrm_return_tables_build(ret, t, &why) != 0)
		return nrm_fail(err, EX_DATAERR, "%s: not a return: %s", path, why.msg);
	return 0;
}

int nrm_return_input_open(const char *path, struct nrm_return_input *in,
                          struct nrm_error *err)
{
	memset(in, 0, sizeof(*in));
	if (load_json(path, &in->json, err) != 0)
		return -1;
	if (check_return(path, in->json, &in->tables, err) != 0) {
		json_decref(in->json);
		in->json = NULL;
		return -1;
	}
	return 0;
}

void nrm_return_input_close(struct nrm_return_input *in)
{
	if (in->json)
		nrm_return_tables_free(&in->tables);
	json_decref(in->json);
	memset(in, 0, sizeof(*in));
}
