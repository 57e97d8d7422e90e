/*
 * The streaming CSV tokenizer declared in csv_reader.h.
 *
 * Speed comes from three choices.  Input is read in 64 KiB chunks with a NUL
 * sentinel after the last byte, so the inner loops need no bounds check: they
 * copy bytes while a 256-entry class table says "ordinary" and stop on the
 * few bytes that matter (delimiter, quote, CR, LF, NUL, any byte >= 0x80).
 * Everything else, including the end of the chunk, is handled once per stop,
 * not once per byte.  ASCII never leaves the inner loop; only a byte >= 0x80
 * costs a call, which validates one whole UTF-8 sequence.
 *
 * Columns in error positions are counted in characters: the reader remembers
 * where the current line started and how many UTF-8 continuation bytes it has
 * passed on that line, which changes only on the slow non-ASCII path.
 */
#include "csv_reader.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CSV_CHUNK (64 * 1024)
/* Bytes carried over from the previous chunk: at most a UTF-8 sequence's
 * first three bytes, or a CR or quote whose next byte decides its meaning. */
#define CSV_CARRY 8
#define CSV_DEFAULT_MAX_FIELD (1024 * 1024)
#define CSV_DEFAULT_MAX_COLUMNS 256

/* Byte classes; 0 means "copy and keep going". */
enum byte_class {
	BC_PLAIN = 0,
	BC_NUL,   /* the sentinel at the end of the chunk, or a real NUL */
	BC_DELIM,
	BC_QUOTE,
	BC_LF,
	BC_CR,
	BC_HIGH,  /* the first byte of a multi-byte UTF-8 sequence (or junk) */
};

/* How a field ended. */
enum field_end { FE_FIELD, FE_RECORD, FE_FATAL };

struct csv_reader {
	csv_read_fn read;
	void *ctx;
	size_t max_field;
	size_t max_columns;
	char delimiter;

	unsigned char *buf; /* CSV_CHUNK + CSV_CARRY + 1 for the sentinel */
	size_t pos, len;
	uint64_t base;      /* stream offset of buf[0] */
	bool eof, fatal, started;

	uint64_t line;       /* line of buf[pos] */
	uint64_t line_start; /* stream offset where that line starts */
	uint64_t line_cont;  /* continuation bytes passed on that line */

	/* The record being built: field bytes, each followed by a NUL. */
	char *rec;
	size_t rec_len, rec_cap;
	size_t *offsets;
	struct csv_field *fields;
	size_t nfields, fields_cap;
	size_t field_start;   /* offset in rec of the current field */
	uint64_t field_line;  /* where the current field starts */
	uint64_t field_column;

	/* Set by the first problem in a record; the rest of it is then only
	 * scanned for its end, not kept. */
	bool bad;
	struct csv_error err;

	unsigned char unquoted_class[256];
	unsigned char quoted_class[256];
};

static const char reason_nul[] = "NUL byte (0x00) in the data";
static const char reason_lone_continuation[] =
	"not valid UTF-8: continuation byte without a lead byte";
static const char reason_overlong[] = "not valid UTF-8: overlong encoding";
static const char reason_surrogate[] =
	"not valid UTF-8: UTF-16 surrogate code point (U+D800 to U+DFFF)";
static const char reason_too_big[] =
	"not valid UTF-8: code point above U+10FFFF";
static const char reason_never[] = "not valid UTF-8: byte 0xF8 to 0xFF";
static const char reason_truncated[] =
	"not valid UTF-8: multi-byte sequence cut short";
static const char reason_field_too_long[] = "field longer than the size limit";
static const char reason_too_many_columns[] = "more columns than the limit";
static const char reason_after_quote[] =
	"text after the closing quote of a quoted field";
static const char reason_unterminated[] =
	"quoted field not closed before the end of the file";
static const char reason_read[] = "the input could not be read";
static const char reason_memory[] = "out of memory";

static void build_classes(struct csv_reader *r)
{
	memset(r->unquoted_class, BC_PLAIN, sizeof(r->unquoted_class));
	for (int c = 0x80; c < 0x100; c++)
		r->unquoted_class[c] = BC_HIGH;
	r->unquoted_class[0] = BC_NUL;
	r->unquoted_class['\n'] = BC_LF;
	r->unquoted_class['\r'] = BC_CR;
	memcpy(r->quoted_class, r->unquoted_class, sizeof(r->quoted_class));
	/* A quote only means something at the start of a field or inside a
	 * quoted one; the delimiter only outside quotes. */
	r->quoted_class['"'] = BC_QUOTE;
	r->unquoted_class[(unsigned char)r->delimiter] = BC_DELIM;
}

