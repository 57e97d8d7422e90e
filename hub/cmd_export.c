/*
 * `nrmhub export`: the store's canonical cases through an export plugin,
 * one at a time, into an atomic output (nothing appears unless every case
 * was written, and the access log has recorded which: access_log.h).
 */
#include "commands.h"

#include "access_log.h"
#include "atomic_file.h"
#include "date.h"
#include "log.h"
#include "options.h"
#include "run_site.h"
#include "share_group.h"
#include "store.h"
#include "stream.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

struct export_args {
	const char *to, *site, *output, *changed_since;
	char **options;
	size_t n_options;
	char *key_site, *key_path;  /* the access log's key (nrm_site_access_key) */
};

struct export_run {
	const struct nrm_plugin *plugin;
	void *state;
	uint64_t written;
	struct nrm_access access;    /* the cases written, for the access log */
	struct nrm_error access_err; /* code 0 unless a pseudonym could not be made */
};

static void export_usage(void)
{
	printf("Usage: nrmhub export --to FORMAT [OPTION]...\n"
	       "Write the store's cases, merged, through an export plugin, in (site, case_id)\n"
	       "order, one at a time.\n"
	       "\n"
	       "  -t, --to FORMAT            the output's format (see 'nrmhub plugins')\n"
	       "      --site SITE            only the cases of SITE\n"
	       "      --changed-since DATE   only cases whose stored values changed at or after\n"
	       "                             DATE (YYYY-MM-DD, UTC, or an RFC 3339 time)\n"
	       "  -o, --output FILE          write FILE atomically (default: standard output,\n"
	       "                             written only once every case has been written)\n"
	       "  -O, --option [FMT.]KEY=VALUE\n"
	       "                             set an export plugin option (repeatable)\n"
	       "      --store FILE           the case store (default ./nrmhub.db)\n"
	       "      --plugin-path DIR      also look for plugins in DIR\n"
	       "  -h, --help                 show this help\n");
}

