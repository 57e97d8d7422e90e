/*
 * Extract rows of erased cases in the files a site still holds
 * (erase_held.h).
 */
#include "erase_held.h"

#include "atomic_file.h"
#include "bundle_peek.h"
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

struct held {
	struct store_erase_item *items;
	size_t n;
	bool dry_run;
	json_t *changed;
	struct nrm_error *err;
};

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

/* A folder's bundles and extracts, and those of the return folders in it. */
static int examine_folder(struct held *h, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			names = nrm_xrealloc(names, (n + 1) * sizeof(char *));
			names[n++] = nrm_xasprintf("%s/%s", dir, e->d_name);
		}
	closedir(d);
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

int nrm_erase_held(const char *const *places, size_t n_places, struct store_erase_item *items,
                   size_t n, bool dry_run, json_t *changed, struct nrm_error *err)
{
	struct held h = {.items = items, .n = n, .dry_run = dry_run, .changed = changed,
	                 .err = err};
	for (size_t i = 0; i < n_places; i++) {
		struct stat st;
		if (lstat(places[i], &st) != 0)
			continue;
		int rc = S_ISDIR(st.st_mode) ? examine_folder(&h, places[i], 0)
		       : S_ISREG(st.st_mode) ? examine_file(&h, places[i]) : 0;
		if (rc != 0)
			return -1;
	}
	return 0;
}
