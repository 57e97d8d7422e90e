/*
 * The parent side of `plugin check`: it builds the inputs, runs each job in
 * a fresh child (sandbox.c, check_child.c) and turns what came back, or the
 * way the child died, into one verdict per check.
 */
#include "plugin_check.h"

#include "check_child.h"
#include "check_damage.h"
#include "check_fixtures.h"
#include "country.h"
#include "sandbox.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* A sample bigger than this is not a sample. */
#define MAX_SAMPLE (16u << 20)
/* Memory: inputs of about SMALL_INPUT bytes and GROWTH_FACTOR times more;
 * the live heap may differ by at most MAX_GROWTH between them. */
#define SMALL_INPUT (64u << 10)
#define GROWTH_FACTOR 64
#define MAX_GROWTH (128u << 10)
#define EXPORT_SMALL_COPIES 16

static const char *const names[NRM_CHECK_COUNT][2] = {
	[NRM_CHECK_ABI] = {"abi", "ABI and metadata"},
	[NRM_CHECK_OPTIONS] = {"options", "options table"},
	[NRM_CHECK_IMPORT] = {"import", "import of the sample"},
	[NRM_CHECK_DAMAGED] = {"damaged", "import of damaged samples"},
	[NRM_CHECK_EXPORT] = {"export", "export of the canonical fixtures"},
	[NRM_CHECK_ROUND_TRIP] = {"round-trip", "export then import"},
	[NRM_CHECK_MEMORY] = {"memory", "memory against input size"},
};

struct checker {
	const struct nrm_check_config *cfg;
	struct nrm_check_target target;
	struct nrm_check_report *rep;
	struct nrm_describe_outcome desc;
	struct nrm_fixtures fixtures;
	char *sample;
	size_t sample_len;
	const char *sample_label;
	struct nrm_import_outcome sample_outcome;
};

