/*
 * `nrmhub runs`: the ledger's history of job runs, the last recorded
 * first, one line each (when, which job, its result, its message); with
 * --json also what an import counted, its first problems and its rejects
 * report.  What `status` shows of each job's last run, for every run: a
 * site run by cron reads here why last night's import failed.
 */
#include "commands.h"

#include "ledger.h"
#include "log.h"
#include "london_time.h"
#include "run_site.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Enough to see the last day of a site's runs; --limit 0 for all. */
#define RUNS_DEFAULT_LIMIT 20

struct runs_args {
	const char *job;
	int64_t since;
	long long limit;
	bool json;
};

static void runs_usage(void)
{
	printf("Usage: nrmhub runs [--job NAME] [--since TIME] [--limit N] [--json]\n"
	       "List the runs of the site's jobs recorded in the ledger, the last first, one\n"
	       "line each: when it ran, the job, its result and its message.\n"
	       "\n"
	       "      --job NAME    only this job's runs\n"
	       "      --since TIME  only runs at or after TIME (RFC 3339 or YYYY-MM-DD)\n"
	       "      --limit N     at most N runs (default %d; 0: all)\n"
	       "      --json        print them as JSON, with each run's counts, first\n"
	       "                    problems (file, position, field, reason) and rejects file\n"
	       "  -h, --help        show this help\n", RUNS_DEFAULT_LIMIT);
}

static int parse_args(int argc, char **argv, struct runs_args *a)
{
	enum { OPT_JOB = 1000, OPT_SINCE, OPT_LIMIT, OPT_JSON };
	static const struct option options[] = {
		{"job", required_argument, NULL, OPT_JOB},
		{"since", required_argument, NULL, OPT_SINCE},
		{"limit", required_argument, NULL, OPT_LIMIT},
		{"json", no_argument, NULL, OPT_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	a->limit = RUNS_DEFAULT_LIMIT;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_JOB: a->job = optarg; break;
		case OPT_SINCE:
			if (nrm_parse_run_time(optarg, &a->since) != 0)
				return nrm_usage_error("runs", "--since '%s': not an RFC 3339 time or "
				                       "a date", optarg);
			break;
		case OPT_LIMIT:
			if (!nrm_parse_int64(optarg, &a->limit) || a->limit < 0)
				return nrm_usage_error("runs", "--limit takes a number (0: all), not "
				                       "'%s'", optarg);
			break;
		case OPT_JSON: a->json = true; break;
		case 'h': runs_usage(); return 0;
		default: return nrm_usage_error("runs", "unknown option");
		}
	}
	if (optind < argc)
		return nrm_usage_error("runs", "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* A run's times as `status` shows them: London time, RFC 3339. */
static void set_time(json_t *run, const char *key)
{
	char buf[40];
	nrm_london_format((time_t)json_integer_value(json_object_get(run, key)), buf, sizeof(buf));
	json_object_set_new(run, key, json_string(buf));
}

static void print_text(const json_t *runs)
{
	if (json_array_size(runs) == 0) {
		printf("no runs recorded\n");
		return;
	}
	int width = 0;
	size_t i;
	json_t *r;
	json_array_foreach(runs, i, r) {
		int n = (int)strlen(json_string_value(json_object_get(r, "job")));
		width = n > width ? n : width;
	}
	json_array_foreach(runs, i, r) {
		char result[64];
		ledger_result_text(json_string_value(json_object_get(r, "status")),
		                   json_object_get(r, "counts"), result);
		printf("%s  %-*s  %s: %s\n", json_string_value(json_object_get(r, "started_at")), width,
		       json_string_value(json_object_get(r, "job")), result,
		       json_string_value(json_object_get(r, "message")));
	}
}

static int show(const char *store_path, const char *site, const struct runs_args *a,
                struct nrm_context *ctx)
{
	struct nrm_context at = *ctx;
	if (!at.store_path)
		at.store_path = store_path;
	struct store *s;
	int rc = nrm_context_open_store_read(&at, &s);
	if (rc)
		return rc;
	json_t *runs = ledger_runs(s, a->job, a->since, a->limit);
	if (!runs) {
		nrm_log_error("%s", store_error(s)->msg);
		rc = store_error(s)->code;
		store_close(s);
		return rc;
	}
	store_close(s);
	size_t i;
	json_t *r;
	json_array_foreach(runs, i, r) {
		set_time(r, "started_at");
		set_time(r, "ended_at");
	}
	if (a->json) {
		json_t *all = json_pack("{s:s?, s:O}", "site", site, "runs", runs);
		char *text = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(text ? text : "{}");
		free(text);
		json_decref(all);
	} else {
		print_text(runs);
	}
	json_decref(runs);
	return 0;
}

int cmd_runs(struct nrm_context *ctx, int argc, char **argv)
{
	struct runs_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct nrm_error err;
	if (nrm_london_init(&err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	/* The history needs only the store: without a configuration,
	 * --store (or ./nrmhub.db) is read. */
	struct nrm_config cfg;
	bool have;
	if ((rc = nrm_site_config_optional(ctx, &cfg, &have)) != 0)
		return rc;
	rc = show(have ? cfg.store : NULL, have ? cfg.site_code : NULL, &a, ctx);
	nrm_config_free(&cfg);
	return rc;
}
