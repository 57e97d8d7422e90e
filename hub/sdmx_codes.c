/*
 * The SDMX codes of the returns' figures (sdmx_codes.h): one table of
 * breakdowns, each naming its dimension and its codes, so that a code
 * appears here once and in the structure message (schemas/nrmhub-sdmx.xml)
 * once.  Codes follow SDMX's conventions: _T total, _U unknown, _Z not
 * applicable, _O other, age ranges as Y0T11.
 */
#include "sdmx_codes.h"

#include "nation.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *id;
	bool in_site;
} dims[NRM_SDMX_N_DIMS] = {
	[NRM_SDMX_REF_AREA] = {"REF_AREA", true},
	[NRM_SDMX_SITE] = {"SITE", false},
	[NRM_SDMX_MEASURE] = {"MEASURE", true},
	[NRM_SDMX_AGE] = {"AGE", true},
	[NRM_SDMX_SEX] = {"SEX", true},
	[NRM_SDMX_EXPLOITATION_TYPE] = {"EXPLOITATION_TYPE", true},
	[NRM_SDMX_EXPLOITATION_COMBINATION] = {"EXPLOITATION_COMBINATION", true},
	[NRM_SDMX_NATIONALITY] = {"NATIONALITY", true},
	[NRM_SDMX_SECOND_NATIONALITY] = {"SECOND_NATIONALITY", true},
	[NRM_SDMX_EXPLOITATION_LOCATION] = {"EXPLOITATION_LOCATION", true},
	[NRM_SDMX_FIRST_RESPONDER] = {"FIRST_RESPONDER", true},
	[NRM_SDMX_DECISION_MAKER] = {"DECISION_MAKER", true},
	[NRM_SDMX_DECISION_STAGE] = {"DECISION_STAGE", true},
	[NRM_SDMX_DAYS_TO_DECISION] = {"DAYS_TO_DECISION", true},
	[NRM_SDMX_CASE_AGE] = {"CASE_AGE", true},
	[NRM_SDMX_DATA_FIELD] = {"DATA_FIELD", true},
	[NRM_SDMX_COMPARISON_GROUP] = {"COMPARISON_GROUP", true},
	[NRM_SDMX_PERIOD_BASIS] = {"PERIOD_BASIS", true},
	[NRM_SDMX_TIME_PERIOD] = {"TIME_PERIOD", true},
};

const char *nrm_sdmx_dim_id(enum nrm_sdmx_dim d)
{
	return dims[d].id;
}

bool nrm_sdmx_dim_in_site(enum nrm_sdmx_dim d)
{
	return dims[d].in_site;
}

/* ---- codes -------------------------------------------------------------- */

struct code_map {
	const char *from, *to;
};

static const struct code_map age_codes[] = {
	{"child", "Y0T17"}, {"0-11", "Y0T11"}, {"12-15", "Y12T15"}, {"16-17", "Y16T17"},
	{"unknown", "_U"},
};
static const struct code_map sex_codes[] = {
	{"female", "F"}, {"male", "M"}, {"other", "_O"}, {"unknown", "_U"},
};
static const struct code_map type_codes[] = {
	{"criminal", "CRIMINAL"}, {"domestic", "DOMESTIC"}, {"labour", "LABOUR"},
	{"sexual", "SEXUAL"}, {"organ_harvesting", "ORGAN_HARVESTING"}, {"not_specified", "_U"},
};
static const struct code_map location_codes[] = {
	{"uk", "UK"}, {"overseas", "OVERSEAS"}, {"uk_and_overseas", "UK_AND_OVERSEAS"},
	{"unknown", "_U"},
};
static const struct code_map responder_codes[] = {
	{"government_agency", "GOVERNMENT_AGENCY"}, {"ngo", "NGO"}, {"police", "POLICE"},
	{"local_authority", "LOCAL_AUTHORITY"}, {"unknown", "_U"},
};
static const struct code_map maker_codes[] = {
	{"ddm_panel", "DDM_PANEL"}, {"sca", "SCA"}, {"ieca", "IECA"}, {"unknown", "_U"},
};
static const struct code_map stage_codes[] = {{"rg", "RG"}, {"cg", "CG"}};
static const struct code_map band_codes[] = {
	{"0-45", "D0T45"}, {"46-90", "D46T90"}, {"91-180", "D91T180"},
	{"181-365", "D181T365"}, {"366+", "D_GE366"},
};
static const struct code_map field_codes[] = {
	{"nrm_ref", "NRM_REF"}, {"first_responder_type", "FIRST_RESPONDER_TYPE"},
	{"first_responder_org", "FIRST_RESPONDER_ORG"}, {"local_authority", "LOCAL_AUTHORITY"},
	{"police_force", "POLICE_FORCE"}, {"age_at_exploitation", "AGE_AT_EXPLOITATION"},
	{"gender", "GENDER"}, {"nationality", "NATIONALITY"},
	{"exploitation_types", "EXPLOITATION_TYPES"}, {"county_lines", "COUNTY_LINES"},
	{"exploitation_location", "EXPLOITATION_LOCATION"}, {"decision_maker", "DECISION_MAKER"},
	{"updated_at", "UPDATED_AT"},
};
static const struct code_map group_codes[] = {
	{"pilot", "PILOT"}, {"home_office", "HOME_OFFICE"},
	{"pilot_site_home_office", "PILOT_SITE_HOME_OFFICE"},
};
static const struct code_map basis_codes[] = {{"quarter", "Q"}, {"cumulative", "CUM"}};
#define AS_CODE(key, gss, name, letter) {key, gss},
static const struct code_map nation_codes[] = {NRM_NATION_LIST(AS_CODE)};
#undef AS_CODE
static const struct code_map unit_codes[] = {
	/* Eurostat's CL_UNIT codes, the ones SDMX producers most often share:
	 * NR a number (of children, cases, decisions), DAY, PC a percentage. */
	{"NUMBER", "NR"}, {"DAYS", "DAY"}, {"PERCENT", "PC"},
};

