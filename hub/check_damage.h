/*
 * Damaged copies of a sample file, for `plugin check`: the kinds of harm a
 * file suffers on its way to the hub (cut short by a full disk or a broken
 * transfer, corrupted bytes, a line pasted twice, an empty upload, a runaway
 * line).  Deterministic, so a failure can be reproduced.
 */
#ifndef NRM_CHECK_DAMAGE_H
#define NRM_CHECK_DAMAGE_H

#include <stddef.h>

struct nrm_variant {
	char *label;  /* "truncated after byte 120 of 840" */
	char *data;
	size_t len;
};

struct nrm_variants {
	struct nrm_variant *items;
	size_t count;
};

void nrm_variants_make(struct nrm_variants *out, const char *sample, size_t len);
void nrm_variants_free(struct nrm_variants *v);

/* The sample with its first `head` and last `tail` lines kept once and the
 * lines between repeated `copies` times; NULL when the sample has too few
 * lines.  A missing final line break is added.  Caller frees. */
char *nrm_sample_repeat(const char *sample, size_t len, size_t head, size_t tail,
                        size_t copies, size_t *out_len);

#endif
