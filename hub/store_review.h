/*
 * The decisions taken on returns a job held for review (review_held.h), in
 * the case store (schema version 9, store_schema.c): who approved or
 * rejected which site's quarter, when, with what note or reason, the
 * bundles an approval made and the sanity rules the return was forced
 * past.  Functions return 0, or -1 with store_error() set.
 */
#ifndef NRM_STORE_REVIEW_H
#define NRM_STORE_REVIEW_H

#include <stdint.h>

struct store;

struct store_review {
	const char *site, *quarter;
	const char *job;       /* the return job that held it */
	const char *decision;  /* "approved" or "rejected" */
	const char *os_user;   /* who decided */
	int64_t decided_at;    /* seconds since the epoch */
	int64_t held_at;       /* when the job held it */
	const char *text;      /* the approval's note ("" none) or the rejection's reason */
	const char *forced;    /* the rules forced past, comma-separated ("" none) */
	const char *bundles;   /* an approval's bundles, a JSON list of paths ("[]") */
};

int store_review_add(struct store *s, const struct store_review *r);

/* Calls `fn` for each decision on (site, quarter), oldest first (the
 * strings live for the call); stops when it returns non-zero.  That
 * value, 0, or -1. */
typedef int (*store_review_fn)(const struct store_review *r, void *ctx);
int store_review_each(struct store *s, const char *site, const char *quarter,
                      store_review_fn fn, void *ctx);

#endif