static const char *map_code(const struct code_map *m, size_t n, const char *from)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].from, from) == 0)
			return m[i].to;
	return NULL;
}

/* ---- keys --------------------------------------------------------------- */

void nrm_sdmx_key_init(struct nrm_sdmx_key *k, const char *area, const char *period)
{
	for (size_t d = 0; d < NRM_SDMX_N_DIMS; d++)
		k->code[d] = nrm_xstrdup("_T");
	nrm_sdmx_key_set(k, NRM_SDMX_REF_AREA, area);
	nrm_sdmx_key_set(k, NRM_SDMX_PERIOD_BASIS, "Q");
	nrm_sdmx_key_set(k, NRM_SDMX_TIME_PERIOD, period);
}

void nrm_sdmx_key_free(struct nrm_sdmx_key *k)
{
	for (size_t d = 0; d < NRM_SDMX_N_DIMS; d++)
		free(k->code[d]);
}

void nrm_sdmx_key_copy(struct nrm_sdmx_key *to, const struct nrm_sdmx_key *from)
{
	for (size_t d = 0; d < NRM_SDMX_N_DIMS; d++)
		to->code[d] = nrm_xstrdup(from->code[d]);
}

void nrm_sdmx_key_set(struct nrm_sdmx_key *k, enum nrm_sdmx_dim d, const char *code)
{
	free(k->code[d]);
	k->code[d] = nrm_xstrdup(code);
}

static bool set_mapped(struct nrm_sdmx_key *k, enum nrm_sdmx_dim d, const struct code_map *m,
                       size_t n, const char *from)
{
	const char *to = map_code(m, n, from);
	if (to)
		nrm_sdmx_key_set(k, d, to);
	return to != NULL;
}

/* "sexual+labour+criminal" -> SEXUAL__LABOUR__CRIMINAL: the types' codes
 * in the Home Office's order, joined by "__" (SDMX ids have no '+'). */
static bool set_combination(struct nrm_sdmx_key *k, const char *code)
{
	if (strcmp(code, "not_specified") == 0) {
		nrm_sdmx_key_set(k, NRM_SDMX_EXPLOITATION_COMBINATION, "_U");
		return true;
	}
	char *out = nrm_xmalloc(2 * strlen(code) + 1), *o = out;
	for (const char *c = code; *c; c++) {
		if (*c == '+') {
			*o++ = '_';
			*o++ = '_';
		} else {
			*o++ = (char)toupper((unsigned char)*c);
		}
	}
	*o = '\0';
	free(k->code[NRM_SDMX_EXPLOITATION_COMBINATION]);
	k->code[NRM_SDMX_EXPLOITATION_COMBINATION] = out;
	return true;
}

/* "AL" -> AL and _Z (no second nationality); "AL+GB" -> AL and GB, so
 * that both codes come from ISO 3166-1 and no codelist of pairs is needed. */
static bool set_nationality(struct nrm_sdmx_key *k, const char *code)
{
	size_t len = strlen(code);
	if (strcmp(code, "unknown") == 0) {
		nrm_sdmx_key_set(k, NRM_SDMX_NATIONALITY, "_U");
		nrm_sdmx_key_set(k, NRM_SDMX_SECOND_NATIONALITY, "_Z");
		return true;
	}
	if (len != 2 && !(len == 5 && code[2] == '+'))
		return false;
	char first[3] = {code[0], code[1], '\0'};
	nrm_sdmx_key_set(k, NRM_SDMX_NATIONALITY, first);
	nrm_sdmx_key_set(k, NRM_SDMX_SECOND_NATIONALITY, len == 5 ? code + 3 : "_Z");
	return true;
}

/* "pilot_site_home_office_rg_cumulative": group, stage and period basis,
 * read from the end, since a group's code holds underscores. */
