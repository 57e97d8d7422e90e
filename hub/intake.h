/*
 * The Home Office's intake of signed bundles from an inbox folder (as a
 * receiving web server or SFTP drop leaves them): each BAG.tar.gz with its
 * BAG.tar.gz.minisig is verified exactly as `bundle verify` does, with the
 * site's key from the store (store_intake.h), checked against the bundles
 * accepted before, recorded, and moved:
 *
 *   INBOX/accepted/SITE/QUARTER/BAG.tar.gz (+ .minisig)
 *   INBOX/rejected/BAG.tar.gz (+ .minisig, + BAG.tar.gz.reason)
 *
 * A bundle is taken only when it looks complete: its signature is there,
 * both files are regular files last modified at least `settle_seconds` ago
 * (a future time counts as just modified), and neither changed (size,
 * modification time, inode) while it was being verified.  Anything else is
 * left where it is for the next run.
 *
 * A replay (a sequence number not above the last accepted for the site and
 * quarter, including the very bundle accepted before, sent again) is
 * refused.  The one exception is a bundle recorded in the store whose
 * files are not yet in accepted/ (a run stopped between the two): it is
 * moved there and reported accepted.  Moves are recorded in the store
 * before they start, and a run first finishes those a killed run left
 * (intake_move.h).  One intake per inbox at a time: a
 * second waits on INBOX/.nrmhub-intake.lock, then finds the files gone.
 */
#ifndef NRM_INTAKE_H
#define NRM_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct nrm_error;
struct store;

enum nrm_intake_fate { NRM_INTAKE_ACCEPTED, NRM_INTAKE_REJECTED, NRM_INTAKE_LEFT };

struct nrm_intake_outcome {
	char *file;                  /* the archive's name in the inbox */
	enum nrm_intake_fate fate;
	char *reason;                /* why rejected or left; NULL when accepted */
	char *moved_to;              /* relative to the inbox; NULL when left */
	char site[41], quarter[7];   /* when the signature named them */
	unsigned long seq;
	bool revision;               /* accepted with a seq above an earlier one */
	int exit_code;               /* the sysexits.h code of a rejection */
};

struct nrm_intake_opts {
	const char *inbox;
	int settle_seconds;
	time_t now;
};

/* Takes every complete bundle in the inbox.  0 with the outcomes in
 * *out / *n (free with nrm_intake_outcomes_free), or -1 with err filled when
 * the inbox itself cannot be used (a single bad bundle is an outcome, not a
 * failure). */
int nrm_intake_run(const struct nrm_intake_opts *o, struct store *s,
                   struct nrm_intake_outcome **out, size_t *n, struct nrm_error *err);
void nrm_intake_outcomes_free(struct nrm_intake_outcome *o, size_t n);

/* How many rows of an extract count in each of the quarter's lists of days
 * (national.h's NRM_PLACE_*): the return's days_to_decision.*.count and
 * awaiting.*.count must be the same, or the extract is not the one behind
 * the return. */
struct nrm_extract_counts {
	int64_t rg, cg, await_rg, await_cg;
};

/* Checks a cases.csv extract of `site` for `quarter` (formats/return.md)
 * and stores its rows under bundle `bundle_id`, inside the caller's
 * transaction, counting them into *counts.  0, or -1 with err: EX_DATAERR
 * naming the line and column, or the store's error. */
struct nrm_case_dates;
int nrm_intake_store_cases(struct store *s, int64_t bundle_id, const char *site,
                           const char *quarter, const char *csv, size_t len,
                           struct nrm_extract_counts *counts, struct nrm_error *err);
/* The dates of a stored row (store_intake.h's values); 0, or -1 when it
 * has no valid referral date. */
int nrm_intake_row_dates(const char *const values[], struct nrm_case_dates *d);

#endif
