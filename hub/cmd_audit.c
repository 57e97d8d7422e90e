/*
 * `nrmhub audit log` and `nrmhub audit erasures`: the store's access log
 * (who read which cases out of it, by pseudonym) and its erasure ledger.
 * Neither holds a case id, so both may be shown and kept as they are.
 */
#include "commands.h"

#include "access_log.h"
#include "date.h"
#include "log.h"
#include "run_site.h"
#include "store.h"
#include "store_erase.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

/* Text lists an entry's pseudonyms up to this many; --json lists them all. */
#define TEXT_PSEUDONYMS 10

static void audit_usage(void)
{
	printf("Usage: nrmhub audit log [--json] [--since TIME] [--pseudonym P] [--store FILE]\n"
	       "       nrmhub audit erasures [--json] [--since TIME] [--store FILE]\n"
	       "log: the access log, oldest first: every 'cases show', 'export' and\n"
	       "record-level extract (the official return's cases.csv) with its time, the OS\n"
	       "user, the command, the site asked for and the cases read, by pseudonym (the\n"
	       "keyed pseudonym of cases.csv, never the case id).\n"
	       "erasures: every case erased (cases erase, the retention policy), by pseudonym,\n"
	       "with the reason, time and OS user.\n"
	       "\n"
	       "      --json                 print the entries as a JSON list\n"
	       "      --since TIME           only entries at or after TIME (RFC 3339 or\n"
	       "                             YYYY-MM-DD)\n"
	       "      --pseudonym P          log: only the entries that read the case P\n"
	       "      --store FILE           the case store (default ./nrmhub.db)\n"
	       "  -h, --help                 show this help\n"
	       "\n"
	       "Exit status: 0 shown; 64 usage; 66 no store.\n");
}

static bool lists(json_t *entry, const char *pseudonym)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(entry, "pseudonyms"), i, v)
		if (strcmp(json_string_value(v), pseudonym) == 0)
			return true;
	return false;
}

static void keep_listing(json_t *list, const char *pseudonym)
{
	for (size_t i = json_array_size(list); pseudonym && i-- > 0;)
		if (!lists(json_array_get(list, i), pseudonym))
			json_array_remove(list, i);
}

/* Times as RFC 3339, for people and machines alike. */
static void times_as_text(json_t *list)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		char buf[21];
		nrm_time_format_rfc3339(json_integer_value(json_object_get(o, "time")), buf);
		json_object_set_new(o, "time", json_string(buf));
	}
}

static void print_log(json_t *list)
{
	size_t i, k;
	json_t *o, *p;
	printf("%-20s %-12s %-24s %-12s %s\n", "TIME", "USER", "COMMAND", "SITE", "CASES");
	json_array_foreach(list, i, o) {
		const char *site = json_string_value(json_object_get(o, "site"));
		json_t *ps = json_object_get(o, "pseudonyms");
		printf("%-20s %-12s %-24s %-12s %lld\n", json_string_value(json_object_get(o, "time")),
		       json_string_value(json_object_get(o, "user")),
		       json_string_value(json_object_get(o, "command")), site ? site : "(all)",
		       (long long)json_integer_value(json_object_get(o, "cases")));
		if (json_array_size(ps) > TEXT_PSEUDONYMS) {
			printf("  (%zu pseudonyms: --json lists them)\n", json_array_size(ps));
			continue;
		}
		json_array_foreach(ps, k, p)
			printf("  %s\n", json_string_value(p));
	}
}

static void print_erasures(json_t *list)
{
	size_t i;
	json_t *o;
	printf("%-20s %-12s %-12s %-12s %-64s %s\n", "TIME", "USER", "COMMAND", "SITE", "PSEUDONYM",
	       "REASON");
	json_array_foreach(list, i, o)
		printf("%-20s %-12s %-12s %-12s %-64s %s\n",
		       json_string_value(json_object_get(o, "time")),
		       json_string_value(json_object_get(o, "user")),
		       json_string_value(json_object_get(o, "command")),
		       json_string_value(json_object_get(o, "site")),
		       json_string_value(json_object_get(o, "pseudonym")),
		       json_string_value(json_object_get(o, "reason")));
}

static int show(struct nrm_context *ctx, bool erasures, int64_t since, const char *pseudonym,
                bool json)
{
	struct store *store;
	int rc = nrm_context_open_store_read(ctx, &store);
	if (rc)
		return rc;
	json_t *list = erasures ? store_erasures(store, since) : store_access_log(store, since);
	if (!list) {
		nrm_log_error("%s", store_error(store)->msg);
		rc = store_error(store)->code;
	} else {
		keep_listing(list, pseudonym);
		times_as_text(list);
		if (json) {
			rc = json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? EX_IOERR : 0;
			printf("\n");
		} else if (erasures)
			print_erasures(list);
		else
			print_log(list);
	}
	json_decref(list);
	store_close(store);
	return rc;
}

int cmd_audit(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_JSON = 1000, OPT_SINCE, OPT_PSEUDONYM, OPT_STORE };
	static const struct option options[] = {
		{"json", no_argument, NULL, OPT_JSON},
		{"since", required_argument, NULL, OPT_SINCE},
		{"pseudonym", required_argument, NULL, OPT_PSEUDONYM},
		{"store", required_argument, NULL, OPT_STORE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	const char *since_text = NULL, *pseudonym = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON: json = true; break;
		case OPT_SINCE: since_text = optarg; break;
		case OPT_PSEUDONYM: pseudonym = optarg; break;
		case OPT_STORE: ctx->store_path = optarg; break;
		case 'h': audit_usage(); return 0;
		default: return nrm_usage_error("audit", "unknown option");
		}
	}
	const char *sub = optind < argc ? argv[optind] : "";
	bool erasures = strcmp(sub, "erasures") == 0;
	if (!erasures && strcmp(sub, "log") != 0)
		return nrm_usage_error("audit", "the subcommands are 'log' and 'erasures'");
	if (argc - optind != 1)
		return nrm_usage_error("audit", "unexpected argument '%s'", argv[optind + 1]);
	if (erasures && pseudonym)
		return nrm_usage_error("audit erasures", "--pseudonym goes with 'audit log'");
	int64_t since = INT64_MIN;
	if (since_text && nrm_parse_run_time(since_text, &since) != 0)
		return nrm_usage_error("audit", "--since '%s': not an RFC 3339 time or a date",
		                       since_text);
	return show(ctx, erasures, since, pseudonym, json);
}
