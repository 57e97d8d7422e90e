/*
 * `nrmhub import`: records stream from an import plugin through the
 * canonical rules (the convert pipeline) into the case store, where they
 * merge by (site, case_id).  One import is one transaction: unless
 * --keep-going is given, a rejected record leaves the store as it was.
 */
#include "commands.h"

#include "case.h"
#include "date.h"
#include "log.h"
#include "options.h"
#include "pipeline.h"
#include "stdout_divert.h"
#include "store.h"
#include "stream.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

struct import_args {
	const char *from, *rejects;
	const char *now;  /* --now, as given */
	char **options;  /* KEY=VALUE, as given */
	size_t n_options;
	bool keep_going, json;
};

/* The inputs to read, each with its source row. */
struct import_run {
	struct store *store;
	int64_t now;
	char **names;
	int64_t *source_ids;
	size_t n;
	uint64_t new_cases, changed, unchanged, skipped_files;
};

static void import_usage(void)
{
	printf("Usage: nrmhub import --from FORMAT [OPTION]... INPUT...|-\n"
	       "Merge case records into the case store: records about one child from several\n"
	       "parties merge by (site, case_id), a field set by a later update wins, an\n"
	       "unknown value never erases a known one, and each field remembers the source\n"
	       "(plugin, file, import time) that set it. See nrmhub(1), IMPORT AND MERGE.\n"
	       "\n"
	       "  -f, --from FORMAT          the inputs' format (see 'nrmhub plugins')\n"
	       "  -O, --option [FMT.]KEY=VALUE\n"
	       "                             set an import plugin option (repeatable)\n"
	       "  -k, --keep-going           store the good records and go on past bad ones\n"
	       "                             (the exit status is still 65 if any was rejected)\n"
	       "      --rejects FILE         write each rejected record's position and reason\n"
	       "                             to FILE as JSON lines\n"
	       "      --store FILE           the case store (default ./nrmhub.db, created 0600)\n"
	       "      --now TIME             the import's time, RFC 3339 (default: now): when the\n"
	       "                             store learnt these records (return build --as-at);\n"
	       "                             neither in the future nor before the store's\n"
	       "                             latest import\n"
	       "      --json                 print the counts as JSON on standard output\n"
	       "      --plugin-path DIR      also look for plugins in DIR\n"
	       "  -h, --help                 show this help\n"
	       "\n"
	       "The import is one transaction: without --keep-going a bad record stops it with\n"
	       "exit 65 and the store is left exactly as it was. A file imported before (same\n"
	       "format, options and bytes) is skipped, so importing it again changes nothing.\n"
	       "An INPUT of - is standard input, held in a temporary file until imported.\n");
}

