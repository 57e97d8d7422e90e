/*
 * `nrmhub return audit [--json] DIR...`: the disclosure audit of published
 * returns, run on their files as a reader would run it: every suppressed
 * count with the interval the published figures allow it, and exit 65 when
 * one is pinned down or narrowed below the protection level.
 */
#include "commands.h"

#include "return_audit.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

static void print_usage(void)
{
	printf("Usage: nrmhub return audit [OPTION]... DIR...\n"
	       "Audit the disclosure control of published returns: for each DIR (a return\n"
	       "folder, or its return.json), every suppressed count with the interval a\n"
	       "reader can derive for it by linear programming from the published figures\n"
	       "and the relations the tables obey (breakdowns sum to totals, a type is the\n"
	       "sum of the combinations holding it, a figure shown twice is one, a suppressed\n"
	       "count is never 0). The returns are audited together: a return's trend row for\n"
	       "a quarter repeats that quarter's own figures and other returns' rows for it.\n"
	       "\n"
	       "  -t, --threshold N    counts 1 to N must be suppressed (default: the rule\n"
	       "                       the return records in \"disclosure\", else 4)\n"
	       "  -p, --protection N   the width an interval needs when the count may be\n"
	       "                       1 to N (default: the return's, else threshold + 1)\n"
	       "      --zero-lower-bound  take 0 as a suppressed count's lower bound (the\n"
	       "                       classic audit); by default 1, since zeros are shown\n"
	       "                       and a reader knows no suppressed count is 0\n"
	       "      --json           print the intervals as JSON\n"
	       "  -h, --help           show this help\n"
	       "\n"
	       "A suppressed count fails when its interval is one value, or when it may be\n"
	       "a small count and the interval is narrower than the protection level; a\n"
	       "shown count from 1 to the threshold fails, and so does a statistic shown\n"
	       "beside a suppressed count it is drawn from.\n"
	       "\n"
	       "Exit status: 0 every return passes; 64 usage; 65 a cell fails (named with its\n"
	       "interval) or a file is not a return; 66 missing input.\n");
}

static int positive(const char *s, int *out)
{
	long long v;
	if (!nrm_parse_int64(s, &v) || v < 1 || v > 100000)
		return -1;
	*out = (int)v;
	return 0;
}

/* "[3, 3]", "[0, unbounded)", "?" for a contradiction or a shown cell. */
static void interval_text(const struct nrm_dc_interval *c, char *buf, size_t n)
{
	if (isnan(c->lo))
		snprintf(buf, n, "?");
	else if (isinf(c->hi))
		snprintf(buf, n, "[%g, unbounded)", c->lo);
	else
		snprintf(buf, n, "[%g, %g]", c->lo, c->hi);
}

/* The cells of return `r` as JSON. */
static json_t *audit_json(const char *dir, const struct nrm_return_audit *a, size_t r)
{
	json_t *cells = json_array();
	size_t failed = 0;
	for (size_t i = 0; i < a->audit.n; i++) {
		const struct nrm_dc_interval *c = &a->audit.cells[i];
		if (nrm_return_audit_owner(a, c->figure) != r)
			continue;
		const struct nrm_dc_figure *f = &a->model.figures[c->figure];
		failed += c->verdict != NRM_DC_OK;
		json_array_append_new(
			cells, json_pack("{s:s, s:s?, s:o, s:o, s:s, s:b}", "cell", f->name, "path",
			                 f->path, "min", isnan(c->lo) ? json_null() : json_real(c->lo),
			                 "max", isnan(c->hi) || isinf(c->hi) ? json_null()
			                                                     : json_real(c->hi),
			                 "verdict", nrm_dc_verdict_text(c->verdict), "ok",
			                 c->verdict == NRM_DC_OK));
	}
	return json_pack("{s:s, s:o, s:I}", "return", dir, "cells", cells, "failed",
	                 (json_int_t)failed);
}

static void audit_text(const char *dir, const struct nrm_return_audit *a, size_t r)
{
	char iv[96];
	size_t n = 0, failed = 0;
	for (size_t i = 0; i < a->audit.n; i++) {
		const struct nrm_dc_interval *c = &a->audit.cells[i];
		if (nrm_return_audit_owner(a, c->figure) != r)
			continue;
		interval_text(c, iv, sizeof(iv));
		printf("%s: %s %s %s\n", dir, a->model.figures[c->figure].name, iv,
		       nrm_dc_verdict_text(c->verdict));
		n++;
		failed += c->verdict != NRM_DC_OK;
	}
	printf("%s: %zu cells audited, %zu fail\n", dir, n, failed);
}

