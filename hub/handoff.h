/*
 * Hands records from the thread that imports them to a thread that exports
 * them, so that parsing and writing use both cores.  Records travel in a
 * fixed number of fixed-size batches: memory stays flat whatever the input,
 * and a slow writer holds the reader back instead of queueing without bound.
 */
#ifndef NRM_HANDOFF_H
#define NRM_HANDOFF_H

#include <nrmhub/plugin.h>
#include <stdbool.h>
#include <stdint.h>

struct nrm_handoff;

/* Where a record came from, travelling with it, so the consuming thread can
 * name its position after the input itself has moved on.  `input` must
 * outlive the handoff (the pipeline's input names do). */
struct nrm_handoff_tag {
	const char *input;
	uint64_t line, column;
};

/* Called on the export thread, once per record, in order, with the tag it
 * was put with; returns NRM_OK, or NRM_FAIL to stop (every later record is
 * dropped). */
typedef int (*nrm_consume_fn)(void *ctx, const struct nrm_case *c,
                              const struct nrm_handoff_tag *tag);

/* Starts the export thread; NULL if it could not be started. */
struct nrm_handoff *nrm_handoff_start(nrm_consume_fn consume, void *ctx);
/* Copies `c` (a record that passed validation) for the export thread.
 * False once the consumer has failed: stop producing. */
bool nrm_handoff_put(struct nrm_handoff *h, const struct nrm_case *c,
                     const struct nrm_handoff_tag *tag);
/* Sends what is left, waits for the export thread and frees everything.
 * NRM_OK, or NRM_FAIL when the consumer failed. */
int nrm_handoff_finish(struct nrm_handoff *h);

#endif
