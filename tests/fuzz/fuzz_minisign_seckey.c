/*
 * minisign secret key files (hub/minisign.h), read without a password, as
 * `bundle create --key` reads an unencrypted key (an encrypted one is
 * refused before scrypt runs, so the fuzzer never pays for a key
 * derivation).
 */
// seeds: (made by tests/fuzz/make-seeds: they hold keys)
#include "fuzz.h"

#include "minisign.h"
#include "util.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = nrm_fuzz_text(data, size);
	struct nrm_ms_seckey sec;
	struct nrm_error err;
	(void)nrm_ms_seckey_parse(text, size, "fuzz.key", NULL, 0, &sec, &err);
	free(text);
	return 0;
}
