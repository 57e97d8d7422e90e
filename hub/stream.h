/*
 * A stream is one input or output a plugin works on, and the host table a
 * plugin reaches the hub through.  Problems a plugin reports go to the
 * stream's problem handler, so the pipeline decides what they mean.
 */
#ifndef NRM_STREAM_H
#define NRM_STREAM_H

#include <nrmhub/plugin.h>
#include <stdbool.h>
#include <stdint.h>

struct nrm_optset;

/* One problem at one position, as a plugin or the validator reported it. */
struct nrm_problem {
	const char *file;
	uint64_t line, column;  /* 0 when unknown */
	const char *path;       /* element or JSON path, or NULL */
	const char *field;      /* canonical or format field, or NULL */
	const char *reason;
};

typedef void (*nrm_problem_fn)(void *ctx, const struct nrm_problem *problem);

struct nrm_stream {
	const char *name;  /* as the user gave it; "-" for stdin/stdout */
	int fd;
	const struct nrm_optset *options;
	nrm_problem_fn on_problem;
	void *problem_ctx;
	uint64_t bytes;    /* read or written so far */
	unsigned problems; /* reported so far */
	bool io_failed;
	bool write_behind; /* output: start writeback as we go (see stream.c) */
	uint64_t written_back; /* bytes already handed to writeback */
	char *buf;         /* output buffer */
	size_t len, cap;
};

extern const struct nrm_host nrm_host_table;

void nrm_stream_init(struct nrm_stream *s, const char *name, int fd,
                     const struct nrm_optset *options, nrm_problem_fn on_problem, void *ctx);
/* Writes what is buffered; NRM_OK or NRM_FAIL (reported). */
int nrm_stream_flush(struct nrm_stream *s);
void nrm_stream_release(struct nrm_stream *s);
/* Reports a problem found by the hub itself (not the plugin). */
void nrm_stream_problem(struct nrm_stream *s, const struct nrm_pos *pos, const char *field,
                        const char *reason);

/* "FILE:LINE:COL: PATH: FIELD: reason", the form every data problem takes;
 * caller frees. */
char *nrm_problem_format(const struct nrm_problem *p);

#endif
