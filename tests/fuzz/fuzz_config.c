/*
 * The site configuration (hub/site_config.c), as `run`, `status` and
 * `config check` read it: the input is written to nrmhub.json in a folder
 * of its own, loaded with every rule checked, and freed.  A configuration
 * the rules accept must name each job once and link every deliver job to
 * its target.
 */
// seeds: examples/site/nrmhub.json tests/fuzz/seeds/config/
#include "fuzz.h"

#include "log.h"
#include "site_config.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dir, *path;

static void remove_folder(void)
{
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	dir = nrm_xasprintf("%s/nrm-fuzz-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		exit(1);
	}
	path = nrm_xasprintf("%s/nrmhub.json", dir);
	atexit(remove_folder);
	/* Every broken rule is logged as an error: the messages are made (and
	 * so tested) but most of what the fuzzer would print. */
	nrm_log_set_level(NRM_LOG_ERROR);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0) {
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
