/*
 * A site's display name (the configuration's site.name, "Birmingham
 * Children's Trust"): what people read where a return names its site,
 * beside the code (`birmingham`) that files, keys and signatures use.
 * It is recorded in return.json as site_name (optional: returns built
 * before it, or without a configuration, name the site by its code), and
 * stands in bag-info.txt as Source-Organization, in ODS and HTML titles
 * and in the national tables by site.
 */
#ifndef NRM_SITE_NAME_H
#define NRM_SITE_NAME_H

#include <jansson.h>

/* The longest name, in bytes: a council's full name fits many times. */
#define NRM_SITE_NAME_MAX 200

/* NULL when `name` may be a site's display name: 1 to NRM_SITE_NAME_MAX
 * bytes of UTF-8 on one line, no control characters, no space at its
 * start or end (so that it stands as one bag-info.txt field and cannot
 * add another, and reads the same in every output).  Else the rule it
 * breaks, as a phrase ("must be one line ..."). */
const char *nrm_site_name_problem(const char *name);

/* The display name a return records ($.site_name), or NULL. */
const char *nrm_return_site_name(const json_t *ret);

/* Records `name` as ret's site_name, placed right after $.site so that a
 * person reading return.json finds the two together.  NULL: nothing. */
void nrm_return_set_site_name(json_t *ret, const char *name);

#endif
