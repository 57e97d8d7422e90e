/*
 * GSS code shapes.  A code is three characters of entity type and six digits
 * of instance; only the entity types DOMAIN.md lists are areas we accept.
 */
#include "gss.h"

#include "nation.h"
#include <stdlib.h>
#include <string.h>

/* Returns the six-digit instance number, or -1 when `code` is not `prefix`
 * followed by exactly six digits. */
static long gss_instance(const char *code, const char *prefix)
{
	if (strlen(code) != 9 || memcmp(code, prefix, 3) != 0)
		return -1;
	long n = 0;
	for (int i = 3; i < 9; i++) {
		if (code[i] < '0' || code[i] > '9')
			return -1;
		n = n * 10 + (code[i] - '0');
	}
	return n;
}

/* The entity types of local authorities with children's services: unitary
 * authorities, metropolitan districts, London boroughs, counties, Welsh
 * principal areas, Scottish council areas, Northern Irish districts.  The
 * list and the message naming it come from this one line. */
#define LOCAL_AUTHORITY_TYPES(X) X(E06) X(E08) X(E09) X(E10) X(W06) X(S12) X(N09)

#define AS_STRING(type) #type,
#define AS_TEXT(type) " " #type
const char nrm_gss_local_authority_types[] =
	"one of" LOCAL_AUTHORITY_TYPES(AS_TEXT) ", then six digits";

bool nrm_gss_is_local_authority(const char *code)
{
	static const char *const prefixes[] = {LOCAL_AUTHORITY_TYPES(AS_STRING)};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (gss_instance(code, prefixes[i]) >= 0)
			return true;
	return false;
}

bool nrm_gss_is_nation(const char *code)
{
	const struct nrm_nation *n = nrm_nation_find(code);
	return n && strcmp(code, n->gss) == 0;
}

bool nrm_gss_is_police_force(const char *code)
{
	long n = gss_instance(code, "E23");
	if (n >= 1 && n <= 39)
		return true;
	n = gss_instance(code, "W15");
	if (n >= 1 && n <= 4)
		return true;
	return strcmp(code, "S92000003") == 0 || strcmp(code, "N92000002") == 0;
}
