/*
 * return-core: the return builder's own cost, without any reader in front of
 * it.  `return-core N` makes N synthetic cases in memory (the same mix as
 * gen-cases-jsonl) and times, for 2024Q1: handing every case to
 * nrm_return_builder_add() (with each of the quarter's cases also written to
 * cases.csv with its pseudonym, as the official audience does), finishing the
 * return (sorts, statistics, suppression for published), validating it
 * against the built-in schema, and formatting it.  Prints one line per phase
 * and a total; bench/return-build runs it beside the end-to-end command.
 */
#include "json_schema.h"
#include "pseudonym.h"
#include "quarter.h"
#include "return_build.h"
#include "return_extract.h"
#include "return_schema.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng_state = UINT64_C(0x52455455524e5321);

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(rng_next() % n);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: on a shared, loaded machine the wall clock
 * measures the neighbours too. */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const nations[] = {"GB", "GB", "GB", "GB", "VN", "AL", "ER", "SD"};

static void make_case(struct nrm_case *c, uint64_t i, char *id)
{
	memset(c, 0, sizeof(*c));
	snprintf(id, 32, "C%09llu", (unsigned long long)i);
	c->case_id = id;
	c->site = below(10) ? "bench" : "elsewhere";
	c->referral_date = 18993 + (int32_t)below(912);
	c->age_at_exploitation = below(20) ? (int32_t)below(18) : NRM_AGE_NONE;
	c->age_disputed = below(100) ? NRM_NO : NRM_YES;
	c->gender = (int32_t)below(4);
	c->nationality[0] = below(30) ? nations[below(8)] : NULL;
	c->exploitation_types = below(10) ? 1u + below(31) : 0;
	c->county_lines = (int8_t)((int)below(3) - 1);
	c->exploitation_location = (int32_t)below(4);
	c->first_responder_type = (int32_t)below(5);
	c->rg_decision_date = c->cg_decision_date = c->status_date = NRM_DATE_NONE;
	c->updated_at = NRM_TIME_NONE;
	if (below(100) < 85) {
		c->rg_decision_date = c->referral_date + (int32_t)below(120);
		c->rg_outcome = below(5) ? NRM_OUTCOME_POSITIVE : NRM_OUTCOME_NEGATIVE;
		c->decision_maker = 1 + (int32_t)below(3);
		if (c->rg_outcome == NRM_OUTCOME_POSITIVE && below(10) < 7) {
			c->cg_decision_date = c->rg_decision_date + (int32_t)below(300);
			c->cg_outcome = below(7) ? NRM_OUTCOME_POSITIVE : NRM_OUTCOME_NEGATIVE;
		}
	}
	if (below(100) < 5) {
		c->status = below(5) < 3 ? NRM_STATUS_WITHDRAWN : NRM_STATUS_TRANSFERRED;
		c->status_date = c->referral_date + (int32_t)below(200);
	}
}

static int run(unsigned long long n, enum nrm_audience audience)
{
	struct nrm_return_params p = {.site = "bench", .audience = audience,
	                              .generated_at = 1719910800, .version = "bench"};
	nrm_quarter_parse("2024Q1", &p.quarter);
	struct nrm_return_builder *rb = nrm_return_builder_new(&p);
	struct nrm_extract x;
	struct nrm_error err;
	char path[] = "/tmp/nrmhub-return-core-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	bool official = audience == NRM_AUDIENCE_OFFICIAL;
	if (official) {
		unsigned char key[NRM_PSEUDONYM_KEY_BYTES] = {1};
		if (nrm_extract_open(&x, path, &err) != 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		nrm_extract_set_key(&x, key);
	}
	struct nrm_case c;
	char id[32];
	unsigned long long rows = 0;
	double c0 = cpu(), t0 = now();
	for (unsigned long long i = 1; i <= n; i++) {
		make_case(&c, i, id);
		if (nrm_return_builder_add(rb, &c) && official) {
			nrm_extract_add(&x, &c, &err);
			rows++;
		}
	}
	double t1 = now();
	json_t *ret = nrm_return_builder_finish(rb, &err);
	double t2 = now();
	struct nrm_json_schema *schema = nrm_return_schema_load(&err);
	int valid = nrm_json_schema_validate(schema, ret, &err);
	double t3 = now();
	char *text = json_dumps(ret, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (official)
		nrm_extract_commit(&x, &err);
	double t4 = now(), c4 = cpu();
	printf("return-core %s: %llu cases (%llu rows in cases.csv): add %.3f s (%.0f cases/s), "
	       "finish %.3f s, validate %.3f s%s, write %.3f s; total %.3f s wall, %.3f s CPU\n",
	       official ? "official" : "published", n, rows, t1 - t0, (double)n / (t1 - t0),
	       t2 - t1, t3 - t2, valid == 0 ? "" : " (INVALID)", t4 - t3, t4 - t0, c4 - c0);
	free(text);
	json_decref(ret);
	nrm_json_schema_free(schema);
	nrm_return_builder_free(rb);
	unlink(path);
	return valid == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	if (n == 0 || n > 100000000ULL) {
		fprintf(stderr, "usage: return-core [N]   (1 to 100000000, default 1000000)\n");
		return 64;
	}
	int rc = run(n, NRM_AUDIENCE_OFFICIAL);
	rng_state = UINT64_C(0x52455455524e5321);
	return rc | run(n, NRM_AUDIENCE_PUBLISHED);
}
