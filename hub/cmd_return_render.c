/*
 * `nrmhub return render RETURN.json [-o DIR]`: renders a return's outputs
 * again from its return.json (CSV + CSVW, SDMX-CSV, ODS, HTML), for a site
 * that lost them or a receiver that wants them from the JSON alone.
 */
#include "commands.h"
#include "../plugins/common/json_syntax.h"

#include "return_render.h"
#include "return_tables.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

/* return.json is a few kilobytes; anything this large is not one. */
#define MAX_RETURN_BYTES (16 * 1024 * 1024)

static void print_usage(void)
{
	printf("Usage: nrmhub return render [OPTION]... RETURN.json\n"
	       "Render a quarterly return's outputs from its return.json: one CSV per table\n"
	       "with csv-metadata.json (CSV on the Web), return.sdmx.csv (SDMX-CSV, its\n"
	       "structure in schemas/nrmhub-sdmx.xml),\n"
	       "return.ods (OpenDocument) and report.html. Each file is replaced whole.\n"
	       "\n"
	       "  -o, --output DIR   write into DIR, created if missing (default: the\n"
	       "                     directory that holds RETURN.json)\n"
	       "      --sdmx VERSION write return.sdmx.csv in SDMX-CSV 1.0 (the default)\n"
	       "                     or 2.0\n"
	       "      --json         print the files written as JSON\n"
	       "  -h, --help         show this help\n"
	       "\n"
	       "A return that does not follow the agreed shape is refused (exit 65) with the\n"
	       "JSON path of the first problem, before anything is written.\n");
}

int nrm_return_load_file(const char *path, json_t **out, struct nrm_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return nrm_fail(err, EX_NOINPUT, "%s: cannot open: no such file", path);
	if (!S_ISREG(st.st_mode))
		return nrm_fail(err, EX_NOINPUT, "%s: not a regular file", path);
	if (st.st_size > MAX_RETURN_BYTES)
		return nrm_fail(err, EX_DATAERR, "%s: larger than %d bytes: not a return", path,
		                MAX_RETURN_BYTES);
	json_error_t jerr;
	*out = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (*out)
		return 0;
	if (json_error_code(&jerr) == json_error_cannot_open_file)
		return nrm_fail(err, EX_NOINPUT, "%s: cannot open: %s", path, jerr.text);
	char why[200];
	json_syntax_reason(jerr.text, why, sizeof(why));
	return nrm_fail(err, EX_DATAERR, "%s:%d:%d: %s", path, jerr.line, jerr.column, why);
}

static void print_files(const json_t *ret, const char *dir)
{
	struct nrm_return_tables t;
	struct nrm_error err;
	if (nrm_return_tables_build(ret, &t, &err))
		return;
	json_t *files = json_array();
	for (size_t i = 0; i < t.n_tables; i++)
		json_array_append_new(files, json_string(t.tables[i].file));
	static const char *const fixed[] = {"notes.csv", "csv-metadata.json", "return.sdmx.csv",
	                                    "return.ods", "report.html"};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		json_array_append_new(files, json_string(fixed[i]));
	json_t *j = json_pack("{s:s, s:o}", "directory", dir, "files", files);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(j);
	nrm_return_tables_free(&t);
}

int cmd_return_render(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_JSON = 1000, OPT_SDMX };
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, OPT_JSON},
		{"sdmx", required_argument, NULL, OPT_SDMX},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	(void)ctx;
	const char *dir = NULL;
	bool as_json = false;
	enum nrm_sdmx_version sdmx = NRM_SDMX_1_0;
	int opt;
	while ((opt = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o': dir = optarg; break;
		case OPT_JSON: as_json = true; break;
		case OPT_SDMX:
			if (nrm_sdmx_version_parse(optarg, &sdmx) != 0)
				return nrm_usage_error("return render", "--sdmx must be 1.0 or 2.0, not "
				                       "'%s'", optarg);
			break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("return render", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return nrm_usage_error("return render", optind >= argc ? "no RETURN.json given"
		                                                       : "give one RETURN.json");
	const char *path = argv[optind];
	char *default_dir = NULL;
	if (!dir) {
		char *copy = nrm_xstrdup(path);
		default_dir = nrm_xstrdup(dirname(copy));
		free(copy);
		dir = default_dir;
	}
	struct nrm_error err = {0};
	json_t *ret = NULL;
	int rc = nrm_return_load_file(path, &ret, &err);
	if (rc == 0 && return_render_all(ret, dir, sdmx, &err) != 0) {
		/* Data errors name the JSON path: prefix the file they are in. */
		if (err.code == EX_DATAERR)
			fprintf(stderr, "nrmhub: %s: %s\n", path, err.msg);
		else
			fprintf(stderr, "nrmhub: %s\n", err.msg);
		rc = err.code;
	} else if (rc != 0) {
		fprintf(stderr, "nrmhub: %s\n", err.msg);
		rc = err.code;
	} else if (as_json) {
		print_files(ret, dir);
	}
	json_decref(ret);
	free(default_dir);
	return rc;
}