static int parse_args(struct nrm_context *ctx, int argc, char **argv, struct export_args *a)
{
	enum { OPT_SITE = 1000, OPT_SINCE, OPT_STORE, OPT_PLUGIN_PATH };
	static const struct option options[] = {
		{"to", required_argument, NULL, 't'},
		{"site", required_argument, NULL, OPT_SITE},
		{"changed-since", required_argument, NULL, OPT_SINCE},
		{"output", required_argument, NULL, 'o'},
		{"option", required_argument, NULL, 'O'},
		{"store", required_argument, NULL, OPT_STORE},
		{"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "t:o:O:h", options, NULL)) != -1) {
		switch (opt) {
		case 't': a->to = optarg; break;
		case 'o': a->output = optarg; break;
		case 'O':
			a->options = nrm_xrealloc(a->options, (a->n_options + 1) * sizeof(char *));
			a->options[a->n_options++] = optarg;
			break;
		case OPT_SITE: a->site = optarg; break;
		case OPT_SINCE: a->changed_since = optarg; break;
		case OPT_STORE: ctx->store_path = optarg; break;
		case OPT_PLUGIN_PATH: nrm_context_add_plugin_path(ctx, optarg); break;
		case 'h': export_usage(); return 0;
		default: return nrm_usage_error("export", "unknown option");
		}
	}
	if (!a->to)
		return nrm_usage_error("export", "--to FORMAT is required");
	if (optind < argc)
		return nrm_usage_error("export", "export takes no INPUT (it reads the store)");
	return -1;
}

/* DATE as midnight UTC, or an RFC 3339 time. */
static int parse_since(const char *text, int64_t *out)
{
	int32_t day;
	if (nrm_date_parse_iso(text, strlen(text), &day) == NRM_OK) {
		*out = (int64_t)day * 86400;
		return 0;
	}
	if (nrm_time_parse_rfc3339(text, strlen(text), out) == NRM_OK)
		return 0;
	return nrm_usage_error("export", "--changed-since '%s' is not a date (YYYY-MM-DD) "
	                       "or an RFC 3339 time", text);
}

static int apply_options(const struct export_args *a, struct nrm_optset *set)
{
	struct nrm_error err;
	for (size_t i = 0; i < a->n_options; i++) {
		const char *kv = a->options[i], *eq = strchr(kv, '=');
		if (!eq || eq == kv)
			return nrm_usage_error("export", "--option takes KEY=VALUE, not '%s'", kv);
		char *key = strndup(kv, (size_t)(eq - kv));
		size_t tlen = strlen(a->to);
		const char *name = strncmp(key, a->to, tlen) == 0 && key[tlen] == '.' ? key + tlen + 1
		                                                                       : key;
		int rc = nrm_optset_set(set, name, eq + 1, &err);
		free(key);
		if (rc != 0)
			return nrm_usage_error("export", "%s", err.msg);
	}
	return 0;
}

static void on_problem(void *ctx, const struct nrm_problem *p)
{
	char *msg = nrm_problem_format(p);
	nrm_log_report(msg);
	free(msg);
}

static int cb_export_case(const struct nrm_case *c, void *ctx)
{
	struct export_run *run = ctx;
	if (run->plugin->export_write(run->state, c) != NRM_OK)
		return 1;
	if (nrm_access_add(&run->access, c, &run->access_err) != 0)
		return 2;
	run->written++;
	return 0;
}

/* Streams the cases into the open output; a sysexits.h code. */
static int write_cases(struct store *store, const struct export_args *a, int64_t since,
                       struct export_run *run, struct nrm_stream *out)
{
	if (run->plugin->export_open(&nrm_host_table, out, &run->state) != NRM_OK)
		return out->io_failed ? EX_IOERR : EX_DATAERR;
	int rc = store_each_case_since(store, a->site, since, cb_export_case, run);
	if (rc < 0) {
		nrm_log_error("%s", store_error(store)->msg);
		rc = store_error(store)->code;
	} else if (rc == 2) {
		nrm_log_error("%s: nothing was exported", run->access_err.msg);
		rc = run->access_err.code;
	} else if (rc > 0) {
		if (!out->problems)
			nrm_log_error("%s: could not write a case", run->plugin->name);
		rc = out->io_failed ? EX_IOERR : EX_DATAERR;
	} else if (run->plugin->export_finish(run->state) != NRM_OK) {
		rc = out->io_failed ? EX_IOERR : EX_DATAERR;
	}
	run->plugin->export_close(run->state);
	return rc;
}

/* The access log's entry, before the output is put in place. */
static int record_access(struct store *store, const struct export_args *a,
                         const struct export_run *run)
{
	char *command = nrm_xasprintf("export --to %s", a->to);
	int rc = nrm_access_record(store, &run->access, command, a->site, (int64_t)time(NULL));
	free(command);
	if (rc == 0)
		return 0;
	nrm_log_error("%s: nothing was exported", store_error(store)->msg);
	return store_error(store)->code;
}

static int export_to(struct store *store, const char *store_path, const struct export_args *a,
                     int64_t since, const struct nrm_module *m, const struct nrm_optset *opts)
{
	struct nrm_atomic_file file;
	struct nrm_error err;
	const char *path = a->output ? a->output : "-";
	if (a->output)
		nrm_mkdir_parents(a->output);
	if (nrm_atomic_open(&file, path, 0600, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	struct nrm_stream out;
	nrm_stream_init(&out, path, file.fd, opts, on_problem, NULL);
	struct export_run run = {.plugin = m->plugin};
	nrm_access_init(&run.access, store_path);
	nrm_access_use_key(&run.access, a->key_site, a->key_path);
	int rc = write_cases(store, a, since, &run, &out);
	if (rc == 0 && nrm_stream_flush(&out) != NRM_OK)
		rc = EX_IOERR;
	if (rc == 0)
		rc = record_access(store, a, &run);
	nrm_access_free(&run.access);
	if (rc == 0 && nrm_atomic_commit(&file, &err) != 0) {
		nrm_log_error("%s", err.msg);
		rc = err.code;
	} else if (rc != 0) {
		nrm_atomic_abort(&file);
	}
	nrm_stream_release(&out);
	if (rc == 0)
		nrm_info("%llu cases exported", (unsigned long long)run.written);
	return rc;
}

int cmd_export(struct nrm_context *ctx, int argc, char **argv)
{
	struct export_args a = {0};
	int rc = parse_args(ctx, argc, argv, &a);
	if (rc >= 0) {
		free(a.options);
		return rc;
	}
	int64_t since = INT64_MIN;
	if (a.changed_since && (rc = parse_since(a.changed_since, &since)) != 0) {
		free(a.options);
		return rc;
	}
	struct nrm_registry reg = {0};
	struct nrm_optset *opts = NULL;
	struct store *store = NULL;
	nrm_context_load_plugins(ctx, &reg);
	const struct nrm_module *m = nrm_registry_find_format(&reg, a.to, NRM_CAP_EXPORT);
	if (!m) {
		char *list = nrm_registry_format_list(&reg, NRM_CAP_EXPORT);
		nrm_log_error("no plugin can write format '%s'; formats that can be written: %s",
		              a.to, *list ? list : "none");
		free(list);
		rc = EX_UNAVAILABLE;
		goto done;
	}
	opts = nrm_optset_new(m->plugin->name, m->plugin->options);
	if ((rc = apply_options(&a, opts)) != 0)
		goto done;
	if ((rc = nrm_site_access_key(ctx, &a.key_site, &a.key_path)) != 0 ||
	    (rc = nrm_context_open_store(ctx, false, &store)) != 0)
		goto done;
	rc = export_to(store, ctx->store_path ? ctx->store_path : STORE_DEFAULT_PATH, &a, since, m,
	               opts);
done:
	store_close(store);
	nrm_optset_free(opts);
	nrm_registry_free(&reg);
	free(a.options);
	free(a.key_site);
	free(a.key_path);
	return rc;
}
