/*
 * One job of the site configuration, as run in its child process
 * (job_child.h): the child runs the job through the same code as the
 * command line (import, export, bundle create, deliver), with the run's
 * time handed to it, and sends the parent a JSON result
 * ({"summary": TEXT, "outputs": [...], "receipts": [{item, receipt}]}).
 * It never touches the parent's store connection.
 */
#ifndef NRM_RUN_JOB_H
#define NRM_RUN_JOB_H

#include "site_config.h"

#include <stdint.h>

#include <jansson.h>

struct nrm_run_job {
	const struct nrm_config *cfg;
	const struct nrm_config_job *job;
	int64_t now;            /* the run's time */
	const char *quarter;    /* `run --job --quarter`, or NULL */
	json_t *items;          /* deliver: the pending files (a JSON list of paths) */
};

/* The nrm_job_fn: arg is a struct nrm_run_job. */
int nrm_run_job_child(void *arg, struct nrm_error *err);

/* The quarter a return job builds at `now` when none is given: the last
 * quarter that has ended (London date).  buf[7]. */
void nrm_run_default_quarter(int64_t now, char buf[7]);

/* Expands {quarter} (the quarter of the run's London date) and {date}
 * (YYYY-MM-DD) in an export's output template; caller frees. */
char *nrm_run_expand_output(const char *template, int64_t now);

#endif
