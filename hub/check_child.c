/*
 * Runs only in children.  Nothing here needs to free what it allocates: the
 * process ends when the job is done.  What it does need is to count how the
 * plugin behaves (records, rejections, reports with and without positions)
 * and to watch the live heap, which is what "memory that does not grow with
 * the input" means for a streaming plugin.
 */
#include "check_child.h"

#include "case.h"
#include "check_fixtures.h"
#include "loader.h"
#include "options.h"
#include "sandbox.h"
#include "stream.h"
#include "util.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer replaces malloc; it counts live bytes itself. */
size_t __sanitizer_get_current_allocated_bytes(void);
static uint64_t heap_now(void)
{
	return __sanitizer_get_current_allocated_bytes();
}
#else
static uint64_t heap_now(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}
#endif

bool nrm_check_heap_measurable(void)
{
	uint64_t before = heap_now();
	char *volatile block = malloc(1 << 20);
	if (!block)
		return false;
	block[0] = 1;
	bool grew = heap_now() >= before + (1 << 20);
	free(block);
	return grew;
}

/* Copies as much of src as fits (messages are cut, never overrun). */
static void copy_text(char *dst, size_t len, const char *src)
{
	size_t n = src ? strnlen(src, len - 1) : 0;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- describing ----------------------------------------------------- */

/* Beyond the loader's own table check: a typed option without a default
 * leaves the plugin reading 0 or false, which a user cannot see. */
static int options_strict(const struct nrm_option_spec *table, char *why, size_t len)
{
	if (nrm_options_check_table(table, why, len) != 0)
		return -1;
	for (const struct nrm_option_spec *o = table; o && o->name; o++) {
		if (o->type != NRM_OPT_STRING && !o->default_value) {
			snprintf(why, len, "option '%s' (%s) has no default", o->name,
			         nrm_option_type_name(o->type));
			return -1;
		}
	}
	return 0;
}

static void fill_identity(struct nrm_describe_outcome *o, const struct nrm_plugin *p)
{
	copy_text(o->name, sizeof(o->name), p->name);
	copy_text(o->version, sizeof(o->version), p->version);
	o->caps = p->caps;
	o->abi_major = p->abi_major;
	o->abi_minor = p->abi_minor;
	for (const struct nrm_option_spec *s = p->options; s && s->name; s++)
		o->n_options++;
}

/* The loader refused it: was that the options table alone?  The metadata
 * is checked again on a copy without the table to tell. */
static void explain_refusal(struct nrm_describe_outcome *o, const char *path,
                            const char *loader_reason)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	const struct nrm_plugin *p = h ? dlsym(h, NRM_PLUGIN_SYMBOL) : NULL;
	copy_text(o->abi_reason, sizeof(o->abi_reason), loader_reason);
	if (!p || p->magic != NRM_PLUGIN_MAGIC || p->abi_major != NRM_ABI_MAJOR ||
	    p->abi_minor > NRM_ABI_MINOR)
		return;
	struct nrm_plugin without_options = *p;
	without_options.options = NULL;
	if (nrm_plugin_check_metadata(&without_options, o->abi_reason, sizeof(o->abi_reason)))
		return;
	o->abi_ok = 1;
	fill_identity(o, p);
	options_strict(p->options, o->options_reason, sizeof(o->options_reason));
}

void nrm_child_describe(void *arg, int result_fd)
{
	const struct nrm_check_target *t = arg;
	struct nrm_describe_outcome o = {0};
	struct nrm_module m;
	struct nrm_error err;
	if (nrm_module_load(t->path, &m, &err) == 0) {
		o.loads = 1;
		o.abi_ok = 1;
		fill_identity(&o, m.plugin);
		o.options_ok = options_strict(m.plugin->options, o.options_reason,
		                              sizeof(o.options_reason)) == 0;
		nrm_module_unload(&m);
	} else {
		explain_refusal(&o, t->path, err.msg);
	}
	o.done = 1;
	nrm_sandbox_send(result_fd, &o, sizeof(o));
}

/* ---- common to imports and exports ---------------------------------- */

struct probe {
	uint64_t reports, unplaced;
	char first_unplaced[200];
	char first_reason[200];
};

static void on_problem(void *ctx, const struct nrm_problem *p)
{
	struct probe *pr = ctx;
	if (!pr->reports)
		copy_text(pr->first_reason, sizeof(pr->first_reason), p->reason);
	pr->reports++;
	if (!p->line && !(p->path && *p->path)) {
		if (!pr->unplaced)
			copy_text(pr->first_unplaced, sizeof(pr->first_unplaced), p->reason);
		pr->unplaced++;
	}
}

