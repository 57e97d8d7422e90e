/*
 * Who may read what nrmhub writes.  These are children's records, so by
 * default nothing nrmhub makes can be read by anyone but its owner: main()
 * sets the umask to 077, every file is 0600 and every folder 0700.
 *
 * A site whose statisticians or a delivery agent must read its returns
 * names their group in its configuration ("group": "nrmstats").  Then what
 * is meant to be shared (returns, bundles, delivered files, national
 * outputs: written with mode 0640, folders 0750) is given that group and
 * its read bit; secrets (keys, the store) are written 0600 and stay so.
 */
#ifndef NRM_SHARE_GROUP_H
#define NRM_SHARE_GROUP_H

#include <stdbool.h>
#include <sys/types.h>

/* From now on, shared files and folders are that group's to read. */
void nrm_share_group_set(gid_t gid);
/* Whether a group was named, and which. */
bool nrm_share_group(gid_t *gid);

/* Gives an open file the group when its mode shares it (mode & 070). */
void nrm_share_group_fd(int fd, mode_t mode);
/* mkdir(path, 0750) under the umask, given the group when one is named.
 * 0, or -1 with errno (EEXIST included: the caller decides). */
int nrm_mkdir_shared(const char *path);
/* Every missing folder above `path` (not `path` itself), as
 * nrm_mkdir_shared makes them: an output named in a folder not made yet
 * (`-o reports/2025Q1/return`) gets its folders, as `mkdir -p` would.
 * 0, or -1 with errno. */
int nrm_mkdir_parents(const char *path);
/* The same for a secret (a key): each folder made 0700 and never given
 * the group, whatever the umask, since a key's folder is nobody else's. */
int nrm_mkdir_private_parents(const char *path);

#endif
