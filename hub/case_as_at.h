/*
 * A case as it could be known on a day: a return built at a moment counts
 * nothing dated after it, even when the store holds it (a record imported
 * early with a decision dated later is a data error, not a decision made).
 * See formats/return.md, "Data as at".
 */
#ifndef NRM_CASE_AS_AT_H
#define NRM_CASE_AS_AT_H

#include <nrmhub/plugin.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Makes *c what was known of it on `day` (days since 1970-01-01): a
 * decision dated after it not yet made (its date and outcome unknown; the
 * conclusive grounds decision too when the reasonable grounds one goes), a
 * withdrawal or transfer dated after it not yet happened (the case open).
 * False when the case was referred after `day`: it did not exist then.
 */
bool nrm_case_known_on(struct nrm_case *c, int32_t day);

#endif
