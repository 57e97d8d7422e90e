/*
 * The sanity rules a return must pass before it is built to be sent, each
 * a mistake a person would not make on purpose: a quarter that has not
 * ended yet (its figures are not final), a quarter before the site joined
 * the pilot (it had no cases to decide), and a return with no referrals and
 * no decisions at all (an empty store, or the wrong site).  `return build`,
 * `bundle create --quarter` and return jobs refuse each with its own
 * message; `--force` overrides them, and a bundle then says which rules in
 * its bag-info.txt (`Forced: RULE`).  Intake refuses a quarter that has not
 * ended whatever the sender forced.
 */
#ifndef NRM_RETURN_RULES_H
#define NRM_RETURN_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct nrm_error;
struct nrm_quarter;

enum nrm_rule {
	NRM_RULE_NOT_ENDED,  /* "quarter-not-ended": EX_USAGE */
	NRM_RULE_BEFORE_JOINED, /* "before-joined": EX_USAGE */
	NRM_RULE_EMPTY,      /* "no-referrals-or-decisions": EX_DATAERR */
	NRM_RULES
};

/* The rules a return was forced past: a bit per enum nrm_rule. */
typedef unsigned nrm_rules_forced;

/* The rule's name, as bag-info.txt's Forced lines and the messages say it. */
const char *nrm_rule_name(enum nrm_rule rule);

/* The London date (days since 1970-01-01) at `now`: what "today" is for
 * whether a quarter has ended.  Uses the process's zone (Europe/London once
 * nrm_london_init ran, as every command that checks the rules calls it). */
int32_t nrm_rule_today(int64_t now);

/* Each rule: 0 when it holds, else -1 with err (the code above) saying
 * what is wrong; the caller says what it does about it (nrm_rule_apply). */
int nrm_rule_quarter_ended(const struct nrm_quarter *q, int32_t today, struct nrm_error *err);
int nrm_rule_after_joined(const struct nrm_quarter *q, int32_t joined, struct nrm_error *err);
int nrm_rule_not_empty(const json_t *ret, struct nrm_error *err);

/* What a command does with a rule's result `failed` (-1 or 0, err filled
 * by the rule): 0 when it held; when it failed, with `force` a warning
 * ("forced (RULE): ...") and its bit set in *forced, returning 0, else an
 * error ("refused (RULE): ...; give --force ...") and err's code. */
int nrm_rule_apply(enum nrm_rule rule, int failed, bool force, nrm_rules_forced *forced,
                   const struct nrm_error *err);

/* The names of the forced rules, in enum order, into names[NRM_RULES];
 * returns how many. */
size_t nrm_rules_forced_names(nrm_rules_forced forced, const char *names[NRM_RULES]);

/* The rule named `name`, or -1. */
int nrm_rule_of_name(const char *name);

#endif
