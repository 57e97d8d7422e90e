/*
 * `nrmhub intake history SITE QUARTER [--json]`: every return the Home
 * Office accepted of a site's quarter (intake keeps each revision, by its
 * sequence number), each with the figures that changed since the one
 * before it (return_diff.h) and the reason its site gave ($.revision).
 * `national build` uses the latest; this shows how it came to be.
 */
#include "commands.h"

#include "bundle.h"
#include "date.h"
#include "quarter.h"
#include "return_diff.h"
#include "return_tables.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static void history_usage(void)
{
	printf("Usage: nrmhub intake history SITE QUARTER [--store FILE] [--json]\n"
	       "Every bundle accepted of SITE's QUARTER, by sequence number: when it was\n"
	       "received, the key that signed it, the reason its site gave for sending the\n"
	       "quarter again, and every figure that differs from the sequence before it\n"
	       "(as 'nrmhub return diff' lists them).  'national build' uses the latest.\n"
	       "\n"
	       "      --store FILE       the intake store (default ./nrmhub.db)\n"
	       "      --json             print it as JSON: {\"site\", \"quarter\", \"sequences\":\n"
	       "                         [{\"seq\", \"received_at\", \"key_id\", \"bag\", \"reason\",\n"
	       "                         \"figures_changed\", \"tables_changed\", \"changes\"}]}\n"
	       "                         (the first sequence's changes: null)\n"
	       "  -h, --help             show this help\n"
	       "\n"
	       "Exit status: 0 done; 64 usage; 65 a stored return that is not one; 66 no\n"
	       "store, or nothing received of SITE QUARTER.\n");
}

/* One sequence received, and what it is compared with. */
struct history {
	json_t *sequences;
	json_t *previous;        /* the sequence before's return.json */
	struct nrm_error err;
	bool failed;
};

static json_t *changes_json(const struct nrm_return_diff *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->n_changes; i++)
		json_array_append_new(a, nrm_return_change_json(&d->changes[i]));
	return a;
}

/* The figures of `ret` that differ from `prev`'s, into `seq`. */
static int compare(const json_t *prev, const json_t *ret, json_t *seq, struct nrm_error *err)
{
	struct nrm_return_tables o, n;
	if (nrm_return_tables_build(prev, &o, err) != 0)
		return -1;
	if (nrm_return_tables_build(ret, &n, err) != 0) {
		nrm_return_tables_free(&o);
		return -1;
	}
	struct nrm_return_diff d;
	nrm_return_diff(&o, &n, &d);
	json_object_set_new(seq, "figures_changed", json_integer((json_int_t)d.n_changes));
	json_object_set_new(seq, "tables_changed", json_integer((json_int_t)d.n_tables));
	json_object_set_new(seq, "changes", changes_json(&d));
	nrm_return_diff_free(&d);
	nrm_return_tables_free(&n);
	nrm_return_tables_free(&o);
	return 0;
}

static int on_bundle(const struct store_intake_bundle *b, void *ctx)
{
	struct history *h = ctx;
	json_t *ret = json_loads(b->return_json, JSON_REJECT_DUPLICATES, NULL);
	if (!ret) {
		nrm_fail(&h->err, EX_DATAERR, "%s seq %lld: its stored return.json is not JSON",
		         b->bag, (long long)b->seq);
		h->failed = true;
		return 1;
	}
	char when[21];
	nrm_time_format_rfc3339(b->received_at, when);
	const char *reason = json_string_value(
		json_object_get(json_object_get(ret, "revision"), "reason"));
	json_t *seq = json_pack("{s:I, s:s, s:s, s:s, s:o}", "seq", (json_int_t)b->seq,
	                        "received_at", when, "key_id", b->key_id, "bag", b->bag,
	                        "reason", reason ? json_string(reason) : json_null());
	int rc = 0;
	if (h->previous) {
		struct nrm_error why = {0};
		if (compare(h->previous, ret, seq, &why) != 0) {
			nrm_fail(&h->err, EX_DATAERR, "%s seq %lld: %s", b->bag, (long long)b->seq,
			         why.msg);
			h->failed = true;
			rc = 1;
		}
	} else {
		json_object_set_new(seq, "figures_changed", json_null());
		json_object_set_new(seq, "tables_changed", json_null());
		json_object_set_new(seq, "changes", json_null());
	}
	json_array_append_new(h->sequences, seq);
	json_decref(h->previous);
	h->previous = ret;
	return rc;
}

/* A figure as return diff prints it: "14", "[c]", or "(none)". */
static char *figure_text(const json_t *v)
{
	if (json_is_null(v) || !v)
		return nrm_xstrdup("(none)");
	if (json_is_string(v))
		return nrm_xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return nrm_xasprintf("%lld", (long long)json_integer_value(v));
	return nrm_xasprintf("%.1f", json_real_value(v));
}

