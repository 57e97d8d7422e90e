/*
 * `nrmhub intake --inbox DIR`: takes the sites' signed bundles into the
 * intake store (intake.h has the rules).
 */
#include "commands.h"

#include "intake.h"
#include "log.h"
#include "london_time.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#define DEFAULT_SETTLE 5

static void print_usage(void)
{
	printf("Usage: nrmhub intake --inbox DIR [--store FILE] [--settle SECONDS] [--json]\n"
	       "       nrmhub intake sites (load FILE | list) [--store FILE]\n"
	       "       nrmhub intake history SITE QUARTER [--store FILE] [--json]\n"
	       "Take every signed bundle (BAG.tar.gz with BAG.tar.gz.minisig) in DIR: verify it\n"
	       "as 'bundle verify' does with the site's key from the store ('nrmhub keys'),\n"
	       "refuse a replay (a sequence number not above the last accepted for its site\n"
	       "and quarter), record its return.json and cases.csv rows, and move it to\n"
	       "DIR/accepted/SITE/QUARTER/; a refused bundle goes to DIR/rejected/ beside a\n"
	       ".reason file.  A higher sequence number for a quarter already received is a\n"
	       "revision: it replaces the earlier return in the national figures, and every\n"
	       "one is kept ('nrmhub intake history SITE QUARTER' lists them).  A bundle\n"
	       "with no signature yet, modified within the last SECONDS, or changing while\n"
	       "read is left for the next run.  A bundle for a quarter that has not ended\n"
	       "yet is refused, whatever its sender forced.  Safe to run again, and two at\n"
	       "once (the second waits for the first).\n"
	       "\n"
	       "      --inbox DIR        the folder the bundles arrive in (required)\n"
	       "      --store FILE       the intake store (default ./nrmhub.db)\n"
	       "      --settle SECONDS   how long a file must be unmodified (default %d)\n"
	       "      --json             print each file's fate as a JSON array\n"
	       "  -h, --help             show this help\n"
	       "\n"
	       "Exit status: 0 when nothing was refused, 65 when a bundle was refused, 66 no\n"
	       "inbox or store, 73/74 when the inbox cannot be written.\n",
	       DEFAULT_SETTLE);
}

static const char *fate_name(enum nrm_intake_fate f)
{
	return f == NRM_INTAKE_ACCEPTED ? "accepted" : f == NRM_INTAKE_REJECTED ? "rejected"
	                                                                         : "left";
}

static json_t *outcome_json(const struct nrm_intake_outcome *oc)
{
	json_t *j = json_pack("{s:s, s:s}", "file", oc->file, "fate", fate_name(oc->fate));
	json_object_set_new(j, "site", oc->site[0] ? json_string(oc->site) : json_null());
	json_object_set_new(j, "quarter", oc->quarter[0] ? json_string(oc->quarter) : json_null());
	json_object_set_new(j, "seq", oc->seq ? json_integer((json_int_t)oc->seq) : json_null());
	json_object_set_new(j, "revision", json_boolean(oc->revision));
	json_object_set_new(j, "reason", oc->reason ? json_string(oc->reason) : json_null());
	json_object_set_new(j, "moved_to", oc->moved_to ? json_string(oc->moved_to) : json_null());
	return j;
}

static void report(const struct nrm_intake_outcome *oc, size_t n, bool as_json)
{
	json_t *arr = as_json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		if (arr)
			json_array_append_new(arr, outcome_json(&oc[i]));
		else if (oc[i].fate == NRM_INTAKE_ACCEPTED)
			fprintf(stderr, "nrmhub intake: %s: accepted%s -> %s\n", oc[i].file,
			        oc[i].revision ? " (a revision)" : "",
			        oc[i].moved_to ? oc[i].moved_to : "(not moved)");
		else
			fprintf(stderr, "nrmhub intake: %s: %s: %s\n", oc[i].file, fate_name(oc[i].fate),
			        oc[i].reason);
	}
	if (arr) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s ? s : "[]");
		free(s);
		json_decref(arr);
	}
}

int cmd_intake(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_STORE = 256, OPT_INBOX, OPT_SETTLE, OPT_JSON };
	static const struct option options[] = {
		{"inbox", required_argument, NULL, OPT_INBOX},
		{"store", required_argument, NULL, OPT_STORE},
		{"settle", required_argument, NULL, OPT_SETTLE},
		{"json", no_argument, NULL, OPT_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	if (argc > 1 && strcmp(argv[1], "sites") == 0)
		return cmd_intake_sites(ctx, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "history") == 0)
		return cmd_intake_history(ctx, argc - 1, argv + 1);
	struct nrm_intake_opts o = {.settle_seconds = DEFAULT_SETTLE};
	bool as_json = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_INBOX: o.inbox = optarg; break;
		case OPT_STORE: ctx->store_path = optarg; break;
		case OPT_SETTLE: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 0 || v > 86400)
				return nrm_usage_error("intake", "--settle: '%s' is not 0 to 86400 seconds",
				                       optarg);
			o.settle_seconds = (int)v;
			break;
		}
		case OPT_JSON: as_json = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("intake", "unknown option");
		}
	}
	if (!o.inbox)
		return nrm_usage_error("intake", "--inbox DIR is required");
	if (optind < argc)
		return nrm_usage_error("intake", "unexpected argument '%s'", argv[optind]);
	struct store *s;
	int rc = nrm_context_open_store(ctx, false, &s);
	if (rc)
		return rc;
	o.now = time(NULL);
	struct nrm_error london;
	/* A quarter has ended by London's date; without the zone data, by
	 * this machine's. */
	(void)nrm_london_init(&london);
	struct nrm_intake_outcome *oc;
	size_t n;
	struct nrm_error err = {0};
	if (nrm_intake_run(&o, s, &oc, &n, &err)) {
		fprintf(stderr, "nrmhub intake: %s\n", err.msg);
		rc = err.code;
	}
	report(oc, n, as_json);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (oc[i].fate == NRM_INTAKE_REJECTED)
			rc = EX_DATAERR;
	nrm_intake_outcomes_free(oc, n);
	store_close(s);
	return rc;
}