static int parse_args(struct nrm_context *ctx, int argc, char **argv, struct import_args *a)
{
	enum { OPT_REJECTS = 1000, OPT_JSON, OPT_PLUGIN_PATH, OPT_STORE, OPT_NOW };
	static const struct option options[] = {
		{"from", required_argument, NULL, 'f'},
		{"option", required_argument, NULL, 'O'},
		{"keep-going", no_argument, NULL, 'k'},
		{"rejects", required_argument, NULL, OPT_REJECTS},
		{"json", no_argument, NULL, OPT_JSON},
		{"store", required_argument, NULL, OPT_STORE},
		{"now", required_argument, NULL, OPT_NOW},
		{"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "f:O:kh", options, NULL)) != -1) {
		switch (opt) {
		case 'f': a->from = optarg; break;
		case 'O':
			a->options = nrm_xrealloc(a->options, (a->n_options + 1) * sizeof(char *));
			a->options[a->n_options++] = optarg;
			break;
		case 'k': a->keep_going = true; break;
		case OPT_REJECTS: a->rejects = optarg; break;
		case OPT_JSON: a->json = true; break;
		case OPT_STORE: ctx->store_path = optarg; break;
		case OPT_NOW: a->now = optarg; break;
		case OPT_PLUGIN_PATH: nrm_context_add_plugin_path(ctx, optarg); break;
		case 'h': import_usage(); return 0;
		default: return nrm_usage_error("import", "unknown option");
		}
	}
	if (!a->from)
		return nrm_usage_error("import", "--from FORMAT is required");
	if (optind >= argc)
		return nrm_usage_error("import", "no INPUT given");
	int64_t t;
	if (a->now && nrm_time_parse_rfc3339(a->now, strlen(a->now), &t) != NRM_OK)
		return nrm_usage_error("import", "--now '%s' is not an RFC 3339 time, e.g. "
		                       "2025-04-02T09:00:00Z", a->now);
	if (a->now && t > (int64_t)time(NULL))
		return nrm_usage_error("import", "--now %s is in the future", a->now);
	if (a->now)
		ctx->now = t;
	int dashes = 0;
	for (int i = optind; i < argc; i++)
		dashes += strcmp(argv[i], "-") == 0;
	if (dashes > 1)
		return nrm_usage_error("import", "standard input (-) can be read only once");
	return -1;
}

/* Applies KEY=VALUE or FMT.KEY=VALUE to the import plugin's options. */
static int apply_options(const struct import_args *a, struct nrm_optset *set)
{
	struct nrm_error err;
	for (size_t i = 0; i < a->n_options; i++) {
		const char *kv = a->options[i], *eq = strchr(kv, '=');
		if (!eq || eq == kv)
			return nrm_usage_error("import", "--option takes KEY=VALUE, not '%s'", kv);
		char *key = strndup(kv, (size_t)(eq - kv));
		const char *name = key;
		size_t flen = strlen(a->from);
		if (strncmp(key, a->from, flen) == 0 && key[flen] == '.')
			name = key + flen + 1;
		int rc = nrm_optset_set(set, name, eq + 1, &err);
		free(key);
		if (rc != 0)
			return nrm_usage_error("import", "%s", err.msg);
	}
	return 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The options as given, sorted and one per line: part of a source's identity,
 * since an option such as council-csv's site changes what a file means. */
static char *options_text(const struct import_args *a)
{
	char **sorted = nrm_xmalloc((a->n_options + 1) * sizeof(char *));
	for (size_t i = 0; i < a->n_options; i++)
		sorted[i] = a->options[i];
	qsort(sorted, a->n_options, sizeof(char *), compare_strings);
	size_t len = 1;
	for (size_t i = 0; i < a->n_options; i++)
		len += strlen(sorted[i]) + 1;
	char *text = nrm_xmalloc(len), *p = text;
	for (size_t i = 0; i < a->n_options; i++)
		p += sprintf(p, "%s%s", i ? "\n" : "", sorted[i]);
	*p = '\0';
	free(sorted);
	return text;
}

/* Standard input is read once, into an unnamed temporary file (mode 0600,
 * removed at once), so that its digest is known before any of it is
 * imported; the file then stands in for standard input. */
static int spool_stdin(struct store_source *src, struct nrm_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path = nrm_xasprintf("%s/nrmhub-stdin.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		nrm_fail(err, EX_CANTCREAT, "cannot create a temporary file in %s: %s",
		         dir && *dir ? dir : "/tmp", strerror(errno));
		free(path);
		return -1;
	}
	unlink(path);
	free(path);
	enum { CHUNK = 1 << 16 };
	char *buf = nrm_xmalloc(CHUNK);
	int rc = 0;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				rc = nrm_fail(err, EX_IOERR, "cannot read standard input: %s",
				              strerror(errno));
			break;
		}
		for (ssize_t done = 0; done < n && rc == 0;) {
			ssize_t w = write(fd, buf + done, (size_t)(n - done));
			if (w < 0 && errno != EINTR)
				rc = nrm_fail(err, EX_IOERR, "cannot spool standard input: %s",
				              strerror(errno));
			done += w > 0 ? w : 0;
		}
		if (rc)
			break;
	}
	free(buf);
	if (rc == 0 && lseek(fd, 0, SEEK_SET) == 0)
		rc = store_source_digest(src, fd, err);
	if (rc == 0 && (lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, STDIN_FILENO) < 0))
		rc = nrm_fail(err, EX_IOERR, "cannot rewind standard input: %s", strerror(errno));
	close(fd);
	return rc;
}

