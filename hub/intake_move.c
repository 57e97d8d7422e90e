/* See intake_move.h. */
#include "intake_move.h"
#include "share_group.h"

#include "log.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"
#include "write_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

char *nrm_intake_inbox_key(const char *inbox)
{
	char *real = realpath(inbox, NULL);
	return real ? real : nrm_xstrdup(inbox);
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return lstat(a, &sa) == 0 && lstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int nrm_intake_move_file(const char *inbox, const char *name, const char *dest,
                         struct nrm_error *err)
{
	char *from = nrm_xasprintf("%s/%s", inbox, name);
	char *to = nrm_xasprintf("%s/%s", inbox, dest);
	int rc = 0;
	if (link(from, to) != 0) {
		int e = errno;
		if (e == EEXIST && same_file(from, to))
			; /* linked by a run killed before it could unlink */
		else if (e == ENOENT && !exists(from) && exists(to))
			goto done; /* moved by a run killed before it said so */
		else {
			rc = nrm_fail(err, e == EEXIST ? EX_CANTCREAT : EX_IOERR,
			              "cannot move %s to %s: %s", name, dest, strerror(e));
			goto done;
		}
	}
	if (unlink(from) != 0)
		rc = nrm_fail(err, EX_IOERR, "cannot remove %s after moving it: %s", name,
		              strerror(errno));
done:
	free(from);
	free(to);
	return rc;
}

/* A record is trusted only as far as it names a file of the inbox and a
 * place under accepted/ or rejected/: the store is the hub's, but a
 * damaged row must not move files elsewhere. */
static bool plain_move(const struct store_intake_move *m)
{
	return m->file[0] && m->file[0] != '.' && !strchr(m->file, '/') &&
	       (strncmp(m->dest, "accepted/", 9) == 0 || strncmp(m->dest, "rejected/", 9) == 0) &&
	       !strstr(m->dest, "..") && !strstr(m->dest, "//");
}

/* Makes the folders of `dest` below the inbox (accepted/SITE/QUARTER/)
 * when missing: here rather than before the bundle is decided, so that a
 * refused one leaves no empty folder, and a move finished by a later run
 * finds them too. */
static int make_folders(const char *inbox, const char *dest, struct nrm_error *err)
{
	char *path = nrm_xasprintf("%s/%s", inbox, dest);
	char *slash = path + strlen(inbox) + 1;
	int rc = 0;
	while (rc == 0 && (slash = strchr(slash, '/')) != NULL) {
		*slash = '\0';
		if (nrm_mkdir_shared(path) != 0 && errno != EEXIST)
			rc = nrm_fail(err, EX_CANTCREAT, "cannot create %s: %s", path, strerror(errno));
		*slash++ = '/';
	}
	free(path);
	return rc;
}

int nrm_intake_move_finish(struct store *s, const char *inbox, const char *key,
                           const struct store_intake_move *m, struct nrm_error *err)
{
	if (!plain_move(m))
		return nrm_fail(err, EX_DATAERR, "the store holds a move of '%s' to '%s', which is "
		                "not a move out of the inbox: left alone", m->file, m->dest);
	if (make_folders(inbox, m->dest, err))
		return -1;
	if (m->reason) {
		char *path = nrm_xasprintf("%s/%s.reason", inbox, m->dest);
		char *text = nrm_xasprintf("%s\n", m->reason);
		int bad = nrm_write_file_atomic(path, 0640, text, strlen(text), err);
		free(text);
		free(path);
		if (bad)
			return -1;
	}
	char *sig = nrm_xasprintf("%s.minisig", m->file);
	char *sig_dest = nrm_xasprintf("%s.minisig", m->dest);
	/* The archive first: until the signature follows, the inbox holds no
	 * archive that a run could take again. */
	int rc = nrm_intake_move_file(inbox, m->file, m->dest, err);
	if (rc == 0)
		rc = nrm_intake_move_file(inbox, sig, sig_dest, err);
	free(sig);
	free(sig_dest);
	if (rc == 0 && store_intake_move_remove(s, key, m->file)) {
		*err = *store_error(s);
		rc = -1;
	}
	return rc;
}

int nrm_intake_moves_resume(struct store *s, const char *inbox, const char *key)
{
	struct store_intake_move *moves;
	size_t n;
	if (store_intake_moves(s, key, &moves, &n)) {
		nrm_log_error("%s", store_error(s)->msg);
		return -1;
	}
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		struct nrm_error err;
		if (nrm_intake_move_finish(s, inbox, key, &moves[i], &err) == 0) {
			nrm_info("%s: moved to %s, finishing a run that stopped", moves[i].file,
			         moves[i].dest);
		} else {
			nrm_log_error("%s: %s", moves[i].file, err.msg);
			failed++;
		}
	}
	store_intake_moves_free(moves, n);
	return failed;
}
