/*
 * What the alerts (alerts.h) keep in the store: the alert_sent table, one
 * row per problem mailed while it lasts, and the question the overdue
 * alert asks of bundle_made.  Functions return 0, or -1 with
 * store_error() set; lookups return 1 for "none".
 */
#ifndef NRM_STORE_ALERTS_H
#define NRM_STORE_ALERTS_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* When the alert for `problem` was first and last sent; 1 if never (or
 * not since it cleared). */
int store_alert_get(struct store *s, const char *problem, int64_t *first_sent,
                    int64_t *last_sent);
/* Records that it was sent at `now` (first_sent kept when it was before). */
int store_alert_sent(struct store *s, const char *problem, int64_t now);
/* Forgets every problem not among `current` (n keys): those have cleared,
 * and alert again when they come back. */
int store_alert_forget_others(struct store *s, const char *const *current, size_t n);

/* 0 when a bundle of `site`'s `quarter` was finished, 1 when none was. */
int store_bundle_finished_for(struct store *s, const char *site, const char *quarter);

#endif
