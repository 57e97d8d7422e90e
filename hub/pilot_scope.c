/*
 * The pilot's scope rule.  Ages are counted with the calendar, not by
 * dividing days by 365.25, so a child is 18 on their 18th birthday and not
 * a day before or after it.
 */
#include "pilot_scope.h"

#include "date.h"

#include <stdbool.h>
#include <string.h>

static const char *const scope_names[NRM_SCOPE_COUNT] = {
	[NRM_SCOPE_UNKNOWN] = "unknown",
	[NRM_SCOPE_IN] = "in_scope",
	[NRM_SCOPE_NEAR_18] = "near_18",
	[NRM_SCOPE_AGE_DISPUTED] = "age_disputed",
};

int32_t nrm_birthday(int32_t dob, int years)
{
	return nrm_date_add_years(dob, years);
}

int nrm_age_on(int32_t dob, int32_t day)
{
	int by, bm, bd, y, m, d;
	nrm_date_to_ymd(dob, &by, &bm, &bd);
	nrm_date_to_ymd(day, &y, &m, &d);
	int age = y - by;
	if (age > 0 && day < nrm_birthday(dob, age))
		age--;
	return age;
}

enum nrm_pilot_scope nrm_pilot_scope(const struct nrm_case *c, int32_t *age)
{
	bool known = c->date_of_birth != NRM_DATE_NONE && c->referral_date != NRM_DATE_NONE &&
	             c->date_of_birth <= c->referral_date;
	if (age)
		*age = known ? nrm_age_on(c->date_of_birth, c->referral_date) : NRM_AGE_NONE;
	/* A dispute decides first: a disputed age goes back to the Home Office
	 * whatever the recorded date of birth says. */
	if (c->age_disputed == NRM_YES)
		return NRM_SCOPE_AGE_DISPUTED;
	if (!known)
		return NRM_SCOPE_UNKNOWN;
	int32_t days_to_18 = nrm_birthday(c->date_of_birth, 18) - c->referral_date;
	return days_to_18 > NRM_SCOPE_MIN_DAYS_TO_18 ? NRM_SCOPE_IN : NRM_SCOPE_NEAR_18;
}

const char *nrm_pilot_scope_name(enum nrm_pilot_scope s)
{
	return (unsigned)s < NRM_SCOPE_COUNT ? scope_names[s] : NULL;
}

int nrm_pilot_scope_parse(const char *name)
{
	for (int i = 0; i < NRM_SCOPE_COUNT; i++)
		if (strcmp(scope_names[i], name) == 0)
			return i;
	return -1;
}
