/*
 * Unit tests of disclosure control for the published return
 * (hub/return_suppress.c, disclosure_model.c, disclosure_audit.c): the
 * worked example of issue 14, where Table_4 and Table_5 together gave a
 * hidden count away, and a property test over many generated quarters of
 * small counts, each published return audited twice: by the LP audit and by
 * a second, simpler one written here (exact recovery by repeated
 * substitution into every equation with a single unknown).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "json_path.h"
#include "return_audit.h"
#include "return_build.h"
#include "return_pattern.h"
#include "return_suppress.h"
#include "util.h"

/* ---- the worked example ----------------------------------------------------- */

/* A whole official return with 40 referrals: types labour 28, criminal 11,
 * sexual 4; combinations Labour 25, Labour & Criminal 3, Criminal 8,
 * Sexual 4.  Every other breakdown adds up to 40. */
static json_t *worked_example(void)
{
	json_error_t jerr;
	json_t *r = json_load_file(NRM_SOURCE_DIR "/tests/data/returns/expected-2024Q1.json", 0,
	                           &jerr);
	assert_non_null(r);
	json_object_set_new(r, "audience", json_string("published"));
	json_t *ref = json_pack(
		"{s:i, s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i},"
		" s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i}, s:{s:i},"
		" s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i, s:i}, s:i}",
		"total", 40, "by_age_band", "0-11", 10, "12-15", 15, "16-17", 15, "unknown", 0,
		"by_gender", "female", 20, "male", 20, "other", 0, "unknown", 0,
		"by_exploitation_type", "criminal", 11, "domestic", 0, "labour", 28, "sexual", 4,
		"organ_harvesting", 0, "not_specified", 0,
		"by_exploitation_combination", "Labour", 25, "Labour & Criminal", 3, "Criminal", 8,
		"Sexual", 4, "by_nationality", "GB", 40,
		"by_location", "uk", 40, "overseas", 0, "uk_and_overseas", 0, "unknown", 0,
		"by_first_responder_type", "government_agency", 0, "ngo", 0, "police", 40,
		"local_authority", 0, "unknown", 0, "county_lines", 6);
	json_object_set_new(r, "referrals", ref);
	json_t *missing = json_object_get(json_object_get(r, "quality"), "missing");
	static const char *const unknowns[] = {"age_at_exploitation", "gender", "nationality",
	                                       "exploitation_types", "exploitation_location",
	                                       "first_responder_type"};
	for (size_t i = 0; i < sizeof(unknowns) / sizeof(*unknowns); i++)
		json_object_set_new(missing, unknowns[i], json_integer(0));
	json_t *series = json_object_get(r, "series");
	json_object_set_new(json_array_get(series, json_array_size(series) - 1), "referrals",
	                    json_integer(40));
	return r;
}

#define LABOUR_AND_CRIMINAL "$.referrals.by_exploitation_combination[\"Labour & Criminal\"]"

static const struct nrm_dc_interval *interval_of(const struct nrm_return_audit *a,
                                                 const char *path)
{
	for (size_t i = 0; i < a->audit.n; i++) {
		const char *p = a->model.figures[a->audit.cells[i].figure].path;
		if (p && strcmp(p, path) == 0)
			return &a->audit.cells[i];
	}
	return NULL;
}

static void hide(json_t *r, const char *path)
{
	assert_int_equal(nrm_json_path_set(r, path, json_string("[c]")), 0);
}

/* What per-table suppression published: in Table_5, Labour & Criminal (3)
 * and Sexual (4) hidden, and Criminal (8) beside them so that no single
 * hidden cell of the table is its total minus the others.  Table_4's
 * Labour = 28 minus Table_5's Labour = 25 gives the 3 back. */
