/*
 * `nrmhub plugins`: what plugins this hub can use, and each one's options.
 * It works from the registry's descriptions: listing runs no module's code,
 * and a module found bad is listed with the reason instead.
 */
#include "commands.h"

#include "options.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static void print_usage(void)
{
	printf("Usage: nrmhub plugins [--json] [--plugin-path DIR]\n"
	       "       nrmhub plugins describe NAME [--json | --markdown] [--plugin-path DIR]\n"
	       "List the plugins on the search path (name, version, ABI, formats, direction,\n"
	       "file), then the modules found bad (never loaded) with the reason; or describe\n"
	       "one plugin and its options.\n"
	       "\n"
	       "      --json             print JSON instead of a table\n"
	       "      --markdown         describe: print the options as a Markdown table (the\n"
	       "                         one in formats/NAME.md; see scripts/update-format-docs)\n"
	       "      --plugin-path DIR  also look for plugins in DIR\n"
	       "  -h, --help             show this help\n");
}

static const char *direction(const struct nrm_plugin *p)
{
	switch (p->caps & (NRM_CAP_IMPORT | NRM_CAP_EXPORT)) {
	case NRM_CAP_IMPORT: return "import";
	case NRM_CAP_EXPORT: return "export";
	default: return "import,export";
	}
}

static json_t *formats_json(const struct nrm_plugin *p)
{
	json_t *a = json_array();
	for (const char *const *f = p->formats; *f; f++)
		json_array_append_new(a, json_string(*f));
	return a;
}

static json_t *options_json(const struct nrm_plugin *p)
{
	json_t *a = json_array();
	for (const struct nrm_option_spec *o = p->options; o && o->name; o++) {
		json_t *j = json_pack("{s:s, s:s, s:o, s:s}", "name", o->name, "type",
		                      nrm_option_type_name(o->type), "default",
		                      o->default_value ? json_string(o->default_value) : json_null(),
		                      "description", o->description);
		if (o->type == NRM_OPT_CHOICE)
			json_object_set_new(j, "choices", json_string(o->choices));
		if (o->min || o->max) {
			json_object_set_new(j, "min", json_integer(o->min));
			json_object_set_new(j, "max", json_integer(o->max));
		}
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *plugin_json(const struct nrm_module *m, bool with_options)
{
	const struct nrm_plugin *p = m->plugin;
	char abi[32];
	snprintf(abi, sizeof(abi), "%u.%u", p->abi_major, p->abi_minor);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:s}", "name", p->name,
	                      "version", p->version, "abi", abi, "description", p->description,
	                      "license", p->license, "formats", formats_json(p), "import",
	                      (p->caps & NRM_CAP_IMPORT) != 0, "export",
	                      (p->caps & NRM_CAP_EXPORT) != 0, "file", m->path);
	json_object_set_new(j, "status", json_string("ok"));
	if (with_options)
		json_object_set_new(j, "options", options_json(p));
	return j;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(j);
}

static char *joined_formats(const struct nrm_plugin *p)
{
	size_t len = 1;
	for (const char *const *f = p->formats; *f; f++)
		len += strlen(*f) + 1;
	char *s = calloc(1, len);
	for (const char *const *f = p->formats; s && *f; f++) {
		if (*s)
			strcat(s, ",");
		strcat(s, *f);
	}
	return s;
}

static void list_table(const struct nrm_registry *reg)
{
	printf("%-16s %-8s %-4s %-18s %-14s %s\n", "NAME", "VERSION", "ABI", "FORMATS",
	       "DIRECTION", "FILE");
	for (size_t i = 0; i < reg->count; i++) {
		const struct nrm_plugin *p = reg->modules[i].plugin;
		char *formats = joined_formats(p);
		printf("%-16s %-8s %u.%-2u %-18s %-14s %s\n", p->name, p->version, p->abi_major,
		       p->abi_minor, formats ? formats : "", direction(p), reg->modules[i].path);
		free(formats);
	}
}

/* Bad modules after the good ones, so the table above keeps its columns. */
static void list_bad_table(const struct nrm_registry *reg)
{
	if (!reg->refused_count)
		return;
	printf("\nBad modules, never loaded:\n");
	for (size_t i = 0; i < reg->refused_count; i++)
		printf("  %s: %s\n", reg->refused[i].path, reg->refused[i].reason);
}

static json_t *bad_json(const struct nrm_refusal *r)
{
	return json_pack("{s:s, s:s, s:s}", "file", r->path, "status", "bad", "reason", r->reason);
}

