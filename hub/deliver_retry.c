/*
 * Backoff for delivery retries: see deliver_retry.h.
 */
#include "deliver_retry.h"

#include "util.h"

#include <errno.h>
#include <sysexits.h>
#include <time.h>

struct nrm_retry_policy nrm_retry_default(void)
{
	return (struct nrm_retry_policy){NRM_RETRY_DEFAULT_ATTEMPTS, NRM_RETRY_DEFAULT_BASE_MS,
	                                 NRM_RETRY_DEFAULT_CAP_MS};
}

int nrm_retry_check(const struct nrm_retry_policy *p, struct nrm_error *err)
{
	if (p->attempts < 1 || p->attempts > 100)
		return nrm_fail(err, EX_USAGE, "attempts must be from 1 to 100, not %u", p->attempts);
	if (p->base_ms < 0 || p->cap_ms < 0 || p->cap_ms > 3600L * 1000)
		return nrm_fail(err, EX_USAGE,
		                "backoff times must be from 0 to 3600000 ms (one hour)");
	if (p->base_ms > p->cap_ms)
		return nrm_fail(err, EX_USAGE, "the backoff base (%ld ms) is above its cap (%ld ms)",
		                p->base_ms, p->cap_ms);
	return 0;
}

long nrm_retry_delay_ms(const struct nrm_retry_policy *p, unsigned failures, uint32_t random)
{
	if (failures < 1)
		failures = 1;
	long d = p->base_ms;
	/* Doubling stops at the cap, so there is no overflow to fear. */
	for (unsigned i = 1; i < failures && d < p->cap_ms; i++)
		d *= 2;
	if (d > p->cap_ms)
		d = p->cap_ms;
	long half = d / 2;
	return half + (long)((uint64_t)(d - half) * random / UINT32_MAX);
}

void nrm_retry_sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
