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

#include <jansson.h>

struct nrm_case_problem;
struct nrm_optset;

/* Instead of an export plugin, a pipeline can hand each record that passed
 * the canonical rules to a sink (the case store does).  The sink runs on the
 * export thread, once per record, in input order, while the next records are
 * read; `input` is the name of the input the record came from.  Returns
 * NRM_OK; NRM_REJECT with *problem filled (the pipeline reports it at the
 * record's position, counts it as bad, and stops unless keep_going); or a
 * sysexits.h code (>= 64) when the sink cannot go on (already logged). */
typedef int (*nrm_sink_fn)(void *ctx, const char *input, const struct nrm_case *c,
                           struct nrm_case_problem *problem);

struct nrm_pipeline {
	const struct nrm_module *from;
	const struct nrm_optset *from_options;
	const struct nrm_module *to;        /* NULL: check only (validate) */
	const struct nrm_optset *to_options;
	const char *output;                 /* a path, or "-" */
	const char *rejects;                /* JSON lines report, or NULL */
	bool keep_going;                    /* go on past bad records */
	uint64_t max_reported;              /* problems printed before the rest are only
	                                     * counted (all still go to `rejects`);
	                                     * 0: NRM_PIPELINE_MAX_REPORTED */
	nrm_sink_fn sink;                   /* with to == NULL: where records go */
	void *sink_ctx;
	json_t *first_problems;             /* when set, a JSON list the first
	                                     * NRM_PIPELINE_FIRST_PROBLEMS problems are
	                                     * appended to, as in the rejects report, for
	                                     * a caller that keeps them (a job's ledger) */
};

/* The problems kept in first_problems, each reason at most this many bytes:
 * enough to say what went wrong under cron, where no terminal shows the rest. */
#define NRM_PIPELINE_FIRST_PROBLEMS 5
#define NRM_PIPELINE_KEPT_REASON 400

/* A problem kept as JSON ({file, line, column, path, field, reason}, as in
 * the rejects report and first_problems) in the FILE:LINE: FIELD: reason
 * form it was printed in; caller frees. */
char *nrm_pipeline_problem_text(const json_t *problem);

/* A million bad rows under --keep-going wrote a million lines into syslog:
 * past this many, problems are counted, and listed only in --rejects. */
#define NRM_PIPELINE_MAX_REPORTED 100

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
