/*
 * BagIt bags: the payload taken from a folder, the tag files written, and
 * the tag files of a received bag read back.  Digests are SHA-512 from
 * libsodium (crypto_hash_sha512), computed by the packer and the verifier
 * as the bytes stream past.
 */
#include "bagit.h"

#include "bundle.h"
#include "util.h"

#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#define MANIFEST_LINES_MAX 10000

static bool safe_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '+';
}

const char *nrm_bag_path_problem(const char *path, size_t len)
{
	if (len == 0)
		return "empty path";
	if (path[0] == '/')
		return "absolute path";
	if (memchr(path, '\\', len))
		return "backslash in the path";
	if (len > NRM_BAG_PATH_MAX)
		return "path longer than 255 bytes";
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		size_t n = i - start;
		const char *c = path + start;
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return "'..' in the path (path traversal)";
		if (n == 0)
			return "empty component ('//') in the path";
		if (c[0] == '.')
			return "a component starting with '.' (hidden file, or '.')";
		if (n > NRM_BAG_NAME_MAX)
			return "a component longer than 100 bytes";
		start = i + 1;
	}
	for (size_t i = 0; i < len; i++)
		if (path[i] != '/' && !safe_char(path[i]))
			return "a character outside A-Z a-z 0-9 . _ + - in the path";
	return NULL;
}

/* ---- the payload, from disk ------------------------------------------------ */

static void add_file(struct nrm_bag_payload *p, char *path, char *source, uint64_t size,
                     bool is_dir)
{
	if (p->count % 64 == 0)
		p->files = nrm_xrealloc(p->files, (p->count + 64) * sizeof(*p->files));
	struct nrm_bag_file *f = &p->files[p->count++];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->source = source;
	f->size = size;
	f->is_dir = is_dir;
}

static int collect_dir(const char *dir, const char *bag_path, int depth,
                       struct nrm_bag_payload *p, struct nrm_error *err);

static int collect_entry(const char *dir, const char *bag_path, const char *name, int depth,
                         struct nrm_bag_payload *p, struct nrm_error *err)
{
	char *source = nrm_xasprintf("%s/%s", dir, name);
	char *path = nrm_xasprintf("%s%s", bag_path, name);
	const char *problem = nrm_bag_path_problem(path, strlen(path));
	struct stat st;
	int rc = 0;
	if (!problem && strlen(bag_path) > NRM_BAG_FOLDER_PATH_MAX)
		problem = "its folders' path is longer than 100 bytes";
	if (problem)
		rc = nrm_fail(err, EX_DATAERR, "%s: cannot go in a bag: %s", source, problem);
	else if (lstat(source, &st) != 0)
		rc = nrm_fail(err, EX_NOINPUT, "cannot read %s: %s", source, strerror(errno));
	else if (S_ISREG(st.st_mode)) {
		add_file(p, path, source, (uint64_t)st.st_size, false);
		p->octets += (uint64_t)st.st_size;
		p->streams++;
		return 0;
	} else if (S_ISDIR(st.st_mode)) {
		char *dir_path = nrm_xasprintf("%s/", path);
		add_file(p, dir_path, nrm_xstrdup(source), 0, true);
		rc = collect_dir(source, dir_path, depth + 1, p, err);
	} else
		rc = nrm_fail(err, EX_DATAERR, "%s: only regular files and folders go in a bag "
		              "(not symlinks, devices or sockets)", source);
	free(source);
	free(path);
	return rc;
}

static int collect_dir(const char *dir, const char *bag_path, int depth,
                       struct nrm_bag_payload *p, struct nrm_error *err)
{
	if (depth > NRM_BAG_DEPTH_MAX)
		return nrm_fail(err, EX_DATAERR, "%s: folders nested more than %d deep",
		                dir, NRM_BAG_DEPTH_MAX);
	DIR *d = opendir(dir);
	if (!d)
		return nrm_fail(err, EX_NOINPUT, "cannot read the folder %s: %s", dir,
		                strerror(errno));
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (p->count >= NRM_BAG_PAYLOAD_MAX)
			rc = nrm_fail(err, EX_DATAERR, "%s: more than %d payload files and folders", dir,
			              NRM_BAG_PAYLOAD_MAX);
		else
			rc = collect_entry(dir, bag_path, e->d_name, depth, p, err);
	}
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct nrm_bag_file *)a)->path,
	              ((const struct nrm_bag_file *)b)->path);
}

int nrm_bag_payload_collect(const char *dir, struct nrm_bag_payload *p, struct nrm_error *err)
{
	memset(p, 0, sizeof(*p));
	if (collect_dir(dir, "data/", 1, p, err)) {
		nrm_bag_payload_free(p);
		return -1;
	}
	if (p->streams == 0) {
		nrm_bag_payload_free(p);
		return nrm_fail(err, EX_DATAERR, "%s: no files to bundle", dir);
	}
	qsort(p->files, p->count, sizeof(*p->files), by_path);
	return 0;
}