struct csv_reader *csv_reader_new(csv_read_fn read, void *ctx,
                                  const struct csv_options *opts)
{
	char delimiter = opts && opts->delimiter ? opts->delimiter : ',';
	if (!read || delimiter == '"' || delimiter == '\n' || delimiter == '\r' ||
	    (unsigned char)delimiter >= 0x80) {
		errno = EINVAL;
		return NULL;
	}
	struct csv_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->read = read;
	r->ctx = ctx;
	r->delimiter = delimiter;
	r->max_field = opts && opts->max_field_size ? opts->max_field_size
	                                            : CSV_DEFAULT_MAX_FIELD;
	r->max_columns = opts && opts->max_columns ? opts->max_columns
	                                           : CSV_DEFAULT_MAX_COLUMNS;
	r->buf = malloc(CSV_CHUNK + CSV_CARRY + 1);
	if (!r->buf) {
		free(r);
		return NULL;
	}
	r->buf[0] = 0; /* the sentinel of an empty chunk */
	r->line = 1;
	build_classes(r);
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->rec);
	free(r->offsets);
	free(r->fields);
	free(r);
}

const struct csv_error *csv_reader_error(const struct csv_reader *r)
{
	return &r->err;
}

uint64_t csv_reader_line(const struct csv_reader *r)
{
	return r->line;
}

static uint64_t column_here(const struct csv_reader *r)
{
	return r->base + r->pos - r->line_start - r->line_cont + 1;
}

/* A problem confined to this record: keep the first one, drop the fields. */
static void record_error(struct csv_reader *r, enum csv_error_kind kind,
                         uint64_t line, uint64_t column, const char *reason)
{
	if (r->bad)
		return;
	r->bad = true;
	r->err = (struct csv_error){line, column, reason, kind};
	r->rec_len = 0;
	r->nfields = 0;
}

static int fatal_error(struct csv_reader *r, enum csv_error_kind kind,
                       uint64_t line, uint64_t column, const char *reason)
{
	r->fatal = true;
	r->err = (struct csv_error){line, column, reason, kind};
	return FE_FATAL;
}

/*
 * Makes at least `need` (<= CSV_CARRY) bytes available from buf[pos], unless
 * the input ends first.  Moves the unread tail to the front, so pointers into
 * buf do not survive it.  0, or -1 after a read error (already recorded).
 */
static int fill(struct csv_reader *r, size_t need)
{
	if (r->len - r->pos >= need || r->eof)
		return 0;
	size_t keep = r->len - r->pos;
	memmove(r->buf, r->buf + r->pos, keep);
	r->base += r->pos;
	r->pos = 0;
	r->len = keep;
	while (r->len < need && !r->eof) {
		size_t room = CSV_CHUNK + CSV_CARRY - r->len;
		if (room > CSV_CHUNK)
			room = CSV_CHUNK;
		ssize_t n = r->read(r->ctx, r->buf + r->len, room);
		if (n < 0 || (size_t)n > room) {
			r->buf[r->len] = 0;
			fatal_error(r, CSV_ERR_READ, r->line, 0, reason_read);
			return -1;
		}
		if (n == 0)
			r->eof = true;
		r->len += (size_t)n;
	}
	r->buf[r->len] = 0;
	return 0;
}

/* Room for `extra` more bytes in the record buffer. */
static int reserve(struct csv_reader *r, size_t extra)
{
	if (r->rec_cap - r->rec_len >= extra)
		return 0;
	size_t cap = r->rec_cap ? r->rec_cap : CSV_CHUNK + CSV_CARRY + 1;
	while (cap - r->rec_len < extra)
		cap *= 2;
	char *rec = realloc(r->rec, cap);
	if (!rec) {
		fatal_error(r, CSV_ERR_NO_MEMORY, r->line, 0, reason_memory);
		return -1;
	}
	r->rec = rec;
	r->rec_cap = cap;
	return 0;
}

static void new_line(struct csv_reader *r)
{
	r->line++;
	r->line_start = r->base + r->pos;
	r->line_cont = 0;
}

/* Consumes a CR or LF at buf[pos] (and the LF of a CRLF), counting one line. */
static int consume_line_end(struct csv_reader *r, bool keep)
{
	unsigned char c = r->buf[r->pos++];
	if (keep)
		r->rec[r->rec_len++] = (char)c;
	if (c == '\r') {
		if (fill(r, 1) < 0)
			return -1;
		if (r->pos < r->len && r->buf[r->pos] == '\n') {
			r->pos++;
			if (keep)
				r->rec[r->rec_len++] = '\n';
		}
	}
	new_line(r);
	return 0;
}

/*
 * The length of the valid UTF-8 sequence at s (avail bytes, s[0] >= 0x80),
 * or 0 with *reason set.  Follows Unicode's table of well-formed byte
 * sequences, so overlong forms, surrogates and values past U+10FFFF fail.
 */
