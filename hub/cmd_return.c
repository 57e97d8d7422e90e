/*
 * `nrmhub return build` and `nrmhub return validate`, and the dispatch of
 * the other `return` actions.  build streams the cases of a source (files
 * through the import pipeline, or the case store) into the return builder
 * and, for the official audience, into the record-level extract; only when
 * every case was read and the return passed
 * its schema are return.json and cases.csv put in place.  An extract from
 * the store is recorded in its access log first (access_log.h).
 */
#include "commands.h"
#include "../plugins/common/json_syntax.h"

#include "access_log.h"
#include "atomic_file.h"
#include "case_as_at.h"
#include "date.h"
#include "folder_swap.h"
#include "json_schema.h"
#include "ledger.h"
#include "log.h"
#include "london_time.h"
#include "options.h"
#include "pipeline.h"
#include "pseudonym.h"
#include "quarter.h"
#include "return_sent.h"
#include "return_series.h"
#include "return_build.h"
#include "return_extract.h"
#include "return_folder.h"
#include "return_payload.h"
#include "return_command.h"
#include "gss.h"
#include "return_render.h"
#include "return_revision.h"
#include "return_rules.h"
#include "return_schema.h"
#include "return_source.h"
#include "run_site.h"
#include "site_name.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

/* `return validate` refuses a file larger than this (as `return render`
 * does): a return is a few hundred kilobytes. */
#define RETURN_VALIDATE_MAX (16 * 1024 * 1024)

#include "config.h"

struct build_args {
	const char *quarter, *site, *audience, *now, *dir, *from, *store, *key, *joined;
	const char *threshold;
	const char *as_at;             /* --as-at, as given */
	const char *area;              /* the site's GSS area code, recorded in $.area */
	const char *site_name;         /* the site's display name, recorded in $.site_name */
	const char *reason, *revises;  /* $.revision (return_revision.h) */
	const char *provisional_quarters, *provisional_months;
	enum nrm_sdmx_version sdmx;    /* return.sdmx.csv's version */
	char **options;
	size_t n_options;
	char **inputs;
	size_t n_inputs;
	bool json;
	bool whole; /* replace -o DIR whole when it is a return's own (return_folder.h) */
	bool force; /* build past the sanity rules (return_rules.h) */
	nrm_rules_forced forced; /* filled: the rules it was forced past */
};

/* What the case callback needs. */
struct build_run {
	struct nrm_return_builder *rb;
	struct nrm_extract extract;  /* official only */
	bool extracting, have_key;
	char *key_path;              /* chosen when the first row is written */
	const struct build_args *a;
	uint64_t rows;
	struct nrm_access access;    /* the extract's cases, for the store's access log */
	int64_t as_at;               /* the store's state read: as at this moment */
	int32_t known_day;           /* nothing dated after this day counts (case_as_at.h) */
};

