/*
 * A small file written whole or not at all (through atomic_file.h): keys,
 * signatures.
 */
#ifndef NRM_WRITE_FILE_H
#define NRM_WRITE_FILE_H

#include <stddef.h>
#include <sys/types.h>

struct nrm_error;

/* Writes `len` bytes to `path` with `mode` via a synced temporary file and
 * a rename.  EX_CANTCREAT or EX_IOERR on failure, with nothing left. */
int nrm_write_file_atomic(const char *path, mode_t mode, const void *data, size_t len,
                          struct nrm_error *err);
/* Writes all of `len` bytes to `fd`, retrying short writes.  errno on -1. */
int nrm_write_all(int fd, const void *data, size_t len);

#endif
