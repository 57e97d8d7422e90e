/*
 * Canonical code names.  Each table is indexed by the enum value from
 * plugin.h; exploitation types are bits, indexed by bit position.
 */
#include "codes.h"

#include <nrmhub/plugin.h>
#include <string.h>

struct code_table {
	const char *const *names;
	int count;
	int is_bits;
};

static const char *const first_responder[] = {NULL, "government_agency", "ngo",
                                              "police", "local_authority"};
static const char *const gender[] = {"unknown", "female", "male", "other"};
static const char *const exploitation[] = {"criminal", "domestic", "labour",
                                           "sexual", "organ_harvesting"};
static const char *const location[] = {"unknown", "uk", "overseas", "uk_and_overseas"};
static const char *const outcome[] = {NULL, "positive", "negative"};
static const char *const decision_maker[] = {NULL, "ddm_panel", "sca", "ieca"};
static const char *const status[] = {"open", "withdrawn", "transferred"};

#define TABLE(a, bits) {a, (int)(sizeof(a) / sizeof(a[0])), bits}
static const struct code_table tables[] = {
	[NRM_CODE_FIRST_RESPONDER] = TABLE(first_responder, 0),
	[NRM_CODE_GENDER] = TABLE(gender, 0),
	[NRM_CODE_EXPLOITATION] = TABLE(exploitation, 1),
	[NRM_CODE_LOCATION] = TABLE(location, 0),
	[NRM_CODE_OUTCOME] = TABLE(outcome, 0),
	[NRM_CODE_DECISION_MAKER] = TABLE(decision_maker, 0),
	[NRM_CODE_STATUS] = TABLE(status, 0),
};

static const struct code_table *table_of(int kind)
{
	if (kind < 0 || kind >= (int)(sizeof(tables) / sizeof(tables[0])))
		return NULL;
	return &tables[kind];
}

int nrm_code_count(int kind)
{
	const struct code_table *t = table_of(kind);
	return t ? t->count : 0;
}

const char *nrm_code_name(int kind, int32_t value)
{
	const struct code_table *t = table_of(kind);
	if (!t)
		return NULL;
	if (t->is_bits) {
		/* Exactly one bit, within the table. */
		if (value <= 0 || (value & (value - 1)))
			return NULL;
		int bit = __builtin_ctz((unsigned)value);
		return bit < t->count ? t->names[bit] : NULL;
	}
	return value >= 0 && value < t->count ? t->names[value] : NULL;
}

int nrm_code_parse(int kind, const char *text, size_t len, int32_t *out)
{
	const struct code_table *t = table_of(kind);
	if (!t || !text)
		return NRM_FAIL;
	for (int i = 0; i < t->count; i++) {
		const char *name = t->names[i];
		if (name && strlen(name) == len && memcmp(name, text, len) == 0) {
			*out = t->is_bits ? (int32_t)(1u << i) : i;
			return NRM_OK;
		}
	}
	return NRM_FAIL;
}
