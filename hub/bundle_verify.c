/*
 * `bundle verify`: the five steps of bundle_verify.h.  The archive is
 * mapped into memory, hashed for the signature, and read from that memory
 * with libarchive limited to the gzip filter and the tar formats; every
 * entry is judged from its header before a byte of it is inflated.
 */
#include "bundle_verify.h"
#include "../plugins/common/json_syntax.h"

#include "bagit.h"
#include "date.h"
#include "gzip_member.h"
#include "json_schema.h"
#include "minisign.h"
#include "return_payload.h"
#include "return_schema.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

const struct nrm_verify_limits nrm_verify_default_limits = {
	.max_archive_bytes = 2ULL << 30,
	.max_entries = 10000,
	.max_file_bytes = 1ULL << 30,
	.max_total_bytes = 2ULL << 30,
	.max_ratio = 200,
	.ratio_floor_bytes = 16ULL << 20,
	.max_tag_file_bytes = 16ULL << 20,
	.max_return_bytes = 64ULL << 20,
};

#define SIGNATURE_FILE_MAX 16384
#define READ_BLOCK (256 * 1024)

/* One archive entry, its path relative to the bag's top ("data/x.csv",
 * folders ending in "/"). */
struct entry {
	char *path;
	uint64_t size;
	bool is_dir;
	uint8_t sha512[NRM_BAG_SHA512_BYTES];
	char *content; /* kept for tag files and data/return.json only */
	bool listed;   /* named by a manifest */
};

struct verify {
	const char *archive; /* its path, for messages */
	const struct nrm_key_source *keys;
	const struct nrm_verify_limits *lim;
	struct nrm_verify_result *res;
	struct nrm_error *err;
	uint8_t *map;
	size_t map_len;
	struct entry *entries;
	size_t count;
	char *organization; /* bag-info.txt's Source-Organization, checked in step 5 */
};

/* An untrusted name made safe to print: non-printing bytes as \xNN, cut
 * at 80 bytes. */
static void printable(const char *s, char out[400])
{
	size_t o = 0;
	for (size_t i = 0; s[i] && i < 80; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)sprintf(out + o, "\\x%02x", c);
	}
	if (strlen(s) > 80)
		o += (size_t)sprintf(out + o, "...");
	out[o] = '\0';
}

/* ---- step 1: the signature ------------------------------------------------ */

static int map_archive(struct verify *v)
{
	int fd = open(v->archive, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nrm_fail(v->err, EX_NOINPUT, "cannot read %s: %s", v->archive,
		                strerror(errno));
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = nrm_fail(v->err, EX_NOINPUT, "cannot read %s: not a regular file", v->archive);
	else if (st.st_size == 0)
		rc = nrm_fail(v->err, EX_DATAERR, "%s: empty file, not a bundle", v->archive);
	else if ((uint64_t)st.st_size > v->lim->max_archive_bytes)
		rc = nrm_fail(v->err, EX_DATAERR, "%s: larger than the limit of %llu bytes",
		              v->archive, (unsigned long long)v->lim->max_archive_bytes);
	if (rc == 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED)
			rc = nrm_fail(v->err, EX_IOERR, "cannot read %s: %s", v->archive,
			              strerror(errno));
		else {
			v->map = m;
			v->map_len = (size_t)st.st_size;
		}
	}
	close(fd);
	return rc;
}

/* Which site's key has this id, for a message that says whose key signed. */
static char *site_of_key(void *ctx, const uint8_t keynum[NRM_MS_KEYNUM_BYTES])
{
	const char *keys_dir = ctx;
	DIR *d = opendir(keys_dir);
	if (!d)
		return NULL;
	char *found = NULL;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".pub") != 0 || n - 4 > NRM_BUNDLE_SITE_MAX)
			continue;
		char site[NRM_BUNDLE_SITE_MAX + 1];
		memcpy(site, e->d_name, n - 4);
		site[n - 4] = '\0';
		char *path = nrm_xasprintf("%s/%s", keys_dir, e->d_name);
		struct nrm_ms_pubkey pub;
		if (nrm_bundle_site_valid(site) && nrm_ms_pubkey_load(path, &pub, NULL) == 0 &&
		    memcmp(pub.keynum, keynum, NRM_MS_KEYNUM_BYTES) == 0)
			found = nrm_xstrdup(site);
		free(path);
	}
	closedir(d);
	return found;
}

