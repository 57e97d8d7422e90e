/*
 * A progress line on stderr for long work, shown only when stderr is a
 * terminal and the user has not asked for quiet: cron sees nothing.
 */
#ifndef NRM_PROGRESS_H
#define NRM_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct nrm_progress {
	bool enabled;
	bool drawn;
	uint64_t total_bytes;  /* 0 when unknown (a pipe) */
	double started, last_draw;
	unsigned calls;
};

void nrm_progress_start(struct nrm_progress *p, uint64_t total_bytes);
/* Cheap to call per record: it looks at the clock only now and then. */
void nrm_progress_update(struct nrm_progress *p, uint64_t bytes, uint64_t records);
void nrm_progress_end(struct nrm_progress *p);

#endif
