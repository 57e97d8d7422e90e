/*
 * The country list is small (about 250 entries), so it is held as a 26 x 26
 * table indexed by the two letters: a lookup is two subtractions.
 */
#include "country.h"

#include "util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The country's name for people ("common_name" where iso-codes has one,
 * as "Bolivia" for "Bolivia, Plurinational State of"), NULL for a code
 * that is no country: being set is being known. */
static char *names[26 * 26];
static bool loaded;

static int index_of(const char *code)
{
	if (!code || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' ||
	    code[1] > 'Z' || code[2] != '\0')
		return -1;
	return (code[0] - 'A') * 26 + (code[1] - 'A');
}

static int load_entries(json_t *list, const char *path, struct nrm_error *err)
{
	size_t i;
	json_t *entry;
	json_array_foreach(list, i, entry) {
		const char *alpha2 = json_string_value(json_object_get(entry, "alpha_2"));
		int at = index_of(alpha2);
		if (at < 0)
			return nrm_fail(err, EX_OSFILE, "%s: entry %zu: no valid alpha_2 code",
			                path, i);
		const json_t *name = json_object_get(entry, "common_name");
		if (!json_is_string(name))
			name = json_object_get(entry, "name");
		if (!json_is_string(name))
			return nrm_fail(err, EX_OSFILE, "%s: entry %zu: no name", path, i);
		free(names[at]);
		names[at] = nrm_xstrdup(json_string_value(name));
	}
	return 0;
}

int nrm_country_load(struct nrm_error *err)
{
	if (loaded)
		return 0;
	const char *path = getenv("NRMHUB_ISO_3166_FILE");
	if (!path || !*path)
		path = NRM_ISO_3166_FILE;
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return nrm_fail(err, EX_OSFILE,
		                "cannot read the ISO 3166 country list %s: %s (install Debian's "
		                "iso-codes package)", path, jerr.text);
	json_t *list = json_object_get(root, "3166-1");
	int rc = json_is_array(list) ? load_entries(list, path, err)
	                             : nrm_fail(err, EX_OSFILE, "%s: no \"3166-1\" list", path);
	json_decref(root);
	if (rc != 0) {
		nrm_country_unload();
		return rc;
	}
	loaded = true;
	return 0;
}

bool nrm_country_known(const char *code)
{
	return nrm_country_name(code) != NULL;
}

const char *nrm_country_name(const char *code)
{
	int at = index_of(code);
	return at >= 0 ? names[at] : NULL;
}

void nrm_country_unload(void)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		free(names[i]);
		names[i] = NULL;
	}
	loaded = false;
}