static int wrong_key(struct verify *v, const char *site, const struct nrm_ms_signature *sig,
                     const struct nrm_ms_pubkey *pub)
{
	char got[17], want[17];
	nrm_ms_keyid(sig->keynum, got);
	nrm_ms_keyid(pub->keynum, want);
	char *owner = v->keys->owner ? v->keys->owner(v->keys->ctx, sig->keynum) : NULL;
	if (owner)
		nrm_fail(v->err, EX_NOPERM, "%s: signed with the key of site %s (key ID %s), not with "
		         "the key registered for site %s (key ID %s)", v->archive, owner, got, site,
		         want);
	else
		nrm_fail(v->err, EX_NOPERM, "%s: signed with an unknown key (key ID %s); the key "
		         "registered for site %s is key ID %s", v->archive, got, site, want);
	free(owner);
	return -1;
}

static int check_signature(struct verify *v, const char *sig_path, struct nrm_ms_signature *sig)
{
	char *text;
	size_t len;
	struct nrm_error e;
	if (nrm_ms_read_file(sig_path, SIGNATURE_FILE_MAX, &text, &len, &e))
		return nrm_fail(v->err, EX_NOPERM, "%s: no usable signature: %s", v->archive, e.msg);
	int rc = nrm_ms_signature_parse(text, len, sig_path, sig, v->err);
	free(text);
	if (rc)
		return -1;
	char site[NRM_BUNDLE_SITE_MAX + 1];
	if (!nrm_bundle_comment_site(sig->trusted_comment, sig->trusted_comment_len, site))
		return nrm_fail(v->err, EX_NOPERM, "%s:3: the trusted comment does not start with a "
		                "valid site=, so no key can be chosen to check it", sig_path);
	struct nrm_ms_pubkey pub;
	/* The source's own code: a store that is busy is not a bad bundle. */
	if (v->keys->lookup(v->keys->ctx, site, &pub, &e))
		return nrm_fail(v->err, e.code ? e.code : EX_NOPERM, "%s", e.msg);
	if (memcmp(sig->keynum, pub.keynum, NRM_MS_KEYNUM_BYTES) != 0)
		return wrong_key(v, site, sig, &pub);
	uint8_t hash[NRM_MS_HASH_BYTES];
	nrm_ms_hash(v->map, v->map_len, hash);
	if (nrm_ms_verify(sig, &pub, hash, sig_path, v->err))
		return -1;
	nrm_ms_keyid(pub.keynum, v->res->key_id);
	return 0;
}

/* A folder of SITE.pub files. */
static int dir_key_lookup(void *ctx, const char *site, struct nrm_ms_pubkey *pub,
                          struct nrm_error *err)
{
	char *key_path = nrm_xasprintf("%s/%s.pub", (const char *)ctx, site);
	struct nrm_error e;
	int rc = nrm_ms_pubkey_load(key_path, pub, &e);
	if (rc)
		nrm_fail(err, EX_NOPERM, "no key registered for site %s: %s", site, e.msg);
	free(key_path);
	return rc ? -1 : 0;
}

/* ---- step 2: the trusted comment ------------------------------------------ */

static int check_comment(struct verify *v, const struct nrm_ms_signature *sig)
{
	struct nrm_error e;
	if (nrm_bundle_comment_parse(sig->trusted_comment, sig->trusted_comment_len, &v->res->id,
	                             &e))
		return nrm_fail(v->err, EX_DATAERR, "%s: %s", v->archive, e.msg);
	const char *base = strrchr(v->archive, '/');
	base = base ? base + 1 : v->archive;
	char *want = nrm_xasprintf("%s.tar.gz", v->res->id.bag);
	int rc = 0;
	if (strcmp(base, want) != 0)
		rc = nrm_fail(v->err, EX_DATAERR, "%s: the trusted comment names the bag %s, so the "
		              "archive must be called %s", v->archive, v->res->id.bag, want);
	free(want);
	return rc;
}

/* ---- step 3: the archive --------------------------------------------------- */

static int entry_fail(struct verify *v, const char *path, const char *what)
{
	char safe[400];
	printable(path, safe);
	return nrm_fail(v->err, EX_DATAERR, "%s: entry '%s': %s", v->archive, safe, what);
}

