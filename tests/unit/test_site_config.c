/*
 * Unit tests for the site configuration reader (hub/site_config.c): values
 * as read (paths resolved against the file's folder, time limits, plugin
 * options as KEY=VALUE, a folder target as a file:// URL, retry policy),
 * and refusals with their position or JSON path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "log.h"
#include "site_config.h"
#include "util.h"

static char dir[] = "/tmp/nrmhub-config-test.XXXXXX";

static char *write_config(const char *name, const char *text)
{
	char *path = nrm_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const char good[] =
	"{\"site\": {\"code\": \"testsite\", \"local_authority\": \"E08000025\",\n"
	"          \"nation\": \"E92000001\", \"joined\": \"2025-04-01\",\n"
	"          \"suppression_threshold\": 6},\n"
	" \"store\": \"state/nrmhub.db\",\n"
	" \"keys\": {\"secret_key\": \"/etc/nrmhub/site.key\"},\n"
	" \"targets\": {\"drop\": {\"folder\": \"drop\",\n"
	"                        \"retry\": {\"attempts\": 3, \"base_ms\": 10, \"cap_ms\": 40}},\n"
	"             \"ho\": {\"folder\": \"ho\", \"audience\": \"official\"},\n"
	"             \"both\": {\"folder\": \"both\", \"audience\": [\"official\", \"published\"]}},\n"
	" \"jobs\": [\n"
	"  {\"name\": \"in\", \"kind\": \"import\", \"schedule\": \"30 1 * * *\", \"timeout\": \"10m\",\n"
	"   \"format\": \"council-csv\", \"input\": \"in/*.csv\",\n"
	"   \"options\": {\"site\": \"testsite\", \"max-columns\": 12, \"strict\": true},\n"
	"   \"keep_going\": true, \"rejects\": \"rejects/in-{date}.jsonl\"},\n"
	"  {\"name\": \"ret\", \"kind\": \"return\", \"outbox\": \"out\", \"timeout\": 90},\n"
	"  {\"name\": \"held\", \"kind\": \"return\", \"outbox\": \"out\", \"review\": \"required\"},\n"
	"  {\"name\": \"send\", \"kind\": \"deliver\", \"target\": \"drop\", \"from\": \"out\"}\n"
	" ]}\n";

static void test_good(void **state)
{
	(void)state;
	char *path = write_config("good.json", good);
	struct nrm_config cfg;
	struct nrm_error err = {0};
	assert_int_equal(nrm_config_load(path, &cfg, &err), 0);
	char *want = nrm_xasprintf("%s/state/nrmhub.db", dir);
	assert_string_equal(cfg.store, want);
	free(want);
	assert_string_equal(cfg.secret_key, "/etc/nrmhub/site.key");
	assert_string_equal(cfg.site_code, "testsite");
	assert_int_equal(cfg.suppression_threshold, 6);
	assert_int_equal(cfg.n_jobs, 4);
	const struct nrm_config_job *in = nrm_config_find_job(&cfg, "in");
	assert_non_null(in);
	assert_int_equal(in->kind, NRM_JOB_IMPORT);
	assert_int_equal(in->timeout_ms, 600000);
	assert_int_equal(in->n_options, 3);
	assert_string_equal(in->options[0], "site=testsite");
	assert_string_equal(in->options[1], "max-columns=12");
	assert_string_equal(in->options[2], "strict=true");
	assert_true(in->keep_going);
	want = nrm_xasprintf("%s/rejects/in-{date}.jsonl", dir);
	assert_string_equal(in->rejects, want);
	free(want);
	const struct nrm_config_job *ret = nrm_config_find_job(&cfg, "ret");
	assert_int_equal(ret->timeout_ms, 90000);
	assert_null(ret->schedule);
	assert_int_equal(ret->n_audiences, 1);
	assert_false(ret->keep_going);
	assert_null(ret->rejects);
	assert_string_equal(ret->audiences[0], "official");
	assert_false(ret->review);
	assert_true(nrm_config_find_job(&cfg, "held")->review);
	/* A target takes any file unless it names the audiences it takes. */
	assert_int_equal(cfg.targets[0].audiences, 0);
	assert_int_equal(cfg.targets[1].audiences, NRM_TARGET_OFFICIAL);
	assert_int_equal(cfg.targets[2].audiences, NRM_TARGET_OFFICIAL | NRM_TARGET_PUBLISHED);
	const struct nrm_config_job *send = nrm_config_find_job(&cfg, "send");
	assert_ptr_equal(send->target_ref, &cfg.targets[0]);
	want = nrm_xasprintf("file://%s/drop/", dir);
	assert_string_equal(cfg.targets[0].url, want);
	free(want);
	assert_int_equal(cfg.targets[0].opts.retry.attempts, 3);
	assert_int_equal(cfg.targets[0].opts.retry.cap_ms, 40);
	/* The default time limit: 30 minutes. */
	assert_int_equal(send->timeout_ms, 30L * 60 * 1000);
	assert_null(nrm_config_find_job(&cfg, "nothing"));
	nrm_config_free(&cfg);
	free(path);
}