static void test_worked_example_used_to_leak(void **state)
{
	json_t *r = worked_example();
	hide(r, LABOUR_AND_CRIMINAL);
	hide(r, "$.referrals.by_exploitation_combination.Sexual");
	hide(r, "$.referrals.by_exploitation_combination.Criminal");
	hide(r, "$.referrals.by_exploitation_type.sexual");
	struct nrm_return_audit a;
	struct nrm_error err;
	assert_int_equal(nrm_return_audit(r, NULL, &a, &err), 0);
	const struct nrm_dc_interval *c = interval_of(&a, LABOUR_AND_CRIMINAL);
	assert_non_null(c);
	assert_int_equal(c->verdict, NRM_DC_EXACT);
	assert_true(fabs(c->lo - 3) < 1e-6 && fabs(c->hi - 3) < 1e-6);
	assert_true(a.audit.n_failed > 0);
	nrm_return_audit_free(&a);
	json_decref(r);
}

static void test_worked_example_is_protected(void **state)
{
	json_t *r = worked_example();
	struct nrm_suppress_result res;
	struct nrm_error err;
	if (nrm_return_suppress(r, NULL, &res, &err) != 0)
		fail_msg("%s", err.msg);
	const json_t *lc = json_object_get(
		json_object_get(json_object_get(r, "referrals"), "by_exploitation_combination"),
		"Labour & Criminal");
	assert_string_equal(json_string_value(lc), "[c]");
	assert_true(res.primary >= 2 && res.secondary >= 1);

	struct nrm_return_audit a;
	assert_int_equal(nrm_return_audit(r, NULL, &a, &err), 0);
	assert_int_equal(a.audit.n_failed, 0);
	const struct nrm_dc_interval *c = interval_of(&a, LABOUR_AND_CRIMINAL);
	assert_non_null(c);
	/* The 3 that leaked is inside an interval at least 5 wide. */
	assert_true(c->lo <= 3 && c->hi >= 3 && c->hi - c->lo >= 5 - 1e-6);
	nrm_return_audit_free(&a);
	json_decref(r);
}

static void test_threshold_is_a_parameter(void **state)
{
	json_t *r = worked_example();
	struct nrm_error err;
	/* 8 (Criminal) is small under a threshold of 10. */
	assert_int_equal(nrm_return_suppress(r, &(struct nrm_dc_params){.threshold = 10}, NULL,
	                                     &err), 0);
	const json_t *cr = json_object_get(
		json_object_get(json_object_get(r, "referrals"), "by_exploitation_combination"),
		"Criminal");
	assert_string_equal(json_string_value(cr), "[c]");
	json_decref(r);
	r = worked_example();
	assert_int_equal(nrm_return_suppress(r, &(struct nrm_dc_params){.threshold = -1}, NULL,
	                                     &err), -1);
	json_decref(r);
}

/* ---- the property test ------------------------------------------------------ */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