static void report_failures(char *const *dirs, const struct nrm_return_audit *a)
{
	char iv[96];
	for (size_t i = 0; i < a->audit.n; i++) {
		const struct nrm_dc_interval *c = &a->audit.cells[i];
		if (c->verdict == NRM_DC_OK)
			continue;
		const struct nrm_dc_figure *f = &a->model.figures[c->figure];
		interval_text(c, iv, sizeof(iv));
		fprintf(stderr, "nrmhub: %s: %s (%s) %s: %s\n",
		        dirs[nrm_return_audit_owner(a, c->figure)], f->name,
		        f->path ? f->path : "-", iv, nrm_dc_verdict_text(c->verdict));
	}
}

/* DIR/return.json, or DIR itself when it is a file. */
static char *return_file(const char *arg)
{
	struct stat st;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return nrm_xasprintf("%s/return.json", arg);
	return nrm_xstrdup(arg);
}

/* Every DIR's return.json; the ones that cannot be read are named and
 * left out, with the worst status in *rc. */
static size_t load_all(char **dirs, size_t n, json_t **rets, char **kept, int *rc)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char *file = return_file(dirs[i]);
		struct nrm_error err;
		if (nrm_return_load_file(file, &rets[k], &err) == 0) {
			kept[k++] = dirs[i];
		} else {
			fprintf(stderr, "nrmhub: %s\n", err.msg);
			if (!*rc || *rc == EX_DATAERR)
				*rc = err.code;
		}
		free(file);
	}
	return k;
}

/* Audits the returns together: a return's trend repeats the others'. */
static int audit_all(char **dirs, size_t n, const struct nrm_dc_params *p, bool json)
{
	json_t **rets = nrm_xcalloc(n, sizeof(*rets));
	char **kept = nrm_xcalloc(n, sizeof(*kept));
	int rc = 0;
	size_t k = load_all(dirs, n, rets, kept, &rc);
	struct nrm_return_audit a;
	struct nrm_error err;
	size_t bad = 0;
	if (k && nrm_return_audit_set((const json_t *const *)rets, k, p, &a, &bad, &err) != 0) {
		/* The tables name the JSON path; the user needs the file too. */
		fprintf(stderr, "nrmhub: %s: %s\n", kept[bad], err.msg);
		rc = err.code ? err.code : EX_DATAERR;
	} else if (k) {
		json_t *out = json ? json_array() : NULL;
		for (size_t r = 0; r < k; r++)
			if (out)
				json_array_append_new(out, audit_json(kept[r], &a, r));
			else
				audit_text(kept[r], &a, r);
		if (out) {
			char *text = json_dumps(out, JSON_INDENT(2));
			printf("%s\n", text);
			free(text);
			json_decref(out);
		}
		report_failures(kept, &a);
		if (a.audit.n_failed && !rc)
			rc = EX_DATAERR;
		nrm_return_audit_free(&a);
	}
	for (size_t i = 0; i < k; i++)
		json_decref(rets[i]);
	free(rets);
	free(kept);
	return rc;
}

int cmd_return_audit(struct nrm_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"threshold", required_argument, NULL, 't'},
		{"protection", required_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"zero-lower-bound", no_argument, NULL, 'z'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct nrm_dc_params p = {0};
	bool json = false;
	(void)ctx;
	int c;
	while ((c = getopt_long(argc, argv, "+t:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (positive(optarg, &p.threshold) || p.threshold > 1000)
				return nrm_usage_error("return audit", "--threshold takes 1 to 1000");
			break;
		case 'p':
			if (positive(optarg, &p.protection))
				return nrm_usage_error("return audit", "--protection takes 1 to 100000");
			break;
		case 'j': json = true; break;
		case 'z': p.zero_lower_bound = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("return audit", "unknown option");
		}
	}
	if (optind >= argc)
		return nrm_usage_error("return audit", "no DIR given");
	int rc = audit_all(argv + optind, (size_t)(argc - optind), &p, json);
	return rc;
}
