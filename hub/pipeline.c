/*
 * One pipeline run.  Problems are printed as they are found, in the
 * FILE:LINE: FIELD: reason form, and also written to the rejects report when
 * one was asked for.  Outputs are atomic files: a run that stops early
 * removes them, so a failed conversion leaves nothing behind.
 */
#include "pipeline.h"

#include "atomic_file.h"
#include "case.h"
#include "country.h"
#include "handoff.h"
#include "log.h"
#include "progress.h"
#include "share_group.h"
#include "stream.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* Case data is personal data: outputs are readable by their owner only. */
#define OUTPUT_MODE 0600

struct run {
	const struct nrm_pipeline *pl;
	struct nrm_pipeline_counts counts;
	struct nrm_progress progress;
	uint64_t bytes_done;  /* of inputs already closed */
	struct nrm_atomic_file out_file;
	struct nrm_stream out;
	void *export_state;
	struct nrm_atomic_file rejects_file;
	struct nrm_stream rejects;
	bool have_rejects;
	struct nrm_handoff *handoff;  /* to the export thread */
	bool handoff_refused;         /* a record the handoff would not take */
	/* Written by the export thread only, read after it has ended. */
	uint64_t sink_rejected;       /* records the sink refused */
	int sink_exit;                /* the sink's failure, or 0 */
	bool sink_stopped;            /* the sink asked to stop */
	/* Problems come from both threads; one at a time reaches stderr and
	 * the rejects report. */
	pthread_mutex_t report_lock;
	uint64_t reported, unreported; /* problems printed, and only counted */
	bool stop;
	int exit_code;  /* the first non-data failure, or 0 */
};

static void set_exit(struct run *r, int code)
{
	if (!r->exit_code)
		r->exit_code = code;
}

/* A problem's text as a JSON string: bytes that are not UTF-8 (a plugin
 * quoting a bad input) become '?', and with `max` a longer text is cut at
 * the start of a character. */
static json_t *text_json(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (max && n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (nrm_utf8_valid(s, n))
		return json_stringn(s, n);
	char *copy = nrm_xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	json_t *v = json_stringn(copy, n);
	free(copy);
	return v;
}

static json_t *maybe_text(const char *s)
{
	return s ? text_json(s, 0) : json_null();
}

/* {file, line, column, path, field, reason}: a line of the rejects report,
 * and an entry of first_problems (whose reason is cut at `max`). */
static json_t *problem_json(const struct nrm_problem *p, size_t max)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", text_json(p->file ? p->file : "-", 0));
	json_object_set_new(o, "line", p->line ? json_integer((json_int_t)p->line) : json_null());
	json_object_set_new(o, "column",
	                    p->column ? json_integer((json_int_t)p->column) : json_null());
	json_object_set_new(o, "path", maybe_text(p->path));
	json_object_set_new(o, "field", maybe_text(p->field));
	json_object_set_new(o, "reason", text_json(p->reason, max));
	return o;
}

char *nrm_pipeline_problem_text(const json_t *problem)
{
	const char *file = json_string_value(json_object_get(problem, "file"));
	const char *reason = json_string_value(json_object_get(problem, "reason"));
	struct nrm_problem p = {
		.file = file ? file : "-",
		.line = (uint64_t)json_integer_value(json_object_get(problem, "line")),
		.column = (uint64_t)json_integer_value(json_object_get(problem, "column")),
		.path = json_string_value(json_object_get(problem, "path")),
		.field = json_string_value(json_object_get(problem, "field")),
		.reason = reason ? reason : "",
	};
	return nrm_problem_format(&p);
}

static void write_reject(struct run *r, const struct nrm_problem *p)
{
	json_t *o = problem_json(p, 0);
	char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (line) {
		nrm_host_table.write(&r->rejects, line, strlen(line));
		nrm_host_table.write(&r->rejects, "\n", 1);
	}
	free(line);
	json_decref(o);
}

