/*
 * nrmhub: the command.  Global options come before the subcommand; each
 * subcommand parses its own.  Only this layer prints to stdout.
 */
#include "commands.h"

#include "country.h"
#include "log.h"
#include "plugin_scan.h"
#include "util.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "config.h"

struct command {
	const char *name;
	int (*run)(struct nrm_context *ctx, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"plugins", cmd_plugins, "list the plugins found, or describe one"},
	{"plugin", cmd_plugin, "check that a plugin module keeps the plugin contract"},
	{"convert", cmd_convert, "convert case records from one format to another"},
	{"validate", cmd_validate, "check case records without writing anything"},
	{"import", cmd_import, "merge case records into the case store"},
	{"export", cmd_export, "write the store's cases in a format"},
	{"cases", cmd_cases, "show, erase or expire stored cases (erasure and retention)"},
	{"audit", cmd_audit, "who read which cases out of the store; the erasures made"},
	{"return", cmd_return, "build a quarterly return; render, check or compare returns"},
	{"keygen", cmd_keygen, "make a signing key pair (minisign formats)"},
	{"bundle", cmd_bundle, "make a signed bundle of a return, or verify one"},
	{"deliver", cmd_deliver, "send a file over HTTPS, SFTP or to a drop folder"},
	{"run", cmd_run, "run the site's due jobs (or one job) from its configuration"},
	{"status", cmd_status, "show each job's last run, next run and what awaits delivery"},
	{"alerts", cmd_alerts, "mail what needs a person, once per problem (or list it)"},
	{"runs", cmd_runs, "list the jobs' runs recorded in the ledger, the last first"},
	{"config", cmd_config, "check the site configuration (config check)"},
	{"keys", cmd_keys, "register, list or revoke the sites' public keys (intake)"},
	{"intake", cmd_intake, "take the sites' signed bundles from an inbox folder"},
	{"national", cmd_national, "build the national tables from the returns received"},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(void)
{
	printf("Usage: nrmhub [OPTION]... COMMAND [ARG]...\n"
	       "Data interchange and reporting hub for the child-victim NRM decision pilot.\n"
	       "\nCommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("  %-10s %s\n", "help", "show the help of a command");
	printf("\nOptions:\n"
	       "      --plugin-path DIR  also look for plugins in DIR (':'-separated; repeatable)\n"
	       "      --store FILE       the case store (default ./nrmhub.db)\n"
	       "      --config FILE      the site configuration (default $NRMHUB_CONFIG,\n"
	       "                         else ./nrmhub.json)\n"
	       "      --log FORMAT       messages as text (the default) or json (one object a line)\n"
	       "      --syslog           send messages to syslog instead of standard error\n"
	       "  -q, --quiet            print only errors\n"
	       "      --max-problems N   print at most N problems found in input data (default\n"
	       "                         100); the rest are counted, and all go to --rejects\n"
	       "  -v, --verbose          print what is being done\n"
	       "  -h, --help             show this help\n"
	       "  -V, --version          show the version\n"
	       "\nRun 'nrmhub COMMAND --help' for a command's options; see nrmhub(1).\n"
	       "Exit status follows sysexits.h: 0 success, 64 usage, 65 bad data, 66 missing\n"
	       "input, 69 unknown format, 70 internal error or a job that needs a person,\n"
	       "73 cannot create output, 74 I/O error, 75 try again later (another run holds\n"
	       "the lock, or a delivery is pending), 77 a signature, key or permission\n"
	       "failure, 78 a broken configuration.\n");
}

void nrm_context_add_plugin_path(struct nrm_context *ctx, const char *dir)
{
	ctx->plugin_paths = nrm_xrealloc(ctx->plugin_paths,
	                                 (ctx->n_plugin_paths + 1) * sizeof(char *));
	ctx->plugin_paths[ctx->n_plugin_paths++] = nrm_xstrdup(dir);
}

void nrm_context_load_plugins(struct nrm_context *ctx, struct nrm_registry *reg)
{
	nrm_registry_scan_default(reg, ctx->plugin_paths, ctx->n_plugin_paths);
}

int nrm_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "nrmhub%s%s: ", command ? " " : "", command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'nrmhub%s%s --help'.\n", command ? " " : "", command ? command : "");
	return EX_USAGE;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* `nrmhub help [COMMAND]` is `nrmhub COMMAND --help`. */
static int run_help(struct nrm_context *ctx, int argc, char **argv)
{
	if (argc < 2) {
		print_help();
		return 0;
	}
	const struct command *c = find_command(argv[1]);
	if (!c)
		return nrm_usage_error(NULL, "no such command '%s'", argv[1]);
	/* `help return render` is `return render --help`: the words after the
	 * command name its action. */
	static char help_flag[] = "--help";
	char **args = nrm_xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 1; i < argc; i++)
		args[i - 1] = argv[i];
	args[argc - 1] = help_flag;
	int rc = c->run(ctx, argc, args);
	free(args);
	return rc;
}

/* False while a command runs.  exit(0) before it returned came from inside
 * it: a plugin that calls exit() in the middle of an import would
 * otherwise end the command "successfully" with nothing imported. */
static bool command_done = true;

static void cb_exit_check(int status, void *arg)
{
	(void)arg;
	if (command_done || status != 0)
		return;
	static const char msg[] = "nrmhub: the command was ended from inside it (a plugin called "
	                          "exit()) before it finished: nothing it did counts\n";
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* Nothing more to say it with. */
	}
	_exit(EX_SOFTWARE);
}

