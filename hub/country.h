/*
 * ISO 3166-1 alpha-2 country codes, read at run time from Debian's iso-codes
 * data rather than a copied list, so new or withdrawn codes follow the
 * system's package.
 */
#ifndef NRM_COUNTRY_H
#define NRM_COUNTRY_H

#include <stdbool.h>

struct nrm_error;

/* Loads the list once: from $NRMHUB_ISO_3166_FILE when set, else the file
 * found at configure time.  Safe to call again. */
int nrm_country_load(struct nrm_error *err);
/* True when `code` is two upper-case letters naming a current country. */
bool nrm_country_known(const char *code);
/* Its name for people, from the same file ("common_name" where there is
 * one), or NULL when `code` is not a current country. */
const char *nrm_country_name(const char *code);
void nrm_country_unload(void);

#endif