static int digest_file(struct store_source *src, struct nrm_error *err)
{
	if (strcmp(src->file, "-") == 0)
		return spool_stdin(src, err);
	int fd = open(src->file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nrm_fail(err, EX_NOINPUT, "cannot open %s: %s", src->file, strerror(errno));
	int rc = store_source_digest(src, fd, err);
	close(fd);
	return rc;
}

/* Registers each input as a source, dropping those imported before.  0, or
 * a sysexits.h code. */
static int add_sources(struct import_run *run, const char *plugin, const char *options,
                       char **inputs, size_t n)
{
	run->names = nrm_xcalloc(n, sizeof(char *));
	run->source_ids = nrm_xcalloc(n, sizeof(int64_t));
	for (size_t i = 0; i < n; i++) {
		struct store_source src = {.plugin = plugin, .file = inputs[i], .options = options,
		                           .imported_at = run->now};
		struct nrm_error err;
		if (digest_file(&src, &err) != 0) {
			nrm_log_error("%s", err.msg);
			return err.code;
		}
		int64_t id, before;
		int rc = store_source_add(run->store, &src, &id, &before);
		if (rc < 0) {
			nrm_log_error("%s", store_error(run->store)->msg);
			return store_error(run->store)->code;
		}
		if (rc == 1) {
			char when[21];
			nrm_time_format_rfc3339(before, when);
			nrm_info("%s: already imported at %s (same format, options and bytes): "
			         "skipped", inputs[i], when);
			run->skipped_files++;
			continue;
		}
		run->names[run->n] = inputs[i];
		run->source_ids[run->n++] = id;
	}
	return 0;
}

static int64_t source_of(const struct import_run *run, const char *name)
{
	for (size_t i = 0; i < run->n; i++)
		if (run->names[i] == name)
			return run->source_ids[i];
	return -1;
}

/* The pipeline's sink, on its export thread: one valid record into the
 * store.  The store is used by this thread alone until the pipeline ends. */
static int cb_import_sink(void *ctx, const char *input, const struct nrm_case *c,
                          struct nrm_case_problem *problem)
{
	struct import_run *run = ctx;
	int64_t source = source_of(run, input);
	if (source < 0) {
		nrm_log_error("internal error: an input without a source");
		return EX_SOFTWARE;
	}
	switch (store_merge_case(run->store, source, run->now, c, problem)) {
	case STORE_MERGE_NEW: run->new_cases++; return NRM_OK;
	case STORE_MERGE_CHANGED: run->changed++; return NRM_OK;
	case STORE_MERGE_SAME: run->unchanged++; return NRM_OK;
	case STORE_MERGE_CONFLICT: {
		/* Room for the prefix and any reason the validator writes. */
		static const char prefix[] = "merged with the stored case, ";
		char reason[sizeof(prefix) + sizeof(problem->reason)];
		snprintf(reason, sizeof(reason), "%s%s", prefix, problem->reason);
		size_t n = strlen(reason);
		if (n >= sizeof(problem->reason)) /* cut, as a long reason would be */
			n = sizeof(problem->reason) - 1;
		memcpy(problem->reason, reason, n);
		problem->reason[n] = '\0';
		return NRM_REJECT;
	}
	default:
		nrm_log_error("%s", store_error(run->store)->msg);
		return store_error(run->store)->code;
	}
}

/* `committed` is false when the import was rolled back: then the counts
 * say what was read, and none of it is in the store.  The JSON answer
 * also carries the first problems found (a scheduled job keeps them in its
 * ledger entry, pipeline.h). */
static void print_counts(const struct import_run *run, const struct nrm_pipeline *pl,
                         const struct nrm_pipeline_counts *c, bool json, bool committed)
{
	if (json) {
		json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:O}",
		                      "records", (json_int_t)c->records,
		                      "new", (json_int_t)run->new_cases,
		                      "changed", (json_int_t)run->changed,
		                      "unchanged", (json_int_t)run->unchanged,
		                      "rejected", (json_int_t)c->bad,
		                      "files_skipped", (json_int_t)run->skipped_files,
		                      "committed", committed, "problems", pl->first_problems);
		char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		printf("%s\n", text ? text : "{}");
		free(text);
		json_decref(o);
		return;
	}
	nrm_info("%llu records: %llu new cases, %llu changed, %llu unchanged, %llu rejected; "
	         "%llu files skipped as imported before",
	         (unsigned long long)c->records, (unsigned long long)run->new_cases,
	         (unsigned long long)run->changed, (unsigned long long)run->unchanged,
	         (unsigned long long)c->bad, (unsigned long long)run->skipped_files);
}

