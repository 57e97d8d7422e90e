/*
 * Extract rows of erased cases in the files a site still holds
 * (erase_held.h).
 */
#include "erase_held.h"

#include "atomic_file.h"
#include "bundle_peek.h"
#include "review_held.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* A cases.csv is a few megabytes; a bigger one is not ours to rewrite. */
#define EXTRACT_MAX (256u * 1024 * 1024)
#define SIG_SUFFIX ".minisig"
/* A return.json is a few hundred kilobytes; a larger one is not ours. */
#define RETURN_JSON_MAX (64u * 1024 * 1024)

struct held {
	struct store_erase_item *items;
	size_t n;
	bool dry_run;
	json_t *changed;
	json_t *discard;   /* held returns that counted a case, for the caller */
	json_t *quarters;  /* "SITE_QUARTER" of each return and bundle that went */
	struct nrm_error *err;
};

/* Records that a return of `key` ("SITE_QUARTER") counted an erased case:
 * every other output of that quarter was built from the same cases.
 * Takes `key` (NULL: nothing). */
static void touch_quarter(struct held *h, char *key)
{
	size_t i;
	json_t *v;
	bool known = !key;
	json_array_foreach(h->quarters, i, v)
		known = known || strcmp(json_string_value(v), key) == 0;
	if (!known)
		json_array_append_new(h->quarters, json_string(key));
	free(key);
}

static bool quarter_touched(const struct held *h, const char *key)
{
	size_t i;
	json_t *v;
	json_array_foreach(h->quarters, i, v)
		if (key && strcmp(json_string_value(v), key) == 0)
			return true;
	return false;
}

/* "SITE_QUARTER" of a bundle SITE_QUARTER_SEQ.tar.gz (site codes have no
 * '_'), or NULL. */
static char *bundle_quarter(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *last = strrchr(base, '_');
	size_t n = strlen(base);
	if (!last || n < 7 || strcmp(base + n - 7, ".tar.gz") != 0)
		return NULL;
	return nrm_xasprintf("%.*s", (int)(last - base), base);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The item whose pseudonym starts the line [p, end), or NULL. */
static struct store_erase_item *line_item(const struct held *h, const char *p, const char *end)
{
	if ((size_t)(end - p) < NRM_PSEUDONYM_HEX + 1 || p[NRM_PSEUDONYM_HEX] != ',')
		return NULL;
	for (size_t i = 0; i < h->n; i++)
		if (memcmp(p, h->items[i].pseudonym, NRM_PSEUDONYM_HEX) == 0)
			return &h->items[i];
	return NULL;
}

/* Which items have a row in text[0..len): marks them in `hit`; how many
 * rows matched. */
static size_t rows_of(const struct held *h, const char *text, size_t len, bool *hit)
{
	size_t rows = 0;
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		struct store_erase_item *it = line_item(h, p, stop);
		if (it) {
			hit[it - h->items] = true;
			rows++;
		}
		p = nl ? nl + 1 : end;
	}
	return rows;
}

static void count_hits(struct held *h, const bool *hit)
{
	for (size_t i = 0; i < h->n; i++)
		if (hit[i])
			h->items[i].files_changed++;
}

/* Reads the archive's data/cases.csv into *out (NUL added); 0 with *out
 * NULL when it has none or is not a readable bundle. */
static int bundle_extract(const char *path, char **out, size_t *len)
{
	struct nrm_error err;
	if (nrm_bundle_peek(path, "data/cases.csv", EXTRACT_MAX, out, len, &err) != 0)
		*out = NULL;
	return 0;
}

static int remove_file(struct held *h, const char *path)
{
	if (!h->dry_run && unlink(path) != 0 && errno != ENOENT)
		return nrm_fail(h->err, EX_CANTCREAT, "%s: holds an erased case and cannot be "
		                "removed: %s", path, strerror(errno));
	json_array_append_new(h->changed, json_string(path));
	return 0;
}

/* A bundle with a row of an erased case goes, signature first (a
 * signature alone signs nothing and is never sent). */
