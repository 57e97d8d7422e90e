/*
 * Returns held for review (review_held.h).
 */
#include "review_held.h"

#include "bundle.h"
#include "date.h"
#include "read_file.h"
#include "util.h"
#include "write_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* held.json is a few lines. */
#define HELD_JSON_MAX (64 * 1024)

static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return nrm_xstrdup(".");
	if (slash == path)
		return nrm_xstrdup("/");
	return nrm_xasprintf("%.*s", (int)(slash - path), path);
}

char *nrm_held_root(const char *store_path)
{
	char *dir = folder_of(store_path);
	char *root = nrm_xasprintf("%s/%s", dir, NRM_HELD_FOLDER);
	free(dir);
	return root;
}

char *nrm_held_dir(const char *store_path, const char *site, const char *quarter)
{
	char *root = nrm_held_root(store_path);
	char *dir = nrm_xasprintf("%s/%s_%s", root, site, quarter);
	free(root);
	return dir;
}

int nrm_held_root_make(const char *root, struct nrm_error *err)
{
	if (mkdir(root, 0700) != 0 && errno != EEXIST)
		return nrm_fail(err, EX_CANTCREAT, "cannot make %s for the returns held for "
		                "review: %s", root, strerror(errno));
	struct stat st;
	if (lstat(root, &st) != 0 || !S_ISDIR(st.st_mode))
		return nrm_fail(err, EX_CANTCREAT, "%s is not a folder: the returns held for "
		                "review go there", root);
	if ((st.st_mode & 07777) != 0700 && chmod(root, 0700) != 0)
		return nrm_fail(err, EX_CANTCREAT, "cannot make %s mode 0700: %s", root,
		                strerror(errno));
	return 0;
}

/* ---- held.json ----------------------------------------------------------- */

static json_t *string_list(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

int nrm_held_write(const char *dir, const struct nrm_held *h, struct nrm_error *err)
{
	char when[21];
	nrm_time_format_rfc3339(h->held_at, when);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "site", h->site, "quarter",
	                      h->quarter, "job", h->job, "held_at", when, "audiences",
	                      string_list(h->audiences, h->n_audiences), "forced",
	                      string_list(h->forced, h->n_forced));
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		return nrm_fail(err, EX_SOFTWARE, "cannot format %s", NRM_HELD_FILE);
	char *path = nrm_xasprintf("%s/%s", dir, NRM_HELD_FILE);
	char *line = nrm_xasprintf("%s\n", text);
	int rc = nrm_write_file_atomic(path, 0600, line, strlen(line), err);
	free(line);
	free(path);
	free(text);
	return rc;
}

/* A list of strings each accepted by `ok`, copied into *out. */
static int read_list(json_t *a, bool (*ok)(const char *), char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!json_is_array(a) || json_array_size(a) > 16)
		return -1;
	*out = nrm_xcalloc(json_array_size(a) + 1, sizeof(char *));
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		if (!s || !ok(s))
			return -1;
		(*out)[(*n)++] = nrm_xstrdup(s);
	}
	return 0;
}

static bool audience_ok(const char *s)
{
	return strcmp(s, "official") == 0 || strcmp(s, "published") == 0;
}

static bool rule_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return false;
	return true;
}

static bool job_ok(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n <= 64 && !strchr(s, '/');
}

static int parse_held(json_t *j, struct nrm_held *h)
{
	const char *site = json_string_value(json_object_get(j, "site"));
	const char *quarter = json_string_value(json_object_get(j, "quarter"));
	const char *job = json_string_value(json_object_get(j, "job"));
	const char *when = json_string_value(json_object_get(j, "held_at"));
	if (!site || !nrm_bundle_site_valid(site) || !quarter || !nrm_bundle_quarter_valid(quarter) ||
	    !job || !job_ok(job) || !when ||
	    nrm_time_parse_rfc3339(when, strlen(when), &h->held_at) != 0)
		return -1;
	h->site = nrm_xstrdup(site);
	h->quarter = nrm_xstrdup(quarter);
	h->job = nrm_xstrdup(job);
	if (read_list(json_object_get(j, "audiences"), audience_ok, &h->audiences,
	              &h->n_audiences) != 0 || h->n_audiences == 0)
		return -1;
	return read_list(json_object_get(j, "forced"), rule_ok, &h->forced, &h->n_forced);
}

int nrm_held_read(const char *dir, struct nrm_held *h, struct nrm_error *err)
{
	memset(h, 0, sizeof(*h));
	char *path = nrm_xasprintf("%s/%s", dir, NRM_HELD_FILE);
	struct stat st;
	if (lstat(path, &st) != 0) {
		free(path);
		return 1;
	}
	char *text;
	int rc = nrm_read_text_file(path, HELD_JSON_MAX, "held.json is a few lines", &text, err);
	if (rc == 0) {
		json_error_t je;
		json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);
		free(text);
		if (!j)
			rc = nrm_fail(err, EX_DATAERR, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		else if (parse_held(j, h) != 0)
			rc = nrm_fail(err, EX_DATAERR, "%s: not a held return's description (site, "
			              "quarter, job, held_at, audiences, forced)", path);
		json_decref(j);
	}
	if (rc != 0)
		nrm_held_free(h);
	free(path);
	return rc ? -1 : 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void nrm_held_free(struct nrm_held *h)
{
	free(h->site);
	free(h->quarter);
	free(h->job);
	free_list(h->audiences, h->n_audiences);
	free_list(h->forced, h->n_forced);
	memset(h, 0, sizeof(*h));
}

/* ---- the list ------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folders under the root, sorted (NULL-terminated; caller frees). */
static char **held_folders(const char *root)
{
	char **names = nrm_xcalloc(1, sizeof(char *));
	size_t n = 0;
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue; /* the folder swap's siblings among them */
		char *path = nrm_xasprintf("%s/%s", root, e->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			names = nrm_xrealloc(names, (n + 2) * sizeof(char *));
			names[n++] = path;
			names[n] = NULL;
		} else {
			free(path);
		}
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(char *), by_name);
	return names;
}

json_t *nrm_held_to_json(const struct nrm_held *h, const char *dir)
{
	char when[21];
	nrm_time_format_rfc3339(h->held_at, when);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s}", "site", h->site, "quarter",
	                 h->quarter, "job", h->job, "held_at", when, "audiences",
	                 string_list(h->audiences, h->n_audiences), "forced",
	                 string_list(h->forced, h->n_forced), "folder", dir);
}

json_t *nrm_held_list(const char *store_path)
{
	char *root = nrm_held_root(store_path);
	char **dirs = held_folders(root);
	json_t *list = json_array();
	for (size_t i = 0; dirs[i]; i++) {
		struct nrm_held h;
		struct nrm_error err = {0};
		int rc = nrm_held_read(dirs[i], &h, &err);
		if (rc == 0) {
			json_array_append_new(list, nrm_held_to_json(&h, dirs[i]));
			nrm_held_free(&h);
		} else if (rc < 0) {
			json_array_append_new(list, json_pack("{s:s, s:s}", "folder", dirs[i], "error",
			                                      err.msg));
		}
		free(dirs[i]);
	}
	free(dirs);
	free(root);
	return list;
}

void nrm_held_places(const char *store_path, json_t *places)
{
	char *root = nrm_held_root(store_path);
	char **dirs = held_folders(root);
	for (size_t i = 0; dirs[i]; i++) {
		json_array_append_new(places, json_string(dirs[i]));
		free(dirs[i]);
	}
	free(dirs);
	free(root);
}
