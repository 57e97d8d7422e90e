/*
 * Cron schedules (hub/cron.h): the parser, and for a schedule it accepts,
 * the next run after a fixed time (which must be a whole minute after it).
 */
// seeds: tests/fuzz/seeds/cron/
#include "fuzz.h"

#include "cron.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096) /* a schedule is one line of a configuration file */
		return 0;
	char *text = nrm_fuzz_text(data, size);
	struct nrm_cron c;
	struct nrm_error err;
	if (nrm_cron_parse(text, &c, &err) == 0) {
		const time_t after = 1767225600; /* 2026-01-01T00:00:00Z */
		time_t next = nrm_cron_next(&c, after);
		/* parse refuses schedules that never run, so there is a next run */
		if (next == (time_t)-1 || next <= after || next % 60 != 0) {
			fprintf(stderr, "fuzz: \"%s\": bad next run %lld\n", text, (long long)next);
			abort();
		}
	}
	free(text);
	return 0;
}
