/*
 * The conversion engine behind `convert` and `validate`: records stream from
 * an import plugin through the canonical rules into an export plugin, one at
 * a time, so memory does not grow with the input.
 */
#ifndef NRM_PIPELINE_H
#define NRM_PIPELINE_H

#include "loader.h"

#include <stdbool.h>
#include <stdint.h>

struct nrm_optset;

struct nrm_pipeline {
	const struct nrm_module *from;
	const struct nrm_optset *from_options;
	const struct nrm_module *to;        /* NULL: check only (validate) */
	const struct nrm_optset *to_options;
	const char *output;                 /* a path, or "-" */
	const char *rejects;                /* JSON lines report, or NULL */
	bool keep_going;                    /* go on past bad records */
	/* Called with each good record, after the canonical rules, when not
	 * NULL (e.g. the return builder); a non-zero return (a sysexits.h code,
	 * already reported) stops the run with that code. */
	int (*sink)(void *ctx, const struct nrm_case *c);
	void *sink_ctx;
};

struct nrm_pipeline_counts {
	uint64_t records, good, bad;
};

/* Runs the pipeline over `inputs` ("-" is standard input).  Returns a
 * sysexits.h code: 0 when every record was good; EX_DATAERR when any was
 * rejected (then, unless keep_going, no output was written); EX_NOINPUT,
 * EX_CANTCREAT, EX_IOERR or EX_SOFTWARE otherwise, with a message logged. */
int nrm_pipeline_run(const struct nrm_pipeline *pl, char *const *inputs, size_t n_inputs,
                     struct nrm_pipeline_counts *counts);

#endif