static void return_usage(void)
{
	printf("Usage: nrmhub return build --quarter YYYYQn [OPTION]... [--from FORMAT INPUT... | --store FILE]\n"
	       "       nrmhub return render [-o DIR] [--json] RETURN.json\n"
	       "       nrmhub return audit [--json] DIR...\n"
	       "       nrmhub return validate FILE...\n"
	       "       nrmhub return diff [--json] [--force] OLD NEW\n"
	       "       nrmhub return review [SITE QUARTER] [--json]\n"
	       "       nrmhub return approve SITE QUARTER [--note TEXT]\n"
	       "       nrmhub return reject SITE QUARTER --reason TEXT\n"
	       "Build one site's quarterly return, render a return's outputs again, audit\n"
	       "published returns' disclosure control, check return.json files against\n"
	       "schemas/return.schema.json, list the figures that differ between two\n"
	       "returns (see 'nrmhub return diff --help'), or review, approve or reject\n"
	       "a return a job held for review (see 'nrmhub return review --help').\n"
	       "\n"
	       "build reads the cases from the case store (--store, or the global --store, or\n"
	       "./nrmhub.db) unless --from is given, and writes into DIR: the tables as CSV\n"
	       "with CSVW metadata, return.sdmx.csv, return.ods and report.html; for the\n"
	       "official audience cases.csv, the record-level extract with keyed pseudonyms\n"
	       "instead of case ids; and last return.json (checked against the schema first).\n"
	       "Every file is written atomically, and return.json not at all if anything fails.\n"
	       "A published return is suppressed over all its tables at once and checked by\n"
	       "the same LP audit as 'nrmhub return audit' before anything is written.\n"
	       "See 'nrmhub return render --help' and 'nrmhub return audit --help'.\n"
	       "\n"
	       "  -q, --quarter YYYYQn       the calendar quarter (e.g. 2025Q1; upper-case Q)\n"
	       "  -s, --site SITE            the site whose cases count (default: the site of\n"
	       "                             the cases; an error if they hold several)\n"
	       "  -a, --audience AUDIENCE    official (exact counts, the default) or published\n"
	       "                             (counts 1 to 4, or to the site's\n"
	       "                             suppression_threshold, and cells that would\n"
	       "                             reveal them shown as [c]; no cases.csv)\n"
	       "      --now TIME             the generated_at time, RFC 3339 (default: now), for\n"
	       "                             reproducible output; nothing dated after its day\n"
	       "                             counts\n"
	       "      --as-at TIME           build from the store as it was at TIME, RFC 3339\n"
	       "                             (default: now): only what it had imported by then\n"
	       "                             (import --now); with the --now of a return built\n"
	       "                             then, or its generated_at, the same files, byte for\n"
	       "                             byte (its data_as_at is such a TIME)\n"
	       "      --joined DATE          the day the site joined the pilot, YYYY-MM-DD: the\n"
	       "                             comparison counts its cases from then (default:\n"
	       "                             the pilot's start, 2021-06-01), and the series\n"
	       "                             begins with its quarter (else site.joined's)\n"
	       "      --force                build it even when a sanity rule refuses it: a\n"
	       "                             quarter that has not ended (at --now), a quarter\n"
	       "                             before the site joined (--joined, else the site\n"
	       "                             configuration's site.joined), a return with no\n"
	       "                             referrals and no decisions\n"
	       "  -o, --output DIR           write into DIR (default: .); a DIR that is missing, empty\n"
	       "                             or only a return is replaced whole, never half\n"
	       "  -f, --from FORMAT          read the cases from INPUT files in FORMAT\n"
	       "  -O, --option KEY=VALUE     set an import plugin option (repeatable)\n"
	       "      --store FILE           read the cases from the case store FILE (the default\n"
	       "                             source, with ./nrmhub.db)\n"
	       "      --key FILE             the site's pseudonym key (default:\n"
	       "                             keys/SITE.pseudonym.key beside the store, in a\n"
	       "                             folder of mode 0700, or in the current directory);\n"
	       "                             made, mode 0600, on first use\n"
	       "      --area GSS             the site's area: its local authority's GSS code\n"
	       "                             (or its nation's), recorded in return.json and\n"
	       "                             written as REF_AREA in return.sdmx.csv (a site\n"
	       "                             configuration's site.local_authority)\n"
	       "      --site-name TEXT       the site's name, for people: recorded in return.json\n"
	       "                             and shown in its outputs (default: the site\n"
	       "                             configuration's site.name, when it is this site's;\n"
	       "                             else the site is named by its code)\n"
	       "      --sdmx VERSION         return.sdmx.csv in SDMX-CSV 1.0 (the default) or\n"
	       "                             2.0\n"
	       "      --reason TEXT          why a quarter this site sent before is built again\n"
	       "                             (required then; one line of at most 500 bytes,\n"
	       "                             never a child's identifier): shown in the\n"
	       "                             report's \"What changed and why\" and in return.ods\n"
	       "      --revises FILE         the return last sent for the quarter (a return\n"
	       "                             folder, return.json or bundle), for a build whose\n"
	       "                             store's ledger does not know it (default: the\n"
	       "                             newest bundle the ledger says was delivered)\n"
	       "      --provisional-quarters N\n"
	       "                             the N latest quarters' figures are [p] (default 1:\n"
	       "                             the quarter just ended; 0: none; a site\n"
	       "                             configuration's site.provisional)\n"
	       "      --provisional-months N the figures of every quarter that ended less than\n"
	       "                             N months before --now are [p]\n"
	       "      --threshold N          counts 1 to N are suppressed in the published\n"
	       "                             return (default 4; a site configuration's\n"
	       "                             site.suppression_threshold); an official return\n"
	       "                             records which cells that return hides\n"
	       "      --json                 print what was written as JSON\n"
	       "      --plugin-path DIR      also look for plugins in DIR\n"
	       "  -h, --help                 show this help\n"
	       "\n"
	       "A figure that differs from the one this site last sent for its quarter is\n"
	       "marked [r] (OBS_STATUS R), and revisions.csv lists each with both values.\n"
	       "An earlier quarter's row of the series shows the figures last sent for it,\n"
	       "marked [r] where counting it now differs (revisions.csv: the recount).\n"
	       "\n"
	       "Exit status: 0 written; 64 usage, or a quarter that has not ended or ended\n"
	       "before the site joined, or a quarter sent before without --reason; 65 a\n"
	       "bad case (FILE:LINE: FIELD: reason) or cases of several sites without\n"
	       "--site, or a published return that fails its disclosure audit, or one with\n"
	       "no referrals and no decisions; 66 missing input; 69 unknown format or no\n"
	       "case store; 73 cannot create output; 77 the key is not private.\n");
}

static void add_option(struct build_args *a, char *kv)
{
	a->options = nrm_xrealloc(a->options, (a->n_options + 1) * sizeof(char *));
	a->options[a->n_options++] = kv;
}

