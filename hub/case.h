/*
 * The canonical case's rules (DESIGN.md, schema version 2).  Every record an
 * import plugin produces passes through nrm_case_validate() before anything
 * else sees it.  schemas/case.schema.json states the same rules for JSON;
 * tests/e2e/schema_agreement.sh keeps the two in step.
 */
#ifndef NRM_CASE_H
#define NRM_CASE_H

#include <nrmhub/plugin.h>

struct nrm_case_problem {
	const char *field;  /* canonical field name */
	char reason[200];
};

void nrm_case_init(struct nrm_case *c);
/* Makes unknown what a module built for ABI minor `abi_minor` cannot have
 * set (members added since), after each of its import_next calls. */
void nrm_case_from_module(struct nrm_case *c, unsigned abi_minor);
/* 0 when the record keeps every rule; otherwise -1 with the first broken
 * rule in *problem.  Needs the country list (nrm_country_load). */
int nrm_case_validate(const struct nrm_case *c, struct nrm_case_problem *problem);

#endif