/* "  Table_3 Female, Number of referrals: 4 -> 5 (+1)". */
static void print_change(const json_t *c)
{
	char *old = figure_text(json_object_get(c, "old"));
	char *new = figure_text(json_object_get(c, "new"));
	printf("    %s %s, %s: %s -> %s", json_string_value(json_object_get(c, "table")),
	       json_string_value(json_object_get(c, "row")),
	       json_string_value(json_object_get(c, "column_title")), old, new);
	const json_t *d = json_object_get(c, "difference");
	if (json_is_integer(d))
		printf(" (%+lld)", (long long)json_integer_value(d));
	else if (json_is_real(d))
		printf(" (%+.1f)", json_real_value(d));
	else if (strcmp(json_string_value(json_object_get(c, "change")), "changed") != 0)
		printf(" (%s)", json_string_value(json_object_get(c, "change")));
	putchar('\n');
	free(old);
	free(new);
}

static void print_text(const char *site, const char *quarter, const json_t *seqs)
{
	printf("%s %s: %zu return%s received\n", site, quarter, json_array_size(seqs),
	       json_array_size(seqs) == 1 ? "" : "s");
	size_t i;
	const json_t *s;
	json_array_foreach(seqs, i, s) {
		printf("\nseq %lld, received %s, signed by key %s\n",
		       (long long)json_integer_value(json_object_get(s, "seq")),
		       json_string_value(json_object_get(s, "received_at")),
		       json_string_value(json_object_get(s, "key_id")));
		const char *reason = json_string_value(json_object_get(s, "reason"));
		if (reason)
			printf("  reason: %s\n", reason);
		const json_t *changes = json_object_get(s, "changes");
		if (json_is_null(changes)) {
			printf("  the first received\n");
			continue;
		}
		printf("  %lld figures changed in %lld tables since the sequence before\n",
		       (long long)json_integer_value(json_object_get(s, "figures_changed")),
		       (long long)json_integer_value(json_object_get(s, "tables_changed")));
		size_t k;
		const json_t *c;
		json_array_foreach(changes, k, c)
			print_change(c);
	}
}

static int parse_args(struct nrm_context *ctx, int argc, char **argv, bool *as_json)
{
	enum { OPT_STORE = 1000, OPT_JSON };
	static const struct option options[] = {
		{"store", required_argument, NULL, OPT_STORE},
		{"json", no_argument, NULL, OPT_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_STORE: ctx->store_path = optarg; break;
		case OPT_JSON: *as_json = true; break;
		case 'h': history_usage(); return -1;
		default: return nrm_usage_error("intake history", "unknown option");
		}
	}
	struct nrm_quarter q;
	if (argc - optind != 2)
		return nrm_usage_error("intake history", "give SITE QUARTER (e.g. hull 2024Q1)");
	if (!nrm_bundle_site_valid(argv[optind]))
		return nrm_usage_error("intake history", "'%s' is not a site code", argv[optind]);
	if (nrm_quarter_parse(argv[optind + 1], &q) != 0)
		return nrm_usage_error("intake history", "'%s' is not a quarter (YYYYQn)",
		                       argv[optind + 1]);
	return 0;
}

int cmd_intake_history(struct nrm_context *ctx, int argc, char **argv)
{
	bool as_json = false;
	int rc = parse_args(ctx, argc, argv, &as_json);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *site = argv[optind], *quarter = argv[optind + 1];
	struct store *s;
	if ((rc = nrm_context_open_store_read(ctx, &s)) != 0)
		return rc;
	struct history h = {.sequences = json_array()};
	if (store_intake_each_of(s, site, quarter, on_bundle, &h) < 0) {
		h.err = *store_error(s);
		h.failed = true;
	}
	store_close(s);
	if (!h.failed && json_array_size(h.sequences) == 0)
		h.failed = nrm_fail(&h.err, EX_NOINPUT, "nothing received of %s %s", site, quarter);
	if (h.failed) {
		fprintf(stderr, "nrmhub intake history: %s\n", h.err.msg);
		rc = h.err.code ? h.err.code : EX_SOFTWARE;
	} else if (as_json) {
		json_t *o = json_pack("{s:s, s:s, s:O}", "site", site, "quarter", quarter,
		                      "sequences", h.sequences);
		char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		puts(text);
		free(text);
		json_decref(o);
	} else {
		print_text(site, quarter, h.sequences);
	}
	json_decref(h.previous);
	json_decref(h.sequences);
	return rc;
}
