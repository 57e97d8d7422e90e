/*
 * Nationality as the Home Office's tables count it (DOMAIN.md): its own
 * labels ("UK", "Albanian"), read from a shipped file keyed by ISO 3166-1
 * alpha-2 code (formats/nationality-labels.csv), and a dual national once,
 * in one combined category whose label joins the two ("Polish UK").
 * Debian's iso-codes name is the fallback for a code the file lacks; that
 * lookup is the caller's, so this file stays free of the country list.
 */
#ifndef NRM_NATIONALITY_H
#define NRM_NATIONALITY_H

#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

struct nrm_nationality_labels {
	char *label[26 * 26]; /* by code, "AA" at 0; NULL where the file has none */
};

/* Reads `path`: '#' comment lines, the header "code,label", then one row a
 * code (two upper-case letters, each once) and its label (1 to 60
 * printable ASCII characters: letters, digits, spaces and - ' . ( ) only).
 * 0, or -1 with err (EX_NOINPUT; EX_DATAERR naming FILE:LINE, the column
 * and the rule). */
int nrm_nationality_labels_read(const char *path, struct nrm_nationality_labels *out,
                                struct nrm_error *err);
/* The labels every return is drawn with: the file $NRMHUB_NATIONALITY_LABELS
 * names when set, else formats/nationality-labels.csv as built in (as the
 * schemas are), so every site of one version labels alike whatever is
 * installed where.  Read by the same rules.  0 or -1 with err. */
int nrm_nationality_labels_default(struct nrm_nationality_labels *out, struct nrm_error *err);
void nrm_nationality_labels_free(struct nrm_nationality_labels *l);
/* The file's label for a code, or NULL. */
const char *nrm_nationality_label(const struct nrm_nationality_labels *l, const char *code);

/* The key of a child's nationality in return.json's by_nationality: "PL",
 * for a dual national the two codes in alphabetical order joined by "+"
 * ("GB+PL"), "unknown" without a valid code.  `a` or `b` may be NULL; the
 * same code twice is one nationality. */
void nrm_nationality_key(const char *a, const char *b, char out[8]);
/* True when `key` is shaped as nrm_nationality_key writes it (two codes in
 * order, or one, or "unknown"). */
bool nrm_nationality_key_ok(const char *key);
/* The combined category's label from its two labels: the two in
 * alphabetical order joined by a space, as the Home Office's "Polish UK".
 * The caller frees it. */
char *nrm_nationality_combined_label(const char *label_a, const char *label_b);

#endif
