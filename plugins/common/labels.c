/*
 * See labels.h.  The Welsh words follow the Welsh Government's own usage
 * where we know it (camfanteisio for exploitation, llinellau cyffuriau for
 * county lines, sail resymol / sail derfynol for reasonable / conclusive
 * grounds) with the mutations Welsh grammar asks for (sail is feminine, so
 * its adjectives soft-mutate: resymol, derfynol, gadarnhaol).  Types are
 * joined with "&" in both languages, which spares the mutation "a" would
 * cause (a Throseddol).  formats/wales-csv.md lists every pair.
 */
#include "labels.h"

#include <stdio.h>
#include <string.h>

struct label {
	int kind;
	int32_t value;
	const char *en, *cy;
};

static const struct label labels[] = {
	{LABEL_FIRST_RESPONDER, NRM_FR_GOVERNMENT_AGENCY, "Government agency", "Asiantaeth y llywodraeth"},
	{LABEL_FIRST_RESPONDER, NRM_FR_NGO, "NGO and third sector", "Sefydliad anllywodraethol a'r trydydd sector"},
	{LABEL_FIRST_RESPONDER, NRM_FR_POLICE, "Police", "Heddlu"},
	{LABEL_FIRST_RESPONDER, NRM_FR_LOCAL_AUTHORITY, "Local Authority", "Awdurdod Lleol"},
	{LABEL_GENDER, NRM_GENDER_FEMALE, "Female", "Benyw"},
	{LABEL_GENDER, NRM_GENDER_MALE, "Male", "Gwryw"},
	{LABEL_GENDER, NRM_GENDER_OTHER, "Other", "Arall"},
	{LABEL_GENDER, NRM_GENDER_UNKNOWN, "Not specified", "Heb ei nodi"},
	{LABEL_LOCATION, NRM_LOC_UK, "UK", "DU"},
	{LABEL_LOCATION, NRM_LOC_OVERSEAS, "Overseas", "Tramor"},
	{LABEL_LOCATION, NRM_LOC_UK_AND_OVERSEAS, "UK and Overseas", "DU a Thramor"},
	{LABEL_LOCATION, NRM_LOC_UNKNOWN, "Not specified or unknown", "Heb ei nodi neu anhysbys"},
	{LABEL_DECISION_MAKER, NRM_DM_DDM_PANEL, "DDM panel", "Panel DDM"},
	{LABEL_DECISION_MAKER, NRM_DM_SCA, "SCA", "SCA"},
	{LABEL_DECISION_MAKER, NRM_DM_IECA, "IECA", "IECA"},
	{LABEL_STATUS, NRM_STATUS_OPEN, "Open", "Agored"},
	{LABEL_STATUS, NRM_STATUS_WITHDRAWN, "Withdrawn", "Wedi'i dynnu'n ôl"},
	{LABEL_STATUS, NRM_STATUS_TRANSFERRED, "Transferred", "Wedi'i drosglwyddo"},
	{LABEL_RG_OUTCOME, NRM_OUTCOME_POSITIVE, "Positive reasonable grounds", "Sail resymol gadarnhaol"},
	{LABEL_RG_OUTCOME, NRM_OUTCOME_NEGATIVE, "Negative reasonable grounds", "Sail resymol negyddol"},
	{LABEL_CG_OUTCOME, NRM_OUTCOME_POSITIVE, "Positive conclusive grounds", "Sail derfynol gadarnhaol"},
	{LABEL_CG_OUTCOME, NRM_OUTCOME_NEGATIVE, "Negative conclusive grounds", "Sail derfynol negyddol"},
	{LABEL_YES_NO, NRM_YES, "Yes", "Ie"},
	{LABEL_YES_NO, NRM_NO, "No", "Na"},
};
#define N_LABELS (sizeof(labels) / sizeof(labels[0]))

static const struct {
	uint32_t bit;
	const char *en, *cy;
} exploitation[] = {
	{NRM_EXPL_SEXUAL, "Sexual", "Rhywiol"},
	{NRM_EXPL_DOMESTIC, "Domestic", "Domestig"},
	{NRM_EXPL_LABOUR, "Labour", "Llafur"},
	{NRM_EXPL_CRIMINAL, "Criminal", "Troseddol"},
	{NRM_EXPL_ORGAN_HARVESTING, "Organ Harvesting", "Cynaeafu Organau"},
};
#define N_EXPLOITATION (sizeof(exploitation) / sizeof(exploitation[0]))

const uint32_t label_exploitation_order[6] = {
	NRM_EXPL_SEXUAL, NRM_EXPL_DOMESTIC, NRM_EXPL_LABOUR, NRM_EXPL_CRIMINAL,
	NRM_EXPL_ORGAN_HARVESTING, 0,
};

static const char *NOT_SPECIFIED_EN = "Not specified or unknown";
static const char *NOT_SPECIFIED_CY = "Heb ei nodi neu anhysbys";

const char *label_of(int kind, int32_t value, enum label_language lang)
{
	for (size_t i = 0; i < N_LABELS; i++)
		if (labels[i].kind == kind && labels[i].value == value)
			return lang == LABEL_WELSH ? labels[i].cy : labels[i].en;
	return NULL;
}

const char *label_exploitation(uint32_t bit, enum label_language lang)
{
	for (size_t i = 0; i < N_EXPLOITATION; i++)
		if (exploitation[i].bit == bit)
			return lang == LABEL_WELSH ? exploitation[i].cy : exploitation[i].en;
	return NULL;
}

const char *label_exploitation_join(uint32_t types, enum label_language lang,
                                    char buf[LABEL_JOIN_MAX])
{
	const char *names[N_EXPLOITATION];
	size_t n = 0;
	for (size_t i = 0; i < N_EXPLOITATION; i++)
		if (types & exploitation[i].bit)
			names[n++] = lang == LABEL_WELSH ? exploitation[i].cy : exploitation[i].en;
	if (n == 0)
		return lang == LABEL_WELSH ? NOT_SPECIFIED_CY : NOT_SPECIFIED_EN;
	/* The longest join, all five types, is well under LABEL_JOIN_MAX. */
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *sep = i == 0 ? "" : i == n - 1 ? " & " : ", ";
		used += (size_t)snprintf(buf + used, LABEL_JOIN_MAX - used, "%s%s", sep, names[i]);
	}
	return buf;
}

bool label_parse(int kind, const char *text, int32_t *out)
{
	for (size_t i = 0; i < N_LABELS; i++) {
		if (labels[i].kind == kind && strcmp(labels[i].en, text) == 0) {
			*out = labels[i].value;
			return true;
		}
	}
	return false;
}

const char *label_category_welsh(const char *english)
{
	for (size_t i = 0; i < N_LABELS; i++)
		if (strcmp(labels[i].en, english) == 0)
			return labels[i].cy;
	for (size_t i = 0; i < N_EXPLOITATION; i++)
		if (strcmp(exploitation[i].en, english) == 0)
			return exploitation[i].cy;
	return NULL;
}

bool label_parse_exploitation(const char *text, uint32_t *bit)
{
	for (size_t i = 0; i < N_EXPLOITATION; i++) {
		if (strcmp(exploitation[i].en, text) == 0) {
			*bit = exploitation[i].bit;
			return true;
		}
	}
	return false;
}