static void verdict(struct checker *ck, enum nrm_check_id id, enum nrm_check_result r,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void verdict(struct checker *ck, enum nrm_check_id id, enum nrm_check_result r,
                    const char *fmt, ...)
{
	struct nrm_check_item *it = &ck->rep->items[id];
	va_list ap;
	va_start(ap, fmt);
	char *detail;
	if (vasprintf(&detail, fmt, ap) < 0)
		detail = NULL;
	va_end(ap);
	free(it->detail);
	it->result = r;
	it->detail = detail ? detail : nrm_xstrdup("");
}

static void skip(struct checker *ck, enum nrm_check_id id, const char *why)
{
	verdict(ck, id, NRM_CHECK_SKIP, "%s", why);
}

/* The start of what a child printed, safe to show on one line. */
static void printable(char *s)
{
	for (; *s; s++)
		if (!isprint((unsigned char)*s))
			*s = '.';
}

/* Runs one job; NULL when the child finished, sent `want` bytes and printed
 * nothing, else what went wrong (caller frees).  res->data is the outcome. */
static char *run_job(struct checker *ck, nrm_sandbox_fn fn, void *job, size_t want,
                     struct nrm_sandbox_result *res)
{
	nrm_sandbox_run(fn, job, ck->cfg->timeout_ms, false, res);
	if (res->end != NRM_SANDBOX_EXITED)
		return nrm_sandbox_describe(res);
	if (res->data_len < want || !*(const int *)res->data)
		return nrm_xstrdup("ended the process (exit status 0) before finishing: "
		                   "a plugin must never exit");
	if (res->stdout_bytes) {
		printable(res->stdout_head);
		return nrm_xasprintf("wrote %zu bytes to standard output (\"%.40s\"): a plugin "
		                     "must never print; report through host->report",
		                     res->stdout_bytes, res->stdout_head);
	}
	return NULL;
}

/* ---- ABI, metadata, options ----------------------------------------- */

static bool check_describe(struct checker *ck)
{
	struct nrm_sandbox_result res;
	char *trouble = run_job(ck, nrm_child_describe, &ck->target, sizeof(ck->desc), &res);
	if (trouble) {
		verdict(ck, NRM_CHECK_ABI, NRM_CHECK_FAIL, "loading the module %s", trouble);
		free(trouble);
		nrm_sandbox_result_free(&res);
		return false;
	}
	memcpy(&ck->desc, res.data, sizeof(ck->desc));
	nrm_sandbox_result_free(&res);
	const struct nrm_describe_outcome *d = &ck->desc;
	if (!d->abi_ok) {
		verdict(ck, NRM_CHECK_ABI, NRM_CHECK_FAIL, "%s", d->abi_reason);
		return false;
	}
	ck->rep->plugin_name = nrm_xstrdup(d->name);
	verdict(ck, NRM_CHECK_ABI, NRM_CHECK_PASS, "%s %s, built for ABI %u.%u (hub %d.%d), %s",
	        d->name, d->version, d->abi_major, d->abi_minor, NRM_ABI_MAJOR, NRM_ABI_MINOR,
	        (d->caps & NRM_CAP_IMPORT) && (d->caps & NRM_CAP_EXPORT) ? "import and export"
	        : d->caps & NRM_CAP_IMPORT ? "import only" : "export only");
	if (d->options_ok)
		verdict(ck, NRM_CHECK_OPTIONS, NRM_CHECK_PASS,
		        "%u option%s: names, types, descriptions and defaults sound", d->n_options,
		        d->n_options == 1 ? "" : "s");
	else
		verdict(ck, NRM_CHECK_OPTIONS, NRM_CHECK_FAIL, "%s", d->options_reason);
	return d->options_ok;
}

/* ---- importing ------------------------------------------------------ */

/* Why an import went wrong for any input, or NULL (caller frees). */
static char *import_trouble(const struct nrm_import_outcome *o)
{
	if (o->setup_failed)
		return nrm_xasprintf("could not set up: %s", o->setup_reason);
	if (o->end != NRM_EOF && o->end != NRM_FAIL)
		return nrm_xasprintf("import_next returned %d, which is not an nrm_status", o->end);
	if (o->silent_fail)
		return nrm_xasprintf("it gave up (NRM_FAIL%s) without reporting why through "
		                     "host->report", o->open_failed ? " from import_open" : "");
	if (o->silent_rejects)
		return nrm_xasprintf("it rejected %llu record(s) without reporting why",
		                     (unsigned long long)o->silent_rejects);
	if (o->unplaced_reports)
		return nrm_xasprintf("it reported a problem without a position (no line, no "
		                     "path): \"%s\"", o->first_unplaced);
	if (o->unplaced_ok)
		return nrm_xasprintf("it returned %llu record(s) without setting their position",
		                     (unsigned long long)o->unplaced_ok);
	return NULL;
}

/* Imports `data` in a child; NULL when all went by the rules, else why not. */
static char *import_once(struct checker *ck, const char *label, const char *data, size_t len,
                         bool validate, struct nrm_import_outcome *out)
{
	struct nrm_import_job job = {&ck->target, label, data, len, validate};
	struct nrm_sandbox_result res;
	char *trouble = run_job(ck, nrm_child_import, &job, sizeof(*out), &res);
	if (!trouble) {
		memcpy(out, res.data, sizeof(*out));
		trouble = import_trouble(out);
	}
	nrm_sandbox_result_free(&res);
	return trouble;
}

static bool check_import(struct checker *ck)
{
	struct nrm_import_outcome *o = &ck->sample_outcome;
	char *trouble = import_once(ck, ck->sample_label, ck->sample, ck->sample_len, true, o);
	if (!trouble && o->end == NRM_FAIL)
		trouble = nrm_xasprintf("it stopped with an error (reported %llu problem(s)); a "
		                        "sample must import cleanly", (unsigned long long)o->reports);
	else if (!trouble && o->rejected)
		trouble = nrm_xasprintf("it rejected %llu record(s); a sample must import cleanly",
		                        (unsigned long long)o->rejected);
	else if (!trouble && !o->ok)
		trouble = nrm_xstrdup("it read no records from the sample");
	else if (!trouble && o->invalid)
		trouble = nrm_xasprintf("%llu record(s) break the canonical rules, the first at "
		                        "line %llu: %s", (unsigned long long)o->invalid,
		                        (unsigned long long)o->first_invalid_line, o->first_invalid);
	if (trouble) {
		verdict(ck, NRM_CHECK_IMPORT, NRM_CHECK_FAIL, "%s: %s", ck->sample_label, trouble);
		free(trouble);
		return false;
	}
	verdict(ck, NRM_CHECK_IMPORT, NRM_CHECK_PASS,
	        "%s: %llu records, each with its position and keeping the canonical rules",
	        ck->sample_label, (unsigned long long)o->ok);
	return true;
}

static void check_damaged(struct checker *ck)
{
	struct nrm_variants v;
	nrm_variants_make(&v, ck->sample, ck->sample_len);
	size_t refused = 0, accepted = 0;
	char *trouble = NULL;
	const char *bad = NULL;
	for (size_t i = 0; i < v.count && !trouble; i++) {
		struct nrm_import_outcome o;
		trouble = import_once(ck, v.items[i].label, v.items[i].data, v.items[i].len, false,
		                      &o);
		if (trouble)
			bad = v.items[i].label;
		else if (o.end == NRM_FAIL || o.rejected)
			refused++;
		else
			accepted++;
	}
	if (trouble)
		verdict(ck, NRM_CHECK_DAMAGED, NRM_CHECK_FAIL,
		        "%s: %s (%zu of %zu variants handled before this one)", bad, trouble,
		        refused + accepted, v.count);
	else
		verdict(ck, NRM_CHECK_DAMAGED, NRM_CHECK_PASS,
		        "%zu damaged variants (empty, truncated, bytes changed, lines duplicated, "
		        "an 8 MiB line): %zu refused with a position, %zu read without error",
		        v.count, refused, accepted);
	free(trouble);
	nrm_variants_free(&v);
}

/* ---- exporting ------------------------------------------------------ */

static const char *const stages[] = {"", "export_open", "export_write", "export_finish",
                                     "writing its output"};

/* Why an export went wrong, or NULL (caller frees). */
static char *export_trouble(const struct nrm_export_outcome *o)
{
	if (o->setup_failed)
		return nrm_xasprintf("could not set up: %s", o->setup_reason);
	if (!o->failed_at)
		return o->bytes ? NULL : nrm_xstrdup("it wrote nothing");
	char record[48] = "";
	if (o->failed_at == 2)
		snprintf(record, sizeof(record), " on record %llu",
		         (unsigned long long)o->failed_record);
	if (o->silent)
		return nrm_xasprintf("%s failed%s without reporting why", stages[o->failed_at],
		                     record);
	return nrm_xasprintf("%s failed%s: %s", stages[o->failed_at], record, o->reason);
}

static char *export_once(struct checker *ck, struct nrm_export_job *job,
                         struct nrm_export_outcome *out, char **output, size_t *output_len)
{
	job->target = &ck->target;
	job->fixtures = &ck->fixtures;
	struct nrm_sandbox_result res;
	char *trouble = run_job(ck, nrm_child_export, job, sizeof(*out), &res);
	if (!trouble) {
		memcpy(out, res.data, sizeof(*out));
		trouble = export_trouble(out);
	}
	if (!trouble && output) {
		*output_len = res.data_len - sizeof(*out);
		*output = nrm_xmalloc(*output_len ? *output_len : 1);
		memcpy(*output, (char *)res.data + sizeof(*out), *output_len);
	}
	nrm_sandbox_result_free(&res);
	return trouble;
}

static bool check_export(struct checker *ck)
{
	struct nrm_export_job job = {.copies = 1};
	struct nrm_export_outcome o;
	char *trouble = export_once(ck, &job, &o, NULL, NULL);
	if (trouble) {
		verdict(ck, NRM_CHECK_EXPORT, NRM_CHECK_FAIL, "%s", trouble);
		free(trouble);
		return false;
	}
	verdict(ck, NRM_CHECK_EXPORT, NRM_CHECK_PASS, "%llu canonical records written (%llu bytes)",
	        (unsigned long long)o.written, (unsigned long long)o.bytes);
	return true;
}

/* "a, b, c" for the fields in the mask (caller frees). */
static char *lost_field_list(uint32_t mask)
{
	char *list = nrm_xstrdup("");
	for (unsigned f = 0; f < NRM_CASE_FIELD_COUNT; f++) {
		if (!(mask & (UINT32_C(1) << f)))
			continue;
		char *longer = nrm_xasprintf("%s%s%s", list, *list ? ", " : "",
		                             nrm_case_field_name(f));
		free(list);
		list = longer;
	}
	return list;
}

static void check_round_trip(struct checker *ck)
{
	struct nrm_export_job job = {.copies = 1, .read_back = true};
	struct nrm_export_outcome o;
	char *trouble = export_once(ck, &job, &o, NULL, NULL);
	if (!trouble && o.back_failed)
		trouble = nrm_xasprintf("reading its own export back failed after %llu records: %s",
		                        (unsigned long long)o.back_records, o.back_reason);
	else if (!trouble && o.mismatch_record)
		trouble = nrm_xasprintf("record %llu came back with a different %s",
		                        (unsigned long long)o.mismatch_record, o.mismatch_field);
	else if (!trouble && o.back_records != o.written)
		trouble = nrm_xasprintf("%llu records written, %llu read back",
		                        (unsigned long long)o.written,
		                        (unsigned long long)o.back_records);
	if (trouble) {
		verdict(ck, NRM_CHECK_ROUND_TRIP, NRM_CHECK_FAIL, "%s", trouble);
		free(trouble);
		return;
	}
	if (!o.lost_fields) {
		verdict(ck, NRM_CHECK_ROUND_TRIP, NRM_CHECK_PASS,
		        "%llu records read back with every field unchanged",
		        (unsigned long long)o.back_records);
		return;
	}
	/* A format need not carry every field; the user is told which. */
	char *lost = lost_field_list(o.lost_fields);
	verdict(ck, NRM_CHECK_ROUND_TRIP, NRM_CHECK_PASS,
	        "%llu records read back with no field changed; not carried by the format: %s",
	        (unsigned long long)o.back_records, lost);
	free(lost);
}

/* Without a sample, a plugin that exports makes its own from the fixtures. */
static bool sample_from_export(struct checker *ck)
{
	struct nrm_export_job job = {.copies = 1, .send_output = true};
	struct nrm_export_outcome o;
	char *trouble = export_once(ck, &job, &o, &ck->sample, &ck->sample_len);
	free(trouble);
	ck->sample_label = "(its own export of the fixtures)";
	return !trouble && ck->sample_len;
}

/* ---- memory --------------------------------------------------------- */

/* Repeating a sample's records needs to know which lines are a header or a
 * trailer: the first layout whose doubled body doubles the records wins. */
static const size_t layouts[][2] = {{1, 0}, {0, 0}, {1, 1}, {2, 1}, {2, 2}};

static bool pick_layout(struct checker *ck, size_t *head, size_t *tail)
{
	const struct nrm_import_outcome *one = &ck->sample_outcome;
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		size_t len;
		char *two = nrm_sample_repeat(ck->sample, ck->sample_len, layouts[i][0],
		                              layouts[i][1], 2, &len);
		if (!two)
			continue;
		struct nrm_import_outcome o;
		char *trouble = import_once(ck, "(sample, body twice)", two, len, false, &o);
		free(two);
		bool doubles = !trouble && o.end == NRM_EOF && !o.rejected &&
		               o.ok > one->ok && o.ok <= 2 * one->ok;
		free(trouble);
		if (doubles) {
			*head = layouts[i][0];
			*tail = layouts[i][1];
			return true;
		}
	}
	return false;
}

