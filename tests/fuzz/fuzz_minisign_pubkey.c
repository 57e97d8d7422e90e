/*
 * minisign public key files (hub/minisign.h).
 */
// seeds: (made by tests/fuzz/make-seeds: they hold keys)
#include "fuzz.h"

#include "minisign.h"
#include "util.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = nrm_fuzz_text(data, size);
	struct nrm_ms_pubkey pub;
	struct nrm_error err;
	if (nrm_ms_pubkey_parse(text, size, "fuzz.pub", &pub, &err) == 0) {
		char id[17];
		nrm_ms_keyid(pub.keynum, id);
		free(nrm_ms_pubkey_format(&pub));
	}
	free(text);
	return 0;
}
