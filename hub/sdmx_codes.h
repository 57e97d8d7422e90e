/*
 * The SDMX structure of the returns' figures, once: the dimensions of the
 * two data structures (schemas/nrmhub-sdmx.xml: the site return's and the
 * national return's), which table breakdown each dimension takes its code
 * from, and how a table's own code ("0-11", "female") becomes the code of
 * the dimension's codelist ("Y0T11", "F").  return_sdmx.c writes SDMX-CSV
 * from it; tests/e2e/check_sdmx.py checks every code it writes against
 * the shipped structure.
 */
#ifndef NRM_SDMX_CODES_H
#define NRM_SDMX_CODES_H

#include <stdbool.h>
#include <stddef.h>

/* The dimensions, in the order of the data structures (TIME_PERIOD last). */
enum nrm_sdmx_dim {
	NRM_SDMX_REF_AREA,
	NRM_SDMX_SITE,  /* the national structure only */
	NRM_SDMX_MEASURE,
	NRM_SDMX_AGE,
	NRM_SDMX_SEX,
	NRM_SDMX_EXPLOITATION_TYPE,
	NRM_SDMX_EXPLOITATION_COMBINATION,
	NRM_SDMX_NATIONALITY,
	NRM_SDMX_SECOND_NATIONALITY,
	NRM_SDMX_EXPLOITATION_LOCATION,
	NRM_SDMX_FIRST_RESPONDER,
	NRM_SDMX_DECISION_MAKER,
	NRM_SDMX_DECISION_STAGE,
	NRM_SDMX_DAYS_TO_DECISION,
	NRM_SDMX_CASE_AGE,
	NRM_SDMX_DATA_FIELD,
	NRM_SDMX_COMPARISON_GROUP,
	NRM_SDMX_PERIOD_BASIS,
	NRM_SDMX_TIME_PERIOD,
	NRM_SDMX_N_DIMS
};

/* A dimension's column name, and whether the site structure has it. */
const char *nrm_sdmx_dim_id(enum nrm_sdmx_dim d);
bool nrm_sdmx_dim_in_site(enum nrm_sdmx_dim d);

/* An observation's key: one code a dimension, each a string owned by the
 * key (or a static one). */
struct nrm_sdmx_key {
	char *code[NRM_SDMX_N_DIMS];
};

/* The key of the figures no breakdown splits: _T in every breakdown, Q
 * (the quarter) as period basis, `area` and `period` as given. */
void nrm_sdmx_key_init(struct nrm_sdmx_key *k, const char *area, const char *period);
void nrm_sdmx_key_free(struct nrm_sdmx_key *k);
/* `to` becomes a copy of `from`. */
void nrm_sdmx_key_copy(struct nrm_sdmx_key *to, const struct nrm_sdmx_key *from);
/* Replaces the code of `d` with a copy of `code`. */
void nrm_sdmx_key_set(struct nrm_sdmx_key *k, enum nrm_sdmx_dim d, const char *code);

/* Sets the dimensions that a row of a table with `breakdown` ("AGE_BAND",
 * "COMPARISON") and row code `code` ("0-11", "pilot_rg_quarter") stands
 * for.  A "total" row leaves the key as it is (_T).  Returns false for a
 * code the structure has no code for. */
bool nrm_sdmx_key_breakdown(struct nrm_sdmx_key *k, const char *breakdown, const char *code);

/* Sets MEASURE (and COMPARISON_GROUP where the table's measure names the
 * group: "PILOT_DAYS_MEDIAN") from a column's or a summary row's measure. */
void nrm_sdmx_key_measure(struct nrm_sdmx_key *k, const char *measure);

/* The GSS code of the area of a nation named as the national tables name
 * it ("england"), or NULL. */
const char *nrm_sdmx_nation_area(const char *nation);

/* The UNIT_MEASURE code of a column's unit ("NUMBER", "DAYS", "PERCENT"). */
const char *nrm_sdmx_unit(const char *unit);

#endif
