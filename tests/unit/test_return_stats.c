/*
 * Unit tests of hub/return_stats.c (count, mean, median, p90, bands) and
 * hub/quarter.c (parsing and arithmetic).  Expected values are worked out
 * by hand; day numbers come from Python's datetime (date - 1970-01-01), not
 * from the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "quarter.h"
#include "return_stats.h"

static void summarise(const int32_t *v, size_t n, struct nrm_day_stats *s)
{
	struct nrm_days d = {0};
	for (size_t i = 0; i < n; i++)
		nrm_days_add(&d, v[i]);
	nrm_days_summarise(&d, s);
	nrm_days_free(&d);
}

static void test_empty(void **state)
{
	struct nrm_day_stats s;
	summarise(NULL, 0, &s);
	assert_int_equal(s.count, 0);
	assert_int_equal(s.within_45, 0);
}

static void test_odd_median(void **state)
{
	static const int32_t v[] = {90, 1, 30, 7, 45};  /* sorted 1 7 30 45 90 */
	struct nrm_day_stats s;
	summarise(v, 5, &s);
	assert_int_equal(s.count, 5);
	assert_int_equal(s.median2, 60);   /* 30 */
	assert_int_equal(s.mean10, 346);   /* 173 / 5 = 34.6 */
	assert_int_equal(s.within_45, 4);  /* 45 counts: days <= 45 */
}

static void test_even_median_is_mean_of_middle_two(void **state)
{
	static const int32_t a[] = {10, 2, 3, 1};  /* 1 2 3 10: (2 + 3) / 2 = 2.5 */
	static const int32_t b[] = {4, 2};         /* (2 + 4) / 2 = 3 */
	struct nrm_day_stats s;
	summarise(a, 4, &s);
	assert_int_equal(s.median2, 5);
	summarise(b, 2, &s);
	assert_int_equal(s.median2, 6);
}

static void test_mean_rounds_half_up_exactly(void **state)
{
	static const int32_t quarter[] = {0, 0, 0, 1};  /* 0.25 -> 0.3 */
	static const int32_t third[] = {0, 0, 1};       /* 0.333 -> 0.3 */
	static const int32_t twothirds[] = {0, 1, 1};   /* 0.667 -> 0.7 */
	struct nrm_day_stats s;
	summarise(quarter, 4, &s);
	assert_int_equal(s.mean10, 3);
	summarise(third, 3, &s);
	assert_int_equal(s.mean10, 3);
	summarise(twothirds, 3, &s);
	assert_int_equal(s.mean10, 7);
	/* 31.45 exactly: 629 over 20 values; binary 31.45 is below it. */
	assert_int_equal(nrm_mean10(629, 20), 315);
	assert_int_equal(nrm_mean10(97 * 4 + 3, 4), 978);  /* 97.75 -> 97.8 */
	assert_int_equal(nrm_mean10(0, 1), 0);
}

static void test_p90_rank(void **state)
{
	assert_int_equal(nrm_p90_rank(1), 1);    /* ceil(0.9) */
	assert_int_equal(nrm_p90_rank(9), 9);    /* ceil(8.1) */
	assert_int_equal(nrm_p90_rank(10), 9);   /* ceil(9.0): 9, not 10 */
	assert_int_equal(nrm_p90_rank(11), 10);  /* ceil(9.9) */
	assert_int_equal(nrm_p90_rank(20), 18);
	assert_int_equal(nrm_p90_rank(21), 19);  /* ceil(18.9) */
}

/* Values 10, 20, ..., 10n in reverse order: the k-th smallest is 10k. */
static int32_t p90_of(size_t n)
{
	int32_t v[16];
	for (size_t i = 0; i < n; i++)
		v[i] = (int32_t)(10 * (n - i));
	struct nrm_day_stats s;
	summarise(v, n, &s);
	return s.p90;
}

static void test_p90_values(void **state)
{
	assert_int_equal(p90_of(1), 10);
	assert_int_equal(p90_of(9), 90);
	assert_int_equal(p90_of(10), 90);
	assert_int_equal(p90_of(11), 100);
}

