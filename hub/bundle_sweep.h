/*
 * What a `bundle create` killed part way leaves in its output folder, and
 * its removal by a later one.  A create holds (flock) each thing it has
 * not finished with, its return folder and its signature, until it is
 * done; a later create removes only what no running create holds, so two
 * creates into one folder never remove each other's work.
 */
#ifndef NRM_BUNDLE_SWEEP_H
#define NRM_BUNDLE_SWEEP_H

/* Holds the file or folder open at `fd` against the sweep until `fd` (and
 * any duplicate of it) is closed.  0, or -1 with errno set. */
int nrm_bundle_hold(int fd);

/* Removes from `dir` what no running create holds: return folders
 * (.nrmhub-return.*) and signatures of bundles of `site` and `quarter`
 * (SITE_QUARTER_*.tar.gz.minisig) whose archive is not beside them.
 * Best effort: what cannot be removed is left and logged. */
void nrm_bundle_sweep(const char *dir, const char *site, const char *quarter);

#endif
