/*
 * `nrmhub return diff OLD NEW [--json]`: which figures changed between two
 * returns of a site and quarter (a late record, a correction, a rebuild),
 * with both values, table by table.  Exit 0 when none did, 1 when some did,
 * as diff(1) and `git diff --exit-code` do, so a script can ask "did the
 * figures move?"; sysexits.h codes for errors.
 */
#include "commands.h"

#include "date.h"
#include "return_diff.h"
#include "return_rebuild.h"
#include "store.h"
#include "return_input.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "config.h"

/* Exit status when the returns differ (diff(1)'s). */
#define DIFF_DIFFERENT 1

static void print_usage(void)
{
	printf("Usage: nrmhub return diff [OPTION]... OLD NEW\n"
	       "       nrmhub return diff [OPTION]... --store FILE OLD\n"
	       "List every figure that differs between two quarterly returns, table by\n"
	       "table: the row and column of the cell, the old and the new value, and\n"
	       "the difference where both are numbers.  A cell only one return has (a\n"
	       "category that appeared) is shown as added or removed; suppressed cells\n"
	       "([c]) and other shorthand ([z], [x]) are shown as such.\n"
	       "\n"
	       "OLD and NEW are each a return folder (holding return.json, as 'nrmhub\n"
	       "return build -o DIR' writes), a return.json, or a bundle\n"
	       "(SITE_QUARTER_SEQ.tar.gz, as 'nrmhub bundle create' writes), whose\n"
	       "data/return.json is read without unpacking it.  A bundle's signature is\n"
	       "not checked (see 'nrmhub bundle verify'), but a damaged one is refused,\n"
	       "as is a return.json that breaks schemas/return.schema.json.\n"
	       "\n"
	       "With --store and OLD alone, NEW is the return 'nrmhub return build' would\n"
	       "make now from the store's cases, with OLD's site, quarter, audience,\n"
	       "published threshold, comparison start, area and name: what a rebuild of a\n"
	       "return sent (a bundle) would change.  Nothing is written, and no record-\n"
	       "level extract is made.\n"
	       "\n"
	       "      --force   compare returns of different sites or quarters (refused\n"
	       "                otherwise: such a comparison is rarely meant)\n"
	       "      --store FILE  compare OLD with the return the case store FILE gives now\n"
	       "                (the global --store too, with OLD alone)\n"
	       "      --now TIME    with --store: the rebuilt return's generated_at (RFC 3339;\n"
	       "                default: now)\n"
	       "      --json    print the changes as JSON: {\"old\", \"new\", \"figures_changed\",\n"
	       "                \"tables_changed\", \"changes\": [{\"table\", \"table_title\",\n"
	       "                \"row\", \"row_code\", \"column\", \"column_title\", \"change\",\n"
	       "                \"old\", \"new\", \"difference\"}]}\n"
	       "  -h, --help    show this help\n"
	       "\n"
	       "Exit status: 0 the figures are the same; 1 some differ; 64 usage, or\n"
	       "returns of different sites or quarters without --force; 65 a damaged\n"
	       "bundle, or a file that is not a return; 66 OLD or NEW missing, or a\n"
	       "folder with no return.json, or no case store (--store).\n");
}

struct diff_args {
	const char *old_path, *new_path;
	const char *store, *now; /* NEW is OLD rebuilt from the store (return_rebuild.h) */
	bool json, force;
};

/* 0, or a sysexits.h code; -1 after --help. */
static int parse_args(const struct nrm_context *ctx, int argc, char **argv,
                      struct diff_args *a)
{
	enum { OPT_JSON = 1000, OPT_FORCE, OPT_STORE, OPT_NOW };
	static const struct option options[] = {
		{"json", no_argument, NULL, OPT_JSON},
		{"force", no_argument, NULL, OPT_FORCE},
		{"store", required_argument, NULL, OPT_STORE},
		{"now", required_argument, NULL, OPT_NOW},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON: a->json = true; break;
		case OPT_FORCE: a->force = true; break;
		case OPT_STORE: a->store = optarg; break;
		case OPT_NOW: a->now = optarg; break;
		case 'h': print_usage(); return -1;
		default: return nrm_usage_error("return diff", "unknown option");
		}
	}
	int64_t t;
	if (a->now && nrm_time_parse_rfc3339(a->now, strlen(a->now), &t) != NRM_OK)
		return nrm_usage_error("return diff", "--now '%s' is not an RFC 3339 time", a->now);
	if (!a->store && argc - optind == 1 && ctx->store_path)
		a->store = ctx->store_path;
	if (a->store) {
		if (argc - optind != 1)
			return nrm_usage_error("return diff", "with --store, give OLD alone: NEW is "
			                       "the store's return");
		a->old_path = argv[optind];
		a->new_path = a->store;
		return 0;
	}
	if (argc - optind != 2)
		return nrm_usage_error("return diff", argc - optind < 2 ? "give OLD and NEW"
		                                                        : "give only OLD and NEW");
	a->old_path = argv[optind];
	a->new_path = argv[optind + 1];
	return 0;
}

/* Two returns of different sites or quarters are refused without --force:
 * every figure would differ, and the user most likely named the wrong
 * file.  Site codes and quarters identify no child. */
static int check_same_return(const struct diff_args *a, const struct nrm_return_tables *o,
                             const struct nrm_return_tables *n)
{
	if (a->force || (strcmp(o->site, n->site) == 0 && strcmp(o->quarter, n->quarter) == 0))
		return 0;
	return nrm_usage_error("return diff", "%s is %s %s and %s is %s %s: returns of different "
	                       "sites or quarters are compared only with --force",
	                       a->old_path, o->site, o->quarter, a->new_path, n->site, n->quarter);
}

