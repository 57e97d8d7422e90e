/*
 * Small files written atomically.
 */
#include "write_file.h"

#include "atomic_file.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

int nrm_write_all(int fd, const void *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, (const char *)data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

int nrm_write_file_atomic(const char *path, mode_t mode, const void *data, size_t len,
                          struct nrm_error *err)
{
	struct nrm_atomic_file f;
	if (nrm_atomic_open(&f, path, mode, err))
		return -1;
	if (nrm_write_all(f.fd, data, len) != 0) {
		int e = errno;
		nrm_atomic_abort(&f);
		return nrm_fail(err, EX_IOERR, "writing %s: %s", path, strerror(e));
	}
	return nrm_atomic_commit(&f, err);
}
