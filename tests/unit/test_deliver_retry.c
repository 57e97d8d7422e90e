/*
 * Unit tests of hub/deliver_retry.c (the backoff) and of the receipt's JSON
 * form.  Waits are checked at the ends of the jitter range: with the random
 * number 0 the wait is half the backoff, with UINT32_MAX all of it, so each
 * expected figure is simple arithmetic on base * 2^(k-1), capped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "deliver.h"
#include "util.h"

static void test_backoff_doubles_up_to_the_cap(void **state)
{
	struct nrm_retry_policy p = {.attempts = 10, .base_ms = 1000, .cap_ms = 60000};
	/* failures: 1 -> 1000, 2 -> 2000, 3 -> 4000, ... 6 -> 32000, 7 -> 60000 (cap) */
	static const long full[] = {0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
	for (unsigned k = 1; k <= 8; k++) {
		assert_int_equal(nrm_retry_delay_ms(&p, k, UINT32_MAX), full[k]);
		assert_int_equal(nrm_retry_delay_ms(&p, k, 0), full[k] / 2);
	}
	/* Halfway through the random range: three quarters of the backoff. */
	assert_int_equal(nrm_retry_delay_ms(&p, 3, UINT32_MAX / 2), 2000 + 999);
	/* Far past the cap, no overflow. */
	assert_int_equal(nrm_retry_delay_ms(&p, 1000, UINT32_MAX), 60000);
	assert_int_equal(nrm_retry_delay_ms(&p, 0, UINT32_MAX), 1000);
}

static void test_jitter_stays_in_range(void **state)
{
	struct nrm_retry_policy p = {.attempts = 5, .base_ms = 300, .cap_ms = 1000};
	for (uint32_t r = 0; r < 4000000000u; r += 97654321u) {
		long d = nrm_retry_delay_ms(&p, 2, r);
		assert_true(d >= 300 && d <= 600);
		d = nrm_retry_delay_ms(&p, 5, r);
		assert_true(d >= 500 && d <= 1000);
	}
	struct nrm_retry_policy zero = {.attempts = 3, .base_ms = 0, .cap_ms = 0};
	assert_int_equal(nrm_retry_delay_ms(&zero, 3, UINT32_MAX), 0);
}

static void test_policy_checks(void **state)
{
	struct nrm_error err = {0};
	struct nrm_retry_policy p = nrm_retry_default();
	assert_int_equal(p.attempts, 5);
	assert_int_equal(p.base_ms, 1000);
	assert_int_equal(p.cap_ms, 60000);
	assert_int_equal(nrm_retry_check(&p, &err), 0);
	p.attempts = 0;
	assert_int_equal(nrm_retry_check(&p, &err), -1);
	assert_int_equal(err.code, 64);
	p = nrm_retry_default();
	p.base_ms = 70000;
	assert_int_equal(nrm_retry_check(&p, &err), -1);
	assert_non_null(strstr(err.msg, "above its cap"));
	p = nrm_retry_default();
	p.cap_ms = 3600001;
	assert_int_equal(nrm_retry_check(&p, &err), -1);
}

static void test_receipt_json(void **state)
{
	struct nrm_receipt r;
	memset(&r, 0, sizeof(r));
	r.status = NRM_DELIVERED;
	r.url = nrm_xstrdup("https://example.org/in/x.tar.gz");
	r.time = 1785542400; /* 2026-08-01T00:00:00Z */
	strcpy(r.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	r.attempts = 2;
	r.response_code = 201;
	r.response_headers = nrm_xstrdup("HTTP/1.1 201 Created\r\nServer: nginx\r\n"
	                                 "X-Bad: \xff\xfe\r\n\r\n");
	json_t *j = nrm_receipt_to_json(&r);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(
		s, "{\"status\":\"delivered\",\"url\":\"https://example.org/in/x.tar.gz\","
		   "\"time\":\"2026-08-01T00:00:00Z\",\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41"
		   "e4649b934ca495991b7852b855\",\"bytes\":0,\"attempts\":2,\"response_code\":201,"
		   "\"response_headers\":[\"HTTP/1.1 201 Created\",\"Server: nginx\",\"(not UTF-8)\"],"
		   "\"message\":null}");
	free(s);
	json_decref(j);
	nrm_receipt_free(&r);
	assert_string_equal(nrm_delivery_status_name(NRM_DELIVERY_PENDING), "pending");
	assert_string_equal(nrm_delivery_status_name(NRM_DELIVERY_REFUSED), "refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_doubles_up_to_the_cap),
		cmocka_unit_test(test_jitter_stays_in_range),
		cmocka_unit_test(test_policy_checks),
		cmocka_unit_test(test_receipt_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
