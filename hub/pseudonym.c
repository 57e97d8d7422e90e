/*
 * The site secret is a raw 32-byte file.  It is made whole and linked into
 * place, so two runs starting at once cannot both write one and a killed
 * run leaves no short key; and it is checked on every load, since a key
 * copied around with a loose mode is no longer secret.
 */
#include "pseudonym.h"

#include "atomic_file.h"
#include "log.h"
#include "util.h"
#include "write_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* 0 when made, 1 when it already exists, -1 on failure (reported).
 *
 * The key is written whole to a temporary file beside it, synced, and
 * only then linked to its name.  It used to be written in place after an
 * O_EXCL open, and a run killed between the open and the write
 * (tests/e2e/crash_safety.sh, `run --due`) left an empty key that every
 * later return refused: the quarterly return never ran again.  link(),
 * unlike rename(), fails with EEXIST instead of replacing, so two runs
 * starting at once still cannot both make one.  A kill leaves at most the
 * temporary file, holding a key that was never used. */
static int create_key(const char *path, unsigned char key[NRM_PSEUDONYM_KEY_BYTES],
                      struct nrm_error *err)
{
	struct nrm_atomic_file f;
	if (nrm_atomic_open(&f, path, 0600, err) != 0)
		return -1;
	randombytes_buf(key, NRM_PSEUDONYM_KEY_BYTES);
	/* fchmod: the umask must not loosen, or tighten into uselessness,
	 * what the key's owner needs. */
	int rc = 0;
	if (fchmod(f.fd, 0600) != 0 || nrm_write_all(f.fd, key, NRM_PSEUDONYM_KEY_BYTES) != 0 ||
	    fsync(f.fd) != 0)
		rc = nrm_fail(err, EX_IOERR, "cannot write the pseudonym key %s: %s", path,
		              strerror(errno));
	else if (link(f.tmp_path, path) == 0)
		/* Durable: a key lost in a power cut after it was used would
		 * give the next quarter's pseudonyms another key. */
		nrm_sync_folder_of(path);
	else if (errno == EEXIST)
		rc = 1; /* another run made it first */
	else
		rc = nrm_fail(err, errno == EACCES ? EX_NOPERM : EX_CANTCREAT,
		              "cannot create the pseudonym key %s: %s", path, strerror(errno));
	nrm_atomic_abort(&f); /* the temporary name goes; the key keeps its own */
	if (rc != 0)
		sodium_memzero(key, NRM_PSEUDONYM_KEY_BYTES);
	return rc;
}

static int read_key(int fd, const char *path, unsigned char key[NRM_PSEUDONYM_KEY_BYTES],
                    struct nrm_error *err)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return nrm_fail(err, EX_IOERR, "cannot read the pseudonym key %s: %s", path,
		                strerror(errno));
	if (!S_ISREG(st.st_mode))
		return nrm_fail(err, EX_DATAERR, "the pseudonym key %s is not a regular file", path);
	if (st.st_mode & 077)
		return nrm_fail(err, EX_NOPERM, "the pseudonym key %s is readable or writable by "
		                "group or others (mode %03o); it must be 0600 (chmod 600 %s)",
		                path, (unsigned)(st.st_mode & 0777), path);
	if (st.st_size != NRM_PSEUDONYM_KEY_BYTES)
		return nrm_fail(err, EX_DATAERR, "the pseudonym key %s is %lld bytes, not %d",
		                path, (long long)st.st_size, NRM_PSEUDONYM_KEY_BYTES);
	size_t got = 0;
	while (got < NRM_PSEUDONYM_KEY_BYTES) {
		ssize_t n = read(fd, key + got, NRM_PSEUDONYM_KEY_BYTES - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return nrm_fail(err, EX_IOERR, "cannot read the pseudonym key %s: %s", path,
			                n < 0 ? strerror(errno) : "it is shorter than it was");
		got += (size_t)n;
	}
	return 0;
}

int nrm_pseudonym_key_load(const char *path, bool create,
                           unsigned char key[NRM_PSEUDONYM_KEY_BYTES], struct nrm_error *err)
{
	if (sodium_init() < 0)
		return nrm_fail(err, EX_SOFTWARE, "libsodium could not be initialised");
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		int made = create_key(path, key, err);
		if (made <= 0)
			return made;
		/* Another run made it first: use theirs. */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return nrm_fail(err, errno == ENOENT ? EX_NOINPUT
		                     : errno == EACCES ? EX_NOPERM
		                     : errno == ELOOP ? EX_DATAERR : EX_IOERR,
		                "cannot open the pseudonym key %s: %s", path,
		                errno == ELOOP ? "it is a symbolic link" : strerror(errno));
	int rc = read_key(fd, path, key, err);
	close(fd);
	if (rc != 0)
		sodium_memzero(key, NRM_PSEUDONYM_KEY_BYTES);
	return rc;
}