/* ---- text ---------------------------------------------------------------- */

static void print_side(const char *which, const char *path, const struct nrm_return_tables *t)
{
	printf("%s %s: %s %s, %s, generated %s, data as at %s\n", which, path, t->site,
	       t->quarter, t->audience, t->generated_at, nrm_return_tables_data_as_at(t));
}

/* "14 -> 15 (+1)", "(none) -> 2 (added)", "3 -> [c]". */
static void print_change(const struct nrm_return_change *c)
{
	printf("  %s, %s: %s -> %s", c->row, c->column->title,
	       c->old_cell ? c->old_cell->text : "(none)", c->new_cell ? c->new_cell->text : "(none)");
	if (c->has_difference) {
		char *d = nrm_return_change_difference(c);
		printf(" (%s)", d);
		free(d);
	} else if (c->kind == NRM_CHANGE_ADDED) {
		printf(" (added)");
	} else if (c->kind == NRM_CHANGE_REMOVED) {
		printf(" (removed)");
	}
	putchar('\n');
}

static void print_text(const struct diff_args *a, const struct nrm_return_tables *o,
                       const struct nrm_return_tables *n, const struct nrm_return_diff *d)
{
	print_side("old", a->old_path, o);
	print_side("new", a->new_path, n);
	const char *key = NULL;
	for (size_t i = 0; i < d->n_changes; i++) {
		const struct nrm_return_change *c = &d->changes[i];
		/* Changes come table by table; a removed row's table is the
		 * old return's, so the heading follows what the table is. */
		if (!key || strcmp(key, c->table->key) != 0) {
			key = c->table->key;
			printf("\n%s: %s\n", c->table->id, c->table->title);
		}
		print_change(c);
	}
	printf("\n%zu figure%s changed in %zu table%s\n", d->n_changes,
	       d->n_changes == 1 ? "" : "s", d->n_tables, d->n_tables == 1 ? "" : "s");
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *side_json(const char *path, const struct nrm_return_tables *t)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "source", path, "site", t->site,
	                 "quarter", t->quarter, "audience", t->audience, "generated_at",
	                 t->generated_at, "data_as_at", nrm_return_tables_data_as_at(t));
}

static void print_json(const struct diff_args *a, const struct nrm_return_tables *o,
                       const struct nrm_return_tables *n, const struct nrm_return_diff *d)
{
	json_t *changes = json_array();
	for (size_t i = 0; i < d->n_changes; i++)
		json_array_append_new(changes, nrm_return_change_json(&d->changes[i]));
	json_t *j = json_pack("{s:o, s:o, s:I, s:I, s:o}", "old", side_json(a->old_path, o), "new",
	                      side_json(a->new_path, n), "figures_changed",
	                      (json_int_t)d->n_changes, "tables_changed", (json_int_t)d->n_tables,
	                      "changes", changes);
	/* Fifteen digits: a difference of 31.4 and 30.1 prints as 1.3. */
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (s)
		puts(s);
	free(s);
	json_decref(j);
}

/* ---- the command ----------------------------------------------------------- */

static int open_input(const char *path, struct nrm_return_input *in)
{
	struct nrm_error err = {0};
	if (nrm_return_input_open(path, in, &err) == 0)
		return 0;
	fprintf(stderr, "nrmhub: %s\n", err.msg);
	return err.code;
}

/* NEW from the store: OLD rebuilt from its cases as they are now. */
static int open_rebuild(struct nrm_context *ctx, const struct diff_args *a,
                        const struct nrm_return_input *old, struct nrm_return_input *in)
{
	memset(in, 0, sizeof(*in));
	struct nrm_context at = *ctx;
	at.store_path = a->store;
	struct store *s;
	int rc = nrm_context_open_store_read(&at, &s);
	if (rc)
		return rc;
	int64_t now = (int64_t)time(NULL);
	if (a->now)
		nrm_time_parse_rfc3339(a->now, strlen(a->now), &now); /* checked */
	struct nrm_error err = {0};
	in->json = nrm_return_rebuild(s, old->json, now, PACKAGE_VERSION, &err);
	store_close(s);
	if (!in->json || nrm_return_tables_build(in->json, &in->tables, &err) != 0) {
		fprintf(stderr, "nrmhub: %s: %s\n", a->store, err.msg);
		json_decref(in->json);
		in->json = NULL;
		return err.code ? err.code : EX_SOFTWARE;
	}
	return 0;
}

int cmd_return_diff(struct nrm_context *ctx, int argc, char **argv)
{
	struct diff_args a = {0};
	int rc = parse_args(ctx, argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct nrm_return_input o, n;
	if ((rc = open_input(a.old_path, &o)) != 0)
		return rc;
	if ((rc = a.store ? open_rebuild(ctx, &a, &o, &n) : open_input(a.new_path, &n)) != 0) {
		nrm_return_input_close(&o);
		return rc;
	}
	rc = check_same_return(&a, &o.tables, &n.tables);
	if (rc == 0) {
		struct nrm_return_diff d;
		nrm_return_diff(&o.tables, &n.tables, &d);
		if (a.json)
			print_json(&a, &o.tables, &n.tables, &d);
		else
			print_text(&a, &o.tables, &n.tables, &d);
		rc = d.n_changes ? DIFF_DIFFERENT : 0;
		nrm_return_diff_free(&d);
	}
	nrm_return_input_close(&o);
	nrm_return_input_close(&n);
	return rc;
}
