/*
 * A revision's reason and the provisional policy, checked
 * (revision_policy.h).
 */
#include "revision_policy.h"

#include "util.h"

#include <string.h>

#define DIGITS(n) #n
#define NUMBER_TEXT(n) DIGITS(n)

const char *nrm_revision_reason_problem(const char *reason)
{
	size_t n = strlen(reason);
	if (n == 0 || n > NRM_REVISION_REASON_MAX)
		return "must be from 1 to " NUMBER_TEXT(NRM_REVISION_REASON_MAX) " bytes";
	if (!nrm_utf8_valid(reason, n))
		return "must be UTF-8 text";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7f)
			return "must be one line, without control characters";
	if (reason[0] == ' ' || reason[n - 1] == ' ')
		return "must not start or end with a space";
	return NULL;
}

int nrm_provisional_parse(const char *unit, long n, struct nrm_provisional *out)
{
	if (strcmp(unit, "quarters") == 0 && n >= 0 && n <= NRM_PROVISIONAL_MAX_QUARTERS)
		*out = (struct nrm_provisional){NRM_PROVISIONAL_QUARTERS, (int)n};
	else if (strcmp(unit, "months") == 0 && n >= 0 && n <= NRM_PROVISIONAL_MAX_MONTHS)
		*out = (struct nrm_provisional){NRM_PROVISIONAL_MONTHS, (int)n};
	else
		return -1;
	return 0;
}

