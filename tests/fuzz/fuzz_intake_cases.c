/*
 * A bundle's data/cases.csv, as `nrmhub intake` takes it (hub/intake_cases.c):
 * checked line by line and stored under a bundle of site "birmingham" for
 * 2025Q1, in a store in $TMPDIR, inside a transaction that is rolled back
 * after each input.  An extract the checks accept is read back as the
 * national tables read it: every stored row's dates, and where the row
 * falls in the quarter, which must agree with the counts the check made.
 */
// seeds: tests/fuzz/seeds/intake_cases/
#include "fuzz.h"

#include "intake.h"
#include "national.h"
#include "quarter.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SITE "birmingham"
#define QUARTER "2025Q1"

static struct store *store;
static char *dir;
static struct nrm_quarter quarter;

static void remove_store(void)
{
	static const char *const names[] = {"store.db", "store.db-wal", "store.db-shm",
	                                    "store.db-journal", NULL};
	store_close(store);
	for (int i = 0; names[i]; i++) {
		char *path = nrm_xasprintf("%s/%s", dir, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
	free(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct nrm_error err;
	const char *tmp = getenv("TMPDIR");
	dir = nrm_xasprintf("%s/nrm-fuzz-intake-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		exit(1);
	}
	char *path = nrm_xasprintf("%s/store.db", dir);
	if (store_open(path, &store, &err) != 0) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		exit(1);
	}
	free(path);
	atexit(remove_store);
	if (nrm_quarter_parse(QUARTER, &quarter) != 0)
		abort();
	return 0;
}

/* The rows read back, placed in the quarter as the national tables do. */
static int count_stored(const char *pseudonym, const char *const values[], void *ctx)
{
	struct nrm_extract_counts *c = ctx;
	(void)pseudonym;
	struct nrm_case_dates d;
	if (nrm_intake_row_dates(values, &d) != 0) {
		fprintf(stderr, "fuzz: a stored row has no referral date\n");
		abort();
	}
	unsigned place = nrm_case_place(&d, &quarter);
	c->rg += (place & NRM_PLACE_RG) != 0;
	c->cg += (place & NRM_PLACE_CG) != 0;
	c->await_rg += (place & NRM_PLACE_AWAIT_RG) != 0;
	c->await_cg += (place & NRM_PLACE_AWAIT_CG) != 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nrm_error err;
	if (store_begin(store) != 0)
		abort();
	struct store_intake_bundle b = {.site = SITE, .quarter = QUARTER,
	                                .bag = "birmingham_2025Q1_001", .key_id = "0011223344556677",
	                                .tagmanifest = "00", .seq = 1, .received_at = 1743552000,
	                                .return_json = "{}"};
	int64_t id;
	if (store_intake_add(store, &b, &id) != 0) {
		fprintf(stderr, "fuzz: %s\n", store_error(store)->msg);
		abort();
	}
	struct nrm_extract_counts checked, stored = {0};
	if (nrm_intake_store_cases(store, id, SITE, QUARTER, (const char *)data, size, &checked,
	                           &err) == 0) {
		if (store_intake_each_case(store, id, count_stored, &stored) != 0)
			abort();
		if (memcmp(&checked, &stored, sizeof(checked)) != 0) {
			fprintf(stderr, "fuzz: the rows stored are not the rows counted\n");
			abort();
		}
	}
	store_rollback(store);
	return 0;
}
