/*
 * `nrmhub run`: the site's jobs, unattended.  `--due` runs every job whose
 * schedule fell due since its last run (once, however many runs were
 * missed), in configuration order; `--job NAME` runs one job now; `--all`
 * every job now.  One run at a time (the lock beside the store); each job
 * in its own child process with its time limit; every run in the ledger.
 * The run's time (--now, else the clock, read once here) is handed to
 * each job.  `--due` first applies the retention policy, if the
 * configuration has one (erasure.h), so no job of the run sees a case
 * past its limit.
 */
#include "commands.h"

#include "alerts.h"
#include "erasure.h"
#include "job_child.h"
#include "ledger.h"
#include "pseudonym.h"
#include "log.h"
#include "london_time.h"
#include "run_job.h"
#include "run_lock.h"
#include "run_site.h"
#include "store.h"
#include "util.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

struct run_args {
	bool due, all, dry_run, check_targets;
	const char *job, *quarter, *now;
};

static void run_usage(void)
{
	printf("Usage: nrmhub run (--due | --job NAME | --all) [OPTION]...\n"
	       "Run the site configuration's jobs, each in its own process with its time limit.\n"
	       "\n"
	       "      --due           run every job whose schedule fell due since its last run,\n"
	       "                      once each (missed runs are caught up once), in order,\n"
	       "                      after erasing the cases past the retention policy\n"
	       "      --job NAME      run this job now, whatever its schedule\n"
	       "      --all           run every job now, in order\n"
	       "      --quarter Q     with --job: the quarter a return job builds (YYYYQn;\n"
	       "                      default: the last quarter that has ended)\n"
	       "      --now TIME      the run's time (RFC 3339 or YYYY-MM-DD; default: now),\n"
	       "                      for tests and backfills\n"
	       "      --dry-run       say what would run and why, and run nothing; check the\n"
	       "                      folders, keys and targets as config check does\n"
	       "      --check-targets with --dry-run: try each delivery target too (HTTPS: a\n"
	       "                      HEAD request with the client certificate; SFTP: a\n"
	       "                      login; a folder: a file made and removed)\n"
	       "  -h, --help          show this help\n"
	       "\n"
	       "With an alerts section in the configuration, --due and --job end by mailing\n"
	       "each problem not mailed before (see 'nrmhub alerts --help').\n"
	       "A second run while one holds the lock beside the store exits 75 at once.\n"
	       "Exit status: 0 every job done; 75 something failed that a later run retries\n"
	       "(e.g. a delivery pending); 70 something failed that needs a person (a plugin\n"
	       "that crashed or hung, a refused delivery, bad data); 78 a broken configuration.\n");
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
	enum { OPT_DUE = 1000, OPT_ALL, OPT_JOB, OPT_QUARTER, OPT_NOW, OPT_DRY, OPT_TARGETS };
	static const struct option options[] = {
		{"due", no_argument, NULL, OPT_DUE},
		{"all", no_argument, NULL, OPT_ALL},
		{"job", required_argument, NULL, OPT_JOB},
		{"quarter", required_argument, NULL, OPT_QUARTER},
		{"now", required_argument, NULL, OPT_NOW},
		{"dry-run", no_argument, NULL, OPT_DRY},
		{"check-targets", no_argument, NULL, OPT_TARGETS},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_DUE: a->due = true; break;
		case OPT_ALL: a->all = true; break;
		case OPT_JOB: a->job = optarg; break;
		case OPT_QUARTER: a->quarter = optarg; break;
		case OPT_NOW: a->now = optarg; break;
		case OPT_DRY: a->dry_run = true; break;
		case OPT_TARGETS: a->check_targets = true; break;
		case 'h': run_usage(); return 0;
		default: return nrm_usage_error("run", "unknown option");
		}
	}
	if (optind < argc)
		return nrm_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if ((int)a->due + (int)a->all + (a->job != NULL) != 1)
		return nrm_usage_error("run", "give one of --due, --job NAME and --all");
	if (a->quarter && !a->job)
		return nrm_usage_error("run", "--quarter goes with --job");
	if (a->check_targets && !a->dry_run)
		return nrm_usage_error("run", "--check-targets goes with --dry-run");
	return -1;
}