static const char *entry_type_problem(struct archive_entry *ae)
{
	if (archive_entry_hardlink(ae))
		return "a hard link; a bundle holds regular files only";
	switch (archive_entry_filetype(ae)) {
	case AE_IFREG: break;
	case AE_IFDIR: return NULL;
	case AE_IFLNK: return "a symbolic link; a bundle holds regular files only";
	case AE_IFCHR:
	case AE_IFBLK: return "a device file; a bundle holds regular files only";
	case AE_IFIFO:
	case AE_IFSOCK: return "a FIFO or socket; a bundle holds regular files only";
	default: return "of an unknown type; a bundle holds regular files only";
	}
	if (archive_entry_symlink(ae))
		return "a symbolic link; a bundle holds regular files only";
	if (archive_entry_sparse_count(ae) > 0)
		return "a sparse file; a bundle holds plain regular files only";
	return NULL;
}

/* Judges an entry from its header alone: name, type, declared size. */
static int check_header(struct verify *v, struct archive_entry *ae, uint64_t *declared_total,
                        struct entry *out)
{
	const char *path = archive_entry_pathname(ae);
	if (!path || !*path)
		return nrm_fail(v->err, EX_DATAERR, "%s: an entry has no name", v->archive);
	bool is_dir = archive_entry_filetype(ae) == AE_IFDIR && !archive_entry_hardlink(ae);
	size_t len = strlen(path);
	size_t check_len = is_dir && len > 1 && path[len - 1] == '/' ? len - 1 : len;
	const char *problem = nrm_bag_path_problem(path, check_len);
	if (problem)
		return entry_fail(v, path, problem);
	size_t blen = strlen(v->res->id.bag);
	if (len <= blen || strncmp(path, v->res->id.bag, blen) != 0 || path[blen] != '/') {
		char *what = nrm_xasprintf("not inside the bag's folder %s/", v->res->id.bag);
		entry_fail(v, path, what);
		free(what);
		return -1;
	}
	problem = entry_type_problem(ae);
	if (problem)
		return entry_fail(v, path, problem);
	if (!archive_entry_size_is_set(ae) || archive_entry_size(ae) < 0)
		return entry_fail(v, path, "no size in its header");
	uint64_t size = (uint64_t)archive_entry_size(ae);
	char limit[64];
	if (is_dir && size != 0)
		return entry_fail(v, path, "a folder with data");
	if (size > v->lim->max_file_bytes) {
		snprintf(limit, sizeof(limit), "%llu", (unsigned long long)v->lim->max_file_bytes);
		char *what = nrm_xasprintf("claims %llu bytes, over the limit of %s bytes for one file",
		                           (unsigned long long)size, limit);
		entry_fail(v, path, what);
		free(what);
		return -1;
	}
	*declared_total += size;
	if (*declared_total > v->lim->max_total_bytes)
		return nrm_fail(v->err, EX_DATAERR, "%s: the entries claim more than the limit of %llu "
		                "bytes in all", v->archive, (unsigned long long)v->lim->max_total_bytes);
	out->path = nrm_xstrdup(path + blen + 1);
	out->size = size;
	out->is_dir = is_dir;
	return 0;
}

/* Tag files and the return's files are kept whole; anything deeper only
 * hashed (it is refused, but named first). */
static bool keep_content(const struct entry *e, const struct nrm_verify_limits *lim,
                         uint64_t *max)
{
	if (e->is_dir)
		return false;
	/* Every payload file at the top of data/: the return's file set is
	 * judged by its contents too (return_payload.h). */
	if (strncmp(e->path, "data/", 5) == 0 && !strchr(e->path + 5, '/')) {
		*max = lim->max_return_bytes;
		return true;
	}
	*max = lim->max_tag_file_bytes;
	return strchr(e->path, '/') == NULL;
}

static int archive_broken(struct verify *v, struct archive *a)
{
	const char *why = archive_error_string(a);
	return nrm_fail(v->err, EX_DATAERR, "%s: the archive is truncated or corrupt: %s",
	                v->archive, why ? why : "read error");
}

