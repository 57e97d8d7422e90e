/*
 * `nrmhub status`: for each job of the site configuration its last run,
 * result and next due time, what is waiting to be delivered, the
 * bundle sequence numbers spent on no bundle, with the reason, and the
 * returns held for review.
 */
#include "commands.h"

#include "ledger.h"
#include "log.h"
#include "london_time.h"
#include "pipeline.h"
#include "review_held.h"
#include "run_lock.h"
#include "run_site.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

static void status_usage(void)
{
	printf("Usage: nrmhub status [--now TIME] [--json]\n"
	       "Show each job's last run and result, when it is next due, and the items\n"
	       "waiting to be delivered (pending) or refused by their receiver, and the\n"
	       "bundle sequence numbers handed out whose bundle was never finished, and the\n"
	       "returns held for review (nrmhub return review).\n"
	       "\n"
	       "      --now TIME  the time to reckon \"next due\" from (default: now)\n"
	       "      --json      print it as JSON\n"
	       "  -h, --help      show this help\n");
}

static json_t *time_or_null(int64_t t)
{
	if (t <= 0)
		return json_null();
	char buf[40];
	nrm_london_format((time_t)t, buf, sizeof(buf));
	return json_string(buf);
}

/* Why the last run ended as it did: what an import counted, its first
 * problems (file, position, field, rule) and its rejects report. */
static int add_last_details(struct store *s, const char *job, json_t *o)
{
	json_t *last = ledger_runs(s, job, 0, 1);
	if (!last)
		return -1;
	json_t *run = json_array_get(last, 0);
	if (run) {
		json_object_set(o, "counts", json_object_get(run, "counts"));
		json_object_set(o, "problems", json_object_get(run, "problems"));
		json_object_set(o, "rejects", json_object_get(run, "rejects"));
	} else {
		json_object_set_new(o, "counts", json_null());
		json_object_set_new(o, "problems", json_array());
		json_object_set_new(o, "rejects", json_null());
	}
	json_decref(last);
	return 0;
}

static json_t *job_status(struct store *s, const struct nrm_config_job *j, int64_t now)
{
	struct ledger_run last;
	int got = ledger_job_last(s, j->name, &last);
	int64_t first = now;
	/* Read-only: a job never seen is reckoned from now. */
	struct nrm_due d = nrm_job_due(j, first, got == 0 ? last.started_at : 0,
	                               got == 0 && strcmp(last.status, "retry") == 0, now);
	json_t *o = json_pack("{s:s, s:s, s:s?, s:I}", "job", j->name, "kind",
	                      nrm_job_kind_name(j->kind), "schedule", j->schedule,
	                      "runs", (json_int_t)(got == 0 ? last.runs : 0));
	json_object_set_new(o, "last_run", got == 0 ? time_or_null(last.started_at) : json_null());
	json_object_set_new(o, "result", got == 0 ? json_string(last.status) : json_null());
	json_object_set_new(o, "message", got == 0 ? json_string(last.message) : json_null());
	if (got < 0 || add_last_details(s, j->name, o) != 0) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "next_due", d.due ? time_or_null(now) : time_or_null(d.when));
	json_object_set_new(o, "due_now", json_boolean(d.due));
	return o;
}

static int on_gap(const struct store_bundle_gap *g, void *ctx)
{
	json_t *o = json_pack("{s:s, s:s, s:I, s:s?}", "site", g->site, "quarter", g->quarter,
	                      "seq", (json_int_t)g->seq, "failure", g->failure);
	json_object_set_new(o, "reserved_at", time_or_null(g->reserved_at));
	json_array_append_new(ctx, o);
	return 0;
}

/* The numbers spent on no bundle: a create that failed (its reason), or
 * was killed or is running still.  NULL on a store error. */
static json_t *unfinished_bundles(struct store *s)
{
	json_t *gaps = json_array();
	if (store_bundle_each_unfinished(s, on_gap, gaps) < 0) {
		json_decref(gaps);
		return NULL;
	}
	return gaps;
}

static void print_gaps(const json_t *gaps)
{
	if (json_array_size(gaps) == 0)
		return;
	printf("bundle numbers spent on no bundle: %zu\n", json_array_size(gaps));
	size_t i;
	const json_t *o;
	json_array_foreach(gaps, i, o) {
		const char *why = json_string_value(json_object_get(o, "failure"));
		printf("  %s_%s_%03lld  reserved %s: %s\n", json_string_value(json_object_get(o, "site")),
		       json_string_value(json_object_get(o, "quarter")),
		       (long long)json_integer_value(json_object_get(o, "seq")),
		       json_string_value(json_object_get(o, "reserved_at")),
		       why ? why : "the create was interrupted, or is running now");
	}
}

/* ---- returns held for review (review_held.h) ------------------------------ */

static void print_held(const json_t *held)
{
	if (json_array_size(held) == 0)
		return;
	printf("held for review: %zu\n", json_array_size(held));
	size_t i;
	const json_t *o;
	json_array_foreach(held, i, o) {
		const char *site = json_string_value(json_object_get(o, "site"));
		const char *quarter = json_string_value(json_object_get(o, "quarter"));
		if (!site) {
			printf("  %s: %s\n", json_string_value(json_object_get(o, "folder")),
			       json_string_value(json_object_get(o, "error")));
			continue;
		}
		printf("  %s %s  held %s by job %s: nrmhub return review %s %s\n", site, quarter,
		       json_string_value(json_object_get(o, "held_at")),
		       json_string_value(json_object_get(o, "job")), site, quarter);
	}
}

/* The run lock beside the store: free, held by a run, or held by
 * something that is not one (a process a job left behind). */