/* ---- one job ---------------------------------------------------------- */

enum job_result { JOB_OK, JOB_RETRY, JOB_FAILED };

struct run_state {
	struct nrm_context *ctx;
	struct nrm_site *site;
	const char *store_path;
	int64_t now;
	const char *quarter;
	struct store *store;  /* open between jobs; closed while one runs */
	int lock_fd;          /* the run lock, which no job may inherit */
	bool any_retry, any_failed;
};

/* The run's connection to the store, opened again after each job. */
static int open_store(struct run_state *rs, struct store **s)
{
	struct nrm_error err;
	if (!rs->store && store_open(rs->store_path, &rs->store, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	*s = rs->store;
	return 0;
}

#define SIG_SUFFIX ".minisig"

/* The length of `name` without a trailing ".minisig". */
static size_t signed_stem(const char *name)
{
	size_t n = strlen(name), s = strlen(SIG_SUFFIX);
	return n > s && strcmp(name + n - s, SIG_SUFFIX) == 0 ? n - s : n;
}

/* By name, except that a signature comes just before the file it signs,
 * as bundle create writes them: a receiver never sees an archive under its
 * name without its signature beside it (a run killed between the two once
 * left tests/e2e/crash_safety.sh's drop folder an unsigned archive).
 * Ordered by (name without ".minisig", signature first): a total order. */
static int cmp_delivery_order(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = signed_stem(x), ly = signed_stem(y);
	int c = memcmp(x, y, lx < ly ? lx : ly);
	if (c == 0 && lx != ly)
		c = lx < ly ? -1 : 1;
	if (c == 0)
		c = (int)(y[ly] != '\0') - (int)(x[lx] != '\0');
	return c;
}

/* Whether `path` is a signature whose signed file is not beside it: a
 * bundle create killed between writing the signature and renaming its
 * archive into place leaves one, and the next run makes its bundle under
 * the next number, so the archive never comes.  Such a signature signs
 * nothing and is not sent (crash_safety.sh found one delivered). */
static bool orphan_signature(const char *path)
{
	size_t stem = signed_stem(path);
	if (path[stem] == '\0')
		return false;
	char *signed_path = nrm_xasprintf("%.*s", (int)stem, path);
	struct stat st;
	bool orphan = stat(signed_path, &st) != 0 || !S_ISREG(st.st_mode);
	free(signed_path);
	return orphan;
}

/* Queues every file in the deliver job's folder (new ones become pending),
 * then lists the target's pending items for the child. */
static json_t *deliver_items(struct store *s, const struct nrm_config_job *j, int64_t now)
{
	DIR *d = opendir(j->from);
	if (d) {
		char **names = NULL;
		size_t n = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char *path = nrm_xasprintf("%s/%s", j->from, e->d_name);
			struct stat st;
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && !orphan_signature(path)) {
				names = nrm_xrealloc(names, (n + 1) * sizeof(char *));
				names[n++] = path;
			} else
				free(path);
		}
		closedir(d);
		if (n > 1)
			qsort(names, n, sizeof(char *), cmp_delivery_order);
		for (size_t i = 0; i < n; i++) {
			ledger_delivery_queue(s, j->target, names[i], now);
			free(names[i]);
		}
		free(names);
	} else
		nrm_warn("%s: cannot read the folder to deliver from", j->from);
	json_t *pending = ledger_deliveries(s, j->target, "pending");
	json_t *items = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(pending, i, p)
		json_array_append(items, json_object_get(p, "item"));
	json_decref(pending);
	return items;
}

/* The plugin a job runs, for messages ("plugin council-csv crashed ..."). */
static const char *job_plugin(const struct run_state *rs, const struct nrm_config_job *j)
{
	if (j->kind != NRM_JOB_IMPORT && j->kind != NRM_JOB_EXPORT)
		return NULL;
	unsigned cap = j->kind == NRM_JOB_IMPORT ? NRM_CAP_IMPORT : NRM_CAP_EXPORT;
	const struct nrm_module *m = nrm_registry_describe_format(&rs->site->reg, j->format, cap);
	return m ? m->plugin->name : j->format;
}

/* Records what the child sent: receipts into the ledger; outputs and a
 * summary for the job's run. */
