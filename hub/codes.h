/*
 * The canonical names of the case's code values ("female", "ddm_panel"),
 * in one place for the hub and, through the host table, for plugins.
 */
#ifndef NRM_CODES_H
#define NRM_CODES_H

#include <stddef.h>
#include <stdint.h>

/* The canonical name, or NULL for a set's "not known" value where JSON writes
 * null (outcome, decision maker, first responder).  Gender and location name
 * their unknown value "unknown". */
const char *nrm_code_name(int kind, int32_t value);
int nrm_code_parse(int kind, const char *text, size_t len, int32_t *out);
/* How many values a kind has, counting the unknown one; for tests. */
int nrm_code_count(int kind);

#endif