static json_t *lock_status(const char *store_path)
{
	char *path = nrm_run_lock_path(store_path);
	struct nrm_lock_holder h;
	json_t *o;
	if (nrm_run_lock_who(path, &h) != 0 || !h.held)
		o = json_pack("{s:s, s:b}", "path", path, "held", 0);
	else
		o = json_pack("{s:s, s:b, s:I, s:s, s:b}", "path", path, "held", 1, "pid",
		              (json_int_t)(h.pid ? h.pid : h.run_pid), "command", h.command,
		              "nrmhub_run", h.pid == 0 || h.is_run);
	free(path);
	return o;
}

static void print_lock(const json_t *lock)
{
	if (!json_is_true(json_object_get(lock, "held")))
		return;
	long long pid = (long long)json_integer_value(json_object_get(lock, "pid"));
	if (json_is_true(json_object_get(lock, "nrmhub_run")))
		printf("lock: held by an nrmhub run (PID %lld)\n", pid);
	else
		printf("lock: held by PID %lld (%s), not an nrmhub run: no run can start until it "
		       "ends\n", pid, json_string_value(json_object_get(lock, "command")));
}

static void print_problem(const json_t *p)
{
	char *text = nrm_pipeline_problem_text(p);
	printf("  problem    %s\n", text);
	free(text);
}

static void print_text(json_t *jobs, json_t *waiting)
{
	size_t i, k;
	json_t *o, *p;
	json_array_foreach(jobs, i, o) {
		const char *status = json_string_value(json_object_get(o, "result"));
		char result[64] = "";
		if (status)
			ledger_result_text(status, json_object_get(o, "counts"), result);
		printf("%s (%s)\n  last run   %s%s%s\n", json_string_value(json_object_get(o, "job")),
		       json_string_value(json_object_get(o, "kind")),
		       status ? json_string_value(json_object_get(o, "last_run")) : "never",
		       status ? ": " : "", result);
		if (status && *json_string_value(json_object_get(o, "message")))
			printf("  message    %s\n", json_string_value(json_object_get(o, "message")));
		json_array_foreach(json_object_get(o, "problems"), k, p)
			print_problem(p);
		if (json_is_string(json_object_get(o, "rejects")))
			printf("  rejects    %s\n", json_string_value(json_object_get(o, "rejects")));
		const char *next = json_string_value(json_object_get(o, "next_due"));
		printf("  next due   %s%s\n", next ? next : "not scheduled",
		       json_is_true(json_object_get(o, "due_now")) ? " (due now)" : "");
	}
	printf("waiting to be delivered: %zu\n", json_array_size(waiting));
	json_array_foreach(waiting, i, o)
		printf("  %s  #%lld  %s -> %s%s%s\n", json_string_value(json_object_get(o, "state")),
		       (long long)json_integer_value(json_object_get(o, "id")),
		       json_string_value(json_object_get(o, "item")),
		       json_string_value(json_object_get(o, "target")),
		       *json_string_value(json_object_get(o, "message")) ? ": " : "",
		       json_string_value(json_object_get(o, "message")));
}

static int show(struct nrm_context *ctx, struct nrm_site *site, int64_t now, bool json)
{
	struct store *s;
	struct nrm_error err;
	if (store_open_read(nrm_site_store(ctx, site), &s, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	json_t *lock = lock_status(nrm_site_store(ctx, site));
	json_t *jobs = json_array();
	bool jobs_read = true;
	for (size_t i = 0; i < site->cfg.n_jobs && jobs_read; i++) {
		json_t *o = job_status(s, &site->cfg.jobs[i], now);
		jobs_read = o != NULL;
		json_array_append_new(jobs, o);
	}
	json_t *pending = ledger_deliveries(s, NULL, "pending");
	json_t *refused = ledger_deliveries(s, NULL, "refused");
	json_t *gaps = unfinished_bundles(s);
	json_t *held = nrm_held_list(nrm_site_store(ctx, site));
	int rc = 0;
	if (!jobs_read || !pending || !refused || !gaps) {
		nrm_log_error("%s", store_error(s)->msg);
		rc = store_error(s)->code;
	} else {
		json_array_extend(pending, refused);
		if (json) {
			json_t *all = json_pack("{s:s, s:O, s:O, s:O, s:O}", "site", site->cfg.site_code,
			                        "jobs", jobs, "waiting", pending, "lock", lock,
			                        "unfinished_bundles", gaps);
			json_object_set(all, "held_for_review", held);
			char *text = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			puts(text ? text : "{}");
			free(text);
			json_decref(all);
		} else {
			print_lock(lock);
			print_text(jobs, pending);
			print_gaps(gaps);
			print_held(held);
		}
	}
	json_decref(lock);
	json_decref(jobs);
	json_decref(pending);
	json_decref(refused);
	json_decref(gaps);
	json_decref(held);
	store_close(s);
	return rc;
}

int cmd_status(struct nrm_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"now", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	const char *when = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'n': when = optarg; break;
		case 'h': status_usage(); return 0;
		default: return nrm_usage_error("status", "unknown option");
		}
	}
	if (optind < argc)
		return nrm_usage_error("status", "unexpected argument '%s'", argv[optind]);
	int64_t now;
	int rc = nrm_run_time_arg("status", when, &now);
	if (rc != 0)
		return rc;
	struct nrm_error err;
	if (nrm_london_init(&err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	struct nrm_site site;
	rc = nrm_site_load(ctx, &site);
	if (rc == 0)
		rc = show(ctx, &site, now, json);
	nrm_site_free(&site);
	return rc;
}
