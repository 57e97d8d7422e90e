/*
 * The child's side of a scheduled job (run_job.h).  Each kind builds the
 * argument list its command takes and runs that command in this process;
 * what the command prints on standard output is caught in a temporary
 * file and sent to the parent.
 */
#include "run_job.h"

#include "bundle_peek.h"
#include "commands.h"
#include "date.h"
#include "deliver.h"
#include "folder_swap.h"
#include "job_child.h"
#include "log.h"
#include "london_time.h"
#include "pipeline.h"
#include "quarter.h"
#include "return_command.h"
#include "review_held.h"
#include "store.h"
#include "store_backup.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* ---- the argument list ------------------------------------------------ */

struct args {
	char **v;
	int n;
};

static void push(struct args *a, const char *s)
{
	a->v = nrm_xrealloc(a->v, (size_t)(a->n + 2) * sizeof(char *));
	a->v[a->n++] = nrm_xstrdup(s);
	a->v[a->n] = NULL;
}

static void args_free(struct args *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

static struct nrm_context job_context(const struct nrm_run_job *r)
{
	struct nrm_context ctx = {0};
	for (size_t i = 0; i < r->cfg->n_plugin_paths; i++)
		nrm_context_add_plugin_path(&ctx, r->cfg->plugin_paths[i]);
	ctx.store_path = r->cfg->store;
	ctx.config_path = r->cfg->path; /* what a command reads of it (site.joined) */
	ctx.now = r->now;
	return ctx;
}

static void context_free(struct nrm_context *ctx)
{
	for (size_t i = 0; i < ctx->n_plugin_paths; i++)
		free(ctx->plugin_paths[i]);
	free(ctx->plugin_paths);
}

/* Where the command's answer (--json, the last thing it printed) starts:
 * the last line start from which the rest reads as one JSON value. */
static size_t answer_start(const char *out)
{
	json_t *whole = json_loads(out, 0, NULL);
	if (whole) {
		json_decref(whole);
		return 0;
	}
	for (size_t i = strlen(out); i > 0; i--) {
		if (out[i - 1] != '\n' || (out[i] != '{' && out[i] != '['))
			continue;
		json_t *v = json_loads(out + i, 0, NULL);
		if (v) {
			json_decref(v);
			return i;
		}
	}
	return 0;
}

/* Anything printed before the command's answer was printed by a plugin,
 * which must never print: it goes to the job's log (standard error, which
 * the run copies, within the job's log limit), never into the result. */
static void keep_the_answer(char *out)
{
	size_t start = answer_start(out);
	if (start == 0)
		return;
	nrm_warn("a plugin wrote %zu bytes to standard output, which belong to no one:", start);
	fflush(stderr);
	for (size_t done = 0; done < start;) {
		ssize_t w = write(STDERR_FILENO, out + done, start - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	memmove(out, out + start, strlen(out + start) + 1);
}

/* Runs a command with its standard output caught; *out gets its answer
 * (caller frees).  Returns the command's code. */
static int run_caught(int (*cmd)(struct nrm_context *, int, char **), const struct nrm_run_job *r,
                      struct args *a, char **out)
{
	struct nrm_context ctx = job_context(r);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	FILE *caught = tmpfile();
	if (saved < 0 || !caught) {
		nrm_log_error("cannot catch a command's output: %s", strerror(errno));
		return EX_OSERR;
	}
	dup2(fileno(caught), STDOUT_FILENO);
	optind = 0;
	int rc = cmd(&ctx, a->n, a->v);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	/* The command wrote through fd 1, so the FILE's own position knows
	 * nothing of it: ask the descriptor. */
	off_t size = lseek(fileno(caught), 0, SEEK_END);
	*out = nrm_xcalloc((size_t)(size > 0 ? size : 0) + 1, 1);
	if (size > 0) {
		lseek(fileno(caught), 0, SEEK_SET);
		ssize_t got = read(fileno(caught), *out, (size_t)size);
		(*out)[got > 0 ? got : 0] = '\0';
		keep_the_answer(*out);
	}
	fclose(caught);
	context_free(&ctx);
	return rc;
}

/* ---- dates ------------------------------------------------------------ */

static int32_t london_day(int64_t now)
{
	struct tm tm;
	int32_t day = (int32_t)(now / 86400);
	if (nrm_london_local((time_t)now, &tm))
		nrm_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day);
	return day;
}

void nrm_run_default_quarter(int64_t now, char buf[7])
{
	struct nrm_quarter q, last;
	nrm_quarter_of_date(london_day(now), &q);
	if (nrm_quarter_add(&q, -1, &last) != 0)
		last = q;
	nrm_quarter_format(&last, buf);
}

static char *replace_all(const char *s, const char *what, const char *with)
{
	size_t wl = strlen(what);
	char *out = nrm_xstrdup("");
	const char *p;
	while ((p = strstr(s, what))) {
		char *next = nrm_xasprintf("%s%.*s%s", out, (int)(p - s), s, with);
		free(out);
		out = next;
		s = p + wl;
	}
	char *next = nrm_xasprintf("%s%s", out, s);
	free(out);
	return next;
}

char *nrm_run_expand_output(const char *template, int64_t now)
{
	char date[11], quarter[7];
	struct nrm_quarter q;
	int32_t day = london_day(now);
	nrm_date_format_iso(day, date);
	nrm_quarter_of_date(day, &q);
	nrm_quarter_format(&q, quarter);
	char *a = replace_all(template, "{date}", date);
	char *b = replace_all(a, "{quarter}", quarter);
	free(a);
	return b;
}

static void iso_time(int64_t now, char buf[32])
{
	struct tm tm;
	time_t t = (time_t)now;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- import ----------------------------------------------------------- */

static size_t cb_fetch_write(char *data, size_t size, size_t n, void *file)
{
	return fwrite(data, size, n, file);
}

/* Fetches the job's URL into `path` (TLS always verified). */
static int fetch(const struct nrm_config_job *j, const char *path, struct nrm_error *err)
{
	FILE *f = fopen(path, "wbx");
	if (!f)
		return nrm_fail(err, EX_CANTCREAT, "cannot write %s: %s", path, strerror(errno));
	CURL *c = curl_easy_init();
	char why[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, j->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, cb_fetch_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	if (j->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, j->ca_file);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	if (fclose(f) != 0 && rc == CURLE_OK)
		return nrm_fail(err, EX_IOERR, "cannot write %s", path);
	if (rc != CURLE_OK)
		return nrm_fail(err, rc == CURLE_HTTP_RETURNED_ERROR ? EX_UNAVAILABLE : EX_TEMPFAIL,
		                "fetching %s: %s", j->url, why[0] ? why : curl_easy_strerror(rc));
	return 0;
}

/* Moves an imported file into the processed folder (never over another). */
static int move_processed(const char *file, const char *dir, int64_t now, json_t *outputs,
                          struct nrm_error *err)
{
	char *copy = nrm_xstrdup(file);
	char *to = nrm_xasprintf("%s/%s", dir, basename(copy));
	if (access(to, F_OK) == 0) {
		char *again = nrm_xasprintf("%s.%lld", to, (long long)now);
		free(to);
		to = again;
	}
	int rc = 0;
	if (rename(file, to) != 0)
		rc = nrm_fail(err, EX_CANTCREAT, "cannot move an imported file into %s: %s", dir,
		              strerror(errno));
	else
		json_array_append_new(outputs, json_string(to));
	free(copy);
	free(to);
	return rc;
}

/* The rejects report, made when the job names one: its folder is made
 * (0700) as an export's is; the path is the caller's to free. */
static char *rejects_path(const struct nrm_run_job *r)
{
	if (!r->job->rejects)
		return NULL;
	char *path = nrm_run_expand_output(r->job->rejects, r->now);
	char *dir = nrm_xstrdup(path);
	mkdir(dirname(dir), 0700);
	free(dir);
	return path;
}

/* What the import answered, into the result record: its counts, its first
 * problems (each {file, line, column, path, field, reason}: a position and
 * a rule, never a case's identifier) and the rejects report when this run
 * wrote problems into it.  An empty report says nothing, and is removed;
 * one this run did not write (its file was skipped, imported before) is
 * an earlier run's, and is left alone. */
static void take_answer(json_t *result, const char *out, const char *rejects)
{
	json_t *counts = json_loads(out, 0, NULL);
	if (json_is_object(counts)) {
		json_t *problems = json_object_get(counts, "problems");
		if (json_is_array(problems))
			json_object_set(result, "problems", problems);
		json_object_del(counts, "problems");
		json_object_set(result, "counts", counts);
	}
	json_decref(counts);
	struct stat st;
	if (!rejects || stat(rejects, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	if (st.st_size == 0)
		unlink(rejects);
	else if (json_array_size(json_object_get(result, "problems")) > 0)
		json_object_set_new(result, "rejects", json_string(rejects));
}

/* Why an import that read bad records failed, in one line for the
 * ledger: how many were rejected and the first problem, in full. */
static void say_rejected(const json_t *result, struct nrm_error *err, int rc)
{
	json_t *counts = json_object_get(result, "counts");
	json_t *first = json_array_get(json_object_get(result, "problems"), 0);
	const char *rejects = json_string_value(json_object_get(result, "rejects"));
	if (!first) {
		nrm_fail(err, rc, "the import failed (see the job's log)");
		return;
	}
	char *where = nrm_pipeline_problem_text(first);
	long long bad = (long long)json_integer_value(json_object_get(counts, "rejected"));
	long long records = (long long)json_integer_value(json_object_get(counts, "records"));
	/* Without keep_going the first bad record stops the import: what was
	 * read is not what the file holds. */
	char what[96] = "the input was refused";
	if (bad)
		snprintf(what, sizeof(what), "%lld record%s rejected of %lld read", bad,
		         bad == 1 ? "" : "s", records);
	nrm_fail(err, rc, "%s, nothing was imported%s%s; first: %s", what,
	         rejects ? "; all in " : "", rejects ? rejects : "", where);
	free(where);
}

static int job_import(const struct nrm_run_job *r, json_t *result, struct nrm_error *err)
{
	const struct nrm_config_job *j = r->job;
	glob_t g = {0};
	char *tmpdir = NULL, *fetched = NULL;
	if (j->url) {
		tmpdir = nrm_xasprintf("%s/nrmhub-fetch.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(tmpdir)) {
			free(tmpdir);
			return nrm_fail(err, EX_CANTCREAT, "cannot make a temporary folder");
		}
		fetched = nrm_xasprintf("%s/input", tmpdir);
		if (fetch(j, fetched, err) != 0) {
			unlink(fetched);
			rmdir(tmpdir);
			free(fetched);
			free(tmpdir);
			return -1;
		}
	} else if (glob(j->input, GLOB_ERR, NULL, &g) != 0 || g.gl_pathc == 0) {
		globfree(&g);
		json_object_set_new(result, "summary", json_string("no input file matched"));
		return 0;
	}
	char *rejects = rejects_path(r);
	struct args a = {0};
	push(&a, "import");
	push(&a, "--from");
	push(&a, j->format);
	push(&a, "--json");
	if (j->keep_going)
		push(&a, "--keep-going");
	if (rejects) {
		push(&a, "--rejects");
		push(&a, rejects);
	}
	for (size_t i = 0; i < j->n_options; i++) {
		push(&a, "--option");
		push(&a, j->options[i]);
	}
	if (fetched)
		push(&a, fetched);
	for (size_t i = 0; !fetched && i < g.gl_pathc; i++)
		push(&a, g.gl_pathv[i]);
	char *out = NULL;
	int rc = run_caught(cmd_import, r, &a, &out);
	take_answer(result, out, rejects);
	free(out);
	/* Kept going: the good records are in the store and the bad ones set
	 * aside, which is what the site asked for (status: ok with N rejected). */
	if (rc == EX_DATAERR && j->keep_going &&
	    json_is_true(json_object_get(json_object_get(result, "counts"), "committed")))
		rc = 0;
	json_t *outputs = json_object_get(result, "outputs");
	for (size_t i = 0; rc == 0 && j->processed && i < g.gl_pathc; i++)
		if (move_processed(g.gl_pathv[i], j->processed, r->now, outputs, err) != 0)
			rc = err->code;
	if (rc && !err->msg[0])
		say_rejected(result, err, rc);
	args_free(&a);
	globfree(&g);
	if (fetched) {
		unlink(fetched);
		rmdir(tmpdir);
	}
	free(fetched);
	free(tmpdir);
	free(rejects);
	return rc;
}

/* ---- export and return ------------------------------------------------ */

static int job_export(const struct nrm_run_job *r, json_t *result, struct nrm_error *err)
{
	const struct nrm_config_job *j = r->job;
	char *output = nrm_run_expand_output(j->output, r->now);
	char *dir = nrm_xstrdup(output);
	mkdir(dirname(dir), 0700);
	free(dir);
	struct args a = {0};
	push(&a, "export");
	push(&a, "--to");
	push(&a, j->format);
	push(&a, "-o");
	push(&a, output);
	if (j->site) {
		push(&a, "--site");
		push(&a, j->site);
	}
	for (size_t i = 0; i < j->n_options; i++) {
		push(&a, "--option");
		push(&a, j->options[i]);
	}
	char *out = NULL;
	int rc = run_caught(cmd_export, r, &a, &out);
	free(out);
	if (rc == 0)
		json_array_append_new(json_object_get(result, "outputs"), json_string(output));
	else
		nrm_fail(err, rc, "the export failed (see above)");
	free(output);
	args_free(&a);
	return rc;
}

/* What the site's configuration says of how its returns are built: the
 * day it joined (where its comparison starts, and before which no quarter
 * is built), its published returns' threshold, its area and its name. */
static void push_site_settings(struct args *a, const struct nrm_config *cfg)
{
	if (cfg->joined) {
		push(a, "--joined");
		push(a, cfg->joined);
	}
	if (cfg->suppression_threshold) {
		char threshold[16];
		snprintf(threshold, sizeof(threshold), "%d", cfg->suppression_threshold);
		push(a, "--threshold");
		push(a, threshold);
	}	/* The site's area, REF_AREA of its SDMX-CSV: its local authority, or
	 * failing that its nation. */
	const char *area = cfg->local_authority ? cfg->local_authority : cfg->nation;
	if (area) {
		push(a, "--area");
		push(a, area);
	}
	/* The name people know the site by, in every output and bag-info.txt. */
	if (cfg->site_name) {
		push(a, "--site-name");
		push(a, cfg->site_name);
	}
	/* Which quarters' figures are [p] (return_revision.h). */
	if (cfg->provisional_unit) {
		char n[16];
		snprintf(n, sizeof(n), "%d", cfg->provisional_n);
		push(a, strcmp(cfg->provisional_unit, "quarters") == 0 ? "--provisional-quarters"
		                                                       : "--provisional-months");
		push(a, n);
	}
}

/* Why the job sends again a quarter it sent before: its configuration's
 * "revision_reason", else that it was built again on its schedule (a job
 * runs unattended; a person who knows why says so in the configuration).
 * Recorded only when the quarter was sent before. */
static void push_reason(struct args *a, const struct nrm_run_job *r)
{
	push(a, "--reason");
	if (r->job->revision_reason) {
		push(a, r->job->revision_reason);
	} else {
		char *why = nrm_xasprintf("built again by the return job %s on its schedule",
		                          r->job->name);
		push(a, why);
		free(why);
	}
}

static int bundle_one(const struct nrm_run_job *r, const char *quarter, const char *audience,
                      json_t *outputs)
{
	const struct nrm_config *cfg = r->cfg;
	char when[32];
	iso_time(r->now, when);
	struct args a = {0};
	const char *fixed[] = {"bundle", "create", "--quarter", quarter, "--audience", audience,
	                       "--store", cfg->store, "--now", when, "-o", r->job->outbox,
	                       "--json", "--site", cfg->site_code};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		push(&a, fixed[i]);
	push_site_settings(&a, cfg);
	push_reason(&a, r);
	if (cfg->secret_key) {
		push(&a, "--key");
		push(&a, cfg->secret_key);
	}
	if (cfg->password_file) {
		push(&a, "--password-file");
		push(&a, cfg->password_file);
	}
	if (cfg->pseudonym_key) {
		push(&a, "--pseudonym-key");
		push(&a, cfg->pseudonym_key);
	}
	char *out = NULL;
	int rc = run_caught(cmd_bundle, r, &a, &out);
	json_t *made = rc == 0 ? json_loads(out, 0, NULL) : NULL;
	const char *files[] = {"archive", "signature"};
	for (size_t i = 0; made && i < 2; i++)
		if (json_is_string(json_object_get(made, files[i])))
			json_array_append(outputs, json_object_get(made, files[i]));
	json_decref(made);
	free(out);
	args_free(&a);
	return rc;
}

/* ---- a return held for review (review_held.h) ---------------------------- */

/* One audience's return built into `dir`, as `return build` builds it
 * (the sanity rules included), with the settings bundle_one gives. */
static int build_held(const struct nrm_run_job *r, const char *quarter, const char *audience,
                      const char *dir)
{
	const struct nrm_config *cfg = r->cfg;
	char when[32];
	iso_time(r->now, when);
	struct args a = {0};
	const char *fixed[] = {"return", "build", "--quarter", quarter, "--audience", audience,
	                       "--store", cfg->store, "--now", when, "-o", dir, "--json",
	                       "--site", cfg->site_code};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		push(&a, fixed[i]);
	push_site_settings(&a, cfg);
	push_reason(&a, r);
	if (cfg->pseudonym_key) {
		push(&a, "--key");
		push(&a, cfg->pseudonym_key);
	}
	char *out = NULL;
	int rc = run_caught(cmd_return, r, &a, &out);
	free(out);
	args_free(&a);
	return rc;
}

/* The folder a return of this quarter is held in, unless another job
 * holds one there (a person must decide on that first). */
static int held_folder(const struct nrm_run_job *r, const char *quarter, char **dir,
                       struct nrm_error *err)
{
	char *root = nrm_held_root(r->cfg->store);
	int rc = nrm_held_root_make(root, err);
	free(root);
	if (rc)
		return -1;
	*dir = nrm_held_dir(r->cfg->store, r->cfg->site_code, quarter);
	struct nrm_held h;
	int got = nrm_held_read(*dir, &h, err);
	if (got < 0)
		return -1;
	if (got == 0 && strcmp(h.job, r->job->name) != 0)
		rc = nrm_fail(err, EX_CANTCREAT, "the %s return is already held for review by job "
		              "%s: approve or reject it first (nrmhub return review %s %s)", quarter,
		              h.job, r->cfg->site_code, quarter);
	if (got == 0)
		nrm_held_free(&h);
	return rc;
}

/* Builds each audience's return into a fresh folder that replaces the one
 * held before (a new run holds the latest figures), with held.json last;
 * nothing is signed or put in the outbox. */
static int hold_return(const struct nrm_run_job *r, char *quarter, json_t *result,
                       struct nrm_error *err)
{
	char *dir = NULL;
	struct nrm_folder_swap swap;
	if (held_folder(r, quarter, &dir, err) != 0 || nrm_folder_swap_begin(&swap, dir, err) != 0) {
		free(dir);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < r->job->n_audiences; i++) {
		char *into = nrm_xasprintf("%s/%s", swap.tmp, r->job->audiences[i]);
		int code = build_held(r, quarter, r->job->audiences[i], into);
		if (code)
			rc = nrm_fail(err, code, "the %s return for %s could not be built (see above)",
			              quarter, r->job->audiences[i]);
		free(into);
	}
	struct nrm_held h = {.site = r->cfg->site_code, .quarter = quarter,
	                     .job = r->job->name, .held_at = r->now,
	                     .audiences = r->job->audiences, .n_audiences = r->job->n_audiences};
	if (rc == 0 && nrm_held_write(swap.tmp, &h, err) != 0)
		rc = -1;
	if (rc != 0) {
		nrm_folder_swap_abort(&swap);
		free(dir);
		return rc;
	}
	if (nrm_folder_swap_commit(&swap, err) != 0) {
		free(dir);
		return -1;
	}
	json_t *outputs = json_object_get(result, "outputs");
	for (size_t i = 0; i < r->job->n_audiences; i++)
		json_array_append_new(outputs, json_sprintf("%s/%s", dir, r->job->audiences[i]));
	char *summary = nrm_xasprintf("held for review: nrmhub return review %s %s",
	                              r->cfg->site_code, quarter);
	json_object_set_new(result, "summary", json_string(summary));
	free(summary);
	free(dir);
	return 0;
}

static int job_return(const struct nrm_run_job *r, json_t *result, struct nrm_error *err)
{
	char quarter[7];
	if (r->quarter)
		snprintf(quarter, sizeof(quarter), "%s", r->quarter);
	else if (r->job->quarter)
		snprintf(quarter, sizeof(quarter), "%s", r->job->quarter);
	else
		nrm_run_default_quarter(r->now, quarter);
	if (r->job->review)
		return hold_return(r, quarter, result, err);
	json_t *outputs = json_object_get(result, "outputs");
	for (size_t i = 0; i < r->job->n_audiences; i++) {
		int rc = bundle_one(r, quarter, r->job->audiences[i], outputs);
		if (rc)
			return nrm_fail(err, rc, "the %s return for %s could not be made (see above)",
			                quarter, r->job->audiences[i]);
	}
	char *summary = nrm_xasprintf("the %s return, signed, in %s", quarter, r->job->outbox);
	json_object_set_new(result, "summary", json_string(summary));
	free(summary);
	return 0;
}

/* ---- deliver ---------------------------------------------------------- */

/* Whether the target takes the file: a target with "audience" takes only
 * bundles (and their signatures) whose bag-info.txt names an audience it
 * takes, so a published return never goes to the Home Office's official
 * receiver by mistake.  false with err (a refusal, never retried). */
static bool audience_taken(const struct nrm_config_target *t, const char *path,
                           struct nrm_error *err)
{
	if (!t->audiences)
		return true;
	const char *takes = t->audiences == NRM_TARGET_OFFICIAL    ? "official"
	                  : t->audiences == NRM_TARGET_PUBLISHED ? "published"
	                                                         : "official and published";
	char audience[16];
	struct nrm_error why;
	if (nrm_bundle_audience(path, audience, &why) != 0) {
		nrm_fail(err, EX_DATAERR, "not sent: %s; target %s takes %s bundles only", why.msg,
		         t->name, takes);
		return false;
	}
	unsigned bit = strcmp(audience, "official") == 0 ? NRM_TARGET_OFFICIAL : NRM_TARGET_PUBLISHED;
	if (t->audiences & bit)
		return true;
	size_t n = strlen(path);
	bool signature = n > 8 && strcmp(path + n - 8, ".minisig") == 0;
	nrm_fail(err, EX_DATAERR, "not sent: %sa bundle for the %s audience; target %s takes %s "
	         "bundles only", signature ? "the signature of " : "", audience, t->name, takes);
	return false;
}

static int job_deliver(const struct nrm_run_job *r, json_t *result, struct nrm_error *err)
{
	const struct nrm_config_target *t = r->job->target_ref;
	json_t *receipts = json_array();
	json_object_set_new(result, "receipts", receipts);
	size_t i, delivered = 0, pending = 0, refused = 0;
	json_t *item;
	json_array_foreach(r->items, i, item) {
		const char *path = json_string_value(item);
		struct nrm_receipt rec = {0};
		struct nrm_error e = {0};
		int rc = audience_taken(t, path, &e) ? nrm_deliver_file(path, t->url, &t->opts, &rec, &e)
		                                     : e.code;
		json_t *rj = rec.url || rec.time ? nrm_receipt_to_json(&rec) :
		             json_pack("{s:s, s:s}", "status", e.code == EX_TEMPFAIL ? "pending" : "refused",
		                       "message", e.msg);
		json_array_append_new(receipts, json_pack("{s:s, s:o}", "item", path, "receipt", rj));
		nrm_receipt_free(&rec);
		if (rc == 0)
			delivered++;
		else if (e.code == EX_TEMPFAIL)
			pending++;
		else
			refused++;
	}
	char *summary = nrm_xasprintf("%zu delivered, %zu pending, %zu refused, to %s", delivered,
	                              pending, refused, t->name);
	json_object_set_new(result, "summary", json_string(summary));
	int rc = 0;
	if (refused)
		rc = nrm_fail(err, EX_PROTOCOL, "%s", summary);
	else if (pending)
		rc = nrm_fail(err, EX_TEMPFAIL, "%s: the pending will be sent on a later run", summary);
	free(summary);
	return rc;
}

/* ---- backup ----------------------------------------------------------- */

/* A copy of the store made with SQLite's online backup API, so the jobs
 * that read it meanwhile go on; the rotation keeps the newest few. */
static int job_backup(const struct nrm_run_job *r, json_t *result, struct nrm_error *err)
{
	struct nrm_context ctx = job_context(r);
	struct store *s;
	int rc = nrm_context_open_store_read(&ctx, &s);
	if (rc == 0) {
		if (store_backup_now(s) != 0)
			rc = nrm_fail(err, store_error(s)->code, "%s", store_error(s)->msg);
		store_close(s);
	}
	if (rc == 0) {
		char *summary = nrm_xasprintf("the store copied to %s.backup-1 (the newest %d kept)",
		                              ctx.store_path, STORE_BACKUPS);
		json_object_set_new(result, "summary", json_string(summary));
		free(summary);
	} else if (!err->msg[0]) {
		nrm_fail(err, rc, "the store could not be opened for its backup (see above)");
	}
	context_free(&ctx);
	return rc;
}

/* ---- the child -------------------------------------------------------- */

int nrm_run_job_child(void *arg, struct nrm_error *err)
{
	const struct nrm_run_job *r = arg;
	nrm_log_set_job(r->job->name);
	json_t *result = json_pack("{s:[]}", "outputs");
	int rc = 0;
	switch (r->job->kind) {
	case NRM_JOB_IMPORT: rc = job_import(r, result, err); break;
	case NRM_JOB_EXPORT: rc = job_export(r, result, err); break;
	case NRM_JOB_RETURN: rc = job_return(r, result, err); break;
	case NRM_JOB_DELIVER: rc = job_deliver(r, result, err); break;
	case NRM_JOB_BACKUP: rc = job_backup(r, result, err); break;
	}
	char *text = json_dumps(result, JSON_COMPACT);
	if (text)
		nrm_job_send_result(text, strlen(text));
	free(text);
	json_decref(result);
	return rc < 0 ? (err->code ? err->code : EX_SOFTWARE) : rc;
}