static void take_result(struct store *s, const struct nrm_config_job *j, json_t *result,
                        int64_t now)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(result, "receipts"), i, r) {
		const char *item = json_string_value(json_object_get(r, "item"));
		if (item && ledger_receipt_add(s, j->target, item, json_object_get(r, "receipt"), now))
			nrm_log_error("%s", store_error(s)->msg);
	}
}

/* An import's counts, and where the records it set aside (keep_going) are. */
static void say_imported(const json_t *counts, const char *rejects, char *msg, size_t size)
{
	long long bad = (long long)json_integer_value(json_object_get(counts, "rejected"));
	char aside[640] = "";
	if (bad && rejects)
		snprintf(aside, sizeof(aside), ", %lld rejected (set aside in %s)", bad, rejects);
	else if (bad)
		snprintf(aside, sizeof(aside), ", %lld rejected (no rejects report: the first %d "
		         "problems are in the ledger)", bad, LEDGER_PROBLEMS);
	snprintf(msg, size, "%lld records: %lld new, %lld changed, %lld unchanged%s; "
	         "%lld files skipped as imported before",
	         (long long)json_integer_value(json_object_get(counts, "records")),
	         (long long)json_integer_value(json_object_get(counts, "new")),
	         (long long)json_integer_value(json_object_get(counts, "changed")),
	         (long long)json_integer_value(json_object_get(counts, "unchanged")), aside,
	         (long long)json_integer_value(json_object_get(counts, "files_skipped")));
}

static enum job_result judge(const struct run_state *rs, const struct nrm_config_job *j,
                             const struct nrm_job_outcome *o, json_t *result,
                             const char *rejects, char *msg, size_t size)
{
	const char *plugin = job_plugin(rs, j);
	const char *summary = json_string_value(json_object_get(result, "summary"));
	json_t *counts = json_object_get(result, "counts");
	/* The result record is what says a job was done: without one, a zero
	 * exit status means nothing. */
	if (nrm_job_succeeded(o) && !json_is_object(result)) {
		snprintf(msg, size, "%s%s sent no result record before it ended", plugin ? "plugin " : "",
		         plugin ? plugin : "the job");
		return JOB_FAILED;
	}
	if (nrm_job_succeeded(o)) {
		if (counts)
			say_imported(counts, rejects, msg, size);
		else
			snprintf(msg, size, "%s", summary ? summary : "done");
		return JOB_OK;
	}
	char how[1200];
	nrm_job_describe(o, how, sizeof(how));
	if (plugin && o->end != NRM_JOB_EXITED)
		snprintf(msg, size, "plugin %s %s", plugin, how);
	else
		snprintf(msg, size, "%s", how);
	return o->end == NRM_JOB_EXITED && o->exit_status == EX_TEMPFAIL ? JOB_RETRY : JOB_FAILED;
}

/* One line a job on a terminal, so that a person who runs it sees what
 * happened; nothing under cron, whose mail is for what went wrong (the
 * log's error lines say that already). */
static void say_on_terminal(const struct nrm_config_job *j, const char *status,
                            const char *msg, int64_t elapsed_ms)
{
	if (!isatty(STDOUT_FILENO))
		return;
	printf("%s: %s: %s (%.1f s)\n", j->name, status, msg, (double)elapsed_ms / 1000.0);
	fflush(stdout);
}

/* The rejects report an import job wrote: the one its configuration names
 * for the run's time, when the child says it holds any. */
static char *import_rejects(const struct nrm_config_job *j, json_t *result, int64_t now)
{
	const char *said = json_string_value(json_object_get(result, "rejects"));
	if (j->kind != NRM_JOB_IMPORT || !j->rejects || !said)
		return NULL;
	char *path = nrm_run_expand_output(j->rejects, now);
	if (strcmp(path, said) == 0)
		return path;
	free(path);
	return NULL;
}