void nrm_bag_payload_free(struct nrm_bag_payload *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->files[i].path);
		free(p->files[i].source);
	}
	free(p->files);
	memset(p, 0, sizeof(*p));
}

/* ---- tag files, written ---------------------------------------------------- */

static void add_line(char **text, const char *label, const char *value)
{
	if (!value)
		return;
	char *old = *text;
	*text = nrm_xasprintf("%s%s: %s\n", old, label, value);
	free(old);
}

char *nrm_bag_info_format(const char *organization, const char *bag, const char *date,
                          uint64_t octets, uint64_t streams,
                          const struct nrm_bag_extra *extra)
{
	char *text = nrm_xasprintf("Source-Organization: %s\n"
	                           "External-Identifier: %s\n"
	                           "Bagging-Date: %s\n"
	                           "Payload-Oxum: %llu.%llu\n",
	                           organization, bag, date, (unsigned long long)octets,
	                           (unsigned long long)streams);
	if (!extra)
		return text;
	add_line(&text, "Audience", extra->audience);
	add_line(&text, "Data-As-At", extra->data_as_at);
	add_line(&text, "Approved-By", extra->approved_by);
	add_line(&text, "Approved-At", extra->approved_at);
	add_line(&text, "Approval-Note", extra->approval_note);
	for (size_t i = 0; i < extra->n_forced; i++)
		add_line(&text, "Forced", extra->forced[i]);
	return text;
}

char *nrm_bag_manifest_format(const struct nrm_bag_payload *p)
{
	/* Two spaces, as sha512sum writes: `sha512sum -c` can check a bag. */
	size_t cap = 1, len = 0;
	for (size_t i = 0; i < p->count; i++)
		cap += 128 + 2 + strlen(p->files[i].path) + 1;
	char *text = nrm_xmalloc(cap);
	for (size_t i = 0; i < p->count; i++) {
		if (p->files[i].is_dir)
			continue;
		nrm_bundle_hex(p->files[i].sha512, NRM_BAG_SHA512_BYTES, text + len);
		len += 128;
		len += (size_t)sprintf(text + len, "  %s\n", p->files[i].path);
	}
	text[len] = '\0';
	return text;
}

/* ---- tag files, read ------------------------------------------------------- */

/* Calls `fn` on each line of `text` (without its LF); refuses CR and NUL. */
static int each_line(const char *text, size_t len, const char *name,
                     int (*fn)(const char *line, size_t n, size_t lineno, void *ctx),
                     void *ctx, struct nrm_error *err)
{
	if (memchr(text, '\0', len))
		return nrm_fail(err, EX_DATAERR, "%s: contains a NUL byte", name);
	if (len > 0 && text[len - 1] != '\n')
		return nrm_fail(err, EX_DATAERR, "%s: the last line has no line end", name);
	size_t pos = 0, lineno = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = (size_t)(nl - (text + pos));
		lineno++;
		if (n > 0 && text[pos + n - 1] == '\r')
			return nrm_fail(err, EX_DATAERR, "%s:%zu: CR line end; tag files use LF", name,
			                lineno);
		if (fn(text + pos, n, lineno, ctx) != 0)
			return -1;
		pos += n + 1;
	}
	return 0;
}

struct manifest_ctx {
	struct nrm_manifest *m;
	const char *name;
	struct nrm_error *err;
};

static int manifest_line(const char *line, size_t n, size_t lineno, void *vctx)
{
	struct manifest_ctx *c = vctx;
	uint8_t digest[NRM_BAG_SHA512_BYTES];
	if (n < 130 || !nrm_bundle_unhex(line, 128, digest, sizeof(digest)) ||
	    (line[128] != ' ' && line[128] != '\t'))
		return nrm_fail(c->err, EX_DATAERR, "%s:%zu: expected 128 lower-case hex digits "
		                "(SHA-512), whitespace and a path", c->name, lineno);
	size_t start = 128;
	while (start < n && (line[start] == ' ' || line[start] == '\t'))
		start++;
	const char *problem = nrm_bag_path_problem(line + start, n - start);
	if (problem)
		return nrm_fail(c->err, EX_DATAERR, "%s:%zu: %s", c->name, lineno, problem);
	for (size_t i = 0; i < c->m->count; i++)
		if (strlen(c->m->lines[i].path) == n - start &&
		    memcmp(c->m->lines[i].path, line + start, n - start) == 0)
			return nrm_fail(c->err, EX_DATAERR, "%s:%zu: the same path as line %zu",
			                c->name, lineno, c->m->lines[i].line);
	if (c->m->count >= MANIFEST_LINES_MAX)
		return nrm_fail(c->err, EX_DATAERR, "%s:%zu: more than %d lines", c->name, lineno,
		                MANIFEST_LINES_MAX);
	if (c->m->count % 64 == 0)
		c->m->lines = nrm_xrealloc(c->m->lines, (c->m->count + 64) * sizeof(*c->m->lines));
	struct nrm_manifest_line *l = &c->m->lines[c->m->count++];
	l->path = nrm_xmalloc(n - start + 1);
	memcpy(l->path, line + start, n - start);
	l->path[n - start] = '\0';
	memcpy(l->sha512, digest, sizeof(digest));
	l->line = lineno;
	return 0;
}

