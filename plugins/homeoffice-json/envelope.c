/* See envelope.h for why the document is read this way. */
#include "envelope.h"

#include "json_read.h"
#include "json_syntax.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64 * 1024)

int envelope_init(struct envelope *e, const struct nrm_host *host, nrm_stream *in,
                  uint64_t max_document, uint64_t max_value)
{
	memset(e, 0, sizeof(*e));
	e->host = host;
	e->in = in;
	e->line = e->column = 1;
	e->max_document = max_document;
	e->max_value = max_value;
	e->cap = CHUNK;
	e->buf = malloc(CHUNK);
	if (!e->buf)
		return host->report(in, NULL, NULL, "out of memory");
	return NRM_OK;
}

void envelope_free(struct envelope *e)
{
	free(e->buf);
	e->buf = NULL;
}

void envelope_pos(const struct envelope *e, struct nrm_pos *pos)
{
	memset(pos, 0, sizeof(*pos));
	pos->line = e->line;
	pos->column = e->column;
}

/* Moves past n buffered bytes, keeping the line and column: columns count
 * characters, so UTF-8 continuation bytes do not count. */
static void advance(struct envelope *e, size_t n)
{
	const char *p = e->buf + e->start, *stop = p + n;
	const char *nl;
	while ((nl = memchr(p, '\n', (size_t)(stop - p))) != NULL) {
		e->line++;
		e->column = 1;
		p = nl + 1;
	}
	for (; p < stop; p++)
		e->column += ((unsigned char)*p & 0xC0) != 0x80;
	e->start += n;
	if (e->handed < e->start)
		e->handed = e->start;
}

/* Reads more input after what is unread.  Returns the bytes added, 0 at
 * the end of the input, -1 on failure (reported). */
static ssize_t fill(struct envelope *e)
{
	if (e->failed)
		return -1;
	if (e->eof)
		return 0;
	if (e->start > 0) {
		memmove(e->buf, e->buf + e->start, e->end - e->start);
		e->offset += e->start;
		e->end -= e->start;
		e->handed -= e->start;
		e->start = 0;
	}
	uint64_t seen = e->offset + e->end;
	size_t room = e->cap - e->end;
	/* One byte past the cap is enough to know it is exceeded. */
	if (seen + room > e->max_document + 1)
		room = (size_t)(e->max_document + 1 - seen);
	ssize_t n = e->host->read(e->in, e->buf + e->end, room);
	if (n < 0) {
		e->failed = true;
		return -1;
	}
	if (n == 0) {
		e->eof = true;
		return 0;
	}
	e->end += (size_t)n;
	if (e->offset + e->end > e->max_document) {
		struct nrm_pos pos = {.line = 0};
		e->failed = true;
		e->host->report(e->in, &pos, NULL,
		                "the document is larger than max-document-size (%llu bytes)",
		                (unsigned long long)e->max_document);
		return -1;
	}
	return n;
}

int envelope_peek(struct envelope *e, int *c)
{
	for (;;) {
		while (e->start < e->end) {
			unsigned char ch = (unsigned char)e->buf[e->start];
			if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
				advance(e, 1);
				continue;
			}
			/* A byte order mark, allowed once at the start (RFC 8259 8.1). */
			if (ch == 0xEF && e->offset + e->start == 0) {
				if (e->end - e->start < 3 && !e->eof) {
					if (fill(e) < 0)
						return NRM_FAIL;
					continue;
				}
				if (e->end - e->start >= 3 && memcmp(e->buf + e->start, "\xEF\xBB\xBF", 3) == 0) {
					e->start += 3; /* not a character of the text */
					e->handed = e->start;
					continue;
				}
			}
			*c = ch;
			return NRM_OK;
		}
		ssize_t n = fill(e);
		if (n < 0)
			return NRM_FAIL;
		if (n == 0) {
			*c = -1;
			return NRM_OK;
		}
	}
}

void envelope_take(struct envelope *e)
{
	advance(e, 1);
}