static char *import_peak(struct checker *ck, size_t head, size_t tail, size_t copies,
                         uint64_t *growth, size_t *input)
{
	char *data = nrm_sample_repeat(ck->sample, ck->sample_len, head, tail, copies, input);
	struct nrm_import_outcome o;
	char *trouble = import_once(ck, "(sample, repeated)", data, *input, false, &o);
	free(data);
	*growth = trouble ? 0 : o.peak_heap - o.base_heap;
	return trouble;
}

/* Appends the import half of the memory verdict to `msg`; false on failure. */
static bool memory_import(struct checker *ck, char **msg)
{
	size_t head, tail, small_in, large_in;
	if (!pick_layout(ck, &head, &tail)) {
		*msg = nrm_xstrdup("import not measured (repeating the sample's lines did not give "
		                   "a larger valid input)");
		return true;
	}
	size_t copies = SMALL_INPUT / (ck->sample_len ? ck->sample_len : 1) + 1;
	uint64_t small, large;
	char *trouble = import_peak(ck, head, tail, copies, &small, &small_in);
	if (!trouble)
		trouble = import_peak(ck, head, tail, copies * GROWTH_FACTOR, &large, &large_in);
	if (trouble) {
		*msg = nrm_xasprintf("import of the repeated sample: %s", trouble);
		free(trouble);
		return false;
	}
	bool ok = large <= small + MAX_GROWTH;
	*msg = nrm_xasprintf("import %s: live heap grew by %llu KiB for %zu KiB of input and "
	                     "%llu KiB for %zu KiB%s", ok ? "steady" : "GROWS",
	                     (unsigned long long)(small >> 10), small_in >> 10,
	                     (unsigned long long)(large >> 10), large_in >> 10,
	                     ok ? "" : ": it holds on to what it has read");
	return ok;
}

