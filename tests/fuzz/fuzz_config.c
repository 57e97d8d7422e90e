/*
 * The site configuration (hub/site_config.c), as `run`, `status` and
 * `config check` read it: the input, as a file, loaded with every rule
 * checked, and freed.  A configuration the rules accept must name each job
 * once and link every deliver job to its target.
 */
// seeds: examples/site/nrmhub.json tests/fuzz/seeds/config/
#include "fuzz.h"

#include "log.h"
#include "site_config.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int input_fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The input is a memory file, read through its /proc name: a file on
	 * disk, truncated for every input, cost the fuzzer most of its time
	 * in the file system. */
	input_fd = memfd_create("nrmhub.json", MFD_CLOEXEC);
	if (input_fd < 0) {
		perror("fuzz: memfd_create");
		exit(1);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", input_fd);
	/* Every broken rule is logged as an error: the messages are made (and
	 * so tested) but most of what the fuzzer would print. */
	nrm_log_set_level(NRM_LOG_ERROR);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	if (ftruncate(input_fd, 0) != 0 ||
	    (size && pwrite(input_fd, data, size, 0) != (ssize_t)size)) {
		perror("fuzz: writing the configuration");
		abort();
	}
}

static void check_accepted(const struct nrm_config *cfg)
{
	for (size_t i = 0; i < cfg->n_jobs; i++) {
		const struct nrm_config_job *j = &cfg->jobs[i];
		if (!j->name || nrm_config_find_job(cfg, j->name) != j) {
			fprintf(stderr, "fuzz: job %zu is not found by its name\n", i);
			abort();
		}
		if (j->kind == NRM_JOB_DELIVER && !j->target_ref) {
			fprintf(stderr, "fuzz: deliver job %s has no target\n", j->name);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536) /* a configuration is a page or two */
		return 0;
	write_input(data, size);
	struct nrm_config cfg;
	struct nrm_error err;
	if (nrm_config_load(path, &cfg, &err) == 0)
		check_accepted(&cfg);
	nrm_config_free(&cfg);
	return 0;
}