static void free_context(struct nrm_context *ctx)
{
	for (size_t i = 0; i < ctx->n_plugin_paths; i++)
		free(ctx->plugin_paths[i]);
	free(ctx->plugin_paths);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"plugin-path", required_argument, NULL, 'P'},
		{"store", required_argument, NULL, 'S'},
		{"config", required_argument, NULL, 'C'},
		{"log", required_argument, NULL, 'L'},
		{"syslog", no_argument, NULL, 'Y'},
		{"quiet", no_argument, NULL, 'q'},
		{"max-problems", required_argument, NULL, 'M'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	/* Nothing nrmhub writes is anyone else's to read unless the site
	 * names a group (share_group.h): these are children's records. */
	umask(077);
	/* The plugin scanner (plugin_scan.h): this binary, run by itself. */
	if (argc == 4 && strcmp(argv[1], NRM_SCAN_FLAG) == 0)
		return nrm_plugin_scan_main(argv[2], argv[3]);
	struct nrm_context ctx = {0};
	int opt;
	/* '+': stop at the subcommand, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+qvhV", options, NULL)) != -1) {
		switch (opt) {
		case 'P': nrm_context_add_plugin_path(&ctx, optarg); break;
		case 'S': ctx.store_path = optarg; break;
		case 'C': ctx.config_path = optarg; break;
		case 'L':
			if (strcmp(optarg, "json") == 0)
				nrm_log_set_format(NRM_LOG_JSON);
			else if (strcmp(optarg, "text") != 0) {
				free_context(&ctx);
				return nrm_usage_error(NULL, "--log takes text or json, not '%s'", optarg);
			}
			break;
		case 'Y': nrm_log_set_format(NRM_LOG_SYSLOG); break;
		case 'q': nrm_log_set_level(NRM_LOG_ERROR); break;
		case 'M': {
			long long n;
			if (!nrm_parse_int64(optarg, &n) || n < 1) {
				free_context(&ctx);
				return nrm_usage_error(NULL, "--max-problems takes a number of at least 1, "
				                       "not '%s'", optarg);
			}
			ctx.max_problems = (unsigned long long)n;
			break;
		}
		case 'v': nrm_log_set_level(NRM_LOG_DEBUG); break;
		case 'h': print_help(); free_context(&ctx); return 0;
		case 'V':
			printf("nrmhub %s (plugin ABI %d.%d, canonical case schema %d)\n",
			       PACKAGE_VERSION, NRM_ABI_MAJOR, NRM_ABI_MINOR, NRM_CASE_SCHEMA_VERSION);
			free_context(&ctx);
			return 0;
		default: free_context(&ctx); return nrm_usage_error(NULL, "unknown option");
		}
	}
	if (optind >= argc) {
		free_context(&ctx);
		return nrm_usage_error(NULL, "no command given");
	}
	const char *name = argv[optind];
	const struct command *c = find_command(name);
	int rc;
	if (strcmp(name, "help") == 0)
		rc = run_help(&ctx, argc - optind, argv + optind);
	else if (c) {
		int sub_argc = argc - optind;
		char **sub_argv = argv + optind;
		optind = 0; /* glibc: 0 fully resets getopt for the subcommand */
		on_exit(cb_exit_check, NULL);
		command_done = false;
		rc = c->run(&ctx, sub_argc, sub_argv);
		command_done = true;
	} else
		rc = nrm_usage_error(NULL, "no such command '%s'", name);
	nrm_country_unload();
	free_context(&ctx);
	return rc;
}