static void describe_text(const struct nrm_module *m)
{
	const struct nrm_plugin *p = m->plugin;
	char *formats = joined_formats(p);
	printf("%s %s: %s\n", p->name, p->version, p->description);
	printf("formats: %s\ndirection: %s\nABI: %u.%u\nlicense: %s\nfile: %s\n",
	       formats ? formats : "", direction(p), p->abi_major, p->abi_minor, p->license,
	       m->path);
	free(formats);
	if (!p->options || !p->options->name) {
		printf("\nNo options.\n");
		return;
	}
	printf("\n%-18s %-7s %-10s %s\n", "OPTION", "TYPE", "DEFAULT", "DESCRIPTION");
	for (const struct nrm_option_spec *o = p->options; o->name; o++) {
		printf("%-18s %-7s %-10s %s", o->name, nrm_option_type_name(o->type),
		       o->default_value ? o->default_value : "-", o->description);
		if (o->type == NRM_OPT_CHOICE)
			printf(" (one of: %s)", o->choices);
		if (o->min || o->max)
			printf(" (%lld to %lld)", (long long)o->min, (long long)o->max);
		printf("\n");
	}
}

/* "1M" for 1048576: sizes as a user would write them. */
static void format_size(char *buf, size_t len, int64_t v)
{
	static const char suffix[] = {'G', 'M', 'k'};
	for (int i = 0; i < 3; i++) {
		int shift = 30 - 10 * i;
		if (v && v % (INT64_C(1) << shift) == 0) {
			snprintf(buf, len, "%lld%c", (long long)(v >> shift), suffix[i]);
			return;
		}
	}
	snprintf(buf, len, "%lld", (long long)v);
}

/* Text for a Markdown table cell: '|' would end the cell. */
static void print_cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			putchar('\\');
		putchar(*s == '\n' ? ' ' : *s);
	}
}

static void print_choices(const char *choices)
{
	const char *sep = "";
	for (const char *p = choices; p && *p;) {
		const char *bar = strchr(p, '|');
		int n = bar ? (int)(bar - p) : (int)strlen(p);
		printf("%s`%.*s`", sep, n, p);
		sep = ", ";
		p = bar ? bar + 1 : NULL;
	}
}

/* The options as the Markdown table each formats/NAME.md includes. */
static void describe_markdown(const struct nrm_module *m)
{
	const struct nrm_plugin *p = m->plugin;
	if (!p->options || !p->options->name) {
		printf("The `%s` plugin has no options.\n", p->name);
		return;
	}
	printf("| option | type | default | description |\n|---|---|---|---|\n");
	for (const struct nrm_option_spec *o = p->options; o->name; o++) {
		printf("| `%s` | %s", o->name, nrm_option_type_name(o->type));
		if (o->type == NRM_OPT_CHOICE) {
			printf(": ");
			print_choices(o->choices);
		}
		if (o->min || o->max) {
			char lo[32], hi[32];
			format_size(lo, sizeof(lo), o->min);
			format_size(hi, sizeof(hi), o->max);
			if (o->type == NRM_OPT_INT)
				printf(", %lld to %lld", (long long)o->min, (long long)o->max);
			else
				printf(", %s to %s", lo, hi);
		}
		printf(" | ");
		if (o->default_value) {
			printf("`");
			print_cell(o->default_value);
			printf("`");
		} else {
			printf("none");
		}
		printf(" | ");
		print_cell(o->description);
		printf(" |\n");
	}
	printf("\nGive them as `--option NAME=VALUE` (or `--option %s.NAME=VALUE`).\n", p->name);
}

int cmd_plugins(struct nrm_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"markdown", no_argument, NULL, 'm'},
		{"plugin-path", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false, markdown = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'm': markdown = true; break;
		case 'P': nrm_context_add_plugin_path(ctx, optarg); break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("plugins", "unknown option");
		}
	}
	if (markdown && json)
		return nrm_usage_error("plugins", "--json and --markdown cannot be combined");
	const char *name = NULL;
	if (optind < argc) {
		if (strcmp(argv[optind], "describe") != 0)
			return nrm_usage_error("plugins", "unknown argument '%s'", argv[optind]);
		if (optind + 2 != argc)
			return nrm_usage_error("plugins", "describe takes one plugin name");
		name = argv[optind + 1];
	}
	if (markdown && !name)
		return nrm_usage_error("plugins", "--markdown goes with describe NAME");
	struct nrm_registry reg = {0};
	nrm_context_load_plugins(ctx, &reg);
	int rc = 0;
	if (name) {
		const struct nrm_module *m = nrm_registry_find_name(&reg, name);
		if (!m) {
			fprintf(stderr, "nrmhub: no plugin named '%s' (run 'nrmhub plugins')\n", name);
			rc = EX_UNAVAILABLE;
		} else if (json) {
			print_json(plugin_json(m, true));
		} else if (markdown) {
			describe_markdown(m);
		} else {
			describe_text(m);
		}
	} else if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < reg.count; i++)
			json_array_append_new(a, plugin_json(&reg.modules[i], false));
		for (size_t i = 0; i < reg.refused_count; i++)
			json_array_append_new(a, bad_json(&reg.refused[i]));
		print_json(a);
	} else {
		list_table(&reg);
		list_bad_table(&reg);
	}
	nrm_registry_free(&reg);
	return rc;
}
