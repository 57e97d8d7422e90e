/*
 * The four nations of the UK, once: the key nrmhub writes them by
 * ("wales"), their ONS GSS code (W92000004), their name ("Wales"), and the
 * letter every GSS code of an area in them starts with.  Site
 * configurations name a nation by its code, `keys add --nation` by either,
 * national.json by its key; the SDMX codelist maps keys to codes.
 */
#ifndef NRM_NATION_H
#define NRM_NATION_H

/* X(key, gss, name, letter), in the Home Office's order. */
#define NRM_NATION_LIST(X)                                      \
	X("england", "E92000001", "England", 'E')                   \
	X("wales", "W92000004", "Wales", 'W')                       \
	X("scotland", "S92000003", "Scotland", 'S')                 \
	X("northern_ireland", "N92000002", "Northern Ireland", 'N')
#define NRM_NATIONS 4

struct nrm_nation {
	const char *key, *gss, *name;
	char letter;
};

extern const struct nrm_nation nrm_nations[NRM_NATIONS];

/* The nation `text` names: its key, its GSS code or its name (any case);
 * NULL when none. */
const struct nrm_nation *nrm_nation_find(const char *text);
/* The nation an area's GSS code (E06000020, W06000015...) is in; NULL when
 * its letter is no nation's. */
const struct nrm_nation *nrm_nation_of_area(const char *gss);

#endif
