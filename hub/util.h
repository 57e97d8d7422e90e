/*
 * Small helpers every part of the hub uses: allocation that cannot return
 * NULL, the error value that carries a sysexits.h code and a message, and
 * UTF-8 checking.
 */
#ifndef NRM_UTIL_H
#define NRM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* An error as a value: a sysexits.h code and a sentence for the user. */
struct nrm_error {
	int code;
	char msg[1024];
};

/* Fills `err` (when not NULL) and returns -1, so callers can write
 * `return nrm_fail(err, EX_DATAERR, "...")`. */
int nrm_fail(struct nrm_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Allocation failures end the process with EX_OSERR: nothing sensible can
 * continue, and every caller checking for NULL would hide real logic. */
void *nrm_xmalloc(size_t n);
void *nrm_xcalloc(size_t n, size_t size);
void *nrm_xrealloc(void *p, size_t n);
char *nrm_xstrdup(const char *s);
char *nrm_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool nrm_utf8_valid(const char *s, size_t len);

/* Parses a whole decimal integer; false on anything else or overflow. */
bool nrm_parse_int64(const char *s, long long *out);

#endif