/* One site-quarter of `n` random cases, small categories likely. */
static void add_random_cases(struct nrm_return_builder *rb, const struct nrm_quarter *window,
                             int n, char ids[][16])
{
	static const char *const nat[] = {"GB", "AL", "VN", "ER", NULL};
	for (int i = 0; i < n; i++) {
		struct nrm_case c;
		nrm_case_init(&c);
		snprintf(ids[i], 16, "P-%d", i);
		c.case_id = ids[i];
		c.site = "hull";
		/* One window for every quarter asked for, so that returns of
		 * consecutive quarters are built from the same cases. */
		c.referral_date = window->first - 400 + (int32_t)rnd(900);
		/* Most children with a date of birth, mostly in the pilot's scope
		 * (17 or under, more than 100 days from 18), so that the
		 * comparison's groups hold small counts too. */
		if (rnd(6))
			c.date_of_birth = c.referral_date - 365 * (int32_t)(8 + rnd(10)) -
			                  (int32_t)rnd(365);
		c.gender = (int32_t)rnd(4);
		c.age_at_exploitation = rnd(5) ? (int32_t)rnd(18) : NRM_AGE_NONE;
		c.exploitation_types = rnd(3) ? (1u << rnd(5)) | (rnd(3) ? 0 : 1u << rnd(5)) : 0;
		c.exploitation_location = (int32_t)rnd(4);
		c.first_responder_type = (int32_t)rnd(5);
		c.county_lines = (int8_t)rnd(3);
		c.nationality[0] = nat[rnd(5)];
		c.nationality[1] = c.nationality[0] && rnd(6) == 0 ? "IE" : NULL;
		if (rnd(4)) {
			c.rg_decision_date = c.referral_date + (int32_t)rnd(120);
			c.rg_outcome = rnd(4) ? NRM_OUTCOME_POSITIVE : NRM_OUTCOME_NEGATIVE;
			c.decision_maker = (int32_t)rnd(4);
			if (c.rg_outcome == NRM_OUTCOME_POSITIVE && rnd(2)) {
				c.cg_decision_date = c.rg_decision_date + (int32_t)rnd(200);
				c.cg_outcome = rnd(5) ? NRM_OUTCOME_POSITIVE : NRM_OUTCOME_NEGATIVE;
			}
		}
		if (rnd(10) == 0) {
			c.status = rnd(2) ? NRM_STATUS_WITHDRAWN : NRM_STATUS_TRANSFERRED;
			c.status_date = c.referral_date + (int32_t)rnd(60);
		}
		nrm_return_builder_add(rb, &c);
	}
}

static json_t *random_return(uint64_t seed, enum nrm_audience audience, const char *quarter,
                             struct nrm_error *err)
{
	rng_state = seed;
	struct nrm_return_params p = {.site = "hull", .version = "test", .audience = audience};
	assert_int_equal(nrm_quarter_parse(quarter, &p.quarter), 0);
	/* The site joined long ago, a year before 2024Q1, or in the middle of
	 * it: the comparison's cumulative rows start then, and with a join in
	 * (or after) the return's quarter they are its quarter's rows again. */
	struct nrm_quarter joined;
	assert_int_equal(nrm_quarter_parse(seed % 3 == 0 ? "2023Q1" : "2024Q1", &joined), 0);
	p.joined = seed % 3 == 1 ? 0 : seed % 3 == 0 ? joined.first : joined.first + 40;
	struct nrm_return_builder *rb = nrm_return_builder_new(&p);
	int n = 3 + (int)rnd(90);
	char (*ids)[16] = nrm_xcalloc((size_t)n, 16);
	struct nrm_quarter window;
	assert_int_equal(nrm_quarter_parse("2024Q1", &window), 0);
	add_random_cases(rb, &window, n, ids);
	json_t *r = nrm_return_builder_finish(rb, err);
	nrm_return_builder_free(rb);
	free(ids);
	return r;
}

/* The second audit: every EQUAL relation with one unknown gives it; repeat
 * until nothing more is learnt.  Returns a hidden figure it recovered, or -1. */
static int substitution_recovers(const struct nrm_dc_model *m)
{
	bool *known = nrm_xcalloc(m->n_figures + 1, sizeof(bool));
	long long *value = nrm_xcalloc(m->n_figures + 1, sizeof(long long));
	for (size_t i = 0; i < m->n_figures; i++) {
		known[i] = !m->figures[i].hidden;
		value[i] = m->figures[i].value;
	}
	int recovered = -1;
	for (bool changed = true; changed && recovered < 0;) {
		changed = false;
		for (size_t i = 0; i < m->n_relations && recovered < 0; i++) {
			const struct nrm_dc_relation *r = &m->relations[i];
			if (r->kind != NRM_RELATION_EQUAL)
				continue;
			int unknown = -1, n_unknown = 0, coef = 0;
			long long sum = -r->rhs;
			for (size_t k = 0; k < r->n; k++) {
				if (known[r->figure[k]]) {
					sum += r->coef[k] * value[r->figure[k]];
				} else {
					unknown = r->figure[k];
					coef = r->coef[k];
					n_unknown++;
				}
			}
			if (n_unknown == 1) {
				known[unknown] = changed = true;
				value[unknown] = -sum / coef;
				/* A derived count (the Child row) is hidden only with
				 * its bands: learning it is no disclosure. */
				if (!m->figures[unknown].derived)
					recovered = unknown;
			}
		}
	}
	free(known);
	free(value);
	return recovered;
}

