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

static bool known[26 * 26];
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
		known[at] = true;
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
	int at = index_of(code);
	return at >= 0 && known[at];
}

void nrm_country_unload(void)
{
	memset(known, 0, sizeof(known));
	loaded = false;
}
