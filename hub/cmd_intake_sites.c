/*
 * `nrmhub intake sites load FILE`, `nrmhub intake sites list`: the register
 * of pilot sites in the intake store (pilot_sites.h).
 */
#include "commands.h"

#include "date.h"
#include "pilot_sites.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

static void sites_usage(void)
{
	printf("Usage: nrmhub intake sites load FILE [--store FILE]\n"
	       "       nrmhub intake sites list [--store FILE]\n"
	       "The register of pilot sites: each local authority of a site with the day the\n"
	       "site joined (formats/pilot-sites.md; examples/pilot-sites.csv holds the sites\n"
	       "of 2021, 2023 and 2025).  'load' checks every row of FILE and replaces the\n"
	       "register whole; 'list' prints it.  'national build' reads it: an area is a\n"
	       "pilot area from the day its site joined.\n"
	       "\n"
	       "      --store FILE       the intake store (default ./nrmhub.db)\n"
	       "  -h, --help             show this help\n"
	       "\n"
	       "Exit status: 0 done, 65 a bad row (named FILE:LINE: column), 66 no such file.\n");
}

static int load(struct nrm_context *ctx, const char *path)
{
	struct nrm_site_register reg;
	struct nrm_error err = {0};
	if (nrm_sites_read(path, &reg, &err)) {
		fprintf(stderr, "nrmhub intake sites: %s\n", err.msg);
		return err.code;
	}
	struct store *s;
	int rc = nrm_context_open_store(ctx, true, &s);
	if (rc == 0) {
		if (nrm_sites_store(s, &reg)) {
			fprintf(stderr, "nrmhub intake sites: %s\n", store_error(s)->msg);
			rc = store_error(s)->code;
		} else {
			fprintf(stderr, "nrmhub intake sites: %zu areas registered from %s\n", reg.n,
			        path);
		}
		store_close(s);
	}
	nrm_sites_free(&reg);
	return rc;
}

static int list(struct nrm_context *ctx)
{
	struct store *s;
	int rc = nrm_context_open_store_read(ctx, &s);
	if (rc)
		return rc;
	struct nrm_site_register reg;
	if (nrm_sites_load(s, &reg)) {
		fprintf(stderr, "nrmhub intake sites: %s\n", store_error(s)->msg);
		rc = store_error(s)->code;
	} else {
		printf("site,local_authority,joined,approximate,basis\n");
		for (size_t i = 0; i < reg.n; i++) {
			char joined[11];
			nrm_date_format_iso(reg.areas[i].joined, joined);
			printf("%s,%s,%s,%s,%s\n", reg.areas[i].site, reg.areas[i].local_authority, joined,
			       reg.areas[i].approximate ? "yes" : "no", reg.areas[i].basis);
		}
		nrm_sites_free(&reg);
	}
	store_close(s);
	return rc;
}

int cmd_intake_sites(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_STORE = 256 };
	static const struct option options[] = {
		{"store", required_argument, NULL, OPT_STORE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_STORE: ctx->store_path = optarg; break;
		case 'h': sites_usage(); return 0;
		default: return nrm_usage_error("intake sites", "unknown option");
		}
	}
	if (optind >= argc)
		return nrm_usage_error("intake sites", "load FILE or list is required");
	const char *verb = argv[optind];
	if (strcmp(verb, "load") == 0) {
		if (argc - optind != 2)
			return nrm_usage_error("intake sites", "load takes one FILE");
		return load(ctx, argv[optind + 1]);
	}
	if (strcmp(verb, "list") == 0) {
		if (argc - optind != 1)
			return nrm_usage_error("intake sites", "list takes no argument");
		return list(ctx);
	}
	return nrm_usage_error("intake sites", "'%s' is not load or list", verb);
}
