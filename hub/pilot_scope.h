/*
 * Who is in the pilot's scope (formats/return.md, "Pilot scope"): the one
 * place the rule is computed.  The return's extract, its comparison and the
 * national build all read the answer from here (or from the extract's
 * pilot_scope column, which this wrote), never from a rule of their own.
 */
#ifndef NRM_PILOT_SCOPE_H
#define NRM_PILOT_SCOPE_H

#include <nrmhub/plugin.h>

#include <stdint.h>

enum nrm_pilot_scope {
	NRM_SCOPE_UNKNOWN = 0, /* no date of birth, age not disputed */
	NRM_SCOPE_IN,          /* 17 or under, more than 100 days from 18 */
	NRM_SCOPE_NEAR_18,     /* 100 days or fewer from 18 (or over it) */
	NRM_SCOPE_AGE_DISPUTED,
};
#define NRM_SCOPE_COUNT 4
/* How many days before the 18th birthday a child must still be. */
#define NRM_SCOPE_MIN_DAYS_TO_18 100

/* The age in whole years on `day` of a child born on `dob` (both days since
 * 1970-01-01; day >= dob).  A child born on 29 February becomes a year
 * older on 1 March in a common year, as in English law. */
int nrm_age_on(int32_t dob, int32_t day);
/* The date of the `years`th birthday of a child born on `dob`. */
int32_t nrm_birthday(int32_t dob, int years);

/* The case's scope at referral, and its age at referral in whole years
 * (NRM_AGE_NONE without a date of birth) in *age when age is not NULL. */
enum nrm_pilot_scope nrm_pilot_scope(const struct nrm_case *c, int32_t *age);

/* "in_scope", "near_18", "age_disputed", "unknown". */
const char *nrm_pilot_scope_name(enum nrm_pilot_scope s);
/* The value named by `name`; -1 when there is none. */
int nrm_pilot_scope_parse(const char *name);

#endif
