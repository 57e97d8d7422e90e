/*
 * ONS GSS code checks for the areas the canonical case names (DOMAIN.md).
 */
#ifndef NRM_GSS_H
#define NRM_GSS_H

#include <stdbool.h>

/* A local authority: E06, E08, E09, E10, W06, S12 or N09 and six digits. */
bool nrm_gss_is_local_authority(const char *code);
/* Those types, for messages: "one of E06 E08 ... N09, then six digits". */
extern const char nrm_gss_local_authority_types[];
/* A police force area (E23000001-E23000039, W15000001-W15000004), or the
 * nation code that stands for Police Scotland (S92000003) or PSNI
 * (N92000002), which have no force area code. */
bool nrm_gss_is_police_force(const char *code);
/* England E92000001, Wales W92000004, Scotland S92000003, Northern Ireland
 * N92000002. */
bool nrm_gss_is_nation(const char *code);

#endif
