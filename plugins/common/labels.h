/*
 * The Home Office's published category labels (DOMAIN.md, "The categories
 * the Home Office publishes"), exactly, and their Welsh translations for the
 * Welsh Government's bilingual layout.  One table, so every export writes
 * the same words.
 *
 * The hub builds this file in too (Makefile.am, hub/libnrmhub.la), with
 * labels_return.c: the Welsh of the quarterly return's own headings, table
 * titles, notes and cover lines, for a site in Wales.  label_welsh() reads
 * both, so a category label has its Welsh once, here, whether wales-csv or
 * the return writes it.
 */
#ifndef NRM_PLUGINS_LABELS_H
#define NRM_PLUGINS_LABELS_H

#include <nrmhub/plugin.h>

#include <stdbool.h>
#include <stddef.h>

enum label_language { LABEL_ENGLISH, LABEL_WELSH };

/* Kinds beyond the canonical code kinds: the two outcomes read differently. */
enum label_kind {
	LABEL_FIRST_RESPONDER = NRM_CODE_FIRST_RESPONDER,
	LABEL_GENDER = NRM_CODE_GENDER,
	LABEL_LOCATION = NRM_CODE_LOCATION,
	LABEL_DECISION_MAKER = NRM_CODE_DECISION_MAKER,
	LABEL_STATUS = NRM_CODE_STATUS,
	LABEL_RG_OUTCOME = 100,
	LABEL_CG_OUTCOME,
	LABEL_YES_NO,           /* enum nrm_tristate */
};

/* The label of `value`, or NULL when the value is unknown and the layout
 * writes nothing (an empty cell, JSON null): first responder, outcomes,
 * decision maker, yes/no.  Gender and location have labels for unknown. */
const char *label_of(int kind, int32_t value, enum label_language lang);

/* The label of one exploitation type bit. */
const char *label_exploitation(uint32_t bit, enum label_language lang);

/* Exploitation types as the Home Office joins them: "Sexual, Labour &
 * Criminal", in the fixed order Sexual, Domestic, Labour, Criminal, Organ
 * Harvesting; no type is "Not specified or unknown".  Writes into buf
 * (LABEL_JOIN_MAX bytes) and returns it. */
#define LABEL_JOIN_MAX 160
const char *label_exploitation_join(uint32_t types, enum label_language lang,
                                    char buf[LABEL_JOIN_MAX]);

/* The order the join uses, ending with 0. */
extern const uint32_t label_exploitation_order[6];

/* Reads a label back (English, as label_of writes it; matched exactly).
 * True and *out set, or false. */
bool label_parse(int kind, const char *text, int32_t *out);
bool label_parse_exploitation(const char *text, uint32_t *bit);

/* The Welsh of a category label above, given its English exactly ("Female",
 * "Criminal"); NULL when it is none of them. */
const char *label_category_welsh(const char *english);

/* labels_return.c (the hub only): the Welsh of `english`, a category label
 * or one of the return's texts, matched exactly; NULL when the table has
 * none.  A text with printf conversions ("quarterly return for %s, %s")
 * gives a Welsh one with the same conversions in the same order
 * (tests/unit/test_labels.c holds every pair to that), so that the Welsh
 * can be filled with the English's arguments. */
const char *label_welsh(const char *english) __attribute__((format_arg(1)));

/* Every pair of labels_return.c's table, for the test of it: the
 * English of pair i, or NULL past the last; *cy its Welsh. */
const char *label_welsh_pair(size_t i, const char **cy);

#endif