int envelope_name(struct envelope *e, char *out, size_t cap)
{
	size_t n = 0;
	bool plain = true;
	out[0] = '\0';
	advance(e, 1); /* the opening quote */
	for (;;) {
		if (e->start == e->end) {
			ssize_t got = fill(e);
			if (got < 0)
				return NRM_FAIL;
			if (got == 0) {
				struct nrm_pos pos;
				envelope_pos(e, &pos);
				pos.path = "$";
				return e->host->report(e->in, &pos, NULL, "truncated: the document "
				                       "ends inside a member name");
			}
		}
		unsigned char ch = (unsigned char)e->buf[e->start];
		if (ch == '"') {
			advance(e, 1);
			out[plain ? n : 0] = '\0';
			return plain ? NRM_OK : NRM_REJECT;
		}
		if (ch == '\\' || ch < 0x20 || ch >= 0x7F || n + 1 >= cap) {
			/* Not one of our names; read to the end without keeping it.
			 * An escaped quote is skipped with its backslash. */
			plain = false;
			if (ch == '\\' && e->start + 1 == e->end) {
				if (fill(e) < 0)
					return NRM_FAIL;
			}
			if (ch == '\\' && e->start + 1 < e->end) {
				advance(e, 2);
				continue;
			}
		} else {
			out[n++] = (char)ch;
		}
		advance(e, 1);
	}
}

/* jansson's reader: hands over what is buffered, reading more when all of
 * it has been handed.  jansson asks again only when it has used everything
 * it was given, so all of it can be counted as read. */
static size_t feed(void *buffer, size_t buflen, void *data)
{
	struct envelope *e = data;
	advance(e, e->handed - e->start);
	if (e->start == e->end) {
		ssize_t n = fill(e);
		if (n <= 0)
			return n == 0 ? 0 : (size_t)-1;
	}
	size_t n = e->end - e->start;
	if (n > buflen)
		n = buflen;
	/* Never hand over a byte past the cap, so an element of exactly
	 * max-case-size bytes passes and one byte more does not. */
	uint64_t used = e->offset + e->start - e->value_start;
	if (used >= e->max_value) {
		e->value_too_big = true;
		return (size_t)-1;
	}
	if (n > e->max_value - used)
		n = (size_t)(e->max_value - used);
	memcpy(buffer, e->buf + e->start, n);
	e->handed = e->start + n;
	return n;
}

json_t *envelope_object(struct envelope *e, const char *path)
{
	struct nrm_pos at;
	envelope_pos(e, &at);
	e->value_start = e->offset + e->start;
	e->handed = e->start;
	e->value_too_big = false;
	json_error_t err;
	json_t *v = json_load_callback(feed, e, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK,
	                               &err);
	if (v) {
		/* jansson used err.position bytes: carry on just after them. */
		uint64_t stop = e->value_start + (uint64_t)err.position;
		advance(e, (size_t)(stop - (e->offset + e->start)));
		return v;
	}
	if (e->failed) /* reported already: a read error or the document cap */
		return NULL;
	struct nrm_pos pos = at;
	pos.path = path;
	if (e->value_too_big) {
		e->host->report(e->in, &pos, NULL,
		                "this element is larger than max-case-size (%llu bytes)",
		                (unsigned long long)e->max_value);
		return NULL;
	}
	/* jansson counts lines and columns from the element's first byte. */
	err.column += json_syntax_column_shift(err.text);
	if (err.line > 1) {
		pos.line = at.line + (uint64_t)err.line - 1;
		pos.column = err.column > 0 ? (uint64_t)err.column : 0;
	} else if (err.line == 1) {
		pos.column = at.column + (uint64_t)(err.column > 0 ? err.column - 1 : 0);
	}
	if (pos.column == 0) /* jansson's column 0: the start of a line */
		pos.column = 1;
	char reason[200];
	json_syntax_reason(err.text, reason, sizeof(reason));
	e->host->report(e->in, &pos, NULL, "%s", reason);
	return NULL;
}
