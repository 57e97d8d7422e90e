/*
 * The work `plugin check` does inside a child process, one job per child:
 * load and describe the module, import one input, or export the fixtures.
 * Each job sends one fixed-size outcome back to the parent (see sandbox.h);
 * the parent judges it (plugin_check.c).
 */
#ifndef NRM_CHECK_CHILD_H
#define NRM_CHECK_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_fixtures;

/* What every job needs to load the plugin the way a run would. */
struct nrm_check_target {
	const char *path;
	char *const *options;  /* "KEY=VALUE" */
	size_t n_options;
};

struct nrm_describe_outcome {
	int done;
	int loads;             /* the hub's loader accepts it */
	int abi_ok;
	char abi_reason[512];
	int options_ok;
	char options_reason[320];
	char name[64], version[32];
	uint32_t caps;
	uint16_t abi_major, abi_minor;
	unsigned n_options;
};

void nrm_child_describe(void *target, int result_fd);

struct nrm_import_job {
	const struct nrm_check_target *target;
	const char *label;     /* the input's name in reports */
	const char *data;
	size_t len;
	bool validate;         /* check each record against the canonical rules */
};

struct nrm_import_outcome {
	int done;
	int setup_failed;
	char setup_reason[320];
	int end;                 /* NRM_EOF, NRM_FAIL, or another value returned */
	int open_failed;
	uint64_t ok, rejected;
	uint64_t unplaced_ok;    /* records returned without a position */
	uint64_t silent_rejects; /* NRM_REJECT with nothing reported */
	int silent_fail;         /* NRM_FAIL with nothing reported */
	uint64_t reports, unplaced_reports;
	char first_unplaced[200];
	uint64_t invalid, first_invalid_line;
	char first_invalid[200];
	uint64_t peak_heap;      /* live heap bytes, highest seen after a call */
	uint64_t base_heap;      /* before the plugin was opened */
};

void nrm_child_import(void *job, int result_fd);

struct nrm_export_job {
	const struct nrm_check_target *target;
	const struct nrm_fixtures *fixtures;
	size_t copies;           /* the fixtures, this many times over */
	bool read_back;          /* then import the output and compare */
	bool send_output;        /* send the output after the outcome */
	bool to_null;            /* write to /dev/null (memory runs) */
};

struct nrm_export_outcome {
	int done;
	int setup_failed;
	char setup_reason[320];
	int failed_at;           /* 0, or 1 open, 2 write, 3 finish, 4 flush */
	int silent;              /* it failed without reporting why */
	uint64_t failed_record;  /* 1-based, for failed_at == 2 */
	char reason[200];
	uint64_t written, bytes;
	int back_failed;         /* the read-back import stopped or rejected */
	char back_reason[200];
	uint64_t back_records;
	uint64_t mismatch_record; /* 1-based; 0 when no field changed */
	char mismatch_field[40];
	uint32_t lost_fields;     /* fields some record came back without */
	uint64_t peak_heap, base_heap;
};

void nrm_child_export(void *job, int result_fd);

/* Whether the live heap can be measured in this process: not when malloc
 * is another's (valgrind's), which glibc's counters then do not see. */
bool nrm_check_heap_measurable(void);

#endif