static int run_one(struct run_state *rs, const struct nrm_config_job *j)
{
	struct store *s = NULL;
	int rc = open_store(rs, &s);
	if (rc)
		return rc;
	struct nrm_run_job rj = {.cfg = &rs->site->cfg, .job = j, .now = rs->now,
	                         .quarter = rs->quarter};
	if (j->kind == NRM_JOB_DELIVER)
		rj.items = deliver_items(s, j, rs->now);
	/* Nothing of ours the job could keep after it ends: the store is
	 * closed across the fork (the child opens its own), the lock is closed
	 * in the child (job_child.h). */
	store_close(rs->store);
	rs->store = NULL;
	nrm_log_set_job(j->name); /* every line about the job names it */
	nrm_info("started (%s)", nrm_job_kind_name(j->kind));
	struct nrm_job_limits limits = {
		.timeout_ms = j->timeout_ms, .close_fds = &rs->lock_fd, .n_close_fds = 1,
		.memory_bytes = j->memory_bytes ? j->memory_bytes : nrm_job_default_memory(),
		.log_bytes = j->output_bytes ? j->output_bytes : NRM_JOB_DEFAULT_LOG_BYTES,
	};
	struct nrm_job_outcome o = {0};
	struct nrm_error err = {0};
	char msg[1400];
	enum job_result res;
	json_t *result = NULL;
	char *rejects = NULL;
	if (nrm_job_run(nrm_run_job_child, &rj, &limits, &o, &err) != 0) {
		snprintf(msg, sizeof(msg), "%s", err.msg);
		res = JOB_FAILED;
	} else {
		result = o.result ? json_loads(o.result, 0, NULL) : NULL;
		rejects = import_rejects(j, result, rs->now);
		res = judge(rs, j, &o, result, rejects, msg, sizeof(msg));
		if (o.orphans_killed)
			nrm_warn("left %zu process%s running outside its process group; ended",
			         o.orphans_killed, o.orphans_killed == 1 ? "" : "es");
	}
	static const char *const status[] = {"ok", "retry", "failed"};
	if ((rc = open_store(rs, &s)) == 0) {
		take_result(s, j, result, rs->now);
		struct ledger_run_record rec = {
			.job = j->name, .started_at = rs->now, .ended_at = rs->now + o.elapsed_ms / 1000,
			.status = status[res], .message = msg,
			.outputs = json_object_get(result, "outputs"),
			.counts = json_object_get(result, "counts"),
			.problems = json_object_get(result, "problems"), .rejects = rejects,
		};
		if (ledger_run_add(s, &rec) != 0)
			nrm_log_error("%s", store_error(s)->msg);
	}
	char result_text[64];
	ledger_result_text(status[res], json_object_get(result, "counts"), result_text);
	if (res == JOB_OK)
		nrm_info("%s: %s", strcmp(result_text, "ok") ? result_text : "done", msg);
	else
		nrm_log_error("%s%s", res == JOB_RETRY ? "will be retried: " :
		              strncmp(msg, "failed", 6) ? "failed: " : "", msg);
	nrm_log_set_job(NULL);
	say_on_terminal(j, status[res], msg, o.elapsed_ms);
	rs->any_retry |= res == JOB_RETRY;
	rs->any_failed |= res == JOB_FAILED;
	free(rejects);
	json_decref(result);
	json_decref(rj.items);
	nrm_job_outcome_free(&o);
	return 0;
}

/* ---- the retention policy --------------------------------------------- */

static void say_retention(const struct nrm_erasure_result *res, bool dry)
{
	size_t n = json_array_size(res->pseudonyms), i;
	json_t *v;
	if (!dry) {
		/* Pseudonyms only in the ledger: the log says how many. */
		nrm_info("retention: %zu case%s erased, %zu held file%s changed (see "
		         "'nrmhub audit erasures')", n, n == 1 ? "" : "s",
		         json_array_size(res->changed), json_array_size(res->changed) == 1 ? "" : "s");
		/* A person must know a return waiting for them went, and why. */
		json_array_foreach(res->discarded, i, v)
			nrm_warn("retention: the %s %s return held for review counted an erased "
			         "case and was discarded; build it again: %s",
			         json_string_value(json_object_get(v, "site")),
			         json_string_value(json_object_get(v, "quarter")),
			         json_string_value(json_object_get(v, "rebuild")));
		return;
	}
	printf("retention: would erase %zu case%s%s\n", n, n == 1 ? "" : "s", n ? ":" : "");
	json_array_foreach(res->pseudonyms, i, v)
		printf("  %s\n", json_string_value(v));
	json_array_foreach(res->changed, i, v)
		printf("  held file that would change: %s\n", json_string_value(v));
	json_array_foreach(res->discarded, i, v)
		printf("  return held for review that would be discarded: %s\n",
		       json_string_value(json_object_get(v, "folder")));
}

