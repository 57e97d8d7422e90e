/*
 * `nrmhub plugin check`: the conformance checker a site developer runs on
 * their adapter before the hub ever loads it for real.  The plugin is only
 * ever loaded in child processes (plugin_check.c); this file parses the
 * command line, finds the fixtures and prints the verdicts.
 */
#include "commands.h"

#include "plugin_check.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define FIXTURES_NAME "valid-canonical.jsonl"
#define DEFAULT_TIMEOUT 10

static void print_usage(void)
{
	printf("Usage: nrmhub plugin check PLUGIN.so [--sample FILE] [OPTION]...\n"
	       "Check that a plugin module keeps the plugin contract: loads it in child\n"
	       "processes and reports, check by check: ABI and metadata; the options table;\n"
	       "import of the sample and of damaged copies of it (each must end in success or\n"
	       "an error with a position: never a crash, a hang or output on stdout); export\n"
	       "of canonical fixtures covering every field; a round trip; memory that does not\n"
	       "grow with the input.\n"
	       "\n"
	       "      --sample FILE      an input the plugin must import cleanly (without one,\n"
	       "                         a plugin that also exports uses its own export)\n"
	       "      --option KEY=VALUE set one of the plugin's options in every run\n"
	       "      --fixtures FILE    canonical JSON lines to export (default: the installed\n"
	       "                         %s)\n"
	       "      --timeout SECONDS  time limit for each child process (default %d)\n"
	       "      --json             print the report as JSON\n"
	       "      --plugin-path DIR  where case-jsonl is, when it is not installed\n"
	       "  -h, --help             show this help\n"
	       "\n"
	       "Exit status: 0 when every check passed or was skipped, 65 when a check failed,\n"
	       "64 usage, 66 missing plugin, sample or fixtures, 69 case-jsonl not found.\n",
	       FIXTURES_NAME, DEFAULT_TIMEOUT);
}

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* The first existing `dir/name` along the directories of `list` (':'-separated). */
static char *find_in_list(const char *list, const char *name)
{
	char *copy = nrm_xstrdup(list), *save = NULL, *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *path = nrm_xasprintf("%s/%s", dir, name);
		if (readable(path))
			found = path;
		else
			free(path);
	}
	free(copy);
	return found;
}

/* case-jsonl reads the fixtures.  Only that one file is loaded in this
 * process, never a whole plugin directory, which may hold the plugin under
 * check. */
static char *find_reader(const struct nrm_context *ctx)
{
	char *path = nrm_registry_in_build_tree()
	                     ? nrm_xstrdup(NRM_BUILD_DIR "/plugins/.libs/case-jsonl.so")
	                     : nrm_xstrdup(NRM_PLUGIN_DIR "/case-jsonl.so");
	if (readable(path))
		return path;
	free(path);
	const char *env = getenv("NRMHUB_PLUGIN_PATH");
	if (env && *env && (path = find_in_list(env, "case-jsonl.so")))
		return path;
	for (size_t i = 0; i < ctx->n_plugin_paths; i++)
		if ((path = find_in_list(ctx->plugin_paths[i], "case-jsonl.so")))
			return path;
	return NULL;
}

static char *default_fixtures(void)
{
	if (nrm_registry_in_build_tree())
		return nrm_xstrdup(NRM_SOURCE_DIR "/tests/data/case/" FIXTURES_NAME);
	return nrm_xstrdup(NRM_DATA_DIR "/fixtures/" FIXTURES_NAME);
}

static const char *result_word(enum nrm_check_result r)
{
	return r == NRM_CHECK_PASS ? "pass" : r == NRM_CHECK_FAIL ? "fail" : "skip";
}

static void print_text(const char *path, const struct nrm_check_report *rep)
{
	printf("plugin check: %s%s%s%s\n", path, rep->plugin_name ? " (" : "",
	       rep->plugin_name ? rep->plugin_name : "", rep->plugin_name ? ")" : "");
	for (int i = 0; i < NRM_CHECK_COUNT; i++) {
		const struct nrm_check_item *it = &rep->items[i];
		char upper[8];
		const char *w = result_word(it->result);
		for (size_t k = 0; k <= strlen(w); k++)
			upper[k] = (char)(w[k] >= 'a' ? w[k] - 32 : w[k]);
		printf("  %-4s %-10s %s: %s\n", upper, it->name, it->title, it->detail);
	}
	printf("%u passed, %u failed, %u skipped\n", rep->passed, rep->failed, rep->skipped);
}