static size_t utf8_sequence(const unsigned char *s, size_t avail, const char **reason)
{
	unsigned lead = s[0], lo = 0x80, hi = 0xBF;
	size_t len;
	if (lead < 0xC0) {
		*reason = reason_lone_continuation;
		return 0;
	}
	if (lead < 0xC2) {
		*reason = reason_overlong;
		return 0;
	}
	if (lead < 0xE0) {
		len = 2;
	} else if (lead < 0xF0) {
		len = 3;
		if (lead == 0xE0)
			lo = 0xA0;
		else if (lead == 0xED)
			hi = 0x9F;
	} else if (lead < 0xF5) {
		len = 4;
		if (lead == 0xF0)
			lo = 0x90;
		else if (lead == 0xF4)
			hi = 0x8F;
	} else {
		*reason = lead < 0xF8 ? reason_too_big : reason_never;
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if (i >= avail || (s[i] & 0xC0) != 0x80) {
			*reason = reason_truncated;
			return 0;
		}
	}
	if (s[1] < lo) {
		*reason = reason_overlong;
		return 0;
	}
	if (s[1] > hi) {
		*reason = lead == 0xED ? reason_surrogate : reason_too_big;
		return 0;
	}
	return len;
}

/* Validates and copies the sequence at buf[pos]; a bad one skips its lead
 * byte (a continuation byte is never ASCII, so structure is unaffected). */
static int copy_utf8(struct csv_reader *r)
{
	if (fill(r, 4) < 0 || reserve(r, 5) < 0)
		return -1;
	const char *reason = NULL;
	size_t n = utf8_sequence(r->buf + r->pos, r->len - r->pos, &reason);
	if (n == 0) {
		record_error(r, CSV_ERR_UTF8, r->line, column_here(r), reason);
		r->pos++;
		r->line_cont++; /* the skipped byte is not a character of its own */
		return 0;
	}
	memcpy(r->rec + r->rec_len, r->buf + r->pos, n);
	r->rec_len += n;
	r->pos += n;
	r->line_cont += n - 1;
	return 0;
}

/* Before each run of bytes: enforce the field limit, make room for the rest
 * of the chunk (plus a NUL), and in a bad record forget what was kept. */
static int before_run(struct csv_reader *r)
{
	if (r->bad)
		r->rec_len = 0;
	else if (r->rec_len - r->field_start > r->max_field)
		record_error(r, CSV_ERR_FIELD_TOO_LONG, r->field_line, r->field_column,
		             reason_field_too_long);
	return reserve(r, r->len - r->pos + 1);
}

/* Copies ordinary bytes from buf[pos]; returns the class of the stop byte. */
static inline int copy_run(struct csv_reader *r, const unsigned char *cls)
{
	const unsigned char *p = r->buf + r->pos;
	char *out = r->rec + r->rec_len;
	while (cls[*p] == BC_PLAIN)
		*out++ = (char)*p++;
	r->rec_len = (size_t)(out - r->rec);
	r->pos = (size_t)(p - r->buf);
	return cls[*p];
}

/* A NUL class byte: the chunk's end (refill; true at end of input) or a
 * real NUL (recorded as this record's error and skipped). */
static int at_nul(struct csv_reader *r, bool *end_of_input)
{
	*end_of_input = false;
	if (r->pos == r->len) {
		if (fill(r, 1) < 0)
			return -1;
		*end_of_input = r->pos == r->len;
		return 0;
	}
	record_error(r, CSV_ERR_NUL, r->line, column_here(r), reason_nul);
	r->pos++;
	return 0;
}

static int scan_unquoted(struct csv_reader *r)
{
	for (;;) {
		if (before_run(r) < 0)
			return FE_FATAL;
		bool end;
		switch (copy_run(r, r->unquoted_class)) {
		case BC_DELIM:
			r->pos++;
			return FE_FIELD;
		case BC_LF:
		case BC_CR:
			return consume_line_end(r, false) < 0 ? FE_FATAL : FE_RECORD;
		case BC_HIGH:
			if (copy_utf8(r) < 0)
				return FE_FATAL;
			break;
		default: /* BC_NUL */
			if (at_nul(r, &end) < 0)
				return FE_FATAL;
			if (end)
				return FE_RECORD;
			break;
		}
	}
}

/* After a closing quote: the field must end here. */
static int after_quote(struct csv_reader *r)
{
	if (fill(r, 1) < 0)
		return FE_FATAL;
	if (r->pos == r->len)
		return FE_RECORD;
	unsigned char c = r->buf[r->pos];
	if (c == (unsigned char)r->delimiter) {
		r->pos++;
		return FE_FIELD;
	}
	if (c == '\n' || c == '\r')
		return consume_line_end(r, false) < 0 ? FE_FATAL : FE_RECORD;
	record_error(r, CSV_ERR_AFTER_QUOTE, r->line, column_here(r), reason_after_quote);
	return scan_unquoted(r);
}