/* The store's time never goes back, so each case's history stays in order
 * (store_history.c): an import is dated no earlier than the latest before
 * it.  A clock set back, or a job's scheduled time, moves up to it; an
 * explicit --now before it is refused.  Read inside the transaction, so a
 * concurrent import cannot come between. */
static int import_time(struct import_run *run, const struct import_args *a)
{
	struct store_knowledge k;
	if (store_knowledge_at(run->store, INT64_MAX, &k) != 0) {
		nrm_log_error("%s", store_error(run->store)->msg);
		return store_error(run->store)->code;
	}
	if (k.store_latest == NRM_TIME_NONE || k.store_latest <= run->now)
		return 0;
	char latest[21];
	nrm_time_format_rfc3339(k.store_latest, latest);
	if (a->now)
		return nrm_usage_error("import", "--now %s is before the store's latest import "
		                       "(%s): the store's time never goes back", a->now, latest);
	run->now = k.store_latest;
	return 0;
}

/* Runs the import inside the store's transaction; commits only what may be
 * kept.  Returns a sysexits.h code. */
static int import_in_transaction(struct import_run *run, struct nrm_pipeline *pl,
                                 const struct import_args *a, char **inputs, size_t n)
{
	char *options = options_text(a);
	struct nrm_pipeline_counts counts = {0};
	int rc;
	if (store_begin(run->store) != 0) {
		nrm_log_error("%s", store_error(run->store)->msg);
		free(options);
		return store_error(run->store)->code;
	}
	rc = import_time(run, a);
	if (rc == 0)
		rc = add_sources(run, pl->from->plugin->name, options, inputs, n);
	free(options);
	if (rc == 0 && run->n > 0) {
		int saved = nrm_stdout_divert();
		rc = nrm_pipeline_run(pl, run->names, run->n, &counts);
		nrm_stdout_restore(saved);
	}
	bool keep = rc == 0 || (rc == EX_DATAERR && a->keep_going);
	if (keep && store_commit(run->store) != 0) {
		nrm_log_error("%s", store_error(run->store)->msg);
		rc = store_error(run->store)->code;
		keep = false;
	}
	if (!keep) {
		store_rollback(run->store);
		if (counts.records)
			nrm_warn("nothing was imported: the store is as it was");
	}
	if (keep || a->json)
		print_counts(run, pl, &counts, a->json, keep);
	return rc;
}

int cmd_import(struct nrm_context *ctx, int argc, char **argv)
{
	struct import_args a = {0};
	int rc = parse_args(ctx, argc, argv, &a);
	if (rc >= 0) {
		free(a.options);
		return rc;
	}
	struct nrm_registry reg = {0};
	struct nrm_optset *in = NULL;
	struct import_run run = {.now = ctx->now ? (int64_t)ctx->now : (int64_t)time(NULL)};
	nrm_context_load_plugins(ctx, &reg);
	struct nrm_pipeline pl = {.rejects = a.rejects, .keep_going = a.keep_going,
	                          .max_reported = ctx->max_problems,
	                          .sink = cb_import_sink, .sink_ctx = &run,
	                          .first_problems = a.json ? json_array() : NULL};
	pl.from = nrm_registry_find_format(&reg, a.from, NRM_CAP_IMPORT);
	if (!pl.from) {
		char *list = nrm_registry_format_list(&reg, NRM_CAP_IMPORT);
		nrm_log_error("no plugin can read format '%s'; formats that can be read: %s",
		              a.from, *list ? list : "none");
		free(list);
		rc = EX_UNAVAILABLE;
		goto done;
	}
	in = nrm_optset_new(pl.from->plugin->name, pl.from->plugin->options);
	if ((rc = apply_options(&a, in)) != 0)
		goto done;
	pl.from_options = in;
	if ((rc = nrm_context_open_store(ctx, true, &run.store)) != 0)
		goto done;
	rc = import_in_transaction(&run, &pl, &a, argv + optind, (size_t)(argc - optind));
done:
	store_close(run.store);
	free(run.names);
	free(run.source_ids);
	nrm_optset_free(in);
	nrm_registry_free(&reg);
	json_decref(pl.first_problems);
	free(a.options);
	return rc;
}