int nrm_manifest_parse(const char *text, size_t len, const char *name,
                       struct nrm_manifest *m, struct nrm_error *err)
{
	memset(m, 0, sizeof(*m));
	struct manifest_ctx c = {m, name, err};
	if (each_line(text, len, name, manifest_line, &c, err)) {
		nrm_manifest_free(m);
		return -1;
	}
	return 0;
}

void nrm_manifest_free(struct nrm_manifest *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->lines[i].path);
	free(m->lines);
	memset(m, 0, sizeof(*m));
}

struct info_ctx {
	struct nrm_bag_info *info;
	char **last; /* the field a continuation line extends, or NULL */
	struct nrm_error *err;
};

static char **info_slot(struct nrm_bag_info *info, const char *label, size_t n)
{
	static const struct {
		const char *label;
		size_t offset;
	} known[] = {
		{"Source-Organization", offsetof(struct nrm_bag_info, source_organization)},
		{"External-Identifier", offsetof(struct nrm_bag_info, external_identifier)},
		{"Bagging-Date", offsetof(struct nrm_bag_info, bagging_date)},
		{"Payload-Oxum", offsetof(struct nrm_bag_info, payload_oxum)},
		{"Audience", offsetof(struct nrm_bag_info, audience)},
		{"Approved-By", offsetof(struct nrm_bag_info, approved_by)},
		{"Approved-At", offsetof(struct nrm_bag_info, approved_at)},
		{"Approval-Note", offsetof(struct nrm_bag_info, approval_note)},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].label) == n && memcmp(known[i].label, label, n) == 0)
			return (char **)((char *)info + known[i].offset);
	return NULL;
}

static int info_line(const char *line, size_t n, size_t lineno, void *vctx)
{
	struct info_ctx *c = vctx;
	if (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
		if (lineno == 1)
			return nrm_fail(c->err, EX_DATAERR, "bag-info.txt:1: starts with a "
			                "continuation line");
		if (c->last) { /* RFC 8493: folded lines join with the whitespace kept */
			char *old = *c->last;
			*c->last = nrm_xasprintf("%s%.*s", old, (int)n, line);
			free(old);
		}
		return 0;
	}
	const char *colon = memchr(line, ':', n);
	if (!colon || colon == line || colon + 1 >= line + n || colon[1] != ' ')
		return nrm_fail(c->err, EX_DATAERR, "bag-info.txt:%zu: expected 'Label: value'",
		                lineno);
	size_t vlen = n - (size_t)(colon + 2 - line);
	if ((size_t)(colon - line) == 6 && memcmp(line, "Forced", 6) == 0) {
		/* The one label that may come again: a line per rule forced. */
		struct nrm_bag_info *info = c->info;
		info->forced = nrm_xrealloc(info->forced, (info->n_forced + 1) * sizeof(char *));
		info->forced[info->n_forced] = nrm_xmalloc(vlen + 1);
		memcpy(info->forced[info->n_forced], colon + 2, vlen);
		info->forced[info->n_forced][vlen] = '\0';
		c->last = &info->forced[info->n_forced++];
		return 0;
	}
	char **slot = info_slot(c->info, line, (size_t)(colon - line));
	c->last = slot;
	if (!slot)
		return 0;
	if (*slot)
		return nrm_fail(c->err, EX_DATAERR, "bag-info.txt:%zu: %.*s given twice", lineno,
		                (int)(colon - line), line);
	*slot = nrm_xmalloc(vlen + 1);
	memcpy(*slot, colon + 2, vlen);
	(*slot)[vlen] = '\0';
	return 0;
}

int nrm_bag_info_parse(const char *text, size_t len, struct nrm_bag_info *info,
                       struct nrm_error *err)
{
	memset(info, 0, sizeof(*info));
	struct info_ctx c = {info, NULL, err};
	if (each_line(text, len, "bag-info.txt", info_line, &c, err)) {
		nrm_bag_info_free(info);
		return -1;
	}
	return 0;
}

void nrm_bag_info_free(struct nrm_bag_info *info)
{
	free(info->source_organization);
	free(info->external_identifier);
	free(info->bagging_date);
	free(info->payload_oxum);
	free(info->audience);
	free(info->approved_by);
	free(info->approved_at);
	free(info->approval_note);
	for (size_t i = 0; i < info->n_forced; i++)
		free(info->forced[i]);
	free(info->forced);
	memset(info, 0, sizeof(*info));
}
