/*
 * `nrmhub plugin check`: a plugin's conformance, check by check.  Every
 * piece of the plugin's code runs in a child process (see sandbox.h), so a
 * crash, a hang, an exit or stray output is a finding, not the end of the
 * check.
 */
#ifndef NRM_PLUGIN_CHECK_H
#define NRM_PLUGIN_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct nrm_error;
struct nrm_plugin;

struct nrm_check_config {
	const char *plugin_path;
	const char *sample;        /* an input the plugin should import; NULL: none */
	const char *fixtures;      /* canonical JSON lines covering every field */
	char *const *options;      /* "KEY=VALUE" for the plugin, applied in every run */
	size_t n_options;
	unsigned timeout_ms;       /* for each child */
	const struct nrm_plugin *reader; /* case-jsonl, to read the fixtures */
};

enum nrm_check_result { NRM_CHECK_PASS, NRM_CHECK_FAIL, NRM_CHECK_SKIP };

/* The checks, in the order they run. */
enum nrm_check_id {
	NRM_CHECK_ABI,
	NRM_CHECK_OPTIONS,
	NRM_CHECK_IMPORT,
	NRM_CHECK_DAMAGED,
	NRM_CHECK_EXPORT,
	NRM_CHECK_ROUND_TRIP,
	NRM_CHECK_MEMORY,
	NRM_CHECK_COUNT,
};

struct nrm_check_item {
	const char *name;        /* "abi", "options", ... */
	const char *title;       /* "ABI and metadata", ... */
	enum nrm_check_result result;
	char *detail;            /* one or two sentences */
};

struct nrm_check_report {
	char *plugin_name;       /* NULL when the module could not be read */
	struct nrm_check_item items[NRM_CHECK_COUNT];
	unsigned passed, failed, skipped;
};

/* Runs every check.  0 with the findings in `rep` (even when checks fail);
 * -1 with err when the check itself cannot run (no such file, unreadable
 * sample or fixtures). */
int nrm_plugin_check_run(const struct nrm_check_config *cfg, struct nrm_check_report *rep,
                         struct nrm_error *err);
void nrm_check_report_free(struct nrm_check_report *rep);

#endif
