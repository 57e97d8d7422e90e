/*
 * `nrmhub convert` and `nrmhub validate`: the same pipeline, with and without
 * an export plugin.
 */
#include "commands.h"

#include "log.h"
#include "options.h"
#include "pipeline.h"
#include "util.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

struct convert_args {
	const char *from, *to, *output, *rejects;
	char **options;  /* KEY=VALUE, as given */
	size_t n_options;
	bool keep_going, json;
};

static void convert_usage(void)
{
	printf("Usage: nrmhub convert --from FORMAT --to FORMAT [OPTION]... [INPUT...|-]\n"
	       "Convert case records, streaming them one at a time through the canonical\n"
	       "case rules. With no INPUT, or with -, read standard input.\n"
	       "\n"
	       "  -f, --from FORMAT          the inputs' format (see 'nrmhub plugins')\n"
	       "  -t, --to FORMAT            the output's format\n"
	       "  -o, --output FILE          write FILE atomically (default: standard output,\n"
	       "                             written only once the conversion has succeeded)\n"
	       "  -O, --option [FMT.]KEY=VALUE\n"
	       "                             set a plugin option (repeatable); a bare KEY goes\n"
	       "                             to every plugin of the conversion that has it\n"
	       "  -k, --keep-going           write the good records and go on past bad ones\n"
	       "                             (the exit status is still 65 if any was rejected)\n"
	       "      --rejects FILE         write each rejected record's position and reason\n"
	       "                             to FILE as JSON lines\n"
	       "      --plugin-path DIR      also look for plugins in DIR\n"
	       "  -h, --help                 show this help\n"
	       "\n"
	       "A bad record is reported as FILE:LINE: FIELD: reason. Without --keep-going the\n"
	       "first one stops the conversion: exit 65 and no output file.\n");
}

static void validate_usage(void)
{
	printf("Usage: nrmhub validate --from FORMAT [OPTION]... INPUT...\n"
	       "Check every record of the inputs against the format and the canonical case\n"
	       "rules without writing anything; report each bad record as FILE:LINE: FIELD:\n"
	       "reason, then print 'N records: G good, B bad'. Exit 65 if any is bad.\n"
	       "\n"
	       "  -f, --from FORMAT          the inputs' format (see 'nrmhub plugins')\n"
	       "  -O, --option KEY=VALUE     set an import plugin option (repeatable)\n"
	       "      --rejects FILE         also write the bad records' positions and reasons\n"
	       "                             to FILE as JSON lines\n"
	       "      --json                 print the counts as JSON\n"
	       "      --plugin-path DIR      also look for plugins in DIR\n"
	       "  -h, --help                 show this help\n");
}

static void add_option(struct convert_args *a, char *kv)
{
	a->options = nrm_xrealloc(a->options, (a->n_options + 1) * sizeof(char *));
	a->options[a->n_options++] = kv;
}

/* Parses the shared options; returns -1 to go on, else an exit code. */
static int parse_args(struct nrm_context *ctx, const char *command, int argc, char **argv,
                      struct convert_args *a, void (*usage)(void))
{
	enum { OPT_REJECTS = 1000, OPT_JSON, OPT_PLUGIN_PATH };
	static const struct option options[] = {
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"output", required_argument, NULL, 'o'},
		{"option", required_argument, NULL, 'O'},
		{"keep-going", no_argument, NULL, 'k'},
		{"rejects", required_argument, NULL, OPT_REJECTS},
		{"json", no_argument, NULL, OPT_JSON},
		{"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool validating = strcmp(command, "validate") == 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "f:t:o:O:kh", options, NULL)) != -1) {
		if (validating && (opt == 't' || opt == 'o' || opt == 'k'))
			return nrm_usage_error(command, "validate writes nothing: no --to, "
			                       "--output or --keep-going");
		if (!validating && opt == OPT_JSON)
			return nrm_usage_error(command, "--json is for validate");
		switch (opt) {
		case 'f': a->from = optarg; break;
		case 't': a->to = optarg; break;
		case 'o': a->output = optarg; break;
		case 'O': add_option(a, optarg); break;
		case 'k': a->keep_going = true; break;
		case OPT_REJECTS: a->rejects = optarg; break;
		case OPT_JSON: a->json = true; break;
		case OPT_PLUGIN_PATH: nrm_context_add_plugin_path(ctx, optarg); break;
		case 'h': usage(); return 0;
		default: return nrm_usage_error(command, "unknown option");
		}
	}
	if (!a->from)
		return nrm_usage_error(command, "--from FORMAT is required");
	if (!validating && !a->to)
		return nrm_usage_error(command, "--to FORMAT is required");
	if (validating && optind >= argc)
		return nrm_usage_error(command, "no INPUT given");
	return -1;
}

static const struct nrm_module *find_plugin(struct nrm_registry *reg, const char *format,
                                            unsigned cap)
{
	const struct nrm_module *m = nrm_registry_find_format(reg, format, cap);
	if (m)
		return m;
	char *list = nrm_registry_format_list(reg, cap);
	nrm_log_error("no plugin can %s format '%s'; formats that can be %s: %s",
	          cap == NRM_CAP_IMPORT ? "read" : "write", format,
	          cap == NRM_CAP_IMPORT ? "read" : "written", *list ? list : "none");
	free(list);
	return NULL;
}

