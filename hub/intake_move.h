/*
 * Moving a bundle's files out of the Home Office's inbox (intake.h) so that
 * a run killed at any moment leaves work the next run finishes, and never a
 * bundle half in one place and half in another:
 *
 *  1. the move is recorded in the store (store_intake.h's intake_move),
 *     for an accepted bundle in the transaction that records the bundle;
 *  2. the destination's folders are made when missing, and a refused
 *     bundle's BAG.tar.gz.reason is written (atomically);
 *  3. BAG.tar.gz, then BAG.tar.gz.minisig, are moved with link + unlink,
 *     which never replaces another file; a file found under both names is
 *     a move a killed run began, and is finished;
 *  4. the record is removed.
 *
 * Each intake run first finishes the moves recorded for its inbox.
 */
#ifndef NRM_INTAKE_MOVE_H
#define NRM_INTAKE_MOVE_H

struct nrm_error;
struct store;
struct store_intake_move;

/* The key of an inbox in the store: its real path (caller frees), so that
 * "inbox" and "/srv/nrm/inbox" are one inbox. */
char *nrm_intake_inbox_key(const char *inbox);

/* Steps 2 to 4 for a move already recorded.  0, or -1 with err (the record
 * stays, for the next run). */
int nrm_intake_move_finish(struct store *s, const char *inbox, const char *key,
                           const struct store_intake_move *m, struct nrm_error *err);

/* Finishes every move recorded for the inbox, logging each; the number
 * that could not be finished, or -1 when the store cannot be read. */
int nrm_intake_moves_resume(struct store *s, const char *inbox, const char *key);

/* Moves INBOX/name to INBOX/dest without replacing any other file (see
 * step 3).  0, or -1 with err: EX_CANTCREAT when another file has the name. */
int nrm_intake_move_file(const char *inbox, const char *name, const char *dest,
                         struct nrm_error *err);

#endif