static int check_ratio(struct verify *v, struct archive *a, uint64_t inflated)
{
	uint64_t total = (uint64_t)archive_filter_bytes(a, 0);
	if (total < inflated)
		total = inflated;
	if (total > v->lim->ratio_floor_bytes && total / v->map_len >= v->lim->max_ratio)
		return nrm_fail(v->err, EX_DATAERR, "%s: inflates more than %llu times its size (a "
		                "gzip bomb?): refused", v->archive,
		                (unsigned long long)v->lim->max_ratio);
	if (total > v->lim->max_total_bytes + v->lim->max_entries * 1024)
		return nrm_fail(v->err, EX_DATAERR, "%s: inflates to more than the limit of %llu bytes",
		                v->archive, (unsigned long long)v->lim->max_total_bytes);
	return 0;
}

static int read_entry_data(struct verify *v, struct archive *a, struct entry *e,
                           uint64_t *inflated, char *buf)
{
	uint64_t max = 0;
	bool keep = keep_content(e, v->lim, &max);
	if (keep && e->size > max) {
		char what[160];
		snprintf(what, sizeof(what), "larger than the limit of %llu bytes for a file read "
		         "whole (tag files, the return's files)", (unsigned long long)max);
		return entry_fail(v, e->path, what);
	}
	if (keep)
		e->content = nrm_xmalloc((size_t)e->size + 1);
	crypto_hash_sha512_state sha;
	crypto_hash_sha512_init(&sha);
	uint64_t got = 0;
	for (;;) {
		la_ssize_t n = archive_read_data(a, buf, READ_BLOCK);
		if (n < 0)
			return archive_broken(v, a);
		if (n == 0)
			break;
		if (got + (uint64_t)n > e->size)
			return entry_fail(v, e->path, "more data than its header says");
		crypto_hash_sha512_update(&sha, (unsigned char *)buf, (size_t)n);
		if (keep)
			memcpy(e->content + got, buf, (size_t)n);
		got += (uint64_t)n;
		*inflated += (uint64_t)n;
		if (check_ratio(v, a, *inflated))
			return -1;
	}
	if (got != e->size)
		return archive_broken(v, a);
	if (keep)
		e->content[got] = '\0';
	crypto_hash_sha512_final(&sha, e->sha512);
	return 0;
}

static struct archive *new_reader(void)
{
	struct archive *a = archive_read_new();
	if (a && (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	          archive_read_support_format_tar(a) != ARCHIVE_OK)) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static int read_entries(struct verify *v, struct archive *a, char *buf)
{
	uint64_t declared = 0, inflated = 0;
	for (;;) {
		struct archive_entry *ae;
		int r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK)
			return archive_broken(v, a);
		if (archive_filter_count(a) != 2 || archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP)
			return nrm_fail(v->err, EX_DATAERR, "%s: not a gzip-compressed tar archive",
			                v->archive);
		if (v->count >= v->lim->max_entries)
			return nrm_fail(v->err, EX_DATAERR, "%s: more than the limit of %llu entries",
			                v->archive, (unsigned long long)v->lim->max_entries);
		if (v->count % 64 == 0)
			v->entries = nrm_xrealloc(v->entries, (v->count + 64) * sizeof(*v->entries));
		struct entry *e = &v->entries[v->count];
		memset(e, 0, sizeof(*e));
		if (check_header(v, ae, &declared, e))
			return -1;
		v->count++;
		if (read_entry_data(v, a, e, &inflated, buf))
			return -1;
	}
	if (v->count == 0)
		return nrm_fail(v->err, EX_DATAERR, "%s: the archive holds no entries", v->archive);
	return 0;
}

static int by_entry_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* The archive is one gzip member and nothing after it: libarchive reads a
 * second member as more of the same stream, and stops at the tar's end, so
 * neither would be seen by the checks above.  The bound on inflating is the
 * one the entries were held to. */
static int check_single_member(struct verify *v)
{
	uint64_t max = v->lim->max_total_bytes + v->lim->max_entries * 1024;
	uint64_t by_ratio = (uint64_t)v->map_len * v->lim->max_ratio;
	if (by_ratio < v->lim->ratio_floor_bytes)
		by_ratio = v->lim->ratio_floor_bytes;
	if (by_ratio < max)
		max = by_ratio;
	size_t end = 0;
	switch (nrm_gzip_first_member(v->map, v->map_len, max, &end)) {
	case NRM_GZIP_ONE_MEMBER:
		return 0;
	case NRM_GZIP_SECOND:
		return nrm_fail(v->err, EX_DATAERR, "%s: offset %zu: a second gzip member after the "
		                "first (one member only)", v->archive, end);
	case NRM_GZIP_TRAILING:
		return nrm_fail(v->err, EX_DATAERR, "%s: offset %zu: %zu bytes after the end of the "
		                "gzip member (nothing may follow it)", v->archive, end,
		                v->map_len - end);
	case NRM_GZIP_TOO_BIG:
		return nrm_fail(v->err, EX_DATAERR, "%s: inflates to more than the limit of %llu "
		                "bytes", v->archive, (unsigned long long)max);
	case NRM_GZIP_BROKEN:
		break;
	}
	return nrm_fail(v->err, EX_DATAERR, "%s: the archive is truncated or corrupt: the gzip "
	                "member does not end", v->archive);
}

