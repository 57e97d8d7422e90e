/*
 * The inputs `plugin check` makes from a sample: damaged variants, and the
 * sample with its records repeated.  Expected bytes worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "check_damage.h"

static void expect_repeat(const char *sample, size_t head, size_t tail, size_t copies,
                          const char *want)
{
	size_t len = 0;
	char *got = nrm_sample_repeat(sample, strlen(sample), head, tail, copies, &len);
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(got);
}

static void repeats_the_body_between_header_and_trailer(void **state)
{
	(void)state;
	expect_repeat("H\nA\nB\n", 1, 0, 3, "H\nA\nB\nA\nB\nA\nB\n");
	expect_repeat("A\nB\n", 0, 0, 2, "A\nB\nA\nB\n");
	expect_repeat("<?x?>\n<r>\n<a/>\n</r>\n", 2, 1, 2, "<?x?>\n<r>\n<a/>\n<a/>\n</r>\n");
	expect_repeat("H\nA\nT\n", 1, 1, 1, "H\nA\nT\n");
}

static void adds_the_missing_final_line_break(void **state)
{
	(void)state;
	expect_repeat("H\nA", 1, 0, 2, "H\nA\nA\n");
	expect_repeat("H\nA\nT", 1, 1, 2, "H\nA\nA\nT\n");
}

static void refuses_a_sample_without_a_body(void **state)
{
	(void)state;
	size_t len;
	assert_null(nrm_sample_repeat("H\n", 2, 1, 0, 2, &len));
	assert_null(nrm_sample_repeat("H\nT\n", 4, 1, 1, 2, &len));
	assert_null(nrm_sample_repeat("", 0, 0, 0, 2, &len));
}

static const struct nrm_variant *find(const struct nrm_variants *v, const char *label)
{
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->items[i].label, label) == 0)
			return &v->items[i];
	fail_msg("no variant '%s'", label);
	return NULL;
}

static void expect_variant(const struct nrm_variants *v, const char *label, const char *data,
                           size_t len)
{
	const struct nrm_variant *x = find(v, label);
	assert_int_equal(x->len, len);
	assert_memory_equal(x->data, data, len);
}

/* "ab\ncd\n": truncations at 6*i/25 for i = 1..24 are 0 (skipped), then 1 to
 * 5; 32 changed bytes; each of the 2 lines duplicated; empty; the long line. */
static void damages_a_small_sample(void **state)
{
	(void)state;
	struct nrm_variants v;
	nrm_variants_make(&v, "ab\ncd\n", 6);
	assert_int_equal(v.count, 1 + 5 + 32 + 2 + 1);
	expect_variant(&v, "an empty file", "", 0);
	expect_variant(&v, "truncated after byte 1 of 6", "a", 1);
	expect_variant(&v, "truncated after byte 5 of 6", "ab\ncd", 5);
	expect_variant(&v, "line 1 duplicated", "ab\nab\ncd\n", 9);
	expect_variant(&v, "line 2 duplicated", "ab\ncd\ncd\n", 9);
	/* position 0, variant 0: the byte's bits inverted ('a' is 0x61) */
	expect_variant(&v, "byte 0 of 6 changed to 0x9E", "\x9e" "b\ncd\n", 6);
	/* variant 1 at 6*1/32 = 0: a '"' */
	expect_variant(&v, "byte 0 of 6 changed to 0x22", "\"b\ncd\n", 6);
	const struct nrm_variant *runaway = find(&v, "one line of 8 MiB without a line break");
	assert_int_equal(runaway->len, 8u << 20);
	assert_null(memchr(runaway->data, '\n', runaway->len));
	nrm_variants_free(&v);
}

/* A last line without a line break gets one when it is duplicated. */
static void duplicates_an_unterminated_last_line(void **state)
{
	(void)state;
	struct nrm_variants v;
	nrm_variants_make(&v, "ab\ncd", 5);
	expect_variant(&v, "line 2 duplicated", "ab\ncd\ncd", 8);
	nrm_variants_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(repeats_the_body_between_header_and_trailer),
		cmocka_unit_test(adds_the_missing_final_line_break),
		cmocka_unit_test(refuses_a_sample_without_a_body),
		cmocka_unit_test(damages_a_small_sample),
		cmocka_unit_test(duplicates_an_unterminated_last_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