static void on_problem(void *ctx, const struct nrm_problem *p)
{
	struct run *r = ctx;
	char *msg = nrm_problem_format(p);
	pthread_mutex_lock(&r->report_lock);
	nrm_progress_end(&r->progress);
	uint64_t max = r->pl->max_reported ? r->pl->max_reported : NRM_PIPELINE_MAX_REPORTED;
	if (r->reported < max) {
		nrm_log_report(msg);
		r->reported++;
	} else {
		r->unreported++;
	}
	if (r->have_rejects)
		write_reject(r, p);
	json_t *first = r->pl->first_problems;
	if (first && json_array_size(first) < NRM_PIPELINE_FIRST_PROBLEMS)
		json_array_append_new(first, problem_json(p, NRM_PIPELINE_KEPT_REASON));
	pthread_mutex_unlock(&r->report_lock);
	free(msg);
}

/* The problems past the bound, as one line. */
static void report_the_rest(const struct run *r)
{
	if (!r->unreported)
		return;
	char *line = r->have_rejects
		? nrm_xasprintf("... and %llu more problems, not shown: all are in %s",
		                (unsigned long long)r->unreported, r->pl->rejects)
		: nrm_xasprintf("... and %llu more problems, not shown: give --rejects FILE to "
		                "have them all", (unsigned long long)r->unreported);
	nrm_log_report(line);
	free(line);
}

/* The rejects report's own write errors are printed, never recorded in it. */
static void on_rejects_problem(void *ctx, const struct nrm_problem *p)
{
	char *msg = nrm_problem_format(p);
	nrm_log_error("%s", msg);
	free(msg);
}

