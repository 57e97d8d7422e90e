/* The four nations (nation.h). */
#include "nation.h"

#include <stddef.h>
#include <strings.h>

#define AS_NATION(key, gss, name, letter) {key, gss, name, letter},
const struct nrm_nation nrm_nations[NRM_NATIONS] = {NRM_NATION_LIST(AS_NATION)};
#undef AS_NATION

const struct nrm_nation *nrm_nation_find(const char *text)
{
	for (size_t i = 0; text && i < NRM_NATIONS; i++) {
		const struct nrm_nation *n = &nrm_nations[i];
		if (strcasecmp(text, n->key) == 0 || strcasecmp(text, n->gss) == 0 ||
		    strcasecmp(text, n->name) == 0)
			return n;
	}
	return NULL;
}

const struct nrm_nation *nrm_nation_of_area(const char *gss)
{
	for (size_t i = 0; gss && i < NRM_NATIONS; i++)
		if (gss[0] == nrm_nations[i].letter)
			return &nrm_nations[i];
	return NULL;
}
