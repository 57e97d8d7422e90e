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

struct nrm_handoff;

/* Called on the export thread, once per record, in order; returns NRM_OK,
 * or NRM_FAIL to stop (every later record is dropped). */
typedef int (*nrm_consume_fn)(void *ctx, const struct nrm_case *c);

/* Starts the export thread; NULL if it could not be started. */
struct nrm_handoff *nrm_handoff_start(nrm_consume_fn consume, void *ctx);
/* Copies `c` (a record that passed validation) for the export thread.
 * False once the consumer has failed: stop producing. */
bool nrm_handoff_put(struct nrm_handoff *h, const struct nrm_case *c);
/* Sends what is left, waits for the export thread and frees everything.
 * NRM_OK, or NRM_FAIL when the consumer failed. */
int nrm_handoff_finish(struct nrm_handoff *h);

#endif
