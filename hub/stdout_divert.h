/*
 * A plugin must never print: its standard output would mix with the
 * command's answer there (`import --json`, or the result a scheduled job
 * reads back).  While a plugin runs, the hub's standard output is sent to
 * standard error, where the log and a job's log limit are, and given back
 * before the command prints its answer.
 */
#ifndef NRM_STDOUT_DIVERT_H
#define NRM_STDOUT_DIVERT_H

/* Sends file descriptor 1 to where 2 goes.  The saved descriptor for
 * nrm_stdout_restore, or -1 when it cannot (then nothing changed). */
int nrm_stdout_divert(void);
/* Gives file descriptor 1 back (`saved` from nrm_stdout_divert; -1: no-op). */
void nrm_stdout_restore(int saved);

#endif
