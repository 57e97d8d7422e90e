/*
 * suppress: the cost of disclosure control for one site return.  `suppress
 * [N] [SEED]` makes N synthetic cases (default 60, a busy site's quarter)
 * with many small categories, builds the official return for 2024Q2, and
 * times the published suppression (primary, audit-and-extend secondary,
 * trim, and the final audit as a reader would run it).  Prints the time,
 * the number of primary and secondary cells and of statistics hidden, and
 * the time of the whole published return, whose trend follows the
 * suppression of its seven earlier quarters, each built and suppressed.
 * Target (issue 14): under 1 second.  Built by `make`, not run by `make
 * check`.
 */
#include "case.h"
#include "quarter.h"
#include "return_build.h"
#include "return_suppress.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

static void add_case(struct nrm_return_builder *rb, const struct nrm_quarter *q, int i)
{
	static const char *const nat[] = {"GB", "AL", "VN", "ER", "SD", "IR", NULL};
	static char id[32];
	struct nrm_case c;
	nrm_case_init(&c);
	snprintf(id, sizeof(id), "B-%d", i);
	c.case_id = id;
	c.site = "bench";
	c.referral_date = q->first - 300 + (int32_t)rnd((unsigned)(q->last - q->first + 301));
	/* Most children with a date of birth, so that the comparison holds them. */
	if (rnd(6))
		c.date_of_birth = c.referral_date - 365 * (int32_t)(8 + rnd(10)) - (int32_t)rnd(365);
	c.gender = (int32_t)rnd(4);
	c.age_at_exploitation = rnd(6) ? (int32_t)rnd(18) : NRM_AGE_NONE;
	c.exploitation_types = rnd(4) ? (1u << rnd(5)) | (rnd(3) ? 0 : 1u << rnd(5)) : 0;
	c.exploitation_location = (int32_t)rnd(4);
	c.first_responder_type = (int32_t)rnd(5);
	c.county_lines = (int8_t)rnd(3);
	c.nationality[0] = nat[rnd(7)];
	if (rnd(4)) {
		c.rg_decision_date = c.referral_date + (int32_t)rnd(150);
		c.rg_outcome = rnd(4) ? NRM_OUTCOME_POSITIVE : NRM_OUTCOME_NEGATIVE;
		c.decision_maker = (int32_t)rnd(4);
		if (c.rg_outcome == NRM_OUTCOME_POSITIVE && rnd(2)) {
			c.cg_decision_date = c.rg_decision_date + (int32_t)rnd(300);
			c.cg_outcome = rnd(5) ? NRM_OUTCOME_POSITIVE : NRM_OUTCOME_NEGATIVE;
		}
	}
	nrm_return_builder_add(rb, &c);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The return of N cases for the audience, and how long finishing it took. */
static json_t *build(int n, uint64_t seed, enum nrm_audience audience, double *took,
                     struct nrm_error *err)
{
	rng_state = seed;
	struct nrm_return_params p = {.site = "bench", .version = "bench", .audience = audience};
	nrm_quarter_parse("2024Q2", &p.quarter);
	struct nrm_return_builder *rb = nrm_return_builder_new(&p);
	for (int i = 0; i < n; i++)
		add_case(rb, &p.quarter, i);
	double t0 = seconds();
	json_t *ret = nrm_return_builder_finish(rb, err);
	*took = seconds() - t0;
	nrm_return_builder_free(rb);
	return ret;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 60;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	if (n < 1 || n > 1000000) {
		fprintf(stderr, "usage: suppress [CASES] [SEED]\n");
		return 64;
	}
	struct nrm_error err;
	double t_official, t_published;
	json_t *ret = build(n, seed, NRM_AUDIENCE_OFFICIAL, &t_official, &err);
	json_t *pub = ret ? build(n, seed, NRM_AUDIENCE_PUBLISHED, &t_published, &err) : NULL;
	json_decref(pub);
	if (!pub) {
		json_decref(ret);
		fprintf(stderr, "suppress: %s\n", err.msg);
		return 70;
	}
	json_object_set_new(ret, "audience", json_string("published"));
	struct nrm_suppress_result res;
	double t0 = seconds();
	int rc = nrm_return_suppress(ret, NULL, &res, &err);
	double t = seconds() - t0;
	json_decref(ret);
	if (rc != 0) {
		fprintf(stderr, "suppress: %s\n", err.msg);
		return err.code;
	}
	printf("suppress: one site return, %d cases: suppression and audit %.3f s; %zu primary, "
	       "%zu secondary cells, %zu statistics hidden\n", n, t, res.primary, res.secondary,
	       res.statistics);
	printf("suppress: the whole published return (with the trend's seven earlier quarters "
	       "suppressed too): %.3f s (official: %.3f s)\n", t_published, t_official);
	return 0;
}