static int examine_bundle(struct held *h, const char *path)
{
	char *text;
	size_t len;
	bundle_extract(path, &text, &len);
	if (!text)
		return 0;
	bool *hit = nrm_xcalloc(h->n ? h->n : 1, sizeof(bool));
	int rc = 0;
	if (rows_of(h, text, len, hit) > 0) {
		count_hits(h, hit);
		char *sig = nrm_xasprintf("%s%s", path, SIG_SUFFIX);
		struct stat st;
		if (lstat(sig, &st) == 0)
			rc = remove_file(h, sig);
		if (rc == 0)
			rc = remove_file(h, path);
		free(sig);
		touch_quarter(h, bundle_quarter(path));
	}
	free(hit);
	free(text);
	return rc;
}

static int read_small(const char *path, char **out, size_t *len)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > EXTRACT_MAX) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char *buf = nrm_xmalloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

/* The extract without the erased cases' rows, written in its place. */
static int rewrite_extract(struct held *h, const char *path, const char *text, size_t len)
{
	struct nrm_atomic_file f;
	if (nrm_atomic_open(&f, path, 0600, h->err) != 0)
		return -1;
	int rc = 0;
	for (const char *p = text, *end = text + len; p < end && rc == 0;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		if (!line_item(h, p, nl ? nl : end) && write(f.fd, p, (size_t)(next - p)) !=
		                                           (ssize_t)(next - p))
			rc = nrm_fail(h->err, EX_IOERR, "%s: cannot write: %s", path, strerror(errno));
		p = next;
	}
	if (rc != 0) {
		nrm_atomic_abort(&f);
		return -1;
	}
	return nrm_atomic_commit(&f, h->err);
}

static int examine_extract(struct held *h, const char *path)
{
	char *text;
	size_t len;
	if (read_small(path, &text, &len) != 0)
		return 0;
	bool *hit = nrm_xcalloc(h->n ? h->n : 1, sizeof(bool));
	int rc = 0;
	if (rows_of(h, text, len, hit) > 0) {
		count_hits(h, hit);
		if (!h->dry_run)
			rc = rewrite_extract(h, path, text, len);
		if (rc == 0)
			json_array_append_new(h->changed, json_string(path));
	}
	free(hit);
	free(text);
	return rc;
}

/* Whether `path` was already found (a ledger's item inside a folder also
 * searched; in a dry run it is still there). */
static bool seen(const struct held *h, const char *path)
{
	size_t i;
	json_t *v;
	json_array_foreach(h->changed, i, v)
		if (strcmp(json_string_value(v), path) == 0)
			return true;
	return false;
}

static int examine_file(struct held *h, const char *path)
{
	if (seen(h, path))
		return 0;
	if (ends_with(path, ".tar.gz"))
		return examine_bundle(h, path);
	const char *slash = strrchr(path, '/');
	if (strcmp(slash ? slash + 1 : path, "cases.csv") == 0)
		return examine_extract(h, path);
	return 0;
}

static bool has_file(const char *dir, const char *name)
{
	char *path = nrm_xasprintf("%s/%s", dir, name);
	struct stat st;
	bool there = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return there;
}

/* Whether the extract at `path` has a row of an erased case; counts them. */
static bool extract_has_rows(struct held *h, const char *path)
{
	char *text;
	size_t len;
	if (read_small(path, &text, &len) != 0)
		return false;
	bool *hit = nrm_xcalloc(h->n ? h->n : 1, sizeof(bool));
	bool rows = rows_of(h, text, len, hit) > 0;
	if (rows)
		count_hits(h, hit);
	free(hit);
	free(text);
	return rows;
}

/* The names return.json lists in its folder ($.files), each one plain
 * name: never a path out of the folder, whatever the file says; *key its
 * "SITE_QUARTER" (NULL when it names none). */