/* Every case of the site past the policy's limit at the run's time goes. */
static int apply_retention(struct run_state *rs, bool dry)
{
	const struct nrm_config *cfg = &rs->site->cfg;
	if (!nrm_retention_set(&cfg->retention))
		return 0;
	struct store *s = NULL;
	int rc = open_store(rs, &s);
	if (rc)
		return rc;
	char *key = NULL;
	struct nrm_error kerr;
	if (cfg->pseudonym_key)
		key = nrm_xstrdup(cfg->pseudonym_key);
	else if (nrm_pseudonym_key_of_store(rs->store_path, cfg->site_code, &key, &kerr) != 0) {
		nrm_log_error("retention: %s", kerr.msg);
		return kerr.code;  /* the store is rs's, closed by cmd_run */
	}
	json_t *places = json_array();
	nrm_erasure_config_places(cfg, places);
	const char **list = nrm_xcalloc(json_array_size(places) + 1, sizeof(char *));
	for (size_t i = 0; i < json_array_size(places); i++)
		list[i] = json_string_value(json_array_get(places, i));
	struct nrm_erasure_request req = {.site = cfg->site_code, .key_path = key, .now = rs->now,
	                                  .places = list, .n_places = json_array_size(places),
	                                  .dry_run = dry};
	struct nrm_erasure_result res;
	struct nrm_error err = {0};
	rc = nrm_retention_run(s, &req, &cfg->retention, &res, &err);
	if (rc)
		nrm_log_error("retention: %s: no job was run", err.msg);
	else
		say_retention(&res, dry);
	nrm_erasure_result_free(&res);
	free(list);
	json_decref(places);
	free(key);
	return rc;
}

/* ---- which jobs ------------------------------------------------------- */

static void say_plan(const struct nrm_config_job *j, const struct nrm_due *d)
{
	char when[40] = "never";
	if (d->when > 0)
		nrm_london_format((time_t)d->when, when, sizeof(when));
	if (d->due && strcmp(d->why, "retrying") == 0)
		printf("%s: would run: its last run (%s) is waiting to be retried\n", j->name, when);
	else if (d->due)
		printf("%s: would run: due at %s (%s)\n", j->name, when, j->schedule);
	else if (j->schedule)
		printf("%s: not due: next at %s (%s)\n", j->name, when, j->schedule);
	else
		printf("%s: not due: no schedule (run it with --job)\n", j->name);
}

/* Whether `j` is due; records when a new job was first seen (not in a
 * dry run). */
static int check_due(struct run_state *rs, const struct nrm_config_job *j, bool dry,
                     struct nrm_due *d)
{
	struct store *s = NULL;
	int rc = open_store(rs, &s);
	if (rc)
		return rc;
	int64_t first = rs->now;
	struct ledger_run last;
	int got = ledger_job_last(s, j->name, &last);
	/* A dry run reckons from the same first sighting a run would, and
	 * records none: a job a run would run now, it says would run. */
	int seen = dry ? ledger_job_first_seen(s, j->name, &first)
	               : ledger_job_seen(s, j->name, rs->now, &first);
	if (seen < 0 || got < 0) {
		nrm_log_error("%s", store_error(s)->msg);
		return EX_IOERR;
	}
	*d = nrm_job_due(j, first, got == 0 ? last.started_at : 0,
	                 got == 0 && strcmp(last.status, "retry") == 0, rs->now);
	return 0;
}

/* A target one of the run's deliver jobs sends to (with --job, that job). */
static bool target_in_play(const struct nrm_config *cfg, const struct run_args *a,
                           const struct nrm_config_target *t)
{
	for (size_t i = 0; i < cfg->n_jobs; i++) {
		const struct nrm_config_job *j = &cfg->jobs[i];
		if (j->kind == NRM_JOB_DELIVER && j->target_ref == t &&
		    (!a->job || strcmp(a->job, j->name) == 0))
			return true;
	}
	return false;
}

