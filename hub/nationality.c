/*
 * The Home Office's nationality labels and the key of a dual national's
 * combined category.  The labels file is data shipped with nrmhub, but it
 * is read like any input: a bad row is refused with its line and rule, so
 * an edited copy cannot put a stray cell into a signed return.
 */
#include "nationality.h"

#include "read_file.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define LABELS_MAX_BYTES (64 * 1024)
#define LABEL_MAX 60
#define FILE_NAME "nationality-labels.csv"

static const char header[] = "code,label";

#ifndef NRM_NATIONALITY_LABELS_FILE
#error "NRM_NATIONALITY_LABELS_FILE must name formats/nationality-labels.csv"
#endif

/* The shipped file, pulled into .rodata as return_schema.c pulls the
 * schema; Makefile.am rebuilds this object when the file changes. */
__asm__(".pushsection .rodata\n"
        ".hidden nrm_nationality_labels_bytes\n"
        ".globl nrm_nationality_labels_bytes\n"
        ".type nrm_nationality_labels_bytes, @object\n"
        "nrm_nationality_labels_bytes:\n"
        ".incbin \"" NRM_NATIONALITY_LABELS_FILE "\"\n"
        ".byte 0\n"
        ".popsection\n");
extern const char nrm_nationality_labels_bytes[];

static int code_index(const char *c)
{
	if (!c || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2] != '\0')
		return -1;
	return (c[0] - 'A') * 26 + (c[1] - 'A');
}

/* A label becomes a table cell and an SDMX-free text field: no comma,
 * quote or control character can reach a CSV or a report. */
static bool label_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > LABEL_MAX || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && !strchr(" -'.()", c))
			return false;
	}
	return true;
}

static int row_fail(struct nrm_error *err, const char *path, size_t line, const char *col,
                    const char *why)
{
	return nrm_fail(err, EX_DATAERR, "%s:%zu: %s: %s", path, line, col, why);
}

static int read_row(char *line, const char *path, size_t lineno,
                    struct nrm_nationality_labels *out, struct nrm_error *err)
{
	char *comma = strchr(line, ',');
	if (!comma)
		return nrm_fail(err, EX_DATAERR, "%s:%zu: 1 field, not 2", path, lineno);
	*comma = '\0';
	const char *label = comma + 1;
	if (strchr(label, ','))
		return row_fail(err, path, lineno, "label", "more than 2 fields (a label holds no "
		                "comma)");
	int at = code_index(line);
	if (at < 0)
		return row_fail(err, path, lineno, "code", "not an ISO 3166-1 alpha-2 code (two "
		                "upper-case letters)");
	if (out->label[at])
		return row_fail(err, path, lineno, "code", "already given");
	if (!label_ok(label))
		return row_fail(err, path, lineno, "label", "empty, longer than 60 characters, "
		                "spaces at an end, or a character other than letters, digits, "
		                "spaces and - ' . ( )");
	out->label[at] = nrm_xstrdup(label);
	return 0;
}

static int read_lines(char *text, const char *path, struct nrm_nationality_labels *out,
                      struct nrm_error *err)
{
	size_t lineno = 0;
	bool seen_header = false;
	for (char *p, *rest = text; (p = nrm_next_line(&rest)) != NULL;) {
		size_t len = strlen(p);
		lineno++;
		if (len == 0 || p[0] == '#') {
			/* a comment: where the labels come from */
		} else if (!seen_header) {
			if (strcmp(p, header) != 0)
				return nrm_fail(err, EX_DATAERR, "%s:%zu: the header must be '%s'", path,
				                lineno, header);
			seen_header = true;
		} else if (read_row(p, path, lineno, out, err)) {
			return -1;
		}
	}
	if (!seen_header)
		return nrm_fail(err, EX_DATAERR, "%s: no header '%s'", path, header);
	return 0;
}

int nrm_nationality_labels_read(const char *path, struct nrm_nationality_labels *out,
                                struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	char *text;
	if (nrm_read_text_file(path, LABELS_MAX_BYTES, "the labels are a few hundred lines",
	                       &text, err) != 0)
		return -1;
	int rc = read_lines(text, path, out, err);
	free(text);
	if (rc)
		nrm_nationality_labels_free(out);
	return rc;
}

int nrm_nationality_labels_default(struct nrm_nationality_labels *out, struct nrm_error *err)
{
	const char *env = getenv("NRMHUB_NATIONALITY_LABELS");
	if (env && *env)
		return nrm_nationality_labels_read(env, out, err);
	memset(out, 0, sizeof(*out));
	char *text = nrm_xstrdup(nrm_nationality_labels_bytes);
	int rc = read_lines(text, FILE_NAME " (built in)", out, err);
	free(text);
	if (rc)
		nrm_nationality_labels_free(out);
	return rc;
}

void nrm_nationality_labels_free(struct nrm_nationality_labels *l)
{
	for (size_t i = 0; i < sizeof(l->label) / sizeof(l->label[0]); i++) {
		free(l->label[i]);
		l->label[i] = NULL;
	}
}

const char *nrm_nationality_label(const struct nrm_nationality_labels *l, const char *code)
{
	int at = code_index(code);
	return at < 0 ? NULL : l->label[at];
}

void nrm_nationality_key(const char *a, const char *b, char out[8])
{
	bool ok_a = code_index(a) >= 0, ok_b = code_index(b) >= 0;
	if (ok_a && ok_b && strcmp(a, b) != 0) {
		const char *lo = strcmp(a, b) < 0 ? a : b, *hi = lo == a ? b : a;
		snprintf(out, 8, "%s+%s", lo, hi);
	} else if (ok_a || ok_b) {
		snprintf(out, 8, "%s", ok_a ? a : b);
	} else {
		snprintf(out, 8, "unknown");
	}
}

bool nrm_nationality_key_ok(const char *key)
{
	if (strcmp(key, "unknown") == 0)
		return true;
	if (strlen(key) == 2)
		return code_index(key) >= 0;
	if (strlen(key) != 5 || key[2] != '+')
		return false;
	char a[3] = {key[0], key[1], '\0'}, b[3] = {key[3], key[4], '\0'};
	return code_index(a) >= 0 && code_index(b) >= 0 && strcmp(a, b) < 0;
}

char *nrm_nationality_combined_label(const char *label_a, const char *label_b)
{
	bool a_first = strcmp(label_a, label_b) <= 0;
	return nrm_xasprintf("%s %s", a_first ? label_a : label_b, a_first ? label_b : label_a);
}