static json_t *return_file_names(const char *dir, char **key)
{
	*key = NULL;
	char *path = nrm_xasprintf("%s/return.json", dir);
	char *text;
	size_t len;
	json_t *names = json_array();
	json_t *ret = NULL;
	if (read_small(path, &text, &len) == 0) {
		if (len <= RETURN_JSON_MAX)
			ret = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
		free(text);
	}
	const char *site = json_string_value(json_object_get(ret, "site"));
	const char *quarter = json_string_value(json_object_get(ret, "quarter"));
	if (site && quarter)
		*key = nrm_xasprintf("%s_%s", site, quarter);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(ret, "files"), i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		if (name && *name && name[0] != '.' && !strchr(name, '/'))
			json_array_append_new(names, json_string(name));
	}
	json_decref(ret);
	free(path);
	return names;
}

/* A return folder (return.json beside its extract) whose extract has a row
 * of an erased case: every figure of return.json, and of the tables, the
 * workbook and the report drawn from it, counted the case, and a return
 * without the case's row but with its counts is one the receiver refuses.
 * So the return goes whole, return.json first (what is left of a run cut
 * short is then no return to bundle, and its extract is rewritten by the
 * next erasure), then every file it lists; the return job builds the
 * quarter again from the store, which no longer has the case. */
static int remove_return(struct held *h, const char *dir);

static int examine_return(struct held *h, const char *dir)
{
	char *extract = nrm_xasprintf("%s/cases.csv", dir);
	bool rows = !seen(h, dir) && extract_has_rows(h, extract);
	free(extract);
	return rows ? remove_return(h, dir) : 0;
}

/* A return's files, return.json first (examine_return says why). */
static int remove_return(struct held *h, const char *dir)
{
	char *key;
	json_t *names = return_file_names(dir, &key);
	touch_quarter(h, key);
	char *path = nrm_xasprintf("%s/return.json", dir);
	int rc = h->dry_run || unlink(path) == 0 || errno == ENOENT ? 0
	         : nrm_fail(h->err, EX_CANTCREAT, "%s: counts an erased case and cannot be "
	                    "removed: %s", path, strerror(errno));
	free(path);
	size_t i;
	json_t *v;
	json_array_foreach(names, i, v) {
		path = nrm_xasprintf("%s/%s", dir, json_string_value(v));
		if (rc == 0 && !h->dry_run && unlink(path) != 0 && errno != ENOENT)
			rc = nrm_fail(h->err, EX_CANTCREAT, "%s: counts an erased case and cannot be "
			              "removed: %s", path, strerror(errno));
		free(path);
	}
	json_decref(names);
	if (rc == 0 && !h->dry_run)
		rmdir(dir); /* only when nothing else is in it: the folder may be shared */
	if (rc == 0)
		json_array_append_new(h->changed, json_string(dir));
	return rc;
}

/* A return held for review (review_held.h) whose extract, in any of its
 * audiences, has a row of an erased case: every audience's figures
 * counted the case.  It is not touched here: the caller records why it
 * goes (as a person's rejection is recorded) before it removes it. */
static int examine_held_return(struct held *h, const char *dir)
{
	size_t i;
	json_t *v;
	json_array_foreach(h->discard, i, v)
		if (strcmp(json_string_value(v), dir) == 0)
			return 0; /* found through another place */
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	bool rows = false;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			char *extract = nrm_xasprintf("%s/%s/cases.csv", dir, e->d_name);
			rows = extract_has_rows(h, extract) || rows;
			free(extract);
		}
	closedir(d);
	if (rows) {
		json_array_append_new(h->discard, json_string(dir));
		const char *base = strrchr(dir, '/');
		touch_quarter(h, nrm_xstrdup(base ? base + 1 : dir)); /* SITE_QUARTER */
	}
	return 0;
}

/* The paths of the entries of `dir` but "skip" (NULL: none), *n of them,
 * read before any is acted on (the caller removes some); none when the
 * folder cannot be read.  Each path and the array are the caller's. */
static char **folder_entries(const char *dir, const char *skip, size_t *n)
{
	char **names = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    !(skip && strcmp(e->d_name, skip) == 0)) {
			names = nrm_xrealloc(names, (*n + 1) * sizeof(char *));
			names[(*n)++] = nrm_xasprintf("%s/%s", dir, e->d_name);
		}
	closedir(d);
	return names;
}