static int parse_build_args(struct nrm_context *ctx, int argc, char **argv, struct build_args *a)
{
	enum { OPT_NOW = 1000, OPT_STORE, OPT_KEY, OPT_JSON, OPT_PLUGIN_PATH, OPT_JOINED,
	       OPT_THRESHOLD, OPT_AREA, OPT_SDMX, OPT_FORCE, OPT_SITE_NAME, OPT_AS_AT, OPT_REASON,
	       OPT_REVISES, OPT_PROVISIONAL_QUARTERS, OPT_PROVISIONAL_MONTHS };
	static const struct option options[] = {
		{"quarter", required_argument, NULL, 'q'},
		{"site", required_argument, NULL, 's'},
		{"audience", required_argument, NULL, 'a'},
		{"now", required_argument, NULL, OPT_NOW},
		{"as-at", required_argument, NULL, OPT_AS_AT},
		{"joined", required_argument, NULL, OPT_JOINED},
		{"output", required_argument, NULL, 'o'},
		{"from", required_argument, NULL, 'f'},
		{"option", required_argument, NULL, 'O'},
		{"store", required_argument, NULL, OPT_STORE},
		{"key", required_argument, NULL, OPT_KEY},
		{"json", no_argument, NULL, OPT_JSON},
		{"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
		{"threshold", required_argument, NULL, OPT_THRESHOLD},
		{"area", required_argument, NULL, OPT_AREA},
		{"site-name", required_argument, NULL, OPT_SITE_NAME},
		{"sdmx", required_argument, NULL, OPT_SDMX},
		{"force", no_argument, NULL, OPT_FORCE},
		{"reason", required_argument, NULL, OPT_REASON},
		{"revises", required_argument, NULL, OPT_REVISES},
		{"provisional-quarters", required_argument, NULL, OPT_PROVISIONAL_QUARTERS},
		{"provisional-months", required_argument, NULL, OPT_PROVISIONAL_MONTHS},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "q:s:a:o:f:O:h", options, NULL)) != -1) {
		switch (opt) {
		case 'q': a->quarter = optarg; break;
		case 's': a->site = optarg; break;
		case 'a': a->audience = optarg; break;
		case OPT_NOW: a->now = optarg; break;
		case OPT_AS_AT: a->as_at = optarg; break;
		case OPT_JOINED: a->joined = optarg; break;
		case 'o': a->dir = optarg; break;
		case 'f': a->from = optarg; break;
		case 'O': add_option(a, optarg); break;
		case OPT_STORE: a->store = optarg; break;
		case OPT_KEY: a->key = optarg; break;
		case OPT_JSON: a->json = true; break;
		case OPT_PLUGIN_PATH: nrm_context_add_plugin_path(ctx, optarg); break;
		case OPT_THRESHOLD: a->threshold = optarg; break;
		case OPT_AREA: a->area = optarg; break;
		case OPT_SITE_NAME: a->site_name = optarg; break;
		case OPT_SDMX:
			if (nrm_sdmx_version_parse(optarg, &a->sdmx) != 0)
				return nrm_usage_error("return build", "--sdmx must be 1.0 or 2.0, not "
				                       "'%s'", optarg);
			break;
		case OPT_FORCE: a->force = true; break;
		case OPT_REASON: a->reason = optarg; break;
		case OPT_REVISES: a->revises = optarg; break;
		case OPT_PROVISIONAL_QUARTERS: a->provisional_quarters = optarg; break;
		case OPT_PROVISIONAL_MONTHS: a->provisional_months = optarg; break;
		case 'h': return_usage(); return 0;
		default: return nrm_usage_error("return build", "unknown option");
		}
	}
	if (!a->quarter)
		return nrm_usage_error("return build", "--quarter YYYYQn is required");
	if (a->from && a->store)
		return nrm_usage_error("return build", "give one of --from FORMAT INPUT... "
		                       "and --store FILE");
	/* Without --from, the cases come from the store: --store here, else
	 * the global --store, else the default ./nrmhub.db. */
	if (!a->from)
		a->store = a->store ? a->store : ctx->store_path ? ctx->store_path
		                                                  : STORE_DEFAULT_PATH;
	if (a->from && optind >= argc)
		return nrm_usage_error("return build", "--from needs at least one INPUT");
	if (a->store && optind < argc)
		return nrm_usage_error("return build", "--store takes no INPUT");
	if (a->store && a->n_options)
		return nrm_usage_error("return build", "--option is for --from's plugin");
	if (a->from && a->as_at)
		return nrm_usage_error("return build", "--as-at reads the case store's history: "
		                       "not with --from");
	a->inputs = argv + optind;
	a->n_inputs = (size_t)(argc - optind);
	return -1;
}

static int provisional_of(const struct build_args *a, struct nrm_provisional *p);

/* --reason, --provisional-quarters and --provisional-months, checked. */
static int check_revision_args(const struct build_args *a)
{
	const char *problem = a->reason ? nrm_revision_reason_problem(a->reason) : NULL;
	if (problem)
		return nrm_usage_error("return build", "--reason %s", problem);
	if (a->provisional_quarters && a->provisional_months)
		return nrm_usage_error("return build", "give one of --provisional-quarters and "
		                       "--provisional-months");
	struct nrm_provisional p;
	return provisional_of(a, &p);
}

/* The provisional policy: the options', else NRM_PROVISIONAL_DEFAULT (the
 * site configuration's is handed over as options by site_facts_of). */
static int provisional_of(const struct build_args *a, struct nrm_provisional *p)
{
	*p = NRM_PROVISIONAL_DEFAULT;
	const char *unit = a->provisional_quarters ? "quarters" : "months";
	const char *n = a->provisional_quarters ? a->provisional_quarters : a->provisional_months;
	long long v;
	if (n && (!nrm_parse_int64(n, &v) || nrm_provisional_parse(unit, (long)v, p) != 0))
		return nrm_usage_error("return build", "--provisional-%s '%s' is not a whole number "
		                       "from 0 to %d", unit, n,
		                       a->provisional_quarters ? NRM_PROVISIONAL_MAX_QUARTERS
		                                               : NRM_PROVISIONAL_MAX_MONTHS);
	return 0;
}

/* The settings given, checked: 0, or an exit code (message printed). */
static int make_params(const struct build_args *a, struct nrm_return_params *p)
{
	memset(p, 0, sizeof(*p));
	if (nrm_quarter_parse(a->quarter, &p->quarter) != 0)
		return nrm_usage_error("return build", "--quarter '%s' is not a quarter: write "
		                       "YYYYQn with n from 1 to 4, e.g. 2025Q1", a->quarter);
	if (!a->audience || strcmp(a->audience, "official") == 0)
		p->audience = NRM_AUDIENCE_OFFICIAL;
	else if (strcmp(a->audience, "published") == 0)
		p->audience = NRM_AUDIENCE_PUBLISHED;
	else
		return nrm_usage_error("return build", "--audience must be official or published, "
		                       "not '%s'", a->audience);
	if (a->site && !*a->site)
		return nrm_usage_error("return build", "--site must not be empty");
	p->generated_at = (int64_t)time(NULL);
	if (a->now && nrm_time_parse_rfc3339(a->now, strlen(a->now), &p->generated_at) != NRM_OK)
		return nrm_usage_error("return build", "--now '%s' is not an RFC 3339 time, e.g. "
		                       "2025-04-02T09:00:00Z", a->now);
	if (a->joined && nrm_date_parse_iso(a->joined, strlen(a->joined), &p->joined) != 0)
		return nrm_usage_error("return build", "--joined '%s' is not a date YYYY-MM-DD",
		                       a->joined);
	if (a->area && !nrm_gss_is_local_authority(a->area) && !nrm_gss_is_nation(a->area))
		return nrm_usage_error("return build", "--area '%s' is not the GSS code of a local "
		                       "authority or a nation (e.g. E06000010)", a->area);
	const char *name_problem = a->site_name ? nrm_site_name_problem(a->site_name) : NULL;
	if (name_problem)
		return nrm_usage_error("return build", "--site-name %s", name_problem);
	p->site = a->site;
	p->area = a->area;
	p->version = PACKAGE_VERSION;
	long long threshold = 0;
	if (a->threshold && (!nrm_parse_int64(a->threshold, &threshold) || threshold < 1 ||
	                     threshold > 100))
		return nrm_usage_error("return build", "--threshold '%s' is not a whole number "
		                       "from 1 to 100", a->threshold);
	p->threshold = (int)threshold;
	return check_revision_args(a);
}