/* Every small official count is hidden in the published model `pub`, whose
 * relations are the official model's. */
static void check_against_official(const json_t *official, const struct nrm_dc_model *pub)
{
	struct nrm_return_tables t;
	struct nrm_error err;
	json_t *copy = json_deep_copy(official);
	assert_int_equal(nrm_return_tables_build(copy, &t, &err), 0);
	struct nrm_dc_model m;
	nrm_dc_model_build(&t, &m);
	assert_int_equal(m.n_figures, pub->n_figures);
	for (size_t i = 0; i < m.n_figures; i++)
		if (m.figures[i].count && m.figures[i].value >= 1 && m.figures[i].value <= 4 &&
		    !pub->figures[i].hidden)
			fail_msg("%s is a small count and shown", m.figures[i].name);
	assert_int_equal(nrm_dc_model_check(&m, &err), 0);
	assert_int_equal(m.n_relations, pub->n_relations);
	nrm_dc_model_free(&m);
	nrm_return_tables_free(&t);
	json_decref(copy);
}

static void assert_audit_passes(const struct nrm_dc_model *m, const struct nrm_dc_audit *a,
                                uint64_t seed)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->cells[i].verdict != NRM_DC_OK)
			fail_msg("seed %llu: %s [%g, %g] %s", (unsigned long long)seed,
			         m->figures[a->cells[i].figure].name, a->cells[i].lo, a->cells[i].hi,
			         nrm_dc_verdict_text(a->cells[i].verdict));
	int f = substitution_recovers(m);
	if (f >= 0)
		fail_msg("seed %llu: substitution recovers %s", (unsigned long long)seed,
		         m->figures[f].name);
}

/* The comparison's counts over the generated returns, hidden and shown
 * non-zero, so that the test is seen to reach that table. */
static size_t comparison_hidden, comparison_shown;

/* One generated quarter, published: the reader's audit of the file, and
 * every small count hidden (the comparison's too). */
static size_t check_one(uint64_t seed, const char *q)
{
	struct nrm_error err;
	/* The published return as the official one records it (that the two
	 * agree is test_official_records_published_pattern's): one build, not
	 * two, each of which suppresses the series' earlier quarters too. */
	json_t *official = random_return(seed, NRM_AUDIENCE_OFFICIAL, q, &err);
	json_t *pub = NULL;
	if (!official || nrm_return_published_from(official, "test", &pub, &err) != 0 || !pub)
		fail_msg("seed %llu: %s", (unsigned long long)seed, err.msg);
	struct nrm_return_audit a;
	assert_int_equal(nrm_return_audit(pub, NULL, &a, &err), 0);
	assert_audit_passes(&a.model, &a.audit, seed);
	check_against_official(official, &a.model);
	for (size_t i = 0; i < a.model.n_figures; i++) {
		const struct nrm_dc_figure *f = &a.model.figures[i];
		if (f->count && f->path && strncmp(f->path, "$.comparison.", 13) == 0) {
			comparison_hidden += f->hidden;
			comparison_shown += !f->hidden && f->value > 0;
		}
	}
	size_t n = a.audit.n;
	nrm_return_audit_free(&a);
	json_decref(official);
	json_decref(pub);
	return n;
}

