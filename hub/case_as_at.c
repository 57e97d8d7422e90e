/*
 * A case as it could be known on a day (case_as_at.h).
 */
#include "case_as_at.h"

static bool after(int32_t date, int32_t day)
{
	return date != NRM_DATE_NONE && date > day;
}

bool nrm_case_known_on(struct nrm_case *c, int32_t day)
{
	if (c->referral_date == NRM_DATE_NONE || after(c->referral_date, day))
		return false;
	bool rg_later = after(c->rg_decision_date, day);
	if (rg_later) {
		c->rg_decision_date = NRM_DATE_NONE;
		c->rg_outcome = NRM_OUTCOME_NONE;
	}
	/* No conclusive grounds decision without its reasonable grounds one. */
	if (rg_later || after(c->cg_decision_date, day)) {
		c->cg_decision_date = NRM_DATE_NONE;
		c->cg_outcome = NRM_OUTCOME_NONE;
	}
	if (after(c->status_date, day)) {
		c->status = NRM_STATUS_OPEN;
		c->status_date = NRM_DATE_NONE;
	}
	return true;
}
