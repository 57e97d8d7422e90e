/*
 * The bundle verifier past the signature: the .tar.gz read in memory, its
 * entries, the bag and data/return.json (steps 3 to 5 of hub/bundle_verify.h),
 * as if signed for the bag birmingham_2025Q1_001, with limits small enough
 * that a bomb is refused in milliseconds.
 */
// seeds: (made by tests/fuzz/make-seeds: they hold keys)
#include "fuzz.h"

#include "bundle_verify.h"
#include "util.h"

#include <string.h>

static const struct nrm_verify_limits fuzz_limits = {
	.max_archive_bytes = 1 << 20,
	.max_entries = 200,
	.max_file_bytes = 1 << 20,
	.max_total_bytes = 4 << 20,
	.max_ratio = 200,
	.ratio_floor_bytes = 1 << 20,
	.max_tag_file_bytes = 1 << 20,
	.max_return_bytes = 1 << 20,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nrm_bundle_id id = {.seq = 1};
	strcpy(id.site, "birmingham");
	strcpy(id.quarter, "2025Q1");
	strcpy(id.bag, "birmingham_2025Q1_001");
	struct nrm_verify_result res;
	struct nrm_error err;
	nrm_bundle_verify_contents(data, size, &id, &fuzz_limits, &res, &err);
	nrm_verify_result_free(&res);
	return 0;
}
