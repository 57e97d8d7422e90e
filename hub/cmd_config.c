/*
 * `nrmhub config check`: the site configuration, checked as a run would
 * check it, and then on this machine: plugins load and take their options,
 * folders exist and can be written, keys are readable and private, each
 * target's files are in place.  Nothing is run or written, and no target is
 * tried: `run --dry-run --check-targets` connects.
 */
#include "commands.h"

#include "site_config.h"
#include "log.h"
#include "registry.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static void config_usage(void)
{
	printf("Usage: nrmhub config check [--json]\n"
	       "Check the site configuration (--config FILE, else $NRMHUB_CONFIG, else\n"
	       "./nrmhub.json) without running anything: its syntax (FILE:LINE:COLUMN), every\n"
	       "rule (with the JSON path), unknown keys (with the allowed ones), each job's\n"
	       "plugin and options, folders, keys (0600 for secret keys) and the targets'\n"
	       "files. No target is connected to: 'run --due --dry-run --check-targets' does.\n"
	       "\n"
	       "      --json      print {\"config\", \"valid\", \"problems\", \"jobs\"} as JSON\n"
	       "  -h, --help      show this help\n"
	       "\n"
	       "Exit status: 0 usable; 78 a problem was found (each one is on standard error);\n"
	       "66 no configuration file.\n");
}

static void print_result(const struct nrm_config *cfg, const char *path, int problems, bool json)
{
	if (!json) {
		if (problems == 0)
			printf("%s: %zu jobs, %zu targets: ready (targets not tried: run --due "
			       "--dry-run --check-targets)\n", path, cfg->n_jobs, cfg->n_targets);
		return;
	}
	json_t *jobs = json_array();
	for (size_t i = 0; i < cfg->n_jobs; i++)
		json_array_append_new(jobs, json_pack("{s:s?, s:s, s:s?}", "name", cfg->jobs[i].name,
		                                      "kind", nrm_job_kind_name(cfg->jobs[i].kind),
		                                      "schedule", cfg->jobs[i].schedule));
	json_t *o = json_pack("{s:s, s:b, s:i, s:o}", "config", path, "valid", problems == 0,
	                      "problems", problems, "jobs", jobs);
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text ? text : "{}");
	free(text);
	json_decref(o);
}

static int config_check(struct nrm_context *ctx, bool json)
{
	const char *path = nrm_config_locate(ctx->config_path);
	struct nrm_config cfg;
	struct nrm_error err = {0};
	int problems = 0, rc = 0;
	if (nrm_config_load(path, &cfg, &err) != 0) {
		if (err.code != EX_CONFIG || !strstr(err.msg, ": $"))
			nrm_log_error("%s", err.msg);
		if (err.code != EX_CONFIG) {
			nrm_config_free(&cfg);
			return err.code;
		}
		problems = 1;
	} else {
		struct nrm_registry reg = {0};
		for (size_t i = 0; i < cfg.n_plugin_paths; i++)
			nrm_context_add_plugin_path(ctx, cfg.plugin_paths[i]);
		nrm_context_load_plugins(ctx, &reg);
		problems = nrm_config_check_deep(&cfg, &reg);
		nrm_registry_free(&reg);
	}
	print_result(&cfg, path, problems, json);
	if (problems) {
		nrm_log_error("%s: %d problem%s found", path, problems, problems == 1 ? "" : "s");
		rc = EX_CONFIG;
	}
	nrm_config_free(&cfg);
	return rc;
}

int cmd_config(struct nrm_context *ctx, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		config_usage();
		return argc < 2 ? EX_USAGE : 0;
	}
	if (strcmp(argv[1], "check") != 0)
		return nrm_usage_error("config", "no such subcommand '%s'", argv[1]);
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	int opt;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'h': config_usage(); return 0;
		default: return nrm_usage_error("config check", "unknown option");
		}
	}
	if (optind < argc - 1)
		return nrm_usage_error("config check", "unexpected argument '%s'", argv[optind + 1]);
	return config_check(ctx, json);
}