/* Loads the module and its options as a run would; NULL with the reason. */
static const struct nrm_plugin *load_target(const struct nrm_check_target *t,
                                            struct nrm_optset **opts, char *why, size_t len)
{
	static struct nrm_module m;
	struct nrm_error err;
	if (nrm_module_load(t->path, &m, &err) != 0) {
		copy_text(why, len, err.msg);
		return NULL;
	}
	*opts = nrm_optset_new(m.plugin->name, m.plugin->options);
	for (size_t i = 0; i < t->n_options; i++) {
		char *kv = nrm_xstrdup(t->options[i]);
		char *eq = strchr(kv, '=');
		if (!eq) {
			snprintf(why, len, "--option %s: expected KEY=VALUE", kv);
			free(kv);
			return NULL;
		}
		*eq = '\0';
		if (nrm_optset_set(*opts, kv, eq + 1, &err) != 0) {
			copy_text(why, len, err.msg);
			free(kv);
			return NULL;
		}
		free(kv);
	}
	return m.plugin;
}

/* An anonymous file holding `data`, positioned at its start. */
static int memory_file(const char *data, size_t len)
{
	int fd = memfd_create("nrmhub-check", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, data + done, len - done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void track_heap(uint64_t *peak)
{
	uint64_t h = heap_now();
	if (h > *peak)
		*peak = h;
}

/* ---- importing ------------------------------------------------------ */

static bool placed(const struct nrm_pos *pos)
{
	return pos->line || (pos->path && *pos->path);
}

static void note_record(struct nrm_import_outcome *o, const struct nrm_import_job *job,
                        const struct nrm_case *c, const struct nrm_pos *pos)
{
	struct nrm_case_problem problem;
	o->ok++;
	if (!placed(pos))
		o->unplaced_ok++;
	if (job->validate && nrm_case_validate(c, &problem) != 0 && !o->invalid++) {
		o->first_invalid_line = pos->line;
		snprintf(o->first_invalid, sizeof(o->first_invalid), "%.40s: %.150s",
		         problem.field ? problem.field : "", problem.reason);
	}
}

/* Calls import_next until the input ends, counting what happens. */
static void import_all(const struct nrm_plugin *p, void *state, struct probe *pr,
                       const struct nrm_import_job *job, struct nrm_import_outcome *o)
{
	for (;;) {
		struct nrm_case c;
		struct nrm_pos pos = {0};
		uint64_t before = pr->reports;
		nrm_case_init(&c);
		int rc = p->import_next(state, &c, &pos);
		nrm_case_from_module(&c, p->abi_minor);
		track_heap(&o->peak_heap);
		if (rc == NRM_OK) {
			note_record(o, job, &c, &pos);
		} else if (rc == NRM_REJECT) {
			o->rejected++;
			o->silent_rejects += pr->reports == before;
		} else {
			o->end = rc;
			o->silent_fail = rc == NRM_FAIL && pr->reports == before;
			return;
		}
	}
}

void nrm_child_import(void *arg, int result_fd)
{
	const struct nrm_import_job *job = arg;
	struct nrm_import_outcome o = {0};
	struct nrm_optset *opts = NULL;
	struct probe pr = {0};
	const struct nrm_plugin *p =
		load_target(job->target, &opts, o.setup_reason, sizeof(o.setup_reason));
	int fd = p ? memory_file(job->data, job->len) : -1;
	if (!p || fd < 0) {
		o.setup_failed = 1;
		if (p)
			copy_text(o.setup_reason, sizeof(o.setup_reason), "cannot make a memory file");
	} else {
		struct nrm_stream in;
		void *state = NULL;
		nrm_stream_init(&in, job->label, fd, opts, on_problem, &pr);
		o.base_heap = o.peak_heap = heap_now();
		if (p->import_open(&nrm_host_table, &in, &state) != NRM_OK) {
			o.open_failed = 1;
			o.end = NRM_FAIL;
			o.silent_fail = pr.reports == 0;
		} else {
			import_all(p, state, &pr, job, &o);
			p->import_close(state);
		}
		nrm_stream_release(&in);
	}
	o.reports = pr.reports;
	o.unplaced_reports = pr.unplaced;
	copy_text(o.first_unplaced, sizeof(o.first_unplaced), pr.first_unplaced);
	o.done = 1;
	nrm_optset_free(opts);
	nrm_sandbox_send(result_fd, &o, sizeof(o));
}

/* ---- exporting ------------------------------------------------------ */

static void export_failed(struct nrm_export_outcome *o, int stage, const struct probe *pr,
                          uint64_t before)
{
	o->failed_at = stage;
	o->silent = pr->reports == before;
	copy_text(o->reason, sizeof(o->reason), pr->reports ? pr->first_reason : "");
}

static void export_all(const struct nrm_plugin *p, struct nrm_stream *out,
                       const struct nrm_export_job *job, struct probe *pr,
                       struct nrm_export_outcome *o)
{
	void *state = NULL;
	uint64_t before = pr->reports;
	if (p->export_open(&nrm_host_table, out, &state) != NRM_OK) {
		export_failed(o, 1, pr, before);
		return;
	}
	for (size_t k = 0; k < job->copies && !o->failed_at; k++) {
		for (size_t i = 0; i < job->fixtures->count; i++) {
			if (p->export_write(state, &job->fixtures->cases[i]) != NRM_OK) {
				o->failed_record = o->written + 1;
				export_failed(o, 2, pr, before);
				break;
			}
			o->written++;
			track_heap(&o->peak_heap);
		}
	}
	if (!o->failed_at && p->export_finish(state) != NRM_OK)
		export_failed(o, 3, pr, before);
	p->export_close(state);
	if (!o->failed_at && nrm_stream_flush(out) != NRM_OK)
		export_failed(o, 4, pr, before);
	o->bytes = out->bytes;
}

/* Imports the export's output with the same plugin and compares. */
static void read_back(const struct nrm_plugin *p, int fd, struct nrm_optset *opts,
                      const struct nrm_export_job *job, struct nrm_export_outcome *o)
{
	struct probe pr = {0};
	struct nrm_stream in;
	void *state = NULL;
	lseek(fd, 0, SEEK_SET);
	nrm_stream_init(&in, "(its own export)", fd, opts, on_problem, &pr);
	if (p->import_open(&nrm_host_table, &in, &state) != NRM_OK) {
		o->back_failed = 1;
		copy_text(o->back_reason, sizeof(o->back_reason), pr.first_reason);
		nrm_stream_release(&in);
		return;
	}
	const struct nrm_fixtures *fx = job->fixtures;
	for (;;) {
		struct nrm_case c;
		struct nrm_pos pos = {0};
		nrm_case_init(&c);
		int rc = p->import_next(state, &c, &pos);
		nrm_case_from_module(&c, p->abi_minor);
		if (rc == NRM_EOF)
			break;
		if (rc != NRM_OK) {
			o->back_failed = 1;
			copy_text(o->back_reason, sizeof(o->back_reason),
			          pr.reports ? pr.first_reason : "refused without a reason");
			break;
		}
		size_t i = o->back_records++;
		struct nrm_case_diff diff = {.changed = "(a record more than was written)"};
		if (i < fx->count)
			nrm_case_compare(&fx->cases[i], &c, &diff);
		o->lost_fields |= diff.lost;
		const char *field = diff.changed;
		if (field && !o->mismatch_record) {
			o->mismatch_record = i + 1;
			copy_text(o->mismatch_field, sizeof(o->mismatch_field), field);
		}
	}
	p->import_close(state);
	nrm_stream_release(&in);
}

static void send_file(int result_fd, int fd)
{
	char buf[65536];
	ssize_t n;
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		nrm_sandbox_send(result_fd, buf, (size_t)n);
}

void nrm_child_export(void *arg, int result_fd)
{
	const struct nrm_export_job *job = arg;
	struct nrm_export_outcome o = {0};
	struct nrm_optset *opts = NULL;
	struct probe pr = {0};
	const struct nrm_plugin *p =
		load_target(job->target, &opts, o.setup_reason, sizeof(o.setup_reason));
	int fd = !p ? -1 : job->to_null ? open("/dev/null", O_WRONLY | O_CLOEXEC)
	                                : memory_file("", 0);
	if (!p || fd < 0) {
		o.setup_failed = 1;
		if (p)
			copy_text(o.setup_reason, sizeof(o.setup_reason), "cannot open an output");
		o.done = 1;
		nrm_optset_free(opts);
		nrm_sandbox_send(result_fd, &o, sizeof(o));
		return;
	}
	struct nrm_stream out;
	nrm_stream_init(&out, "(check output)", fd, opts, on_problem, &pr);
	o.base_heap = o.peak_heap = heap_now();
	export_all(p, &out, job, &pr, &o);
	if (!o.failed_at && job->read_back)
		read_back(p, fd, opts, job, &o);
	nrm_stream_release(&out);
	o.done = 1;
	nrm_sandbox_send(result_fd, &o, sizeof(o));
	if (job->send_output && !o.failed_at)
		send_file(result_fd, fd);
	nrm_optset_free(opts);
}
