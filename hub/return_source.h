/*
 * Where `nrmhub return build` gets its cases: anything that can hand over
 * canonical cases one at a time.  Two sources exist: the import pipeline
 * over files (--from FMT INPUT...) and the case store (--store FILE).
 */
#ifndef NRM_RETURN_SOURCE_H
#define NRM_RETURN_SOURCE_H

#include <nrmhub/plugin.h>

/* Receives one case; 0 to go on, or a sysexits.h code (already reported) to
 * stop. */
typedef int (*nrm_case_fn)(void *ctx, const struct nrm_case *c);

struct nrm_case_source {
	/* Calls fn for every case, then returns 0, or a sysexits.h code when
	 * the source failed (reported) or fn stopped it (fn's code). */
	int (*each)(const struct nrm_case_source *src, nrm_case_fn fn, void *ctx);
	void *state;  /* the source's own */
};

#endif