static bool memory_export(struct checker *ck, char **msg)
{
	uint64_t peak[2];
	uint64_t records[2];
	for (int i = 0; i < 2; i++) {
		struct nrm_export_job job = {
			.copies = EXPORT_SMALL_COPIES * (i ? GROWTH_FACTOR : 1), .to_null = true};
		struct nrm_export_outcome o;
		char *trouble = export_once(ck, &job, &o, NULL, NULL);
		if (trouble) {
			*msg = nrm_xasprintf("export of the repeated fixtures: %s", trouble);
			free(trouble);
			return false;
		}
		peak[i] = o.peak_heap - o.base_heap;
		records[i] = o.written;
	}
	bool ok = peak[1] <= peak[0] + MAX_GROWTH;
	*msg = nrm_xasprintf("export %s: live heap grew by %llu KiB for %llu records and %llu KiB "
	                     "for %llu%s", ok ? "steady" : "GROWS",
	                     (unsigned long long)(peak[0] >> 10), (unsigned long long)records[0],
	                     (unsigned long long)(peak[1] >> 10), (unsigned long long)records[1],
	                     ok ? "" : ": it holds on to what it has written");
	return ok;
}

static void check_memory(struct checker *ck, bool import_ok, bool export_ok)
{
	char *in = NULL, *out = NULL;
	bool ok = true;
	if (!nrm_check_heap_measurable()) {
		verdict(ck, NRM_CHECK_MEMORY, NRM_CHECK_SKIP, "the live heap cannot be measured "
		        "here: malloc is not glibc's (valgrind?)");
		return;
	}
	if (import_ok)
		ok = memory_import(ck, &in) && ok;
	if (export_ok)
		ok = memory_export(ck, &out) && ok;
	verdict(ck, NRM_CHECK_MEMORY, ok ? NRM_CHECK_PASS : NRM_CHECK_FAIL, "%s%s%s",
	        in ? in : "", in && out ? "; " : "", out ? out : "");
	free(in);
	free(out);
}

