/*
 * Unit tests of the alerts' decisions (hub/alerts_send.c, alerts_check.c,
 * store_alerts.c) on a real store: a problem never sent is new, one sent
 * is not sent again until repeat_hours have passed, and is forgotten when
 * it clears; the hook for returns held for review makes one alert each,
 * and a file name's control characters cannot forge a header.  (What a
 * mail server receives: tests/e2e/run_alerts.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alerts.h"
#include "london_time.h"
#include "store.h"
#include "store_alerts.h"
#include "util.h"

static char dir[] = "/tmp/nrmhub-alerts-test.XXXXXX";
static char *path;

static int setup(void **state)
{
	(void)state;
	struct nrm_error err;
	if (!mkdtemp(dir) || nrm_london_init(&err) != 0)
		return -1;
	path = nrm_xasprintf("%s/store.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = nrm_xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	free(path);
	return rc == 0 ? 0 : -1;
}

static const int64_t t0 = 1751526000; /* 2025-07-03T07:00:00Z */

static void test_held_returns(void **state)
{
	(void)state;
	struct nrm_held_return held[] = {
		{.site = "telford", .quarter = "2025Q2", .folder = "/srv/out/telford_2025Q2",
		 .held_at = t0},
		{.site = "telford", .quarter = "2025Q3", .folder = "/srv/out/x\r\nBcc: a@b",
		 .held_at = t0},
	};
	struct nrm_alert_list l = {0};
	nrm_alerts_add_held(&l, held, 2);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].key, "review:telford:2025Q2");
	assert_string_equal(l.v[0].subject, "[nrmhub telford] the 2025Q2 return waits for review");
	assert_non_null(strstr(l.v[0].body, "/srv/out/telford_2025Q2\n"));
	assert_non_null(strstr(l.v[0].body, "nrmhub return approve telford 2025Q2\n"));
	/* The body keeps its own line ends; a file name has none. */
	assert_non_null(strstr(l.v[1].body, "/srv/out/x??Bcc: a@b\n\n"));
	assert_null(strchr(l.v[1].body, '\r'));
	nrm_alert_list_free(&l);
}

static enum nrm_alert_state state_at(struct store *s, const struct nrm_alerts_config *c,
                                     const char *key, int64_t now)
{
	struct nrm_alert_list l = {0};
	nrm_alert_add(&l, key, "subject", "body\n");
	assert_int_equal(nrm_alerts_decide(s, c, now, &l), 0);
	enum nrm_alert_state st = l.v[0].state;
	nrm_alert_list_free(&l);
	return st;
}

static void test_once_then_repeat(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct nrm_error err;
	assert_int_equal(store_open(path, &s, &err), 0);
	struct nrm_alerts_config once = {.pending_hours = 24, .overdue_days = 30};
	struct nrm_alerts_config daily = once;
	daily.repeat_hours = 24;
	assert_int_equal(state_at(s, &once, "job:import", t0), NRM_ALERT_NEW);
	assert_int_equal(store_alert_sent(s, "job:import", t0), 0);
	assert_int_equal(state_at(s, &once, "job:import", t0 + 3600), NRM_ALERT_SENT_BEFORE);
	assert_int_equal(state_at(s, &once, "job:import", t0 + 30 * 86400), NRM_ALERT_SENT_BEFORE);
	assert_int_equal(state_at(s, &daily, "job:import", t0 + 23 * 3600), NRM_ALERT_SENT_BEFORE);
	assert_int_equal(state_at(s, &daily, "job:import", t0 + 24 * 3600), NRM_ALERT_REPEAT);
	/* Sent again: first_sent stays, last_sent moves. */
	assert_int_equal(store_alert_sent(s, "job:import", t0 + 24 * 3600), 0);
	int64_t first = 0, last = 0;
	assert_int_equal(store_alert_get(s, "job:import", &first, &last), 0);
	assert_int_equal(first, t0);
	assert_int_equal(last, t0 + 24 * 3600);
	/* Cleared: forgotten, so new when it comes back. */
	assert_int_equal(store_alert_sent(s, "overdue:telford:2025Q2", t0), 0);
	const char *current[] = {"overdue:telford:2025Q2"};
	assert_int_equal(store_alert_forget_others(s, current, 1), 0);
	assert_int_equal(store_alert_get(s, "job:import", &first, &last), 1);
	assert_int_equal(state_at(s, &once, "job:import", t0 + 2 * 86400), NRM_ALERT_NEW);
	assert_int_equal(state_at(s, &once, "overdue:telford:2025Q2", t0 + 86400),
	                 NRM_ALERT_SENT_BEFORE);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_held_returns),
		cmocka_unit_test(test_once_then_repeat),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
