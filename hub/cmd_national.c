/*
 * `nrmhub national build --quarter YYYYQn`: the national tables from the
 * returns the intake accepted (national.h, formats/national.md).
 */
#include "commands.h"

#include "date.h"
#include "national.h"
#include "return_suppress.h"
#include "quarter.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

static void print_usage(void)
{
	printf("Usage: nrmhub national build --quarter YYYYQn [--audience official|published]\n"
	       "                             [--threshold N] [-o DIR] [--store FILE] [--now TIME]\n"
	       "                             [--sdmx 1.0|2.0]\n"
	       "Consolidate the latest accepted return of every site for the quarter (see\n"
	       "'nrmhub intake') into national tables: totals, by nation and by site, exact\n"
	       "national medians and percentiles from the sites' case extracts, the pilot's\n"
	       "days to decision beside the non-pilot areas' (the Home Office's own cases,\n"
	       "imported into the same store with 'nrmhub import --from homeoffice-json'),\n"
	       "and the sites with no return or a revised one.  Writes national.json\n"
	       "(validated against schemas/national.schema.json), table_N.csv with\n"
	       "csv-metadata.json, notes.csv, national.sdmx.csv, national.ods and report.html.\n"
	       "\n"
	       "\n"
	       "The official audience (the default) is exact, for the Home Office's own use.\n"
	       "The published audience hides counts from 1 to the threshold as [c] and more\n"
	       "cells besides, chosen over the national tables and every site's published\n"
	       "return together so that no differencing between national, nation and site\n"
	       "figures recovers one; it is audited before anything is written (exit 65,\n"
	       "nothing written, when it fails) and leaves out the comparison.\n"
	       "\n"
	       "      --quarter YYYYQn  the quarter (required)\n"
	       "      --audience A      official (default) or published\n"
	       "      --threshold N     published: counts 1..N are suppressed (default 4)\n"
	       "  -o, --output DIR      where to write (default: national-YYYYQn)\n"
	       "      --store FILE      the intake store (default ./nrmhub.db)\n"
	       "      --now TIME        the generated_at time, RFC 3339 (default: now)\n"
	       "      --sdmx VERSION    national.sdmx.csv in SDMX-CSV 1.0 (the default) or 2.0\n"
	       "  -h, --help            show this help\n");
}

static int national_build(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_STORE = 256, OPT_QUARTER, OPT_NOW, OPT_AUDIENCE, OPT_THRESHOLD, OPT_SDMX };
	static const struct option options[] = {
		{"quarter", required_argument, NULL, OPT_QUARTER},
		{"output", required_argument, NULL, 'o'},
		{"store", required_argument, NULL, OPT_STORE},
		{"now", required_argument, NULL, OPT_NOW},
		{"audience", required_argument, NULL, OPT_AUDIENCE},
		{"threshold", required_argument, NULL, OPT_THRESHOLD},
		{"sdmx", required_argument, NULL, OPT_SDMX},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *quarter = NULL, *dir = NULL;
	int64_t now = (int64_t)time(NULL);
	bool published = false;
	int threshold = 0;
	enum nrm_sdmx_version sdmx = NRM_SDMX_1_0;
	int opt;
	while ((opt = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (opt) {
		case OPT_QUARTER: quarter = optarg; break;
		case 'o': dir = optarg; break;
		case OPT_STORE: ctx->store_path = optarg; break;
		case OPT_NOW:
			if (nrm_time_parse_rfc3339(optarg, strlen(optarg), &now) != 0)
				return nrm_usage_error("national build", "--now '%s' is not an RFC 3339 "
				                       "time, e.g. 2025-04-02T09:00:00Z", optarg);
			break;
		case OPT_AUDIENCE:
			if (strcmp(optarg, "official") != 0 && strcmp(optarg, "published") != 0)
				return nrm_usage_error("national build", "--audience must be official or "
				                       "published, not '%s'", optarg);
			published = strcmp(optarg, "published") == 0;
			break;
		case OPT_THRESHOLD: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 1 || v > 1000)
				return nrm_usage_error("national build", "--threshold must be 1 to 1000, "
				                       "not '%s'", optarg);
			threshold = (int)v;
			break;
		}
		case OPT_SDMX:
			if (nrm_sdmx_version_parse(optarg, &sdmx) != 0)
				return nrm_usage_error("national build", "--sdmx must be 1.0 or 2.0, not "
				                       "'%s'", optarg);
			break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("national build", "unknown option");
		}
	}
	struct nrm_quarter q;
	if (!quarter)
		return nrm_usage_error("national build", "--quarter YYYYQn is required");
	if (nrm_quarter_parse(quarter, &q) != 0)
		return nrm_usage_error("national build", "--quarter: '%s' is not YYYYQn (e.g. "
		                       "2025Q1)", quarter);
	if (optind < argc)
		return nrm_usage_error("national build", "unexpected argument '%s'", argv[optind]);
	struct store *s;
	int rc = nrm_context_open_store_read(ctx, &s);
	if (rc)
		return rc;
	struct nrm_error err = {0};
	json_t *national = nrm_national_build(s, quarter, now, &err);
	if (national && published) {
		struct nrm_dc_params p = {.threshold = threshold};
		if (nrm_national_publish(national, s, &p, NULL, &err) != 0) {
			json_decref(national);
			national = NULL;
		}
	}
	store_close(s);
	char *default_dir = nrm_xasprintf("national-%s", quarter);
	if (!national || nrm_national_render_all(national, dir ? dir : default_dir, sdmx, &err)) {
		fprintf(stderr, "nrmhub national build: %s\n", err.msg);
		rc = err.code ? err.code : EX_SOFTWARE;
	}
	free(default_dir);
	json_decref(national);
	return rc;
}

int cmd_national(struct nrm_context *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "build") == 0)
		return national_build(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		print_usage();
		return 0;
	}
	if (argc < 2)
		return nrm_usage_error("national", "give a subcommand: build");
	return nrm_usage_error("national", "no such subcommand '%s'", argv[1]);
}