/* ---- the whole check ------------------------------------------------ */

static int read_sample(struct checker *ck, const char *path, struct nrm_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return nrm_fail(err, EX_NOINPUT, "cannot open the sample %s: %s", path,
		                strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_SAMPLE) {
		fclose(f);
		return nrm_fail(err, EX_DATAERR, "the sample %s must be a file of at most %u MiB",
		                path, MAX_SAMPLE >> 20);
	}
	ck->sample = nrm_xmalloc((size_t)st.st_size + 1);
	ck->sample_len = fread(ck->sample, 1, (size_t)st.st_size, f);
	bool failed = ferror(f);
	fclose(f);
	if (failed)
		return nrm_fail(err, EX_IOERR, "cannot read the sample %s", path);
	ck->sample_label = path;
	return 0;
}

static void run_checks(struct checker *ck)
{
	const struct nrm_check_config *cfg = ck->cfg;
	check_describe(ck);
	if (!ck->desc.loads) {
		const char *why = ck->desc.abi_ok ? "the hub refuses to load a plugin whose "
		                  "options table is unsound" : "the module could not be loaded";
		for (int i = NRM_CHECK_IMPORT; i < NRM_CHECK_COUNT; i++)
			skip(ck, (enum nrm_check_id)i, why);
		return;
	}
	bool imports = ck->desc.caps & NRM_CAP_IMPORT, exports = ck->desc.caps & NRM_CAP_EXPORT;
	bool export_ok = exports && check_export(ck);
	if (!exports) {
		skip(ck, NRM_CHECK_EXPORT, "the plugin does not export");
		skip(ck, NRM_CHECK_ROUND_TRIP, "the plugin does not export");
	} else if (!imports) {
		skip(ck, NRM_CHECK_ROUND_TRIP, "the plugin does not import");
	} else if (export_ok) {
		check_round_trip(ck);
	} else {
		skip(ck, NRM_CHECK_ROUND_TRIP, "the export failed");
	}
	bool have_sample = cfg->sample || (imports && export_ok && sample_from_export(ck));
	bool import_ok = false;
	if (!imports) {
		skip(ck, NRM_CHECK_IMPORT, "the plugin does not import");
		skip(ck, NRM_CHECK_DAMAGED, "the plugin does not import");
	} else if (!have_sample) {
		skip(ck, NRM_CHECK_IMPORT, "no sample: give one with --sample FILE");
		skip(ck, NRM_CHECK_DAMAGED, "no sample: give one with --sample FILE");
	} else {
		import_ok = check_import(ck);
		check_damaged(ck);
	}
	if (import_ok || export_ok)
		check_memory(ck, import_ok, export_ok);
	else
		skip(ck, NRM_CHECK_MEMORY, "neither an import nor an export succeeded");
}

