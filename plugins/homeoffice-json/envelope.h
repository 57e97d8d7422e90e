/*
 * Reading a large JSON document one element at a time.
 *
 * The Home Office exchange is one JSON document: {"header": {...},
 * "cases": [ {...}, {...}, ... ]}.  Loading it whole (json_loadb) would
 * hold every case in memory at once.  Instead a small tokenizer here reads
 * only the envelope (the outer object's braces, its member names, the
 * cases array's brackets and commas), and each element inside it (the
 * header, then one case at a time) is handed to jansson's
 * json_load_callback with JSON_DISABLE_EOF_CHECK, which parses one object
 * and stops at its closing brace.  jansson then reports, in
 * json_error_t.position, how many bytes it used, so the tokenizer carries
 * on exactly after the element.  jansson does all the real JSON work
 * (strings, escapes, UTF-8, numbers, duplicate keys, depth); the tokenizer
 * never decodes a value.  Memory is the read buffer plus one element,
 * and an element is capped (max-case-size), so it does not grow with the
 * number of cases.
 */
#ifndef NRM_HOMEOFFICE_ENVELOPE_H
#define NRM_HOMEOFFICE_ENVELOPE_H

#include <nrmhub/plugin.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct envelope {
	const struct nrm_host *host;
	nrm_stream *in;
	char *buf;
	size_t start, end, cap;  /* unread bytes are buf[start..end) */
	size_t handed;           /* bytes up to here were given to jansson */
	uint64_t offset;         /* where buf[0] is in the input */
	uint64_t line, column;   /* position of buf[start], 1-based, in characters */
	uint64_t max_document, max_value;
	uint64_t value_start;    /* where the element being parsed starts */
	bool eof;
	bool failed;             /* a read error or the size cap: reported */
	bool value_too_big;
};

int envelope_init(struct envelope *e, const struct nrm_host *host, nrm_stream *in,
                  uint64_t max_document, uint64_t max_value);
void envelope_free(struct envelope *e);

/* The position of the next unread byte. */
void envelope_pos(const struct envelope *e, struct nrm_pos *pos);
/* Skips whitespace (and a byte order mark at the very start); *c is the
 * next byte, or -1 at the end of the input.  NRM_OK, or NRM_FAIL when the
 * input cannot be read (reported). */
int envelope_peek(struct envelope *e, int *c);
/* Consumes the byte envelope_peek returned. */
void envelope_take(struct envelope *e);
/* Reads a member name: a plain string of printable ASCII without escapes,
 * at most cap - 1 bytes.  NRM_OK, NRM_REJECT when the name is not plain
 * (nothing reported; *out is ""), or NRM_FAIL (reported). */
int envelope_name(struct envelope *e, char *out, size_t cap);
/* Parses the object that starts at the next byte.  NULL when it is not
 * valid JSON, too big or cannot be read; then the reason has been reported
 * at its position, with `path` (the element's JSON path). */
json_t *envelope_object(struct envelope *e, const char *path);

#endif
