/*
 * Statistical disclosure control for the published audience: small counts
 * become "[c]", and more cells are hidden so that no hidden count can be
 * worked out from the totals published beside it.  The rule is stated in
 * return_suppress.c and formats/return.md.
 */
#ifndef NRM_RETURN_SUPPRESS_H
#define NRM_RETURN_SUPPRESS_H

#include <jansson.h>

/* The smallest and largest count hidden for being small. */
#define NRM_SUPPRESS_MIN 1
#define NRM_SUPPRESS_MAX 4

/* Rewrites an official return.json (exact counts) in place for
 * publication. */
void nrm_return_suppress(json_t *ret);

#endif