void nrm_pseudonym(const unsigned char key[NRM_PSEUDONYM_KEY_BYTES], const char *case_id,
                   char out[NRM_PSEUDONYM_HEX + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)case_id, strlen(case_id), key);
	sodium_bin2hex(out, NRM_PSEUDONYM_HEX + 1, mac, sizeof(mac));
}

void nrm_pseudonymiser_init(struct nrm_pseudonymiser *p,
                            const unsigned char key[NRM_PSEUDONYM_KEY_BYTES])
{
	crypto_auth_hmacsha256_init(&p->keyed, key, NRM_PSEUDONYM_KEY_BYTES);
}

void nrm_pseudonymise(const struct nrm_pseudonymiser *p, const char *case_id,
                      char out[NRM_PSEUDONYM_HEX + 1])
{
	crypto_auth_hmacsha256_state st = p->keyed;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)case_id, strlen(case_id));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, NRM_PSEUDONYM_HEX + 1, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

void nrm_pseudonymiser_clear(struct nrm_pseudonymiser *p)
{
	sodium_memzero(p, sizeof(*p));
}

/* ---- where the key lives --------------------------------------------------- */

static int keys_folder(const char *dir, struct nrm_error *err)
{
	struct stat st;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return nrm_fail(err, errno == EACCES ? EX_NOPERM : EX_CANTCREAT,
		                "cannot create the key folder %s: %s", dir, strerror(errno));
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return nrm_fail(err, EX_CANTCREAT, "the key folder %s is not a folder", dir);
	if (st.st_mode & 077)
		return nrm_fail(err, EX_NOPERM, "the key folder %s may be entered by group or "
		                "others (mode %03o); it must be 0700 (chmod 700 %s)", dir,
		                (unsigned)(st.st_mode & 0777), dir);
	return 0;
}

/* The old key moves with link() then unlink(): link() never replaces a key
 * another run has just made, and a kill between the two leaves one file
 * under two names, which the next run recognises by its inode. */
static int move_old_key(const char *old, const char *key, bool *moved, struct nrm_error *err)
{
	struct stat so, sn;
	if (lstat(old, &so) != 0)
		return errno == ENOENT ? 0
		                       : nrm_fail(err, EX_IOERR, "cannot look at %s: %s", old,
		                                  strerror(errno));
	if (lstat(key, &sn) == 0 && (sn.st_dev != so.st_dev || sn.st_ino != so.st_ino))
		return nrm_fail(err, EX_CONFIG, "two pseudonym keys: %s and %s; keep the one "
		                "this site's earlier returns used and remove the other", old, key);
	if (link(old, key) != 0 && errno != EEXIST)
		return nrm_fail(err, EX_CANTCREAT, "cannot move the pseudonym key %s to %s: %s",
		                old, key, strerror(errno));
	if (unlink(old) != 0)
		return nrm_fail(err, EX_IOERR, "cannot remove the pseudonym key's old name %s: %s",
		                old, strerror(errno));
	nrm_sync_folder_of(key);
	nrm_sync_folder_of(old);
	*moved = true;
	return 0;
}

int nrm_pseudonym_key_place(const char *home, const char *site, char **path, bool *moved,
                            struct nrm_error *err)
{
	*moved = false;
	*path = NULL;
	char *dir = nrm_xasprintf("%s/keys", home);
	char *key = nrm_xasprintf("%s/%s.pseudonym.key", dir, site);
	char *old = nrm_xasprintf("%s/%s.pseudonym.key", home, site);
	int rc = keys_folder(dir, err);
	if (rc == 0)
		rc = move_old_key(old, key, moved, err);
	if (rc == 0)
		*path = key;
	else
		free(key);
	free(dir);
	free(old);
	return rc;
}

/* A site code becomes part of a file name only when it is a plain word. */
static bool plain_word(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 100)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

int nrm_pseudonym_key_of_store(const char *store_path, const char *site, char **path,
                               struct nrm_error *err)
{
	*path = NULL;
	if (!plain_word(site))
		return nrm_fail(err, EX_DATAERR, "the site code cannot be used in a key file "
		                "name; give --key FILE or set keys.pseudonym_key");
	char *copy = nrm_xstrdup(store_path);
	bool moved;
	int rc = nrm_pseudonym_key_place(dirname(copy), site, path, &moved, err);
	free(copy);
	if (rc == 0 && moved)
		nrm_warn("moved the pseudonym key to %s, out of the folder returns are "
		         "written to; back it up from there", *path);
	return rc;
}