/* What a run would meet on this machine: config check's look at folders,
 * keys and files, and with --check-targets a try of each target.  0, or
 * the status the run would likely end with. */
static int dry_checks(struct run_state *rs, const struct run_args *a)
{
	const struct nrm_config *cfg = &rs->site->cfg;
	int problems = nrm_config_check_deep(cfg, &rs->site->reg), rc = 0;
	if (problems) {
		printf("%d problem%s on this machine (above): the jobs they touch would fail\n",
		       problems, problems == 1 ? "" : "s");
		rc = EX_CONFIG;
	}
	for (size_t i = 0; a->check_targets && i < cfg->n_targets; i++) {
		const struct nrm_config_target *t = &cfg->targets[i];
		if (!target_in_play(cfg, a, t))
			continue;
		struct nrm_error err = {0};
		if (nrm_deliver_probe(t->url, &t->opts, &err) == 0) {
			printf("target %s: reachable (%s)\n", t->name, t->url);
		} else {
			printf("target %s: %s\n", t->name, err.msg);
			if (!rc)
				rc = err.code == EX_UNAVAILABLE ? EX_TEMPFAIL : EX_CONFIG;
		}
	}
	return rc;
}

static int run_jobs(struct run_state *rs, const struct run_args *a)
{
	const struct nrm_config *cfg = &rs->site->cfg;
	if (a->job) {
		const struct nrm_config_job *j = nrm_config_find_job(cfg, a->job);
		if (!j)
			return nrm_usage_error("run", "no job named '%s' in %s", a->job, cfg->path);
		if (a->dry_run) {
			printf("%s: would run: asked for with --job\n", j->name);
			return dry_checks(rs, a);
		}
		return run_one(rs, j);
	}
	int rc;
	if (a->due && (rc = apply_retention(rs, a->dry_run)) != 0)
		return rc;
	int checked = a->dry_run ? dry_checks(rs, a) : 0;
	for (size_t i = 0; i < cfg->n_jobs; i++) {
		const struct nrm_config_job *j = &cfg->jobs[i];
		struct nrm_due d = {.due = true, .why = "all"};
		rc = a->all ? 0 : check_due(rs, j, a->dry_run, &d);
		if (rc)
			return rc;
		if (a->dry_run) {
			if (a->all)
				printf("%s: would run: --all\n", j->name);
			else
				say_plan(j, &d);
		} else if (d.due && (rc = run_one(rs, j)) != 0)
			return rc;
		else if (!d.due)
			nrm_debug("job %s: not due", j->name);
	}
	return checked;
}

int cmd_run(struct nrm_context *ctx, int argc, char **argv)
{
	struct run_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct nrm_error err = {0};
	if (nrm_london_init(&err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	struct run_state rs = {.ctx = ctx, .quarter = a.quarter, .lock_fd = -1};
	if ((rc = nrm_run_time_arg("run", a.now, &rs.now)) != 0)
		return rc;
	struct nrm_site site;
	if ((rc = nrm_site_load(ctx, &site)) != 0) {
		nrm_site_free(&site);
		return rc;
	}
	rs.site = &site;
	rs.store_path = nrm_site_store(ctx, &site);
	/* Orphans of a job (a plugin's child that left the job's session)
	 * become ours to end and reap, not init's (job_orphans.h). */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	struct nrm_run_lock lock = {.fd = -1};
	char *lock_path = nrm_run_lock_path(rs.store_path);
	if (!a.dry_run && nrm_run_lock_acquire(&lock, lock_path, &err) != 0) {
		nrm_log_error("%s", err.msg);
		rc = err.code;
	} else {
		rs.lock_fd = lock.fd;
		rc = run_jobs(&rs, &a);
		/* Under the lock, after the ledger has every job's end; what
		 * the alerts find or fail to send leaves the exit status be. */
		if (rc == 0 && !a.dry_run && !a.all)
			nrm_alerts_after_run(&site.cfg, rs.store_path, rs.now);
		if (rc == 0)
			rc = rs.any_failed ? EX_SOFTWARE : rs.any_retry ? EX_TEMPFAIL : 0;
	}
	store_close(rs.store);
	nrm_run_lock_release(&lock);
	free(lock_path);
	nrm_site_free(&site);
	return rc;
}
