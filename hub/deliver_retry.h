/*
 * Retrying a delivery within one run: how many attempts, and how long to
 * wait between them (exponential backoff with jitter, so that many sites
 * retrying after a receiver's outage do not all knock at the same moment).
 */
#ifndef NRM_DELIVER_RETRY_H
#define NRM_DELIVER_RETRY_H

#include <stdint.h>

struct nrm_error;

struct nrm_retry_policy {
	unsigned attempts; /* in all, the first included; >= 1 */
	long base_ms;      /* the wait after the first failure, before jitter */
	long cap_ms;       /* no wait is longer than this */
};

#define NRM_RETRY_DEFAULT_ATTEMPTS 5u
#define NRM_RETRY_DEFAULT_BASE_MS 1000L
#define NRM_RETRY_DEFAULT_CAP_MS 60000L

/* The defaults: 5 attempts, 1 s, at most 60 s. */
struct nrm_retry_policy nrm_retry_default(void);

/* Checks a policy: 1-100 attempts, 0 <= base <= cap <= 1 hour. */
int nrm_retry_check(const struct nrm_retry_policy *p, struct nrm_error *err);

/* The wait after `failures` failed attempts (1 for the first), given a
 * uniformly random 32-bit number: with d = min(cap, base * 2^(failures-1)),
 * a wait from d/2 to d ("equal jitter": never less than half the backoff). */
long nrm_retry_delay_ms(const struct nrm_retry_policy *p, unsigned failures, uint32_t random);

/* Sleeps that long (restarting after signals). */
void nrm_retry_sleep_ms(long ms);

#endif
