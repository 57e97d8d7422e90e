/*
 * One `nrmhub run` at a time: an fcntl lock on a file beside the store.
 * The holder writes its PID into the file, so that a second instance can
 * say who holds it.  The lock goes with the process: when it ends, however
 * it ends, the kernel releases it; a stale file with an old PID in it does
 * not block anyone.
 */
#ifndef NRM_RUN_LOCK_H
#define NRM_RUN_LOCK_H

#include <stdbool.h>
#include <sys/types.h>

struct nrm_error;

struct nrm_run_lock {
	int fd;     /* -1 when not held */
	char *path;
};

/* The lock beside a store: "STORE.lock" (allocated). */
char *nrm_run_lock_path(const char *store_path);

/* Takes the lock at `path` (created 0600 if missing; a symbolic link is
 * refused) without waiting.  When another process holds it, fails with
 * EX_TEMPFAIL (75) and "another nrmhub run (PID 1234) holds the lock PATH";
 * when what holds it is not that run (a process a job left behind), with
 * EX_SOFTWARE (70: a person is needed, never a quiet retry) naming its PID
 * and command; other failures are EX_CANTCREAT or EX_IOERR.  The lock belongs to the
 * open file: children forked afterwards share it (so a job child that
 * outlives a killed parent still keeps a second run out until it ends);
 * programs they exec do not (close-on-exec). */
int nrm_run_lock_acquire(struct nrm_run_lock *lock, const char *path, struct nrm_error *err);

/* The PID of the process holding the lock at `path` (for `status`), 0 if
 * none, -1 on error (no file) or when the holder has not written its PID. */
pid_t nrm_run_lock_holder(const char *path);

/* Who holds the lock, looked at from the processes that have the file open
 * (/proc/PID/fd): the run whose PID is written in it, or something else (a
 * process a job left behind, which inherited the lock).  An OFD lock names
 * no process of its own, hence the search. */
struct nrm_lock_holder {
	bool held;
	pid_t pid;          /* the process found holding it; 0 when unknown */
	bool is_run;        /* it is the nrmhub run that took the lock */
	pid_t run_pid;      /* the PID written in the file; 0 when none */
	char command[64];   /* the holder's command (/proc/PID/comm), "" when unknown */
};

/* Fills `h` for the lock at `path`; 0, or -1 when the file cannot be read. */
int nrm_run_lock_who(const char *path, struct nrm_lock_holder *h);

/* Releases and closes; the file stays (removing it would race with a
 * second instance that has it open). */
void nrm_run_lock_release(struct nrm_run_lock *lock);

#endif
