/*
 * The sanity rules of a return (return_rules.h).
 */
#include "return_rules.h"

#include "date.h"
#include "log.h"
#include "london_time.h"
#include "quarter.h"
#include "util.h"

#include <string.h>
#include <sysexits.h>
#include <time.h>

static const char *const rule_names[NRM_RULES] = {
	[NRM_RULE_NOT_ENDED] = "quarter-not-ended",
	[NRM_RULE_BEFORE_JOINED] = "before-joined",
	[NRM_RULE_EMPTY] = "no-referrals-or-decisions",
};

const char *nrm_rule_name(enum nrm_rule rule)
{
	return rule < NRM_RULES ? rule_names[rule] : "?";
}

int nrm_rule_of_name(const char *name)
{
	for (int i = 0; i < NRM_RULES; i++)
		if (strcmp(rule_names[i], name) == 0)
			return i;
	return -1;
}

int32_t nrm_rule_today(int64_t now)
{
	struct tm tm;
	int32_t day = (int32_t)(now / 86400);
	if (nrm_london_local((time_t)now, &tm))
		nrm_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day);
	return day;
}

int nrm_rule_quarter_ended(const struct nrm_quarter *q, int32_t today, struct nrm_error *err)
{
	if (q->last < today)
		return 0;
	char name[7], last[11], on[11];
	nrm_quarter_format(q, name);
	nrm_date_format_iso(q->last, last);
	nrm_date_format_iso(today, on);
	return nrm_fail(err, EX_USAGE, "%s has not ended on %s (its last day is %s), so its "
	                "figures are not final", name, on, last);
}

int nrm_rule_after_joined(const struct nrm_quarter *q, int32_t joined, struct nrm_error *err)
{
	if (q->last >= joined)
		return 0;
	char name[7], day[11];
	nrm_quarter_format(q, name);
	nrm_date_format_iso(joined, day);
	return nrm_fail(err, EX_USAGE, "%s ended before the site joined the pilot on %s, so the "
	                "site had no cases to decide", name, day);
}

/* A count of the return: a published return's "[c]" is 1 or more. */
static bool nonzero(const json_t *v)
{
	return json_is_integer(v) ? json_integer_value(v) != 0 : v && !json_is_null(v);
}

int nrm_rule_not_empty(const json_t *ret, struct nrm_error *err)
{
	const json_t *decisions = json_object_get(ret, "decisions");
	if (nonzero(json_object_get(json_object_get(ret, "referrals"), "total")))
		return 0;
	const char *stages[] = {"rg", "cg"}, *outcomes[] = {"positive", "negative"};
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 2; k++)
			if (nonzero(json_object_get(json_object_get(decisions, stages[i]), outcomes[k])))
				return 0;
	const char *quarter = json_string_value(json_object_get(ret, "quarter"));
	const char *site = json_string_value(json_object_get(ret, "site"));
	return nrm_fail(err, EX_DATAERR, "the %s return of %s has no referrals and no decisions "
	                "(are its cases imported? is it the right site?)", quarter ? quarter : "?",
	                site ? site : "?");
}

size_t nrm_rules_forced_names(nrm_rules_forced forced, const char *names[NRM_RULES])
{
	size_t n = 0;
	for (int i = 0; i < NRM_RULES; i++)
		if (forced & (1u << i))
			names[n++] = rule_names[i];
	return n;
}

int nrm_rule_apply(enum nrm_rule rule, int failed, bool force, nrm_rules_forced *forced,
                   const struct nrm_error *err)
{
	if (!failed)
		return 0;
	if (force) {
		nrm_warn("forced (%s): %s", nrm_rule_name(rule), err->msg);
		*forced |= 1u << rule;
		return 0;
	}
	nrm_log_error("refused (%s): %s; give --force to build it anyway", nrm_rule_name(rule),
	              err->msg);
	return err->code;
}
