/*
 * The fixtures are trusted (they ship with the hub and are read by a bundled
 * plugin), so they are read in the parent; only the plugin under check runs
 * in children.
 */
#include "check_fixtures.h"

#include "case.h"
#include "options.h"
#include "stream.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define STRING_FIELDS(X) \
	X(case_id) X(site) X(nrm_ref) X(first_responder_org) X(local_authority) \
	X(police_force)
#define NUMBER_FIELDS(X) \
	X(updated_at) X(referral_date) X(first_responder_type) X(age_at_exploitation) \
	X(gender) X(exploitation_types) X(exploitation_location) X(rg_decision_date) \
	X(rg_outcome) X(cg_decision_date) X(cg_outcome) X(decision_maker) X(status) \
	X(status_date) X(age_disputed) X(county_lines) X(date_of_birth)

static char *dup_or_null(const char *s)
{
	return s ? nrm_xstrdup(s) : NULL;
}

void nrm_case_copy(struct nrm_case *dst, const struct nrm_case *src)
{
	*dst = *src;
#define COPY(f) dst->f = dup_or_null(src->f);
	STRING_FIELDS(COPY)
#undef COPY
	dst->nationality[0] = dup_or_null(src->nationality[0]);
	dst->nationality[1] = dup_or_null(src->nationality[1]);
}

/* The record's strings are const for plugins; these copies are ours. */
static void free_text(const char *s)
{
	free((void *)(uintptr_t)s);
}

void nrm_case_copy_free(struct nrm_case *c)
{
#define FREE(f) free_text(c->f);
	STRING_FIELDS(FREE)
#undef FREE
	free_text(c->nationality[0]);
	free_text(c->nationality[1]);
	memset(c, 0, sizeof(*c));
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* What "not known" is for each number field (strings: NULL). */
static int64_t unknown_number(const char *field)
{
	static const struct {
		const char *field;
		int64_t none;
	} special[] = {
		{"updated_at", NRM_TIME_NONE},       {"referral_date", NRM_DATE_NONE},
		{"rg_decision_date", NRM_DATE_NONE}, {"cg_decision_date", NRM_DATE_NONE},
		{"status_date", NRM_DATE_NONE},      {"age_at_exploitation", NRM_AGE_NONE},
		{"age_disputed", NRM_UNKNOWN},       {"county_lines", NRM_UNKNOWN},
		{"date_of_birth", NRM_DATE_NONE},
	};
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcmp(special[i].field, field) == 0)
			return special[i].none;
	return 0; /* enumerations and the exploitation set: 0 is "not given" */
}

#define FIELD_NAME(f) #f,
static const char *const field_names[] = {
	STRING_FIELDS(FIELD_NAME) "nationality", NUMBER_FIELDS(FIELD_NAME)
};
#undef FIELD_NAME
_Static_assert(sizeof(field_names) / sizeof(field_names[0]) == NRM_CASE_FIELD_COUNT,
               "NRM_CASE_FIELD_COUNT counts the canonical fields");

const char *nrm_case_field_name(unsigned field)
{
	return field < NRM_CASE_FIELD_COUNT ? field_names[field] : "?";
}

/* One field: the same, lost (known, then unknown), or changed. */
static void compare_field(struct nrm_case_diff *d, unsigned field, bool same, bool b_unknown)
{
	if (same)
		return;
	if (b_unknown)
		d->lost |= UINT32_C(1) << field;
	else if (!d->changed)
		d->changed = field_names[field];
}

void nrm_case_compare(const struct nrm_case *a, const struct nrm_case *b,
                      struct nrm_case_diff *d)
{
	unsigned field = 0;
	*d = (struct nrm_case_diff){0};
#define CMP_TEXT(f) compare_field(d, field++, same_text(a->f, b->f), !b->f);
	STRING_FIELDS(CMP_TEXT)
#undef CMP_TEXT
	compare_field(d, field++,
	              same_text(a->nationality[0], b->nationality[0]) &&
	                      same_text(a->nationality[1], b->nationality[1]),
	              !b->nationality[0]);
#define CMP_NUMBER(f) \
	compare_field(d, field++, a->f == b->f, (int64_t)b->f == unknown_number(#f));
	NUMBER_FIELDS(CMP_NUMBER)
#undef CMP_NUMBER
}

struct load {
	struct nrm_error *err;
	bool failed;
};

static void on_problem(void *ctx, const struct nrm_problem *p)
{
	struct load *l = ctx;
	if (l->failed)
		return;
	char *msg = nrm_problem_format(p);
	nrm_fail(l->err, EX_DATAERR, "canonical fixtures: %s", msg);
	free(msg);
	l->failed = true;
}

static void add_case(struct nrm_fixtures *fx, const struct nrm_case *c)
{
	fx->cases = nrm_xrealloc(fx->cases, (fx->count + 1) * sizeof(*fx->cases));
	nrm_case_copy(&fx->cases[fx->count++], c);
}

static void read_all(struct nrm_fixtures *fx, const struct nrm_plugin *p, struct nrm_stream *in,
                     struct load *l)
{
	void *state = NULL;
	if (p->import_open(&nrm_host_table, in, &state) != NRM_OK) {
		on_problem(l, &(struct nrm_problem){.file = in->name, .reason = "cannot be read"});
		return;
	}
	for (;;) {
		struct nrm_case c;
		struct nrm_pos pos = {0};
		struct nrm_case_problem problem;
		nrm_case_init(&c);
		int rc = p->import_next(state, &c, &pos);
		nrm_case_from_module(&c, p->abi_minor);
		if (rc == NRM_EOF)
			break;
		if (rc == NRM_OK && nrm_case_validate(&c, &problem) != 0)
			nrm_stream_problem(in, &pos, problem.field, problem.reason);
		if (rc != NRM_OK || l->failed) {
			if (!l->failed)
				on_problem(l, &(struct nrm_problem){.file = in->name,
				                                    .reason = "a record was refused"});
			break;
		}
		add_case(fx, &c);
	}
	p->import_close(state);
}

int nrm_fixtures_load(struct nrm_fixtures *fx, const struct nrm_plugin *reader,
                      const char *path, struct nrm_error *err)
{
	memset(fx, 0, sizeof(*fx));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nrm_fail(err, EX_NOINPUT, "cannot open the canonical fixtures %s: %s", path,
		                strerror(errno));
	struct load l = {.err = err};
	struct nrm_stream in;
	/* case-jsonl's defaults suit the fixtures. */
	struct nrm_optset *defaults = nrm_optset_new(reader->name, reader->options);
	nrm_stream_init(&in, path, fd, defaults, on_problem, &l);
	read_all(fx, reader, &in, &l);
	close(fd);
	nrm_optset_free(defaults);
	if (!l.failed && fx->count == 0)
		nrm_fail(err, EX_DATAERR, "canonical fixtures %s: no records", path), l.failed = true;
	if (l.failed) {
		nrm_fixtures_free(fx);
		return -1;
	}
	return 0;
}

void nrm_fixtures_free(struct nrm_fixtures *fx)
{
	for (size_t i = 0; i < fx->count; i++)
		nrm_case_copy_free(&fx->cases[i]);
	free(fx->cases);
	memset(fx, 0, sizeof(*fx));
}