static bool set_comparison(struct nrm_sdmx_key *k, const char *code)
{
	const char *basis = strrchr(code, '_');
	if (!basis || basis - code < 4 || basis[-3] != '_')
		return false;
	char stage[3] = {basis[-2], basis[-1], '\0'};
	char *group = nrm_xasprintf("%.*s", (int)(basis - 3 - code), code);
	bool ok = set_mapped(k, NRM_SDMX_COMPARISON_GROUP, group_codes, N_OF(group_codes), group) &&
	          set_mapped(k, NRM_SDMX_DECISION_STAGE, stage_codes, N_OF(stage_codes), stage) &&
	          set_mapped(k, NRM_SDMX_PERIOD_BASIS, basis_codes, N_OF(basis_codes), basis + 1);
	free(group);
	return ok;
}

/* Breakdowns whose code is one dimension's, through a map. */
static const struct {
	const char *breakdown;
	enum nrm_sdmx_dim dim;
	const struct code_map *map;
	size_t n;
} mapped[] = {
	{"AGE_BAND", NRM_SDMX_AGE, age_codes, N_OF(age_codes)},
	{"GENDER", NRM_SDMX_SEX, sex_codes, N_OF(sex_codes)},
	{"EXPLOITATION_TYPE", NRM_SDMX_EXPLOITATION_TYPE, type_codes, N_OF(type_codes)},
	{"LOCATION", NRM_SDMX_EXPLOITATION_LOCATION, location_codes, N_OF(location_codes)},
	{"FIRST_RESPONDER_TYPE", NRM_SDMX_FIRST_RESPONDER, responder_codes,
	 N_OF(responder_codes)},
	{"DECISION_MAKER", NRM_SDMX_DECISION_MAKER, maker_codes, N_OF(maker_codes)},
	{"DECISION_STAGE", NRM_SDMX_DECISION_STAGE, stage_codes, N_OF(stage_codes)},
	{"DECISION", NRM_SDMX_DECISION_STAGE, stage_codes, N_OF(stage_codes)},
	{"DAYS_TO_DECISION", NRM_SDMX_DAYS_TO_DECISION, band_codes, N_OF(band_codes)},
	{"AGE_OF_CASE", NRM_SDMX_CASE_AGE, band_codes, N_OF(band_codes)},
	{"FIELD", NRM_SDMX_DATA_FIELD, field_codes, N_OF(field_codes)},
	{"NATION", NRM_SDMX_REF_AREA, nation_codes, N_OF(nation_codes)},
};

bool nrm_sdmx_key_breakdown(struct nrm_sdmx_key *k, const char *breakdown, const char *code)
{
	if (strcmp(code, "total") == 0 || strcmp(breakdown, "_T") == 0)
		return true;
	for (size_t i = 0; i < N_OF(mapped); i++)
		if (strcmp(breakdown, mapped[i].breakdown) == 0)
			return set_mapped(k, mapped[i].dim, mapped[i].map, mapped[i].n, code);
	if (strcmp(breakdown, "EXPLOITATION_COMBINATION") == 0)
		return set_combination(k, code);
	if (strcmp(breakdown, "NATIONALITY") == 0)
		return set_nationality(k, code);
	if (strcmp(breakdown, "COMPARISON") == 0)
		return set_comparison(k, code);
	if (strcmp(breakdown, "SITE") == 0 || strcmp(breakdown, "SITE_STATUS") == 0) {
		/* Sites are the register's, not the structure's: SITE is the one
		 * dimension without a codelist (the site's own code). */
		nrm_sdmx_key_set(k, NRM_SDMX_SITE, code);
		return true;
	}
	return false;
}

/* Measures that name their comparison group, or another measure's name. */
static const struct {
	const char *prefix, *group;
} group_prefixes[] = {{"NON_PILOT_", "NON_PILOT"}, {"PILOT_", "PILOT"}};
static const struct code_map measure_renames[] = {{"WITHIN_45", "WITHIN_45_DAYS"}};

void nrm_sdmx_key_measure(struct nrm_sdmx_key *k, const char *measure)
{
	for (size_t i = 0; i < N_OF(group_prefixes); i++) {
		size_t len = strlen(group_prefixes[i].prefix);
		if (strncmp(measure, group_prefixes[i].prefix, len) == 0) {
			nrm_sdmx_key_set(k, NRM_SDMX_COMPARISON_GROUP, group_prefixes[i].group);
			measure += len;
			break;
		}
	}
	const char *renamed = map_code(measure_renames, N_OF(measure_renames), measure);
	char *up = nrm_xstrdup(renamed ? renamed : measure);
	for (char *c = up; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	free(k->code[NRM_SDMX_MEASURE]);
	k->code[NRM_SDMX_MEASURE] = up;
}

const char *nrm_sdmx_nation_area(const char *nation)
{
	return map_code(nation_codes, N_OF(nation_codes), nation);
}

const char *nrm_sdmx_unit(const char *unit)
{
	const char *u = map_code(unit_codes, N_OF(unit_codes), unit);
	return u ? u : unit;
}