/* ---- the pseudonym key --------------------------------------------------- */

static int load_key(struct build_run *run)
{
	struct nrm_error err;
	const char *site = nrm_return_builder_site(run->rb);
	if (run->a->key) {
		run->key_path = nrm_xstrdup(run->a->key);
	} else if (nrm_pseudonym_key_of_store(run->a->store ? run->a->store : "./nrmhub.db",
	                                      site, &run->key_path, &err) != 0) {
		/* Beside the store (or the current folder with --from), in its
		 * own 0700 folder: never among the return's files in -o. */
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	unsigned char key[NRM_PSEUDONYM_KEY_BYTES];
	if (nrm_pseudonym_key_load(run->key_path, true, key, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	nrm_extract_set_key(&run->extract, key);
	run->have_key = true;
	nrm_access_use_key(&run->access, NULL, run->key_path);
	return 0;
}

/* ---- the cases ----------------------------------------------------------- */

static int on_case(void *ctx, const struct nrm_case *given)
{
	struct build_run *run = ctx;
	struct nrm_case known = *given, *c = &known;
	if (!nrm_case_known_on(c, run->known_day))
		return 0;
	if (!nrm_return_builder_add(run->rb, c) || !run->extracting)
		return 0;
	int rc;
	if (!run->have_key && (rc = load_key(run)) != 0)
		return rc;
	struct nrm_error err;
	if (nrm_extract_add(&run->extract, c, &err) != 0 ||
	    (run->a->store && nrm_access_add(&run->access, c, &err) != 0)) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	run->rows++;
	return 0;
}

/* What either source needs: the plugin path and the command's arguments. */
struct files_source {
	struct nrm_context *ctx;
	const struct build_args *a;
	int64_t as_at;  /* the store: as it was at this moment */
};

/* The pipeline's sink, calling a case source's callback. */
struct case_fn_sink {
	nrm_case_fn fn;
	void *ctx;
};

static int pipeline_sink(void *ctx, const char *input, const struct nrm_case *c,
                         struct nrm_case_problem *problem)
{
	const struct case_fn_sink *sink = ctx;
	(void)input;
	(void)problem;
	int rc = sink->fn(sink->ctx, c);
	return rc ? rc : NRM_OK;
}

/* Cases from files, through the import plugin and the canonical rules. */
static int each_from_files(const struct nrm_case_source *src, nrm_case_fn fn, void *fn_ctx)
{
	const struct files_source *fs = src->state;
	const struct build_args *a = fs->a;
	struct nrm_registry reg = {0};
	struct nrm_error err;
	int rc = 0;
	nrm_context_load_plugins(fs->ctx, &reg);
	struct case_fn_sink sink = {fn, fn_ctx};
	struct nrm_pipeline pl = {.sink = pipeline_sink, .sink_ctx = &sink};
	pl.from = nrm_registry_find_format(&reg, a->from, NRM_CAP_IMPORT);
	if (!pl.from) {
		char *list = nrm_registry_format_list(&reg, NRM_CAP_IMPORT);
		nrm_log_error("no plugin can read format '%s'; formats that can be read: %s",
		              a->from, *list ? list : "none");
		free(list);
		nrm_registry_free(&reg);
		return EX_UNAVAILABLE;
	}
	struct nrm_optset *opts = nrm_optset_new(pl.from->plugin->name, pl.from->plugin->options);
	for (size_t i = 0; i < a->n_options && rc == 0; i++) {
		const char *eq = strchr(a->options[i], '=');
		if (!eq || eq == a->options[i]) {
			rc = nrm_usage_error("return build", "--option takes KEY=VALUE, not '%s'",
			                     a->options[i]);
			break;
		}
		char *key = strndup(a->options[i], (size_t)(eq - a->options[i]));
		if (nrm_optset_set(opts, key, eq + 1, &err) != 0)
			rc = nrm_usage_error("return build", "%s", err.msg);
		free(key);
	}
	if (rc == 0) {
		pl.from_options = opts;
		struct nrm_pipeline_counts counts = {0};
		rc = nrm_pipeline_run(&pl, a->inputs, a->n_inputs, &counts);
		nrm_info("%llu cases read", (unsigned long long)counts.good);
	}
	nrm_optset_free(opts);
	nrm_registry_free(&reg);
	return rc;
}

/* The store's callback takes the case first; a case source's, its context. */
static int store_case(const struct nrm_case *c, void *ctx)
{
	const struct case_fn_sink *sink = ctx;
	return sink->fn(sink->ctx, c);
}

/* Cases from the case store, which is never created here: a missing store
 * is a missing input. */
static int each_from_store(const struct nrm_case_source *src, nrm_case_fn fn, void *fn_ctx)
{
	const struct files_source *fs = src->state;
	struct nrm_context at_store = *fs->ctx;
	at_store.store_path = fs->a->store;
	struct store *store;
	int rc = nrm_context_open_store(&at_store, false, &store);
	if (rc)
		return rc;
	/* No case referred after the quarter can count in its return (every
	 * decision and status date is on or after the referral). */
	struct nrm_quarter q;
	nrm_quarter_parse(fs->a->quarter, &q); /* checked by make_params */
	struct case_fn_sink sink = {fn, fn_ctx};
	rc = store_each_case_as_at(store, fs->a->site, fs->as_at, q.last, store_case, &sink);
	if (rc < 0) {
		const struct nrm_error *err = store_error(store);
		nrm_log_error("%s", err->msg);
		rc = err->code ? err->code : EX_SOFTWARE;
	}
	store_close(store);
	return rc;
}

/* The moment the store is read at (--as-at, else now) and what the store
 * knew then: p->data_as_at becomes its latest import by that moment.  An
 * --as-at in the future, or before the store's first import, is refused:
 * the store cannot know the one, and knew nothing at the other. */
static int settle_as_at(struct nrm_context *ctx, const struct build_args *a,
                        struct nrm_return_params *p, int64_t *as_at)
{
	int64_t clock = (int64_t)time(NULL);
	*as_at = clock;
	if (a->as_at && nrm_time_parse_rfc3339(a->as_at, strlen(a->as_at), as_at) != NRM_OK)
		return nrm_usage_error("return build", "--as-at '%s' is not an RFC 3339 time, e.g. "
		                       "2025-04-02T09:00:00Z", a->as_at);
	if (*as_at > clock)
		return nrm_usage_error("return build", "--as-at %s is in the future: the store "
		                       "cannot know it yet", a->as_at);
	if (!a->store)
		return 0;
	struct nrm_context at_store = *ctx;
	at_store.store_path = a->store;
	struct store *store;
	int rc = nrm_context_open_store(&at_store, false, &store);
	if (rc)
		return rc;
	struct store_knowledge k;
	if (store_knowledge_at(store, *as_at, &k) != 0) {
		nrm_log_error("%s", store_error(store)->msg);
		rc = store_error(store)->code;
	}
	store_close(store);
	if (rc)
		return rc;
	if (a->as_at && k.first_import == NRM_TIME_NONE) {
		if (k.store_latest == NRM_TIME_NONE)
			return nrm_usage_error("return build", "--as-at %s: the store has had no "
			                       "import, so it knew no case then", a->as_at);
		return nrm_usage_error("return build", "--as-at %s is before the store's first "
		                       "import: it knew no case then", a->as_at);
	}
	p->data_as_at = k.latest_import == NRM_TIME_NONE ? 0 : k.latest_import;
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

static int check_dir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0) {
		nrm_log_error("cannot write into %s: %s", dir, strerror(errno));
		return EX_CANTCREAT;
	}
	if (!S_ISDIR(st.st_mode)) {
		nrm_log_error("cannot write into %s: not a directory", dir);
		return EX_CANTCREAT;
	}
	return 0;
}

static int write_json(struct nrm_atomic_file *f, const char *path, const json_t *ret)
{
	struct nrm_error err;
	/* 15 significant digits: a mean of 31.4 is written 31.4, not the
	 * 17-digit 31.399999999999999 of its binary value. */
	char *text = json_dumps(ret, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                             JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII);
	if (!text) {
		nrm_log_error("cannot format %s", path);
		return EX_SOFTWARE;
	}
	if (nrm_atomic_open(f, path, 0640, &err) != 0) {
		free(text);
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	size_t len = strlen(text), done = 0;
	int rc = 0;
	while (done < len && rc == 0) {
		ssize_t n = write(f->fd, text + done, len - done);
		if (n < 0 && errno != EINTR) {
			nrm_log_error("cannot write %s: %s", path, strerror(errno));
			rc = EX_IOERR;
		} else if (n > 0) {
			done += (size_t)n;
		}
	}
	if (rc == 0 && write(f->fd, "\n", 1) != 1) {
		nrm_log_error("cannot write %s: %s", path, strerror(errno));
		rc = EX_IOERR;
	}
	free(text);
	if (rc != 0)
		nrm_atomic_abort(f);
	return rc;
}

static int check_return(json_t *ret)
{
	struct nrm_error err;
	struct nrm_json_schema *schema = nrm_return_schema_load(&err);
	if (!schema) {
		nrm_log_error("%s", err.msg);
		return EX_SOFTWARE;
	}
	int rc = nrm_json_schema_validate(schema, ret, &err);
	nrm_json_schema_free(schema);
	if (rc != 0) {
		/* The builder made something the schema refuses: a bug, not bad
		 * input, and nothing is written. */
		nrm_log_error("the return does not match its schema: %s", err.msg);
		return EX_SOFTWARE;
	}
	return 0;
}

/* The access log's entry for an extract from the store, before cases.csv
 * is put in place: an extract that cannot be recorded is not written. */
static int record_extract(struct nrm_context *ctx, struct build_run *run)
{
	struct nrm_context at_store = *ctx;
	at_store.store_path = run->a->store;
	struct store *store;
	int rc = nrm_context_open_store(&at_store, false, &store);
	if (rc)
		return rc;
	char *command = nrm_xasprintf("return build --quarter %s", run->a->quarter);
	if (nrm_access_record(store, &run->access, command, nrm_return_builder_site(run->rb),
	                      (int64_t)time(NULL)) != 0) {
		nrm_log_error("%s: cases.csv was not written", store_error(store)->msg);
		rc = store_error(store)->code;
	}
	free(command);
	store_close(store);
	return rc;
}

/* Validates, then puts return.json and cases.csv in place. */
static int write_outputs(struct nrm_context *ctx, struct build_run *run, json_t *ret,
                         const char *dir)
{
	struct nrm_error err;
	struct nrm_atomic_file f;
	/* The folder's file set, listed in the return itself so that the
	 * bundler and the verifier know exactly what belongs (return_payload.h). */
	json_t *files = nrm_return_files_json(ret, &err);
	if (!files) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	json_object_set_new(ret, "files", files);
	int rc = check_return(ret);
	/* The tables, SDMX-CSV, ODS and report first: return.json, put in
	 * place last, says the directory is complete. */
	if (rc == 0 && return_render_all(ret, dir, run->a->sdmx, &err) != 0) {
		nrm_log_error("%s", err.msg);
		rc = err.code;
	}
	char *path = nrm_xasprintf("%s/return.json", dir);
	if (rc == 0)
		rc = write_json(&f, path, ret);
	if (rc == 0 && run->extracting && run->a->store && (rc = record_extract(ctx, run)) != 0)
		nrm_atomic_abort(&f);
	if (rc == 0 && run->extracting) {
		run->extracting = false;
		if (nrm_extract_commit(&run->extract, &err) != 0) {
			nrm_log_error("%s", err.msg);
			rc = err.code;
			nrm_atomic_abort(&f);
		}
	}
	if (rc == 0 && nrm_atomic_commit(&f, &err) != 0) {
		nrm_log_error("%s", err.msg);
		rc = err.code;
	}
	free(path);
	return rc;
}

static void print_result(const struct build_run *run, const char *dir, bool official, bool json)
{
	char *ret = nrm_xasprintf("%s/return.json", dir);
	char *cases = official ? nrm_xasprintf("%s/cases.csv", dir) : NULL;
	if (json) {
		const char *names[NRM_RULES];
		size_t n = nrm_rules_forced_names(run->a->forced, names);
		json_t *forced = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(forced, json_string(names[i]));
		json_t *o = json_pack("{s:s, s:o, s:I, s:o, s:o}", "return", ret, "cases",
		                      cases ? json_string(cases) : json_null(), "rows",
		                      (json_int_t)run->rows, "key",
		                      run->key_path ? json_string(run->key_path) : json_null(),
		                      "forced", forced);
		char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		printf("%s\n", text);
		free(text);
		json_decref(o);
	} else {
		nrm_info("wrote %s%s%s", ret, cases ? " and " : "", cases ? cases : "");
	}
	free(ret);
	free(cases);
}

/* Where the files go: DIR itself, or a fresh folder beside it that takes
 * its place once the return is complete (folder_swap.h). */
static int open_target(const struct build_args *a, const char *dir, struct nrm_folder_swap *swap,
                       const char **into)
{
	*into = dir;
	swap->hold = -1;
	swap->tmp = NULL;
	if (!a->whole || !nrm_return_folder_replaceable(dir))
		return check_dir(dir);
	struct stat st;
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return check_dir(dir);
	struct nrm_error err;
	if (nrm_folder_swap_begin(swap, dir, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	*into = swap->tmp;
	return 0;
}

/* Puts the new folder in place when all went well, else drops it. */
static int close_target(struct nrm_folder_swap *swap, int rc)
{
	if (!swap->tmp)
		return rc;
	if (rc != 0) {
		nrm_folder_swap_abort(swap);
		return rc;
	}
	struct nrm_error err;
	if (nrm_folder_swap_commit(swap, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	return 0;
}

/* ---- the sanity rules (return_rules.h) ------------------------------------ */

/* The site configuration, when there is one and it is `site`'s: *have
 * says, and cfg is then the caller's to free.  A return built by hand
 * beside a site's configuration takes what the site's jobs would; one for
 * another site takes nothing from it. */
static int this_sites_config(struct nrm_context *ctx, const char *site, struct nrm_config *cfg,
                             bool *have)
{
	int rc = nrm_site_config_optional(ctx, cfg, have);
	if (rc || !*have)
		return rc;
	if (!cfg->site_code || !site || strcmp(cfg->site_code, site) != 0) {
		nrm_config_free(cfg);
		*have = false;
	}
	return 0;
}

/* What the return takes from the site: the day it joined (for the rule;
 * 0 when nothing says) and its display name (NULL: the return names the
 * site by its code; the caller's to free). */
struct site_facts {
	int32_t joined;
	char *name;
	const char *provisional_unit; /* site.provisional (static), or NULL */
	int provisional_n;
};

/* --joined and --site-name, else the site configuration's site.joined and
 * site.name when the configuration is this site's, read once: a return
 * built by hand beside it is held to the same rule, and names the site,
 * as the site's return job does. */
static int site_facts_of(struct nrm_context *ctx, const struct build_args *a,
                         const struct nrm_return_params *p, const char *site,
                         struct site_facts *f)
{
	f->joined = a->joined ? p->joined : 0;
	f->name = a->site_name ? nrm_xstrdup(a->site_name) : NULL;
	f->provisional_unit = NULL;
	if (a->joined && a->site_name)
		return 0;
	struct nrm_config cfg;
	bool have;
	int rc = this_sites_config(ctx, site, &cfg, &have);
	if (rc || !have)
		return rc;
	if (!a->joined && cfg.joined) /* checked by the loader */
		nrm_date_parse_iso(cfg.joined, strlen(cfg.joined), &f->joined);
	if (!a->site_name && cfg.site_name)
		f->name = nrm_xstrdup(cfg.site_name);
	f->provisional_unit = cfg.provisional_unit;
	f->provisional_n = cfg.provisional_n;
	nrm_config_free(&cfg);
	return 0;
}

/* Before anything is read: the quarter must have ended at --now. */
static int rules_before(struct build_args *a, const struct nrm_return_params *p)
{
	struct nrm_error err;
	struct nrm_error london;
	/* London's date decides whether a quarter has ended; a machine
	 * without the zone data reckons in its own zone. */
	(void)nrm_london_init(&london);
	int failed = nrm_rule_quarter_ended(&p->quarter, nrm_rule_today(p->generated_at), &err);
	return nrm_rule_apply(NRM_RULE_NOT_ENDED, failed, a->force, &a->forced, &err);
}

/* Once the return is made, before anything is written: the quarter is not
 * before the site joined, and the return is not empty. */
static int rules_after(struct build_args *a, const struct nrm_return_params *p, int32_t joined,
                       const json_t *ret)
{
	struct nrm_error err;
	int rc = 0;
	if (joined)
		rc = nrm_rule_apply(NRM_RULE_BEFORE_JOINED,
		                    nrm_rule_after_joined(&p->quarter, joined, &err), a->force,
		                    &a->forced, &err);
	if (rc == 0)
		rc = nrm_rule_apply(NRM_RULE_EMPTY, nrm_rule_not_empty(ret, &err), a->force,
		                    &a->forced, &err);
	return rc;
}

/* ---- $.revision (return_revision.h) --------------------------------------- */

/* What the ledger says was delivered, from the store the cases come from
 * (or, with --from, the global --store): NULL when there is none. */
static json_t *deliveries_of(struct nrm_context *ctx, const struct build_args *a)
{
	const char *path = a->store ? a->store : ctx->store_path;
	struct stat st;
	struct store *s;
	struct nrm_error err;
	if (!path || stat(path, &st) != 0 || store_open_read(path, &s, &err) != 0)
		return NULL;
	json_t *d = ledger_deliveries(s, NULL, "delivered");
	store_close(s);
	return d;
}

/* The returns this site last sent for the series' earlier quarters, as
 * the ledger says (return_sent.h): the series shows their figures.  None
 * with --revises: a return given by hand stands alone. */
struct sent_list {
	json_t *deliveries;  /* ledger_deliveries(), or NULL */
	json_t **rets;
	char **names;        /* each one's bundle's file name */
	size_t n;
};

static void sent_list_of(struct nrm_context *ctx, const struct build_args *a,
                         const struct nrm_return_params *p, const char *site,
                         struct sent_list *out)
{
	memset(out, 0, sizeof(*out));
	out->deliveries = deliveries_of(ctx, a);
	if (!out->deliveries || a->revises || !site)
		return;
	struct nrm_quarter first;
	size_t n = nrm_series_span(&p->quarter, 0, &first);
	out->rets = nrm_xcalloc(n, sizeof(*out->rets));
	out->names = nrm_xcalloc(n, sizeof(*out->names));
	const char *audience = p->audience == NRM_AUDIENCE_PUBLISHED ? "published" : "official";
	for (size_t i = 0; i + 1 < n; i++) {
		struct nrm_quarter q;
		char name[7];
		nrm_quarter_add(&first, (int)i, &q);
		nrm_quarter_format(&q, name);
		struct nrm_sent s;
		nrm_return_last_sent(out->deliveries, NULL, site, name, audience, &s);
		if (s.ret) {
			const char *slash = strrchr(s.bundle, '/');
			out->rets[out->n] = json_incref(s.ret);
			out->names[out->n++] = nrm_xstrdup(slash ? slash + 1 : s.bundle);
		}
		nrm_sent_free(&s);
	}
}

static void sent_list_free(struct sent_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		json_decref(l->rets[i]);
		free(l->names[i]);
	}
	free(l->rets);
	free(l->names);
	json_decref(l->deliveries);
}

static int add_revision(const struct build_args *a, const struct site_facts *facts,
                        const struct sent_list *sent, const json_t *counted, json_t *ret)
{
	struct nrm_revision_request r = {
		.revises = a->revises, .reason = a->reason, .deliveries = sent->deliveries,
		.sent = (const json_t *const *)sent->rets,
		.sent_names = (const char *const *)sent->names, .n_sent = sent->n,
		.series_counted = counted,
	};
	provisional_of(a, &r.provisional); /* checked by make_params */
	if (!a->provisional_quarters && !a->provisional_months && facts->provisional_unit)
		nrm_provisional_parse(facts->provisional_unit, facts->provisional_n, &r.provisional);
	struct nrm_error err;
	int rc = nrm_return_revision_add(ret, &r, &err);
	if (rc == 0)
		return 0;
	if (err.code == EX_USAGE)
		return nrm_usage_error("return build", "%s", err.msg);
	nrm_log_error("%s", err.msg);
	return err.code;
}

static int build(struct nrm_context *ctx, struct build_args *a)
{
	struct nrm_return_params p;
	struct nrm_error err;
	struct nrm_folder_swap swap;
	const char *dir = a->dir ? a->dir : ".", *into;
	int64_t as_at;
	int rc = make_params(a, &p);
	if (rc || (rc = settle_as_at(ctx, a, &p, &as_at)) || (rc = rules_before(a, &p)) ||
	    (rc = open_target(a, dir, &swap, &into)))
		return rc;
	/* Nothing dated after the return's moment counts: the earlier of the
	 * store's moment and generated_at (a return dated July cannot know an
	 * August decision). */
	struct build_run run = {.a = a, .rb = nrm_return_builder_new(&p), .as_at = as_at,
	                        .known_day = nrm_rule_today(as_at < p.generated_at
	                                                    ? as_at : p.generated_at)};
	nrm_access_init(&run.access, a->store);
	if (p.audience == NRM_AUDIENCE_OFFICIAL) {
		char *path = nrm_xasprintf("%s/cases.csv", into);
		if (nrm_extract_open(&run.extract, path, &err) != 0) {
			nrm_log_error("%s", err.msg);
			rc = err.code;
		}
		run.extracting = rc == 0;
		free(path);
	}
	struct files_source fs = {ctx, a, as_at};
	struct nrm_case_source src = a->store
		? (struct nrm_case_source){each_from_store, &fs}
		: (struct nrm_case_source){each_from_files, &fs};
	if (rc == 0)
		rc = src.each(&src, on_case, &run);
	json_t *ret = NULL;
	/* Before the return is made: its series begins where the site joined. */
	struct site_facts facts = {0};
	if (rc == 0)
		rc = site_facts_of(ctx, a, &p, nrm_return_builder_site(run.rb), &facts);
	if (rc == 0 && facts.joined)
		nrm_return_builder_set_joined(run.rb, facts.joined);
	/* The series' earlier rows as the site sent them (the ledger's). */
	struct sent_list sent = {0};
	if (rc == 0) {
		sent_list_of(ctx, a, &p, nrm_return_builder_site(run.rb), &sent);
		nrm_return_builder_set_sent(run.rb, (const json_t *const *)sent.rets, sent.n);
	}
	if (rc == 0 && !(ret = nrm_return_builder_finish(run.rb, &err))) {
		nrm_log_error("%s", err.msg);
		rc = err.code;
	}
	if (rc == 0)
		rc = rules_after(a, &p, facts.joined, ret);
	if (rc == 0)
		nrm_return_set_site_name(ret, facts.name);
	free(facts.name);
	json_t *counted = rc == 0 ? nrm_return_builder_series_counted(run.rb) : NULL;
	if (rc == 0)
		rc = add_revision(a, &facts, &sent, counted, ret);
	json_decref(counted);
	sent_list_free(&sent);
	if (rc == 0)
		rc = write_outputs(ctx, &run, ret, into);
	if (run.extracting)
		nrm_extract_abort(&run.extract);
	rc = close_target(&swap, rc);
	if (rc == 0)
		print_result(&run, dir, p.audience == NRM_AUDIENCE_OFFICIAL, a->json);
	json_decref(ret);
	nrm_return_builder_free(run.rb);
	nrm_access_free(&run.access);
	free(run.key_path);
	return rc;
}

int nrm_return_build_into(struct nrm_context *ctx, const struct nrm_return_request *req)
{
	struct build_args a = {
		.quarter = req->quarter, .site = req->site, .audience = req->audience,
		.now = req->now, .dir = req->dir, .key = req->key, .joined = req->joined,
		.threshold = req->threshold, .area = req->area, .sdmx = req->sdmx,
		.site_name = req->site_name,
		.reason = req->reason, .revises = req->revises,
		.provisional_quarters = req->provisional_quarters,
		.provisional_months = req->provisional_months,
		.force = req->force,
		.store = req->store ? req->store
		       : ctx->store_path ? ctx->store_path : STORE_DEFAULT_PATH,
	};
	int rc = build(ctx, &a);
	if (req->forced)
		*req->forced = a.forced;
	return rc;
}

static int cmd_return_build(struct nrm_context *ctx, int argc, char **argv)
{
	struct build_args a = {.whole = true};
	int rc = parse_build_args(ctx, argc, argv, &a);
	if (rc < 0)
		rc = build(ctx, &a);
	free(a.options);
	return rc;
}

/* ---- validate ------------------------------------------------------------ */

static int cmd_return_validate(int argc, char **argv)
{
	if (argc < 2)
		return nrm_usage_error("return validate", "no FILE given");
	struct nrm_error err;
	struct nrm_json_schema *schema = nrm_return_schema_load(&err);
	if (!schema) {
		nrm_log_error("%s", err.msg);
		return EX_SOFTWARE;
	}
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		json_error_t jerr;
		struct stat st;
		/* The same bound as `return render` and the bundle verifier: a
		 * return is small, and jansson would read any file whole. */
		if (stat(argv[i], &st) == 0 && st.st_size > RETURN_VALIDATE_MAX) {
			nrm_log_error("%s: larger than %d bytes: not a return", argv[i],
			              RETURN_VALIDATE_MAX);
			rc = rc ? rc : EX_DATAERR;
			continue;
		}
		json_t *doc = json_load_file(argv[i], JSON_REJECT_DUPLICATES, &jerr);
		if (!doc) {
			bool missing = access(argv[i], R_OK) != 0;
			char why[200];
			json_syntax_reason(jerr.text, why, sizeof(why));
			if (missing)
				nrm_log_error("%s", jerr.text);
			else
				nrm_log_error("%s:%d:%d: %s", argv[i], jerr.line, jerr.column, why);
			if (!rc || (missing && rc == EX_DATAERR))
				rc = missing ? EX_NOINPUT : EX_DATAERR;
			continue;
		}
		if (nrm_json_schema_validate(schema, doc, &err) != 0) {
			/* The validator names the schema; the user needs the file. */
			fprintf(stderr, "%s: %s\n", argv[i], err.msg);
			if (!rc)
				rc = EX_DATAERR;
		} else {
			printf("%s: valid\n", argv[i]);
		}
		json_decref(doc);
	}
	nrm_json_schema_free(schema);
	return rc;
}

int cmd_return(struct nrm_context *ctx, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		return_usage();
		return 0;
	}
	if (argc < 2)
		return nrm_usage_error("return", "say what to do: build, render, audit, validate, "
		                       "diff, review, approve or reject");
	if (strcmp(argv[1], "build") == 0)
		return cmd_return_build(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "review") == 0)
		return cmd_return_review(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "approve") == 0)
		return cmd_return_approve(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "reject") == 0)
		return cmd_return_reject(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "render") == 0)
		return cmd_return_render(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "audit") == 0)
		return cmd_return_audit(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "diff") == 0)
		return cmd_return_diff(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "validate") == 0) {
		if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
			return_usage();
			return 0;
		}
		return cmd_return_validate(argc - 1, argv + 1);
	}
	return nrm_usage_error("return", "no such action '%s': build, render, audit, validate, "
	                       "diff, review, approve or reject", argv[1]);
}