static int open_outputs(struct run *r)
{
	const struct nrm_pipeline *pl = r->pl;
	struct nrm_error err;
	if (pl->rejects) {
		nrm_mkdir_parents(pl->rejects);
		if (nrm_atomic_open(&r->rejects_file, pl->rejects, OUTPUT_MODE, &err) != 0) {
			nrm_log_error("%s", err.msg);
			return err.code;
		}
		nrm_stream_init(&r->rejects, pl->rejects, r->rejects_file.fd, NULL,
		                on_rejects_problem, r);
		r->have_rejects = true;
	}
	if (!pl->to)
		return 0;
	if (strcmp(pl->output, "-") != 0)
		nrm_mkdir_parents(pl->output);
	if (nrm_atomic_open(&r->out_file, pl->output, OUTPUT_MODE, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	nrm_stream_init(&r->out, pl->output, r->out_file.fd, pl->to_options, on_problem, r);
	r->out.write_behind = r->out_file.tmp_path != NULL; /* a file, not the spool */
	if (pl->to->plugin->export_open(&nrm_host_table, &r->out, &r->export_state) != NRM_OK) {
		if (!r->out.problems)
			nrm_log_error("%s: could not start its output", pl->to->plugin->name);
		return r->out.io_failed ? EX_IOERR : EX_DATAERR;
	}
	return 0;
}

static void close_export(struct run *r)
{
	if (r->export_state)
		r->pl->to->plugin->export_close(r->export_state);
	r->export_state = NULL;
}

static int commit(struct nrm_atomic_file *f, struct nrm_stream *s)
{
	struct nrm_error err;
	if (nrm_stream_flush(s) != NRM_OK) {
		nrm_atomic_abort(f);
		return EX_IOERR;
	}
	if (nrm_atomic_commit(f, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	return 0;
}

/* Finishes the output when the run succeeded (or kept going), else removes
 * it; the rejects report is always kept, since it explains the failure. */
static void close_outputs(struct run *r, bool keep_output)
{
	if (r->pl->to && r->out_file.path) {
		if (keep_output && r->export_state &&
		    r->pl->to->plugin->export_finish(r->export_state) != NRM_OK) {
			keep_output = false;
			set_exit(r, r->out.io_failed ? EX_IOERR : EX_DATAERR);
		}
		close_export(r);
		if (keep_output)
			set_exit(r, commit(&r->out_file, &r->out));
		else
			nrm_atomic_abort(&r->out_file);
		nrm_stream_release(&r->out);
	}
	if (r->have_rejects) {
		set_exit(r, commit(&r->rejects_file, &r->rejects));
		nrm_stream_release(&r->rejects);
	}
}

static void handle_record(struct run *r, struct nrm_stream *in, const struct nrm_case *c,
                          const struct nrm_pos *pos)
{
	struct nrm_case_problem problem;
	r->counts.records++;
	if (nrm_case_validate(c, &problem) != 0) {
		nrm_stream_problem(in, pos, problem.field, problem.reason);
		r->counts.bad++;
		r->stop = !r->pl->keep_going;
		return;
	}
	r->counts.good++;
	struct nrm_handoff_tag tag = {.input = in->name, .line = pos->line, .column = pos->column};
	if (r->handoff && !nrm_handoff_put(r->handoff, c, &tag)) {
		r->handoff_refused = true;
		r->stop = true;
	}
}

/* On the export thread: one record to the sink.  A rejection is reported
 * here, at the position the record was read from. */
static int sink_record(struct run *r, const struct nrm_case *c, const struct nrm_handoff_tag *t)
{
	struct nrm_case_problem problem = {0};
	int rc = r->pl->sink(r->pl->sink_ctx, t->input, c, &problem);
	if (rc == NRM_OK)
		return NRM_OK;
	if (rc == NRM_REJECT) {
		struct nrm_problem p = {.file = t->input, .line = t->line, .column = t->column,
		                        .field = problem.field, .reason = problem.reason};
		on_problem(r, &p);
		r->sink_rejected++;
		if (r->pl->keep_going)
			return NRM_OK;
	} else {
		r->sink_exit = rc;
	}
	r->sink_stopped = true;
	return NRM_FAIL;
}

/* On the export thread: one record to the export plugin, or the sink. */
static int export_record(void *ctx, const struct nrm_case *c, const struct nrm_handoff_tag *tag)
{
	struct run *r = ctx;
	if (r->pl->sink)
		return sink_record(r, c, tag);
	return r->pl->to->plugin->export_write(r->export_state, c);
}

/* After the export thread: the sink's rejections become bad records. */
static void finish_sink(struct run *r, int rc)
{
	r->counts.good -= r->sink_rejected;
	r->counts.bad += r->sink_rejected;
	if (r->sink_exit)
		set_exit(r, r->sink_exit);
	else if (rc != NRM_OK && !r->sink_stopped)
		set_exit(r, EX_SOFTWARE);
	if (r->handoff_refused && !r->sink_stopped) {
		nrm_log_error("a record was too large to pass to the export thread");
		set_exit(r, EX_SOFTWARE);
	}
}

/* Waits for the export thread to write what it was given. */
static void finish_export_thread(struct run *r)
{
	if (!r->handoff)
		return;
	int rc = nrm_handoff_finish(r->handoff);
	r->handoff = NULL;
	if (r->pl->sink) {
		finish_sink(r, rc);
	} else if (rc != NRM_OK) {
		if (!r->out.problems)
			nrm_log_error("%s: could not write a record", r->pl->to->plugin->name);
		set_exit(r, r->out.io_failed ? EX_IOERR : EX_DATAERR);
	} else if (r->handoff_refused) {
		nrm_log_error("a record was too large to pass to the export thread");
		set_exit(r, EX_SOFTWARE);
	}
}

/* An input that cannot go on: the plugin said so (or failed silently). */
static void input_failed(struct run *r, struct nrm_stream *in)
{
	if (!in->problems)
		nrm_stream_problem(in, NULL, NULL, "the import plugin stopped without a reason");
	if (in->io_failed)
		set_exit(r, EX_IOERR);
	r->counts.bad++;
	r->stop = r->stop || !r->pl->keep_going || in->io_failed;
}

static void read_records(struct run *r, struct nrm_stream *in, void *state)
{
	const struct nrm_plugin *p = r->pl->from->plugin;
	struct nrm_case c;
	struct nrm_pos pos;
	while (!r->stop) {
		nrm_case_init(&c);
		memset(&pos, 0, sizeof(pos));
		int rc = p->import_next(state, &c, &pos);
		if (rc == NRM_EOF)
			break;
		nrm_case_from_module(&c, p->abi_minor);
		if (rc == NRM_OK) {
			handle_record(r, in, &c, &pos);
		} else if (rc == NRM_REJECT) {
			r->counts.records++;
			r->counts.bad++;
			r->stop = !r->pl->keep_going;
		} else {
			input_failed(r, in);
			break;
		}
		nrm_progress_update(&r->progress, r->bytes_done + in->bytes, r->counts.records);
	}
}

static void run_input(struct run *r, const char *name)
{
	const struct nrm_plugin *p = r->pl->from->plugin;
	int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		nrm_log_error("cannot open %s: %s", name, strerror(errno));
		set_exit(r, EX_NOINPUT);
		r->stop = true;
		return;
	}
	struct nrm_stream in;
	void *state = NULL;
	nrm_stream_init(&in, name, fd, r->pl->from_options, on_problem, r);
	if (p->import_open(&nrm_host_table, &in, &state) == NRM_OK) {
		read_records(r, &in, state);
		p->import_close(state);
	} else {
		input_failed(r, &in);
	}
	r->bytes_done += in.bytes;
	if (fd != STDIN_FILENO)
		close(fd);
}

/* Every input is checked before anything is written, so a typo in the last
 * file name does not cost a half-finished run. */
static int check_inputs(char *const *inputs, size_t n, uint64_t *total)
{
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(inputs[i], "-") == 0)
			continue;
		if (stat(inputs[i], &st) != 0 || access(inputs[i], R_OK) != 0) {
			nrm_log_error("cannot read %s: %s", inputs[i], strerror(errno));
			return EX_NOINPUT;
		}
		if (S_ISDIR(st.st_mode)) {
			nrm_log_error("%s is a directory, not a file", inputs[i]);
			return EX_NOINPUT;
		}
		if (S_ISREG(st.st_mode))
			*total += (uint64_t)st.st_size;
	}
	return 0;
}

int nrm_pipeline_run(const struct nrm_pipeline *pl, char *const *inputs, size_t n_inputs,
                     struct nrm_pipeline_counts *counts)
{
	struct nrm_error err;
	struct run r = {.pl = pl, .report_lock = PTHREAD_MUTEX_INITIALIZER};
	uint64_t total;
	int rc = check_inputs(inputs, n_inputs, &total);
	if (rc)
		return rc;
	if (nrm_country_load(&err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	rc = open_outputs(&r);
	if (rc) {
		close_export(&r);
		if (r.out_file.path)
			nrm_atomic_abort(&r.out_file);
		if (r.have_rejects)
			nrm_atomic_abort(&r.rejects_file);
		nrm_stream_release(&r.out);
		return rc;
	}
	if ((pl->to || pl->sink) && !(r.handoff = nrm_handoff_start(export_record, &r))) {
		nrm_log_error("cannot start the export thread");
		r.exit_code = EX_OSERR;
		r.stop = true;
	}
	nrm_progress_start(&r.progress, total);
	for (size_t i = 0; i < n_inputs && !r.stop; i++)
		run_input(&r, inputs[i]);
	finish_export_thread(&r);
	nrm_progress_end(&r.progress);
	bool clean = r.counts.bad == 0 && !r.exit_code;
	report_the_rest(&r);
	close_outputs(&r, clean || (pl->keep_going && !r.exit_code));
	*counts = r.counts;
	if (r.exit_code)
		return r.exit_code;
	return r.counts.bad ? EX_DATAERR : 0;
}