/* Applies one KEY=VALUE or FORMAT.KEY=VALUE to the plugins it names. */
static int apply_option(const char *kv, const char *from, struct nrm_optset *in,
                        const char *to, struct nrm_optset *out)
{
	struct nrm_error err;
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return nrm_usage_error(NULL, "--option takes KEY=VALUE, not '%s'", kv);
	char *key = strndup(kv, (size_t)(eq - kv));
	const char *value = eq + 1;
	char *dot = strchr(key, '.');
	int rc = 0;
	if (dot) {
		*dot = '\0';
		struct nrm_optset *target = strcmp(key, from) == 0 ? in
		                          : (to && strcmp(key, to) == 0) ? out : NULL;
		if (!target)
			rc = nrm_usage_error(NULL, "option '%s': '%s' is not a format of this "
			                     "command", kv, key);
		else if (nrm_optset_set(target, dot + 1, value, &err) != 0)
			rc = nrm_usage_error(NULL, "%s", err.msg);
	} else if (!nrm_optset_has(in, key) && !(out && nrm_optset_has(out, key))) {
		nrm_optset_set(in, key, value, &err);
		if (out) {
			struct nrm_error err2;
			nrm_optset_set(out, key, value, &err2);
			rc = nrm_usage_error(NULL, "%s; %s", err.msg, err2.msg);
		} else {
			rc = nrm_usage_error(NULL, "%s", err.msg);
		}
	} else {
		if (nrm_optset_has(in, key) && nrm_optset_set(in, key, value, &err) != 0)
			rc = nrm_usage_error(NULL, "%s", err.msg);
		else if (out && nrm_optset_has(out, key) && nrm_optset_set(out, key, value, &err))
			rc = nrm_usage_error(NULL, "%s", err.msg);
	}
	free(key);
	return rc;
}

static void print_counts(const struct nrm_pipeline_counts *c, bool json)
{
	if (json)
		printf("{\"records\":%llu,\"good\":%llu,\"bad\":%llu}\n",
		       (unsigned long long)c->records, (unsigned long long)c->good,
		       (unsigned long long)c->bad);
	else
		printf("%llu records: %llu good, %llu bad\n", (unsigned long long)c->records,
		       (unsigned long long)c->good, (unsigned long long)c->bad);
}

static int run(struct nrm_context *ctx, const char *command, int argc, char **argv,
               void (*usage)(void))
{
	struct convert_args a = {0};
	int rc = parse_args(ctx, command, argc, argv, &a, usage);
	if (rc >= 0) {
		free(a.options);
		return rc;
	}
	struct nrm_registry reg = {0};
	nrm_context_load_plugins(ctx, &reg);
	struct nrm_pipeline pl = {.output = a.output ? a.output : "-", .rejects = a.rejects,
	                          .keep_going = a.keep_going || !a.to,
	                          .max_reported = ctx->max_problems};
	struct nrm_optset *in = NULL, *out = NULL;
	pl.from = find_plugin(&reg, a.from, NRM_CAP_IMPORT);
	pl.to = a.to ? find_plugin(&reg, a.to, NRM_CAP_EXPORT) : NULL;
	if (!pl.from || (a.to && !pl.to)) {
		rc = EX_UNAVAILABLE;
		goto done;
	}
	in = nrm_optset_new(pl.from->plugin->name, pl.from->plugin->options);
	out = pl.to ? nrm_optset_new(pl.to->plugin->name, pl.to->plugin->options) : NULL;
	for (size_t i = 0; i < a.n_options; i++)
		if ((rc = apply_option(a.options[i], a.from, in, a.to, out)) != 0)
			goto done;
	pl.from_options = in;
	pl.to_options = out;
	static char dash[] = "-";
	static char *const stdin_only[] = {dash};
	bool no_inputs = optind >= argc;
	struct nrm_pipeline_counts counts = {0};
	rc = nrm_pipeline_run(&pl, no_inputs ? stdin_only : argv + optind,
	                      no_inputs ? 1 : (size_t)(argc - optind), &counts);
	if (!a.to && (rc == 0 || rc == EX_DATAERR))
		print_counts(&counts, a.json);
	else if (a.to && counts.bad && a.keep_going)
		nrm_warn("%llu records converted, %llu rejected", (unsigned long long)counts.good,
		         (unsigned long long)counts.bad);
	else
		nrm_info("%llu records converted", (unsigned long long)counts.good);
done:
	nrm_optset_free(in);
	nrm_optset_free(out);
	nrm_registry_free(&reg);
	free(a.options);
	return rc;
}

int cmd_convert(struct nrm_context *ctx, int argc, char **argv)
{
	return run(ctx, "convert", argc, argv, convert_usage);
}

int cmd_validate(struct nrm_context *ctx, int argc, char **argv)
{
	return run(ctx, "validate", argc, argv, validate_usage);
}