static int check_archive(struct verify *v)
{
	struct archive *a = new_reader();
	if (!a)
		return nrm_fail(v->err, EX_SOFTWARE, "libarchive cannot read gzip-compressed tar");
	char *buf = nrm_xmalloc(READ_BLOCK);
	int rc;
	if (archive_read_open_memory(a, v->map, v->map_len) != ARCHIVE_OK)
		rc = archive_broken(v, a);
	else
		rc = read_entries(v, a, buf);
	if (rc == 0)
		rc = check_single_member(v);
	free(buf);
	archive_read_free(a);
	if (rc)
		return -1;
	qsort(v->entries, v->count, sizeof(*v->entries), by_entry_path);
	for (size_t i = 1; i < v->count; i++)
		if (strcmp(v->entries[i - 1].path, v->entries[i].path) == 0) {
			char *full = nrm_xasprintf("%s/%s", v->res->id.bag, v->entries[i].path);
			entry_fail(v, full, "appears twice (duplicate entry)");
			free(full);
			return -1;
		}
	return 0;
}

/* ---- step 4: the bag ------------------------------------------------------- */

static int path_vs_entry(const void *key, const void *elem)
{
	return strcmp(key, ((const struct entry *)elem)->path);
}

static struct entry *find_entry(struct verify *v, const char *path)
{
	return bsearch(path, v->entries, v->count, sizeof(*v->entries), path_vs_entry);
}

/* A fault of the bag.  Every path it can name has passed
 * nrm_bag_path_problem, so it is safe to print as it is. */