static void test_generated_returns_pass_both_audits(void **state)
{
	static const char *const quarters[] = {"2024Q1", "2024Q2", "2024Q3", "2025Q1"};
	size_t hidden = 0;
	/* Fewer under the sanitizers, which run it four times slower and look
	 * for memory errors, not for patterns; the plain build runs all 60
	 * (`make check-unsanitized`). */
	uint64_t seeds = getenv("NRM_SANITIZED") ? 12 : 60;
	for (uint64_t seed = 1; seed <= seeds; seed++)
		hidden += check_one(seed, quarters[seed % 4]);
	assert_true(hidden > 0);
	/* Small groups: their counts are hidden, and with them (once hidden, as
	 * the previous quarter's own return hid them) the cumulative ones. */
	assert_true(comparison_hidden > 0);
	assert_true(comparison_shown + comparison_hidden > 0);
}

/* Neither of two consecutive published returns gives the other's hidden
 * comparison figure back by the cumulative figures: the later cumulative
 * is the earlier one plus the later quarter's. */
static void assert_cumulative_safe(const json_t *before, const json_t *after, uint64_t seed)
{
	static const char *const keys[] = {"count", "positive", "within_45_days"};
	static const char *const stages[] = {"rg", "cg"};
	for (size_t g = 0; g < 2; g++)
		for (size_t s = 0; s < 2; s++)
			for (size_t k = 0; k < 3; k++) {
				const json_t *v[3];  /* earlier cumulative, quarter, cumulative */
				static const char *const when[] = {"cumulative", "quarter", "cumulative"};
				for (int i = 0; i < 3; i++) {
					const json_t *grp = json_array_get(json_object_get(
						json_object_get(i ? after : before, "comparison"), "groups"), g);
					v[i] = json_object_get(json_object_get(json_object_get(grp, when[i]),
					                                       stages[s]), keys[k]);
				}
				int hidden = 0;
				for (int i = 0; i < 3; i++)
					hidden += json_is_string(v[i]);
				if (hidden == 1)
					fail_msg("seed %llu, %s: group %zu %s %s: one of the three hidden "
					         "gives it back (%s %s %s)", (unsigned long long)seed,
					         json_string_value(json_object_get(after, "quarter")), g,
					         stages[s], keys[k], json_dumps(v[0], JSON_ENCODE_ANY),
					         json_dumps(v[1], JSON_ENCODE_ANY),
					         json_dumps(v[2], JSON_ENCODE_ANY));
			}
}

/* Consecutive quarters of one site from the same cases, audited together:
 * each return's series repeats the other's figures. */
static void test_consecutive_quarters_pass_together(void **state)
{
	static const char *const quarters[] = {"2023Q4", "2024Q1", "2024Q2"};
	uint64_t seeds = getenv("NRM_SANITIZED") ? 3 : 12; /* as above */
	for (uint64_t seed = 1; seed <= seeds; seed++) {
		json_t *pub[3];
		struct nrm_error err;
		for (int i = 0; i < 3; i++) {
			pub[i] = random_return(seed, NRM_AUDIENCE_PUBLISHED, quarters[i], &err);
			if (!pub[i])
				fail_msg("seed %llu: %s", (unsigned long long)seed, err.msg);
		}
		struct nrm_return_audit a;
		assert_int_equal(nrm_return_audit_set((const json_t *const *)pub, 3, NULL, &a, NULL,
		                                      &err), 0);
		assert_audit_passes(&a.model, &a.audit, seed);
		nrm_return_audit_free(&a);
		for (int i = 1; i < 3; i++)
			assert_cumulative_safe(pub[i - 1], pub[i], seed);
		for (int i = 0; i < 3; i++)
			json_decref(pub[i]);
	}
}

/* An official return records the pattern of the published return of the
 * same cases (series and comparison following the earlier quarters
 * included): applied, it gives that return, figure for figure. */