static void print_json(const char *path, const struct nrm_check_report *rep)
{
	json_t *checks = json_array();
	for (int i = 0; i < NRM_CHECK_COUNT; i++) {
		const struct nrm_check_item *it = &rep->items[i];
		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:s}", "name", it->name,
		                                        "title", it->title, "result",
		                                        result_word(it->result), "detail",
		                                        it->detail));
	}
	json_t *j = json_pack("{s:s, s:o, s:b, s:i, s:i, s:i, s:o}", "file", path, "plugin",
	                      rep->plugin_name ? json_string(rep->plugin_name) : json_null(),
	                      "ok", rep->failed == 0, "passed", rep->passed, "failed",
	                      rep->failed, "skipped", rep->skipped, "checks", checks);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(j);
}

struct check_args {
	struct nrm_check_config cfg;
	char **options;
	bool json;
	const char *fixtures;
};

static int parse_timeout(const char *text, unsigned *ms)
{
	long long s;
	if (!nrm_parse_int64(text, &s) || s < 1 || s > 3600)
		return -1;
	*ms = (unsigned)s * 1000;
	return 0;
}

/* 0, or a usage error's exit status (already printed); -1 for --help. */
static int parse_check(struct nrm_context *ctx, int argc, char **argv, struct check_args *a)
{
	static const struct option options[] = {
		{"sample", required_argument, NULL, 's'},
		{"option", required_argument, NULL, 'o'},
		{"fixtures", required_argument, NULL, 'f'},
		{"timeout", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"plugin-path", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 's': a->cfg.sample = optarg; break;
		case 'o':
			if (!strchr(optarg, '='))
				return nrm_usage_error("plugin check", "--option expects KEY=VALUE");
			a->options = nrm_xrealloc(a->options,
			                          (a->cfg.n_options + 1) * sizeof(char *));
			a->options[a->cfg.n_options++] = optarg;
			break;
		case 'f': a->fixtures = optarg; break;
		case 't':
			if (parse_timeout(optarg, &a->cfg.timeout_ms) != 0)
				return nrm_usage_error("plugin check",
				                       "--timeout expects whole seconds, 1 to 3600");
			break;
		case 'j': a->json = true; break;
		case 'P': nrm_context_add_plugin_path(ctx, optarg); break;
		case 'h': print_usage(); return -1;
		default: return nrm_usage_error("plugin check", "unknown option");
		}
	}
	if (optind < argc && strcmp(argv[optind], "check") != 0)
		return nrm_usage_error("plugin", "unknown subcommand '%s' (the only one is 'check')",
		                       argv[optind]);
	if (optind + 2 != argc)
		return nrm_usage_error("plugin", "expected: plugin check PLUGIN.so");
	a->cfg.plugin_path = argv[optind + 1];
	a->cfg.options = a->options;
	return 0;
}

static int check(struct nrm_context *ctx, struct check_args *a)
{
	char *reader_path = find_reader(ctx);
	if (!reader_path) {
		fprintf(stderr, "nrmhub plugin check: the case-jsonl plugin, which reads the "
		        "fixtures, was not found (give its folder with --plugin-path)\n");
		return EX_UNAVAILABLE;
	}
	struct nrm_module reader;
	struct nrm_error err;
	if (nrm_module_load(reader_path, &reader, &err) != 0) {
		fprintf(stderr, "nrmhub plugin check: %s\n", err.msg);
		free(reader_path);
		return EX_UNAVAILABLE;
	}
	free(reader_path);
	char *fixtures = a->fixtures ? nrm_xstrdup(a->fixtures) : default_fixtures();
	a->cfg.fixtures = fixtures;
	a->cfg.reader = reader.plugin;
	struct nrm_check_report rep;
	int rc;
	if (nrm_plugin_check_run(&a->cfg, &rep, &err) != 0) {
		fprintf(stderr, "nrmhub plugin check: %s\n", err.msg);
		rc = err.code;
	} else {
		if (a->json)
			print_json(a->cfg.plugin_path, &rep);
		else
			print_text(a->cfg.plugin_path, &rep);
		rc = rep.failed ? EX_DATAERR : 0;
		nrm_check_report_free(&rep);
	}
	free(fixtures);
	nrm_module_unload(&reader);
	return rc;
}

int cmd_plugin(struct nrm_context *ctx, int argc, char **argv)
{
	struct check_args a = {.cfg = {.timeout_ms = DEFAULT_TIMEOUT * 1000}};
	int rc = parse_check(ctx, argc, argv, &a);
	if (rc == 0)
		rc = check(ctx, &a);
	else if (rc < 0)
		rc = 0;
	free(a.options);
	return rc;
}