static void expect_refusal(const char *text, int code, const char *needle)
{
	char *path = write_config("bad.json", text);
	struct nrm_config cfg;
	struct nrm_error err = {0};
	assert_int_equal(nrm_config_load(path, &cfg, &err), -1);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, needle))
		fail_msg("'%s' not in '%s'", needle, err.msg);
	nrm_config_free(&cfg);
	free(path);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_refusal("{\"site\": {\"code\": \"x\"},\n \"store\": 5,\n", EX_CONFIG, "bad.json:3:");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": [], \"colour\": 1}",
	               EX_CONFIG, "$: unknown key 'colour'; allowed here: site, store, keys, "
	               "plugin_path, targets, jobs");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"deliver\", \"target\": \"t\", \"from\": \"f\"}]}",
	               EX_CONFIG, "$.jobs[0]: \"target\": no target named 't'");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"return\", \"outbox\": \"o\", \"quarter\": \"2025q1\"}]}",
	               EX_CONFIG, "$.jobs[0].quarter: '2025q1' is not a quarter");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"return\", \"outbox\": \"o\", \"timeout\": \"0s\"}]}",
	               EX_CONFIG, "$.jobs[0].timeout: a time limit from 1 second to 24 hours");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"return\", \"outbox\": \"o\"},"
	               " {\"name\": \"a\", \"kind\": \"return\", \"outbox\": \"o\"}]}",
	               EX_CONFIG, "$.jobs[1]: a second job named 'a'");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"targets\": "
	               "{\"t\": {\"url\": \"http://example.org/\"}}, \"jobs\": []}",
	               EX_CONFIG, "$.targets.t.url: 'http://example.org/': only https://");
	expect_refusal("{\"site\": {\"code\": \"x\", \"suppression_threshold\": 0}, "
	               "\"store\": \"s\", \"jobs\": []}",
	               EX_CONFIG, "$.site.suppression_threshold: must be a whole number from 1 to 100");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"import\", \"format\": \"f\", \"input\": \"i\","
	               " \"keep_going\": \"yes\"}]}",
	               EX_CONFIG, "$.jobs[0].keep_going: must be true or false");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"export\", \"format\": \"f\", \"output\": \"o\","
	               " \"rejects\": \"r\"}]}",
	               EX_CONFIG, "$.jobs[0]: unknown key 'rejects'");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"return\", \"outbox\": \"o\", \"review\": \"yes\"}]}",
	               EX_CONFIG, "$.jobs[0].review: 'yes': \"required\"");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"targets\": "
	               "{\"t\": {\"folder\": \"d\", \"audience\": \"public\"}}, \"jobs\": []}",
	               EX_CONFIG, "$.targets.t.audience: \"official\" or \"published\"");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"targets\": "
	               "{\"t\": {\"folder\": \"d\", \"audience\": []}}, \"jobs\": []}",
	               EX_CONFIG, "$.targets.t.audience: an empty list would take nothing");
	expect_refusal("{\"site\": {\"code\": \"x\"}, \"store\": \"s\", \"jobs\": "
	               "[{\"name\": \"a\", \"kind\": \"deliver\", \"target\": \"t\", \"from\": \"f\", "
	               "\"review\": \"required\"}], \"targets\": {\"t\": {\"folder\": \"d\"}}}",
	               EX_CONFIG, "$.jobs[0]: unknown key 'review'");
	/* A shire district (E07) has no children's services: not a site's area. */
	expect_refusal("{\"site\": {\"code\": \"x\", \"local_authority\": \"E07000032\"}, "
	               "\"store\": \"s\", \"jobs\": []}",
	               EX_CONFIG, "'E07000032' is not a local authority's GSS code (one of E06 E08 "
	               "E09 E10 W06 S12 N09, then six digits)");
	char *missing = nrm_xasprintf("%s/none.json", dir);
	struct nrm_config cfg;
	struct nrm_error err = {0};
	assert_int_equal(nrm_config_load(missing, &cfg, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
	nrm_config_free(&cfg);
	free(missing);
}

static void test_locate(void **state)
{
	(void)state;
	assert_string_equal(nrm_config_locate("given.json"), "given.json");
	setenv("NRMHUB_CONFIG", "/env/site.json", 1);
	assert_string_equal(nrm_config_locate(NULL), "/env/site.json");
	unsetenv("NRMHUB_CONFIG");
	assert_string_equal(nrm_config_locate(NULL), "./nrmhub.json");
}

static int cb_cleanup(const char *path)
{
	char *cmd = nrm_xasprintf("rm -rf '%s'", path);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	/* The refusals are logged as well as returned: keep the output short. */
	nrm_log_set_level(NRM_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_locate),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	cb_cleanup(dir);
	return rc;
}
