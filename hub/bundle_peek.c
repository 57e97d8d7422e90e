/*
 * A look inside the site's own bundles (bundle_peek.h).
 */
#include "bundle_peek.h"

#include "bagit.h"
#include "gzip_member.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sysexits.h>

#define SIG_SUFFIX ".minisig"
#define BAG_INFO_MAX (64 * 1024)
#define RETURN_MAX (64 * 1024 * 1024)
/* What a whole bundle may inflate to: far above any return's payload, as
 * the verifier's own bound is, yet short of filling a disk or memory. */
#define BUNDLE_INFLATED_MAX (4ULL << 30)

/* Whether an entry's name is BAG/member, BAG being one component. */
static bool is_member(const char *name, const char *member)
{
	const char *slash = strchr(name, '/');
	return slash && slash != name && strcmp(slash + 1, member) == 0;
}

static int read_entry(struct archive *a, size_t size, char **out, size_t *len)
{
	char *buf = nrm_xmalloc(size + 1);
	size_t got = 0;
	la_ssize_t r;
	while (got < size && (r = archive_read_data(a, buf + got, size - got)) > 0)
		got += (size_t)r;
	if (got != size) {
		free(buf);
		return -1;
	}
	buf[size] = '\0';
	*out = buf;
	*len = size;
	return 0;
}

/* The end of the archive after BAG/member was read: reached without
 * damage and without a second BAG/member, which would leave it unsaid
 * which one the bundle holds. */
static int read_to_end(struct archive *a, const char *path, const char *member,
                       struct nrm_error *err)
{
	struct archive_entry *e;
	int next;
	while ((next = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (name && is_member(name, member))
			return nrm_fail(err, EX_DATAERR, "%s: not a bundle (two entries named "
			                "BAG/%s)", path, member);
	}
	if (next != ARCHIVE_EOF)
		return nrm_fail(err, EX_DATAERR, "%s: a damaged bundle (%s)", path,
		                archive_error_string(a));
	return 0;
}

/* The one gzip member, whole: libarchive stops at the tar's end, before
 * the member's CRC, and reads past it into a second member or trailing
 * bytes unseen (gzip_member.h). */
static int check_gzip(const char *path, struct nrm_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return nrm_fail(err, EX_NOINPUT, "%s: not a file that can be read", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return nrm_fail(err, EX_DATAERR, "%s: not a bundle (an empty file)", path);
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return nrm_fail(err, EX_NOINPUT, "%s: cannot be read", path);
	size_t end = 0;
	enum nrm_gzip_member m = nrm_gzip_first_member(map, (size_t)st.st_size,
	                                               BUNDLE_INFLATED_MAX, &end);
	munmap(map, (size_t)st.st_size);
	switch (m) {
	case NRM_GZIP_ONE_MEMBER: return 0;
	case NRM_GZIP_TRAILING:
		return nrm_fail(err, EX_DATAERR, "%s: a damaged bundle (bytes after the end of "
		                "its gzip member, at offset %zu)", path, end);
	case NRM_GZIP_SECOND:
		return nrm_fail(err, EX_DATAERR, "%s: a damaged bundle (a second gzip member at "
		                "offset %zu)", path, end);
	case NRM_GZIP_TOO_BIG:
		return nrm_fail(err, EX_DATAERR, "%s: inflates to more than %llu bytes: not a "
		                "bundle", path, BUNDLE_INFLATED_MAX);
	default:
		return nrm_fail(err, EX_DATAERR, "%s: a damaged bundle (not gzip, cut short, or "
		                "failing its CRC)", path);
	}
}

static int peek(const char *path, const char *member, size_t max, bool whole, char **out,
                size_t *len, struct nrm_error *err)
{
	*out = NULL;
	*len = 0;
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return nrm_fail(err, EX_NOINPUT, "%s: not a file that can be read", path);
	/* (The messages below name the file; nrm_bundle_audience's own do not:
	 * its callers already name the item.) */
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	int rc = 1;
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		rc = nrm_fail(err, EX_DATAERR, "%s: not a bundle (%s)", path, archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	struct archive_entry *e;
	int next;
	while ((next = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (!name || !is_member(name, member) || archive_entry_filetype(e) != AE_IFREG)
			continue;
		la_int64_t size = archive_entry_size(e);
		if (size < 0 || (uint64_t)size > max)
			rc = nrm_fail(err, EX_DATAERR, "%s: %s is larger than %zu bytes", path, member,
			              max);
		else if (read_entry(a, (size_t)size, out, len) != 0)
			rc = nrm_fail(err, EX_DATAERR, "%s: %s cannot be read: %s", path, member,
			              archive_error_string(a));
		else
			rc = whole ? read_to_end(a, path, member, err) : 0;
		break;
	}
	if (rc == 1 && next != ARCHIVE_EOF)
		rc = nrm_fail(err, EX_DATAERR, "%s: not a bundle (%s)", path, archive_error_string(a));
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	archive_read_free(a);
	return rc;
}

int nrm_bundle_peek(const char *path, const char *member, size_t max, char **out, size_t *len,
                    struct nrm_error *err)
{
	return peek(path, member, max, false, out, len, err);
}

int nrm_bundle_read_member(const char *path, const char *member, size_t max, char **out,
                           size_t *len, struct nrm_error *err)
{
	int rc = peek(path, member, max, true, out, len, err);
	if (rc == 0 && check_gzip(path, err) != 0) {
		free(*out);
		*out = NULL;
		*len = 0;
		rc = -1;
	}
	return rc;
}

static int audience_of_bundle(const char *path, char audience[16], struct nrm_error *err)
{
	char *text;
	size_t len;
	int rc = nrm_bundle_peek(path, "bag-info.txt", BAG_INFO_MAX, &text, &len, err);
	if (rc < 0)
		return -1;
	const char *found = NULL;
	struct nrm_bag_info info = {0};
	struct nrm_error why;
	if (rc == 0 && nrm_bag_info_parse(text, len, &info, &why) == 0)
		found = info.audience;
	free(text);
	json_t *ret = NULL;
	if (!found && nrm_bundle_peek(path, "data/return.json", RETURN_MAX, &text, &len, &why) == 0) {
		ret = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
		free(text);
		found = json_string_value(json_object_get(ret, "audience"));
	}
	if (found && (strcmp(found, "official") == 0 || strcmp(found, "published") == 0)) {
		snprintf(audience, 16, "%s", found);
		rc = 0;
	} else {
		rc = nrm_fail(err, EX_DATAERR, "a bundle that says no audience (no Audience in "
		              "bag-info.txt, no $.audience in data/return.json)");
	}
	nrm_bag_info_free(&info);
	json_decref(ret);
	return rc;
}

int nrm_bundle_audience(const char *path, char audience[16], struct nrm_error *err)
{
	size_t n = strlen(path), k = strlen(SIG_SUFFIX);
	if (n > k && strcmp(path + n - k, SIG_SUFFIX) == 0) {
		/* A signature is for whom its bundle is for. */
		char *bundle = nrm_xasprintf("%.*s", (int)(n - k), path);
		int rc = audience_of_bundle(bundle, audience, err);
		free(bundle);
		return rc;
	}
	if (n < 7 || strcmp(path + n - 7, ".tar.gz") != 0)
		return nrm_fail(err, EX_DATAERR, "not a bundle (.tar.gz) or its signature, so its "
		                "audience cannot be told");
	return audience_of_bundle(path, audience, err);
}