static void test_bands(void **state)
{
	static const struct {
		int32_t days;
		int band;
	} cases[] = {{0, 0}, {45, 0}, {46, 1}, {90, 1}, {91, 2}, {180, 2},
	             {181, 3}, {365, 3}, {366, 4}, {5000, 4}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_int_equal(nrm_day_band(cases[i].days), cases[i].band);
	static const int32_t v[] = {0, 45, 46, 91, 181, 366, 400};
	struct nrm_day_stats s;
	summarise(v, 7, &s);
	assert_int_equal(s.bands[0], 2);
	assert_int_equal(s.bands[1], 1);
	assert_int_equal(s.bands[2], 1);
	assert_int_equal(s.bands[3], 1);
	assert_int_equal(s.bands[4], 2);
}

static void test_many_values_grow(void **state)
{
	struct nrm_days d = {0};
	for (int i = 1000; i >= 1; i--)
		nrm_days_add(&d, i);
	struct nrm_day_stats s;
	nrm_days_summarise(&d, &s);
	assert_int_equal(s.count, 1000);
	assert_int_equal(s.median2, 1001);  /* (500 + 501) / 2 = 500.5 */
	assert_int_equal(s.p90, 900);
	assert_int_equal(s.mean10, 5005);
	nrm_days_free(&d);
}

/* Many values in a narrow span (sorted by counting) and the same values
 * spread far apart (sorted by qsort): the same order either way. */
static void test_sort_either_way(void **state)
{
	struct nrm_days narrow = {0}, wide = {0};
	for (int i = 0; i < 1001; i++) {
		int v = (i * 3) % 1001 - 3; /* -3..997, each once, out of order */
		nrm_days_add(&narrow, v);
		nrm_days_add(&wide, v < 500 ? v : v + 1000000000);
	}
	struct nrm_day_stats s, w;
	nrm_days_summarise(&narrow, &s);
	nrm_days_summarise(&wide, &w);
	for (size_t i = 0; i < 1001; i++) {
		assert_int_equal(narrow.v[i], (int)i - 3);
		assert_int_equal(wide.v[i], (int)i - 3 + (i >= 503 ? 1000000000 : 0));
	}
	assert_int_equal(s.median2, 2 * 497);
	assert_int_equal(s.p90, 897); /* the 901st smallest */
	assert_int_equal(w.p90, 1000000897);
	nrm_days_free(&narrow);
	nrm_days_free(&wide);
}

/* ---- quarters ------------------------------------------------------------ */

static void test_quarter_parse(void **state)
{
	struct nrm_quarter q;
	assert_int_equal(nrm_quarter_parse("2024Q1", &q), 0);
	assert_int_equal(q.year, 2024);
	assert_int_equal(q.q, 1);
	assert_int_equal(q.first, 19723);  /* 2024-01-01 */
	assert_int_equal(q.last, 19813);   /* 2024-03-31: 91 days, with 29 February */
	assert_int_equal(nrm_quarter_parse("2023Q1", &q), 0);
	assert_int_equal(q.first, 19358);
	assert_int_equal(q.last, 19447);   /* 90 days */
	assert_int_equal(nrm_quarter_parse("2024Q4", &q), 0);
	assert_int_equal(q.first, 19997);  /* 2024-10-01 */
	assert_int_equal(q.last, 20088);   /* 2024-12-31 */
	assert_int_equal(nrm_quarter_parse("9999Q4", &q), 0);
	assert_int_equal(q.last, 2932896);
	assert_int_equal(nrm_quarter_parse("0001Q1", &q), 0);
	assert_int_equal(q.first, -719162);
}

static void test_quarter_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"2025Q5", "2025Q0", "2025q1", "2025 Q1", "2025-Q1", "25Q1", "2025Q", "2025Q1 ",
		" 2025Q1", "2025Q12", "0000Q1", "+025Q1", "２025Q1", "", "Q1", "2025Q1\n",
	};
	struct nrm_quarter q;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(nrm_quarter_parse(bad[i], &q), -1);
	assert_int_equal(nrm_quarter_parse(NULL, &q), -1);
}

static void test_quarter_arithmetic(void **state)
{
	struct nrm_quarter q, r;
	char buf[7];
	nrm_quarter_parse("2024Q1", &q);
	assert_int_equal(nrm_quarter_add(&q, -7, &r), 0);
	nrm_quarter_format(&r, buf);
	assert_string_equal(buf, "2022Q2");
	assert_int_equal(nrm_quarter_diff(&r, &q), 7);
	assert_int_equal(nrm_quarter_add(&q, 3, &r), 0);
	nrm_quarter_format(&r, buf);
	assert_string_equal(buf, "2024Q4");
	assert_int_equal(nrm_quarter_add(&q, 4, &r), 0);
	nrm_quarter_format(&r, buf);
	assert_string_equal(buf, "2025Q1");
	nrm_quarter_parse("0001Q1", &q);
	assert_int_equal(nrm_quarter_add(&q, -1, &r), -1);
	nrm_quarter_parse("9999Q4", &q);
	assert_int_equal(nrm_quarter_add(&q, 1, &r), -1);
	nrm_quarter_of_date(19782, &r);  /* 2024-02-29 */
	nrm_quarter_format(&r, buf);
	assert_string_equal(buf, "2024Q1");
	nrm_quarter_of_date(19813, &r);  /* 2024-03-31 */
	assert_int_equal(r.q, 1);
	nrm_quarter_of_date(19814, &r);  /* 2024-04-01 */
	assert_int_equal(r.q, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_odd_median),
		cmocka_unit_test(test_even_median_is_mean_of_middle_two),
		cmocka_unit_test(test_mean_rounds_half_up_exactly),
		cmocka_unit_test(test_p90_rank),
		cmocka_unit_test(test_p90_values),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_many_values_grow),
		cmocka_unit_test(test_sort_either_way),
		cmocka_unit_test(test_quarter_parse),
		cmocka_unit_test(test_quarter_parse_refuses),
		cmocka_unit_test(test_quarter_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
