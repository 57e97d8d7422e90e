/*
 * Delivery into a drop folder (file://): the file appears whole or not at
 * all, through the hub's atomic output (temporary name in the same folder,
 * fsync, rename), so a program watching the folder never picks up half.
 * Delivered files are readable by their owner only, like every output.
 */
#include "deliver_attempt.h"

#include "atomic_file.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

enum nrm_attempt nrm_deliver_drop(struct nrm_delivery *d)
{
	/* file:///drop/folder (no trailing slash) still means the folder. */
	struct stat st;
	if (stat(d->remote_path, &st) == 0 && S_ISDIR(st.st_mode)) {
		char *joined = nrm_xasprintf("%s/%s", d->remote_path, d->name);
		free(d->remote_path);
		d->remote_path = joined;
	}
	struct nrm_atomic_file f;
	struct nrm_error e = {0};
	if (nrm_atomic_open(&f, d->remote_path, 0640, &e) != 0) {
		d->refusal_code = EX_CANTCREAT;
		nrm_delivery_say(d, "%s", e.msg);
		return NRM_ATTEMPT_REFUSED;
	}
	/* A probe is the write test: the temporary file made, and gone. */
	if (d->probe) {
		nrm_atomic_abort(&f);
		return NRM_ATTEMPT_OK;
	}
	char buf[64 * 1024];
	for (;;) {
		ssize_t n = nrm_delivery_read(d, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0 || write_all(f.fd, buf, (size_t)n) != 0) {
			int saved = errno;
			nrm_atomic_abort(&f);
			nrm_delivery_say(d, "%s %s: %s", n < 0 ? "reading" : "writing",
			                 n < 0 ? d->path : d->remote_path, strerror(saved));
			/* A full disk or a dropped share may well be better next run. */
			return NRM_ATTEMPT_TEMPORARY;
		}
	}
	if (nrm_atomic_commit(&f, &e) != 0) {
		nrm_delivery_say(d, "%s", e.msg);
		return NRM_ATTEMPT_TEMPORARY;
	}
	nrm_delivery_seal(d);
	return NRM_ATTEMPT_OK;
}
