/*
 * One source for the modules the loader must refuse: each build defines one
 * BROKEN_* macro to spoil one thing, so each refusal message can be tested.
 * DUPLICATE_NAME builds a sound module that reuses the name "case-jsonl";
 * ABI_1_0 a sound module that says it was built for ABI 1.0, whatever the
 * header's minor version is now (tests/unit/test_abi_minor.c); it yields one
 * record, cleared whole as a 1.0 module may clear it, reserved bytes and all.
 */
#include <nrmhub/plugin.h>

#include <stddef.h>
#include <string.h>

#if defined(BROKEN_NO_SYMBOL)
/* Exports something, but not the descriptor. */
__attribute__((visibility("default"))) int nrmhub_not_a_plugin = 1;
#else
#if defined(ABI_1_0)
static int records_left;

static int cb_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	(void)host;
	(void)in;
	records_left = 1;
	*state = &records_left;
	return NRM_OK;
}

static int cb_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	int *left = state;
	if (*left == 0)
		return NRM_EOF;
	(*left)--;
	memset(out, 0, sizeof(*out));
	out->case_id = "OLD-1";
	out->site = "testsite";
	out->referral_date = 20090; /* 2025-01-02 */
	out->age_at_exploitation = NRM_AGE_NONE;
	out->rg_decision_date = out->cg_decision_date = out->status_date = NRM_DATE_NONE;
	out->updated_at = NRM_TIME_NONE;
	out->age_disputed = out->county_lines = NRM_UNKNOWN;
	where->line = 1;
	return NRM_OK;
}
#else
static int cb_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	(void)host;
	(void)in;
	*state = NULL;
	return NRM_OK;
}

static int cb_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	(void)state;
	(void)out;
	(void)where;
	return NRM_EOF;
}
#endif

static void cb_close(void *state)
{
	(void)state;
}

static const char *const formats[] = {"broken-test", NULL};

__attribute__((visibility("default"))) const struct nrm_plugin nrmhub_plugin = {
#if defined(BROKEN_MAGIC)
	.magic = 0x0123456789abcdefULL,
#else
	.magic = NRM_PLUGIN_MAGIC,
#endif
#if defined(BROKEN_MAJOR)
	.abi_major = NRM_ABI_MAJOR + 1,
#else
	.abi_major = NRM_ABI_MAJOR,
#endif
#if defined(BROKEN_MINOR)
	.abi_minor = NRM_ABI_MINOR + 1,
#elif defined(ABI_1_0)
	.abi_minor = 0,
#else
	.abi_minor = NRM_ABI_MINOR,
#endif
	.caps = NRM_CAP_IMPORT,
#if defined(BROKEN_NO_NAME)
	.name = NULL,
#elif defined(DUPLICATE_NAME)
	.name = "case-jsonl",
#elif defined(ABI_1_0)
	.name = "abi-1-0",
#else
	.name = "broken-test",
#endif
	.version = "0.0.1",
	.description = "A module built to be refused by the loader.",
	.license = "MIT",
	.formats = formats,
	.import_open = cb_open,
	.import_next = cb_next,
	.import_close = cb_close,
};
#endif
