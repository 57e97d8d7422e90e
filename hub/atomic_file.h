/*
 * Outputs appear whole or not at all: they are written to a temporary file
 * beside the destination, synced, and renamed into place.  Standard output
 * is spooled the same way and copied out only on success.
 */
#ifndef NRM_ATOMIC_FILE_H
#define NRM_ATOMIC_FILE_H

#include <stdbool.h>
#include <sys/types.h>

struct nrm_error;

struct nrm_atomic_file {
	char *path;     /* the final name, or "-" for standard output */
	char *tmp_path; /* NULL when spooling for standard output */
	int fd;
};

/* Creates the temporary file with `mode` (umask still applies). */
int nrm_atomic_open(struct nrm_atomic_file *f, const char *path, mode_t mode,
                    struct nrm_error *err);
/* Syncs and renames (or copies the spool to stdout); closes in any case. */
int nrm_atomic_commit(struct nrm_atomic_file *f, struct nrm_error *err);
/* Removes the temporary file; nothing appears under the final name. */
void nrm_atomic_abort(struct nrm_atomic_file *f);
/* Syncs the folder that holds `path`, so that a new name in it (a rename,
 * a link) survives a power cut.  Best effort: nothing to report. */
void nrm_sync_folder_of(const char *path);

#endif