static int bag_fail(struct verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bag_fail(struct verify *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	nrm_fail(v->err, EX_DATAERR, "%s: bag %s: %s", v->archive, v->res->id.bag,
	         msg ? msg : "invalid");
	free(msg);
	return -1;
}

static const char *const tag_files[] = {"bag-info.txt", "bagit.txt", "manifest-sha512.txt",
                                        "tagmanifest-sha512.txt"};

static int check_bag_layout(struct verify *v)
{
	for (size_t i = 0; i < 4; i++)
		if (!find_entry(v, tag_files[i]))
			return bag_fail(v, "%s is missing", tag_files[i]);
	for (size_t i = 0; i < v->count; i++) {
		const char *p = v->entries[i].path;
		if (v->entries[i].is_dir && !*p)
			continue; /* the bag's own folder */
		bool known = strncmp(p, "data/", 5) == 0;
		for (size_t t = 0; t < 4 && !known; t++)
			known = strcmp(p, tag_files[t]) == 0;
		if (!known)
			return bag_fail(v, "unexpected entry %s at the top of the bag (only data/ and "
			                "the four tag files belong there)", p);
	}
	if (strcmp(find_entry(v, "bagit.txt")->content, NRM_BAGIT_TXT) != 0)
		return bag_fail(v, "bagit.txt is not BagIt-Version 1.0 with UTF-8 tag files");
	return 0;
}

/* Every line of a manifest names an entry whose SHA-512 it gives. */
static int check_manifest(struct verify *v, const char *name, bool payload)
{
	struct entry *m = find_entry(v, name);
	struct nrm_manifest man;
	if (nrm_manifest_parse(m->content, (size_t)m->size, name, &man, v->err)) {
		char *msg = nrm_xstrdup(v->err->msg);
		nrm_fail(v->err, EX_DATAERR, "%s: bag %s: %s", v->archive, v->res->id.bag, msg);
		free(msg);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < man.count; i++) {
		const char *p = man.lines[i].path;
		struct entry *e = find_entry(v, p);
		char where[64];
		snprintf(where, sizeof(where), "%s:%zu", name, man.lines[i].line);
		if ((strncmp(p, "data/", 5) == 0) != payload || strcmp(p, name) == 0)
			rc = bag_fail(v, "%s lists %s, which does not belong in that manifest", where, p);
		else if (!e || e->is_dir)
			rc = bag_fail(v, "%s lists %s, which is not in the bag", where, p);
		else if (sodium_memcmp(e->sha512, man.lines[i].sha512, NRM_BAG_SHA512_BYTES) != 0)
			rc = bag_fail(v, "%s does not match the SHA-512 at %s (the file was altered)", p,
			              where);
		else
			e->listed = true;
	}
	nrm_manifest_free(&man);
	return rc;
}

static int check_listed(struct verify *v)
{
	for (size_t i = 0; i < v->count; i++) {
		const struct entry *e = &v->entries[i];
		if (e->is_dir || e->listed || strcmp(e->path, "tagmanifest-sha512.txt") == 0)
			continue;
		if (strncmp(e->path, "data/", 5) == 0)
			return bag_fail(v, "%s is not listed in manifest-sha512.txt", e->path);
		return bag_fail(v, "%s is not listed in tagmanifest-sha512.txt", e->path);
	}
	return 0;
}

static int check_bag_info(struct verify *v)
{
	struct entry *e = find_entry(v, "bag-info.txt");
	struct nrm_bag_info info;
	if (nrm_bag_info_parse(e->content, (size_t)e->size, &info, v->err)) {
		char *msg = nrm_xstrdup(v->err->msg);
		nrm_fail(v->err, EX_DATAERR, "%s: bag %s: %s", v->archive, v->res->id.bag, msg);
		free(msg);
		return -1;
	}
	uint64_t octets = 0, streams = 0;
	for (size_t i = 0; i < v->count; i++)
		if (!v->entries[i].is_dir && strncmp(v->entries[i].path, "data/", 5) == 0) {
			octets += v->entries[i].size;
			streams++;
		}
	char oxum[48];
	snprintf(oxum, sizeof(oxum), "%llu.%llu", (unsigned long long)octets,
	         (unsigned long long)streams);
	int32_t day;
	int rc = 0;
	if (!info.source_organization)
		rc = bag_fail(v, "bag-info.txt: Source-Organization is missing");
	else if (!info.external_identifier || strcmp(info.external_identifier, v->res->id.bag))
		rc = bag_fail(v, "bag-info.txt: External-Identifier is not the bag's name %s", v->res->id.bag);
	else if (!info.bagging_date ||
	         nrm_date_parse_iso(info.bagging_date, strlen(info.bagging_date), &day) != 0)
		rc = bag_fail(v, "bag-info.txt: Bagging-Date is missing or not a date "
		              "(YYYY-MM-DD)");
	else if (!info.payload_oxum || strcmp(info.payload_oxum, oxum) != 0)
		rc = bag_fail(v, "bag-info.txt: Payload-Oxum is missing or does not agree with the "
		              "payload (%s bytes.files)", oxum);
	else if (info.audience && strcmp(info.audience, "official") != 0 &&
	         strcmp(info.audience, "published") != 0)
		rc = bag_fail(v, "bag-info.txt: Audience is neither official nor published");
	else if (info.audience)
		snprintf(v->res->audience, sizeof(v->res->audience), "%s", info.audience);
	if (rc == 0)
		v->organization = nrm_xstrdup(info.source_organization);
	nrm_bag_info_free(&info);
	v->res->payload_files = streams;
	v->res->payload_bytes = octets;
	return rc;
}

static int check_bag(struct verify *v)
{
	if (check_bag_layout(v))
		return -1;
	struct entry *tm = find_entry(v, "tagmanifest-sha512.txt");
	if (sodium_memcmp(tm->sha512, v->res->id.tagmanifest_sha512, NRM_BAG_SHA512_BYTES) != 0)
		return bag_fail(v, "tagmanifest-sha512.txt is not the one the trusted comment "
		                "names");
	if (check_manifest(v, "tagmanifest-sha512.txt", false) ||
	    check_manifest(v, "manifest-sha512.txt", true) || check_listed(v))
		return -1;
	return check_bag_info(v);
}

/* ---- step 5: the return ---------------------------------------------------- */

/* bag-info.txt's Source-Organization names the site the return is for:
 * by the name its return records (site_name), or by its code (a return
 * without a name, or a bundle made before names were recorded). */
static int check_organization(struct verify *v, const json_t *ret)
{
	const char *name = json_string_value(json_object_get(ret, "site_name"));
	const char *org = v->organization;
	if (org && (strcmp(org, v->res->id.site) == 0 || (name && strcmp(org, name) == 0)))
		return 0;
	if (name)
		return bag_fail(v, "bag-info.txt: Source-Organization is neither the site %s nor "
		                "its name in data/return.json", v->res->id.site);
	return bag_fail(v, "bag-info.txt: Source-Organization is not the site %s",
	                v->res->id.site);
}

/* The return's contents.  INTEGRATION: the JSON Schema check of
 * schemas/return.schema.json goes here, before the checks below, once the
 * schema validator is merged. */
static int bundle_check_return(struct verify *v, json_t *ret)
{
	const char *name = "data/return.json";
	if (!json_is_object(ret))
		return nrm_fail(v->err, EX_DATAERR, "%s: %s: $: not a JSON object", v->archive, name);
	const char *schema = json_string_value(json_object_get(ret, "schema"));
	if (!schema || strcmp(schema, "nrmhub-return/1") != 0)
		return nrm_fail(v->err, EX_DATAERR, "%s: %s: $.schema: not \"nrmhub-return/1\"",
		                v->archive, name);
	struct nrm_error why;
	struct nrm_json_schema *return_schema = nrm_return_schema_load(&why);
	if (!return_schema)
		return nrm_fail(v->err, EX_SOFTWARE, "%s", why.msg);
	int invalid = nrm_json_schema_validate(return_schema, ret, &why);
	nrm_json_schema_free(return_schema);
	if (invalid)
		return nrm_fail(v->err, EX_DATAERR, "%s: %s: %s", v->archive, name, why.msg);
	const char *site = json_string_value(json_object_get(ret, "site"));
	if (!site || strcmp(site, v->res->id.site) != 0)
		return nrm_fail(v->err, EX_DATAERR, "%s: %s: $.site: not the site %s that the "
		                "signature names", v->archive, name, v->res->id.site);
	const char *quarter = json_string_value(json_object_get(ret, "quarter"));
	if (!quarter || strcmp(quarter, v->res->id.quarter) != 0)
		return nrm_fail(v->err, EX_DATAERR, "%s: %s: $.quarter: not the quarter %s that the "
		                "signature names", v->archive, name, v->res->id.quarter);
	const char *audience = json_string_value(json_object_get(ret, "audience"));
	if (v->res->audience[0] && (!audience || strcmp(audience, v->res->audience) != 0))
		return nrm_fail(v->err, EX_DATAERR, "%s: %s: $.audience: not the audience %s that "
		                "bag-info.txt names", v->archive, name, v->res->audience);
	return check_organization(v, ret);
}

/* The payload is exactly the return's file set, every file of its kind. */
static int check_payload(struct verify *v, const json_t *ret)
{
	struct nrm_payload_file *files = nrm_xcalloc(v->count + 1, sizeof(*files));
	size_t n = 0;
	for (size_t i = 0; i < v->count; i++) {
		const struct entry *e = &v->entries[i];
		if (strncmp(e->path, "data/", 5) != 0 || !e->path[5])
			continue;
		files[n++] = (struct nrm_payload_file){e->path + 5, e->content, (size_t)e->size,
		                                       e->is_dir};
	}
	char *where = nrm_xasprintf("%s: data", v->archive);
	int rc = nrm_return_payload_check(ret, files, n, where, v->err) ||
	                 nrm_return_payload_agrees(ret, files, n, where, v->err)
	         ? -1
	         : 0;
	free(where);
	free(files);
	return rc;
}

static int check_return(struct verify *v)
{
	struct entry *e = find_entry(v, "data/return.json");
	if (!e || e->is_dir)
		return bag_fail(v, "data/return.json is missing");
	json_error_t je;
	json_t *ret = json_loadb(e->content, (size_t)e->size, JSON_REJECT_DUPLICATES, &je);
	if (!ret) {
		char why[200];
		json_syntax_reason(je.text, why, sizeof(why));
		return nrm_fail(v->err, EX_DATAERR, "%s: data/return.json:%d:%d: %s", v->archive,
		                je.line, je.column, why);
	}
	v->res->return_json = ret;
	if (bundle_check_return(v, ret) || check_payload(v, ret))
		return -1;
	/* The extract, for the intake's national figures; the bag's manifest
	 * has already vouched for its bytes. */
	struct entry *x = find_entry(v, "data/cases.csv");
	if (x && !x->is_dir && x->content) {
		v->res->cases_csv = nrm_xmalloc((size_t)x->size + 1);
		memcpy(v->res->cases_csv, x->content, (size_t)x->size);
		v->res->cases_csv[x->size] = '\0';
		v->res->cases_csv_len = (size_t)x->size;
	}
	return 0;
}

/* ---- all five -------------------------------------------------------------- */

static void free_entries(struct verify *v)
{
	for (size_t i = 0; i < v->count; i++) {
		free(v->entries[i].path);
		free(v->entries[i].content);
	}
	free(v->entries);
	free(v->organization);
}

/* Steps 4 and 5, once the archive is read: the bag, then the return.
 * failed_step names the step that failed, 0 when both pass. */
static int check_bag_and_return(struct verify *v)
{
	if ((v->res->failed_step = 4, check_bag(v)) || (v->res->failed_step = 5, check_return(v)))
		return -1;
	v->res->failed_step = 0;
	return 0;
}

int nrm_bundle_verify(const char *archive, const char *signature, const char *keys_dir,
                      const struct nrm_verify_limits *limits,
                      struct nrm_verify_result *res, struct nrm_error *err)
{
	const struct nrm_key_source keys = {dir_key_lookup, site_of_key, (void *)(uintptr_t)keys_dir};
	return nrm_bundle_verify_keys(archive, signature, &keys, limits, res, err);
}

int nrm_bundle_verify_keys(const char *archive, const char *signature,
                           const struct nrm_key_source *keys,
                           const struct nrm_verify_limits *limits,
                           struct nrm_verify_result *res, struct nrm_error *err)
{
	if (sodium_init() < 0)
		return nrm_fail(err, EX_SOFTWARE, "libsodium cannot be initialised");
	memset(res, 0, sizeof(*res));
	struct verify v = {.archive = archive, .keys = keys,
	                   .lim = limits ? limits : &nrm_verify_default_limits, .res = res,
	                   .err = err};
	struct nrm_ms_signature sig = {0};
	int rc = 0;
	res->failed_step = 1;
	if (map_archive(&v) || check_signature(&v, signature, &sig))
		rc = -1;
	if (rc == 0 && (res->failed_step = 2, check_comment(&v, &sig)))
		rc = -1;
	if (rc == 0 && (res->failed_step = 3, check_archive(&v)))
		rc = -1;
	if (rc == 0)
		rc = check_bag_and_return(&v);
	nrm_ms_signature_free(&sig);
	free_entries(&v);
	if (v.map)
		munmap(v.map, v.map_len);
	return rc;
}

int nrm_bundle_verify_contents(const void *archive, size_t len, const struct nrm_bundle_id *id,
                               const struct nrm_verify_limits *limits,
                               struct nrm_verify_result *res, struct nrm_error *err)
{
	memset(res, 0, sizeof(*res));
	res->id = *id;
	struct verify v = {.archive = id->bag, .lim = limits ? limits : &nrm_verify_default_limits,
	                   .res = res, .err = err};
	/* A private copy: the checks read v.map, which the full verifier maps. */
	v.map = nrm_xmalloc(len ? len : 1);
	if (len)
		memcpy(v.map, archive, len);
	v.map_len = len;
	int rc = 0;
	if ((res->failed_step = 3, check_archive(&v)))
		rc = -1;
	if (rc == 0) {
		/* Whatever tag manifest the archive holds stands in for the one a
		 * signed trusted comment would name. */
		struct entry *tm = find_entry(&v, "tagmanifest-sha512.txt");
		if (tm)
			memcpy(res->id.tagmanifest_sha512, tm->sha512, sizeof(tm->sha512));
	}
	if (rc == 0)
		rc = check_bag_and_return(&v);
	free_entries(&v);
	free(v.map);
	return rc;
}

void nrm_verify_result_free(struct nrm_verify_result *res)
{
	if (res->return_json)
		json_decref(res->return_json);
	res->return_json = NULL;
	free(res->cases_csv);
	res->cases_csv = NULL;
	res->cases_csv_len = 0;
}
