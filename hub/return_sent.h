/*
 * The return a site last sent for a quarter: what `return review` shows a
 * held return against, and what `return build` marks [r] against and
 * lists in revisions.csv (return_revision.h).
 *
 * What was sent is what the ledger (ledger.h) says was delivered: the
 * delivery items are the bundles' absolute paths, SITE_QUARTER_SEQ.tar.gz,
 * and the newest sequence number delivered whose file is still there, of
 * the audience asked for, wins.  A caller that knows the job's outbox may
 * also take, when nothing was delivered, the newest bundle made there
 * (review: a bundle sent by hand is in no ledger).  A bundle swept away
 * (bundle_sweep.h) can no longer be read, and is as if never sent: the
 * figures compared are read from the bundle itself, never trusted from a
 * copy kept elsewhere.
 */
#ifndef NRM_RETURN_SENT_H
#define NRM_RETURN_SENT_H

#include <jansson.h>
#include <stdbool.h>

struct nrm_sent {
	char *bundle;        /* its path, or NULL when nothing was sent */
	unsigned long seq;   /* its sequence number */
	bool delivered;      /* the ledger says it was delivered (else: newest made) */
	json_t *ret;         /* its data/return.json */
};

/* Fills `out` (all NULL/0 when there is none).  `deliveries` is
 * ledger_deliveries()'s list (NULL: none); `outbox` may be NULL.  A
 * bundle that cannot be read (damaged, or of another audience) is passed
 * over. */
void nrm_return_last_sent(const json_t *deliveries, const char *outbox, const char *site,
                          const char *quarter, const char *audience, struct nrm_sent *out);
void nrm_sent_free(struct nrm_sent *s);

/* Where the ledger says the bundle at `path` went: {state, target} of its
 * delivery (delivered anywhere wins over pending elsewhere), or NULL
 * when it was never queued.  Caller decrefs. */
json_t *nrm_sent_delivery_of(const json_t *deliveries, const char *path);

/* The sequence number of a file named PREFIX + NNN.tar.gz, or 0. */
unsigned long nrm_sent_bundle_seq(const char *name, const char *prefix);

#endif
