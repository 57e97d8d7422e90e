/*
 * What a signed bundle is called and what its trusted comment says, shared
 * by the packer (`bundle create`) and the verifier (`bundle verify`).
 *
 * A bundle for site S, quarter Q and sequence number N is the BagIt bag
 * S_Q_NNN (N zero-padded to three digits, wider when it needs to be), packed
 * as S_Q_NNN.tar.gz and signed as S_Q_NNN.tar.gz.minisig, whose trusted
 * comment is
 *   site=S<TAB>quarter=Q<TAB>seq=N<TAB>bag=S_Q_NNN<TAB>tagmanifest-sha512=HEX
 * with N in decimal without leading zeros and HEX the 128 lower-case hex
 * digits of the SHA-512 of the bag's tagmanifest-sha512.txt.
 */
#ifndef NRM_BUNDLE_H
#define NRM_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_error;

#define NRM_BUNDLE_SITE_MAX 40
#define NRM_BUNDLE_SEQ_MAX 999999UL
/* site _ YYYYQn _ seq */
#define NRM_BUNDLE_NAME_MAX (NRM_BUNDLE_SITE_MAX + 1 + 6 + 1 + 6)

struct nrm_bundle_id {
	char site[NRM_BUNDLE_SITE_MAX + 1];
	char quarter[7];
	unsigned long seq;
	char bag[NRM_BUNDLE_NAME_MAX + 1];
	uint8_t tagmanifest_sha512[64];
};

/* A site code as the canonical case defines it: 2 to 40 lower-case letters,
 * digits or hyphens, starting with a letter. */
bool nrm_bundle_site_valid(const char *site);
/* YYYYQn, n from 1 to 4. */
bool nrm_bundle_quarter_valid(const char *quarter);
/* Fills id->bag from site, quarter and seq (which must be valid). */
void nrm_bundle_name(struct nrm_bundle_id *id);

/* The trusted comment for `id`.  Caller frees. */
char *nrm_bundle_comment_format(const struct nrm_bundle_id *id);
/* Parses a trusted comment strictly: exactly the five fields, in order,
 * each valid, and a bag name that agrees with the other fields.
 * EX_DATAERR naming the field and the rule broken. */
int nrm_bundle_comment_parse(const char *text, size_t len, struct nrm_bundle_id *id,
                             struct nrm_error *err);
/* Only the site named by a comment's first field, to find the key that must
 * then verify the comment itself; false when there is no valid one. */
bool nrm_bundle_comment_site(const char *text, size_t len,
                             char site[NRM_BUNDLE_SITE_MAX + 1]);

/* Lower-case hex of a SHA-512 digest. */
void nrm_bundle_hex(const uint8_t *digest, size_t len, char *out);
/* Parses exactly 2*len lower-case hex digits. */
bool nrm_bundle_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t len);

#endif