/* A folder's bundles and extracts, and those of the return folders in it;
 * a held return, or a return folder, is judged whole. */
static int examine_folder(struct held *h, const char *dir, int depth)
{
	if (has_file(dir, NRM_HELD_FILE))
		return examine_held_return(h, dir);
	/* A return's extract is judged with its return, never alone. */
	bool a_return = has_file(dir, "return.json") && has_file(dir, "cases.csv");
	if (a_return && examine_return(h, dir) != 0)
		return -1;
	size_t n;
	char **names = folder_entries(dir, a_return ? "cases.csv" : NULL, &n);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && lstat(names[i], &st) == 0) {
			if (S_ISREG(st.st_mode))
				rc = examine_file(h, names[i]);
			else if (S_ISDIR(st.st_mode) && depth == 0)
				rc = examine_folder(h, names[i], 1);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- the same quarter's published outputs ------------------------------ */

/* A bundle of a quarter whose return counted an erased case, without an
 * extract of its own (the published audience): built from the same cases,
 * so its figures counted the case too, and it goes the same way. */
static int published_bundle(struct held *h, const char *path)
{
	char *key = bundle_quarter(path);
	bool touched = quarter_touched(h, key);
	free(key);
	if (!touched || seen(h, path))
		return 0;
	char *text;
	size_t len;
	bundle_extract(path, &text, &len);
	bool has_extract = text != NULL;
	free(text);
	if (has_extract)
		return 0; /* an extract without the case: another run's, kept */
	char *sig = nrm_xasprintf("%s%s", path, SIG_SUFFIX);
	struct stat st;
	int rc = lstat(sig, &st) == 0 ? remove_file(h, sig) : 0;
	if (rc == 0)
		rc = remove_file(h, path);
	free(sig);
	return rc;
}

/* A published return folder (return.json, no extract) of such a quarter. */
static int published_return(struct held *h, const char *dir)
{
	char *key;
	json_t *names = return_file_names(dir, &key);
	json_decref(names);
	bool touched = quarter_touched(h, key);
	free(key);
	return touched && !seen(h, dir) ? remove_return(h, dir) : 0;
}

static int published_folder(struct held *h, const char *dir, int depth)
{
	if (has_file(dir, NRM_HELD_FILE))
		return 0; /* judged whole, above */
	if (has_file(dir, "return.json") && !has_file(dir, "cases.csv") &&
	    published_return(h, dir) != 0)
		return -1;
	size_t n;
	char **names = folder_entries(dir, NULL, &n);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && lstat(names[i], &st) == 0) {
			if (S_ISREG(st.st_mode) && ends_with(names[i], ".tar.gz"))
				rc = published_bundle(h, names[i]);
			else if (S_ISDIR(st.st_mode) && depth == 0)
				rc = published_folder(h, names[i], 1);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int examine_place(struct held *h, const char *place, bool published)
{
	struct stat st;
	if (lstat(place, &st) != 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return published ? published_folder(h, place, 0) : examine_folder(h, place, 0);
	if (!S_ISREG(st.st_mode))
		return 0;
	return published ? (ends_with(place, ".tar.gz") ? published_bundle(h, place) : 0)
	                 : examine_file(h, place);
}

int nrm_erase_held(const char *const *places, size_t n_places, struct store_erase_item *items,
                   size_t n, bool dry_run, json_t *changed, json_t *discard,
                   struct nrm_error *err)
{
	struct held h = {.items = items, .n = n, .dry_run = dry_run, .changed = changed,
	                 .discard = discard, .quarters = json_array(), .err = err};
	int rc = 0;
	/* The extracts first; then what the quarters they were of published. */
	for (size_t i = 0; rc == 0 && i < n_places; i++)
		rc = examine_place(&h, places[i], false);
	for (size_t i = 0; rc == 0 && json_array_size(h.quarters) && i < n_places; i++)
		rc = examine_place(&h, places[i], true);
	json_decref(h.quarters);
	return rc ? -1 : 0;
}
