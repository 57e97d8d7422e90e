/*
 * One import plugin, driven as `nrmhub import` drives it: the real module
 * (built in this tree) loaded by the hub's loader, fed the input through the
 * hub's host table from an in-memory file, every record read to the end
 * (past rejected ones, as --keep-going does) and checked against the
 * canonical rules.  Every size option is set to 64 KiB.  A target file defines FUZZ_PLUGIN and includes this.
 *
 * The plugin is found in $NRM_FUZZ_PLUGIN_DIR, else in the build tree's
 * plugins/.libs.
 */
#include "fuzz.h"

#include "case.h"
#include "country.h"
#include "loader.h"
#include "log.h"
#include "options.h"
#include "stream.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef FUZZ_PLUGIN
#error "define FUZZ_PLUGIN as the plugin's name before including fuzz_plugin.h"
#endif

static struct nrm_module fuzz_module;
static struct nrm_optset *fuzz_options;
static int fuzz_fd = -1;

/* Every problem is formatted, as the pipeline would, then dropped. */
static void fuzz_on_problem(void *ctx, const struct nrm_problem *problem)
{
	(void)ctx;
	free(nrm_problem_format(problem));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct nrm_error err;
	if (nrm_country_load(&err) != 0) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		exit(1);
	}
	const char *dir = getenv("NRM_FUZZ_PLUGIN_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.so", dir ? dir : NRM_BUILD_DIR "/plugins/.libs",
	         FUZZ_PLUGIN);
	if (nrm_module_load(path, &fuzz_module, &err) != 0) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		exit(1);
	}
	fuzz_options = nrm_optset_new(fuzz_module.plugin->name, fuzz_module.plugin->options);
	/* Size limits of 64 KiB: the fuzzer's inputs reach them, and a plugin
	 * then does not allocate its default megabyte for every input. */
	for (const struct nrm_option_spec *o = fuzz_module.plugin->options; o && o->name; o++)
		if (o->type == NRM_OPT_SIZE && nrm_optset_set(fuzz_options, o->name, "64k", &err)) {
			fprintf(stderr, "fuzz: %s\n", err.msg);
			exit(1);
		}
	/* Warnings (an ignored column) would be most of what the fuzzer prints. */
	nrm_log_set_level(NRM_LOG_ERROR);
	fuzz_fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (fuzz_fd < 0) {
		perror("fuzz: memfd_create");
		exit(1);
	}
	return 0;
}

/* The input as a file the plugin reads from its start. */
static void fuzz_load_input(const uint8_t *data, size_t size)
{
	if (ftruncate(fuzz_fd, 0) != 0 ||
	    (size && pwrite(fuzz_fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fuzz_fd, 0, SEEK_SET) != 0) {
		perror("fuzz: memfd");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nrm_plugin *p = fuzz_module.plugin;
	fuzz_load_input(data, size);
	struct nrm_stream in;
	nrm_stream_init(&in, "fuzz-input", fuzz_fd, fuzz_options, fuzz_on_problem, NULL);
	void *state = NULL;
	if (p->import_open(&nrm_host_table, &in, &state) == NRM_OK) {
		/* A record needs at least one byte, so more calls than bytes (and
		 * one for the end) means a plugin that no longer advances. */
		for (size_t calls = 0;; calls++) {
			if (calls > size + 1) {
				fprintf(stderr, "fuzz: %s returns records without reading\n",
				        FUZZ_PLUGIN);
				abort();
			}
			struct nrm_case c;
			struct nrm_pos pos;
			nrm_case_init(&c);
			memset(&pos, 0, sizeof(pos));
			int rc = p->import_next(state, &c, &pos);
			if (rc == NRM_OK) {
				struct nrm_case_problem problem;
				(void)nrm_case_validate(&c, &problem);
			} else if (rc != NRM_REJECT) {
				break;
			}
		}
		p->import_close(state);
	}
	nrm_stream_release(&in);
	return 0;
}