int nrm_plugin_check_run(const struct nrm_check_config *cfg, struct nrm_check_report *rep,
                         struct nrm_error *err)
{
	memset(rep, 0, sizeof(*rep));
	struct checker ck = {.cfg = cfg, .rep = rep,
	                     .target = {cfg->plugin_path, cfg->options, cfg->n_options}};
	if (access(cfg->plugin_path, R_OK) != 0)
		return nrm_fail(err, EX_NOINPUT, "cannot read the plugin %s: %s", cfg->plugin_path,
		                strerror(errno));
	if (cfg->sample && read_sample(&ck, cfg->sample, err) != 0) {
		free(ck.sample);
		return -1;
	}
	/* Loaded before any child starts, so every child inherits them. */
	if (nrm_country_load(err) != 0 ||
	    nrm_fixtures_load(&ck.fixtures, cfg->reader, cfg->fixtures, err) != 0) {
		free(ck.sample);
		return -1;
	}
	for (int i = 0; i < NRM_CHECK_COUNT; i++) {
		rep->items[i].name = names[i][0];
		rep->items[i].title = names[i][1];
		rep->items[i].result = NRM_CHECK_SKIP;
		rep->items[i].detail = nrm_xstrdup("the module could not be loaded");
	}
	run_checks(&ck);
	for (int i = 0; i < NRM_CHECK_COUNT; i++) {
		enum nrm_check_result r = rep->items[i].result;
		rep->passed += r == NRM_CHECK_PASS;
		rep->failed += r == NRM_CHECK_FAIL;
		rep->skipped += r == NRM_CHECK_SKIP;
	}
	free(ck.sample);
	nrm_fixtures_free(&ck.fixtures);
	return 0;
}

void nrm_check_report_free(struct nrm_check_report *rep)
{
	free(rep->plugin_name);
	for (int i = 0; i < NRM_CHECK_COUNT; i++)
		free(rep->items[i].detail);
	memset(rep, 0, sizeof(*rep));
}
