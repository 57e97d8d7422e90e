/*
 * The processes a job leaves behind.  A plugin may fork a child that calls
 * setsid() and so leaves the job's process group, out of reach of the
 * group kill; it then outlived the job, holding what it inherited (the run
 * lock: every later run exited 75, issue 19).  A process that is a child
 * subreaper (PR_SET_CHILD_SUBREAPER, set by `nrmhub run`) inherits such
 * orphans when the job's process ends, so after the job they are found
 * among its own children (those that were not its children before the job
 * started), killed with everything below them, and reaped.
 */
#ifndef NRM_JOB_ORPHANS_H
#define NRM_JOB_ORPHANS_H

#include <stddef.h>
#include <sys/types.h>

/* The caller's children at one moment. */
struct nrm_pid_set {
	pid_t *pid;
	size_t n;
};

/* Fills `set` with the calling process's children now (from /proc). */
void nrm_children_now(struct nrm_pid_set *set);
void nrm_pid_set_free(struct nrm_pid_set *set);

/* Kills (SIGKILL) every child of the caller not in `before`, and all of
 * their descendants, and reaps the children, until none is left.  Returns
 * how many processes were killed.  Only a subreaper inherits orphans, so
 * elsewhere it finds none. */
size_t nrm_end_orphans(const struct nrm_pid_set *before);

#endif