static int scan_quoted(struct csv_reader *r)
{
	uint64_t open_line = r->line, open_column = column_here(r);
	r->pos++; /* the opening quote */
	for (;;) {
		if (before_run(r) < 0)
			return FE_FATAL;
		bool end;
		switch (copy_run(r, r->quoted_class)) {
		case BC_QUOTE:
			if (fill(r, 2) < 0)
				return FE_FATAL;
			if (r->len - r->pos >= 2 && r->buf[r->pos + 1] == '"') {
				r->rec[r->rec_len++] = '"';
				r->pos += 2;
				break;
			}
			r->pos++;
			return after_quote(r);
		case BC_LF:
		case BC_CR:
			if (consume_line_end(r, true) < 0)
				return FE_FATAL;
			break;
		case BC_HIGH:
			if (copy_utf8(r) < 0)
				return FE_FATAL;
			break;
		default: /* BC_NUL */
			if (at_nul(r, &end) < 0)
				return FE_FATAL;
			if (end)
				return fatal_error(r, CSV_ERR_UNTERMINATED_QUOTE, open_line,
				                   open_column, reason_unterminated);
			break;
		}
	}
}

static int begin_field(struct csv_reader *r)
{
	if (r->bad)
		return 0;
	if (r->nfields == r->max_columns) {
		record_error(r, CSV_ERR_TOO_MANY_COLUMNS, r->line, column_here(r),
		             reason_too_many_columns);
		return 0;
	}
	if (r->nfields == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : 32;
		size_t *offsets = realloc(r->offsets, cap * sizeof(*offsets));
		if (offsets)
			r->offsets = offsets;
		struct csv_field *fields = realloc(r->fields, cap * sizeof(*fields));
		if (fields)
			r->fields = fields;
		if (!offsets || !fields) {
			fatal_error(r, CSV_ERR_NO_MEMORY, r->line, 0, reason_memory);
			return -1;
		}
		r->fields_cap = cap;
	}
	r->field_start = r->rec_len;
	r->field_line = r->line;
	r->field_column = column_here(r);
	return 0;
}

static int end_field(struct csv_reader *r)
{
	if (r->bad)
		return 0;
	size_t len = r->rec_len - r->field_start;
	if (len > r->max_field) {
		record_error(r, CSV_ERR_FIELD_TOO_LONG, r->field_line, r->field_column,
		             reason_field_too_long);
		return 0;
	}
	if (reserve(r, 1) < 0)
		return -1;
	r->rec[r->rec_len++] = '\0';
	r->offsets[r->nfields] = r->field_start;
	r->fields[r->nfields].len = len;
	r->nfields++;
	return 0;
}

static int parse_record(struct csv_reader *r)
{
	for (;;) {
		if (begin_field(r) < 0 || fill(r, 1) < 0)
			return FE_FATAL;
		int end = r->pos < r->len && r->buf[r->pos] == '"' ? scan_quoted(r)
		                                                   : scan_unquoted(r);
		if (end == FE_FATAL || end_field(r) < 0)
			return FE_FATAL;
		if (end == FE_RECORD)
			return FE_RECORD;
	}
}

/* Skips line ends before a record; true when the input has ended. */
static int skip_blank_lines(struct csv_reader *r, bool *end_of_input)
{
	for (;;) {
		if (fill(r, 1) < 0)
			return -1;
		if (r->pos == r->len) {
			*end_of_input = true;
			return 0;
		}
		unsigned char c = r->buf[r->pos];
		if (c != '\n' && c != '\r') {
			*end_of_input = false;
			return 0;
		}
		if (consume_line_end(r, false) < 0)
			return -1;
	}
}

static int skip_bom(struct csv_reader *r)
{
	r->started = true;
	if (fill(r, 3) < 0)
		return -1;
	if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0) {
		r->pos += 3;
		r->line_start = 3; /* the mark is not a character of line 1 */
	}
	return 0;
}

int csv_reader_next(struct csv_reader *r, const struct csv_field **fields,
                    size_t *count, uint64_t *line)
{
	bool end_of_input;
	*fields = NULL;
	*count = 0;
	if (r->fatal)
		return CSV_FATAL;
	if (!r->started && skip_bom(r) < 0)
		return CSV_FATAL;
	if (skip_blank_lines(r, &end_of_input) < 0)
		return CSV_FATAL;
	if (end_of_input)
		return CSV_EOF;

	*line = r->line;
	r->rec_len = 0;
	r->nfields = 0;
	r->bad = false;
	r->err = (struct csv_error){0, 0, NULL, CSV_ERR_NONE};
	if (parse_record(r) == FE_FATAL)
		return CSV_FATAL;
	if (r->bad)
		return CSV_BAD_RECORD;
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i].data = r->rec + r->offsets[i];
	*fields = r->fields;
	*count = r->nfields;
	return CSV_RECORD;
}
