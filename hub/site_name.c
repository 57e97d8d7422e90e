/*
 * A site's display name (site_name.h).
 */
#include "site_name.h"

#include "util.h"

#include <string.h>

/* The limit's digits, for the message, from the one number. */
#define DIGITS(n) #n
#define NUMBER_TEXT(n) DIGITS(n)

const char *nrm_site_name_problem(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > NRM_SITE_NAME_MAX)
		return "must be from 1 to " NUMBER_TEXT(NRM_SITE_NAME_MAX) " bytes";
	if (!nrm_utf8_valid(name, n))
		return "must be UTF-8 text";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return "must be one line, without control characters";
	if (name[0] == ' ' || name[n - 1] == ' ')
		return "must not start or end with a space";
	return NULL;
}

const char *nrm_return_site_name(const json_t *ret)
{
	return json_string_value(json_object_get(ret, "site_name"));
}

void nrm_return_set_site_name(json_t *ret, const char *name)
{
	if (!name || !json_is_object(ret))
		return;
	/* jansson keeps insertion order: rebuild the object around it. */
	json_t *copy = json_copy(ret);
	json_object_clear(ret);
	const char *key;
	json_t *v;
	json_object_foreach(copy, key, v) {
		if (strcmp(key, "site_name") == 0)
			continue;
		json_object_set(ret, key, v);
		if (strcmp(key, "site") == 0)
			json_object_set_new(ret, "site_name", json_string(name));
	}
	if (!json_object_get(ret, "site_name"))
		json_object_set_new(ret, "site_name", json_string(name));
	json_decref(copy);
}
