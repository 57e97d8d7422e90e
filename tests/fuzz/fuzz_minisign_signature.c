/*
 * minisign signature files (hub/minisign.h), then the check of both
 * signatures against a fixed key, and the trusted comment as a bundle's.
 */
// seeds: (made by tests/fuzz/make-seeds: they hold keys)
#include "fuzz.h"

#include "bundle.h"
#include "minisign.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = nrm_fuzz_text(data, size);
	struct nrm_ms_signature sig = {0};
	struct nrm_error err;
	if (nrm_ms_signature_parse(text, size, "fuzz.minisig", &sig, &err) == 0) {
		struct nrm_ms_pubkey pub;
		memset(&pub, 0x5a, sizeof(pub));
		memcpy(pub.keynum, sig.keynum, sizeof(pub.keynum));
		uint8_t hash[NRM_MS_HASH_BYTES] = {0};
		(void)nrm_ms_verify(&sig, &pub, hash, "fuzz", &err);
		struct nrm_bundle_id id;
		(void)nrm_bundle_comment_parse(sig.trusted_comment, sig.trusted_comment_len, &id,
		                               &err);
	}
	nrm_ms_signature_free(&sig);
	free(text);
	return 0;
}