static void test_official_records_published_pattern(void **state)
{
	uint64_t seeds = getenv("NRM_SANITIZED") ? 2 : 6; /* as above */
	for (uint64_t seed = 1; seed <= seeds; seed++) {
		struct nrm_error err;
		json_t *off = random_return(seed, NRM_AUDIENCE_OFFICIAL, "2024Q2", &err);
		json_t *pub = random_return(seed, NRM_AUDIENCE_PUBLISHED, "2024Q2", &err);
		assert_non_null(off);
		assert_non_null(pub);
		json_t *made;
		if (nrm_return_published_from(off, "test", &made, &err) != 0)
			fail_msg("seed %llu: %s", (unsigned long long)seed, err.msg);
		assert_non_null(made);
		if (!json_equal(made, pub))
			fail_msg("seed %llu: the recorded pattern is not the published return's",
			         (unsigned long long)seed);
		json_decref(made);
		json_decref(pub);
		json_decref(off);
	}
	/* A recorded path that names nothing is refused. */
	json_t *r = json_pack("{s:s, s:{s:i, s:i, s:[s]}}", "audience", "official", "disclosure",
	                      "threshold", 4, "protection", 5, "published_hidden", "$.nope");
	json_t *made;
	struct nrm_error err;
	assert_int_equal(nrm_return_published_from(r, "test", &made, &err), -1);
	assert_non_null(strstr(err.msg, "published_hidden[0] names no figure"));
	json_decref(r);
}

/* Each return is audited by the rule it records: the worked example
 * suppressed at threshold 4 passes, and fails once it says it was
 * published at 10 (its 8 Criminal referrals are then a small count). */
static void test_audit_reads_the_return_rule(void **state)
{
	json_t *r = worked_example();
	struct nrm_error err;
	assert_int_equal(nrm_return_suppress(r, NULL, NULL, &err), 0);
	json_object_set_new(r, "disclosure", json_pack("{s:i, s:i}", "threshold", 4,
	                                               "protection", 5));
	struct nrm_return_audit a;
	assert_int_equal(nrm_return_audit(r, NULL, &a, &err), 0);
	assert_int_equal(a.audit.n_failed, 0);
	nrm_return_audit_free(&a);
	json_object_set_new(r, "disclosure", json_pack("{s:i, s:i}", "threshold", 10,
	                                               "protection", 11));
	assert_int_equal(nrm_return_audit(r, NULL, &a, &err), 0);
	assert_true(a.audit.n_failed > 0);
	nrm_return_audit_free(&a);
	/* A rule given overrides the return's. */
	assert_int_equal(nrm_return_audit(r, &(struct nrm_dc_params){.threshold = 4}, &a, &err),
	                 0);
	assert_int_equal(a.audit.n_failed, 0);
	nrm_return_audit_free(&a);
	json_decref(r);
}

/* The same data, the same pattern. */
static void test_deterministic(void **state)
{
	struct nrm_error err;
	json_t *a = random_return(7, NRM_AUDIENCE_PUBLISHED, "2024Q2", &err);
	json_t *b = random_return(7, NRM_AUDIENCE_PUBLISHED, "2024Q2", &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
}

static void test_json_path(void **state)
{
	json_t *r = json_pack("{s:{s:i}, s:[{s:i}]}", "a", "b c", 1, "t", "x", 2);
	assert_int_equal(nrm_json_path_set(r, "$.a[\"b c\"]", json_integer(5)), 0);
	assert_int_equal(nrm_json_path_set(r, "$.t[0].x", json_integer(6)), 0);
	assert_int_equal(nrm_json_path_set(r, "$.t[1].x", json_integer(6)), -1);
	assert_int_equal(nrm_json_path_set(r, "$.nope.x", json_integer(6)), -1);
	assert_int_equal(nrm_json_path_set(r, "$..", json_integer(6)), -1);
	assert_int_equal(nrm_json_path_set(r, "a", json_integer(6)), -1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "a"), "b c")), 5);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example_used_to_leak),
		cmocka_unit_test(test_worked_example_is_protected),
		cmocka_unit_test(test_threshold_is_a_parameter),
		cmocka_unit_test(test_generated_returns_pass_both_audits),
		cmocka_unit_test(test_consecutive_quarters_pass_together),
		cmocka_unit_test(test_official_records_published_pattern),
		cmocka_unit_test(test_audit_reads_the_return_rule),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_json_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
