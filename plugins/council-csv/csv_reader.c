/*
 * The streaming CSV tokenizer declared in csv_reader.h.
 *
 * Speed comes from three choices.  Input is read in 64 KiB chunks with a NUL
 * sentinel after the last byte, so the inner loops need no bounds check: they
 * copy bytes eight at a time until a word holds one of the few bytes that
 * matter (delimiter, quote, CR, LF, NUL, any byte >= 0x80), found with bit
 * tricks on a 64-bit word (see candidate_bytes), and a 256-entry class table
 * then says what that byte is.  Everything else, including the end of the
 * chunk, is handled once per stop, not once per byte.  ASCII never leaves the
 * inner loop; only a byte >= 0x80 costs a call, which validates one whole
 * UTF-8 sequence.
 *
 * Most fields are short and unquoted, and there the cost was per field, not
 * per byte: a loop whose length changes with every field, and bookkeeping.
 * So unquoted fields find their end in a bit mask kept for a whole 64-byte
 * block, and scan_simple_fields takes whole plain fields with little
 * bookkeeping, leaving anything unusual (quotes, non-ASCII, NUL, limits, the
 * end of the chunk) to the general path from the start of that field.
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
/* The inner loops load 64-bit words, up to a block of 8 of them from a
 * position at or before the sentinel, so the input buffer has CSV_BLOCK bytes
 * of slack after it.  They also store up to CSV_COPY_SLACK bytes past the
 * bytes they keep, so the record buffer keeps that much room. */
#define CSV_WORD 8
#define CSV_BLOCK 64
#define CSV_COPY_SLACK (2 * CSV_WORD)
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

	unsigned char *buf; /* CSV_CHUNK + CSV_CARRY + 1 for the sentinel + CSV_BLOCK */
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
	/* The byte that stops a run besides the common ones, in every byte of
	 * a word: the delimiter outside quotes, '"' inside them. */
	uint64_t unquoted_stop, quoted_stop;

	/* One bit per byte of buf[block_at .. block_at + 63]: the bytes that
	 * may end an unquoted run.  Kept until the buffer changes, so the
	 * fields of a block are found by taking bits off one mask. */
	bool block_valid;
	size_t block_at;
	uint64_t block_mask;
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

/* ---- eight bytes at a time -------------------------------------------- */

#define WORD_ONES UINT64_C(0x0101010101010101)
#define WORD_HIGHS UINT64_C(0x8080808080808080)

static uint64_t every_byte(unsigned char c)
{
	return WORD_ONES * c;
}

/* The 8 bytes at p as a number whose lowest byte is p[0], whatever the
 * machine's byte order.  memcpy, as p need not be aligned. */
static inline uint64_t load_word(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/*
 * The high bit of each byte of w that may need the class table: below 0x20
 * (NUL, CR, LF, tab, other controls), equal to the byte in `stop`, or
 * >= 0x80.  Each test works on the low seven bits, which cannot carry into
 * the next byte, so every byte's answer is exact.  Control bytes other than
 * CR, LF and NUL are data: the class table sends them back to the loop.
 */
static inline uint64_t candidate_bytes(uint64_t w, uint64_t stop)
{
	uint64_t low7 = ~WORD_HIGHS;
	/* The high bit is set where the low seven bits are >= 0x20. */
	uint64_t from_space = (w & low7) + every_byte(0x80 - 0x20);
	/* The high bit is set where x's byte is not zero. */
	uint64_t x = w ^ stop;
	uint64_t nonzero = ((x & low7) + low7) | x;
	return (~from_space | ~nonzero | w) & WORD_HIGHS;
}

/* The high bits of flags (from candidate_bytes) gathered into 8 bits, the
 * lowest for the first byte: each byte's bit is shifted to its own place in
 * the top byte by one multiplication, as no two partial products meet. */
static inline unsigned gather_flags(uint64_t flags)
{
	return (unsigned)(((flags >> 7) * UINT64_C(0x0102040810204080)) >> 56);
}

/* The index of the first byte flagged by candidate_bytes (not 0). */
static inline size_t first_flagged(uint64_t flags)
{
	return (size_t)__builtin_ctzll(flags) / 8;
}

/* One bit per byte of the CSV_BLOCK bytes at p, set for the candidates. */
static uint64_t block_candidates(const unsigned char *p, uint64_t stop)
{
	uint64_t mask = 0;
	for (unsigned i = 0; i < CSV_BLOCK / CSV_WORD; i++) {
		uint64_t flags = candidate_bytes(load_word(p + i * CSV_WORD), stop);
		mask |= (uint64_t)gather_flags(flags) << (i * CSV_WORD);
	}
	return mask;
}

/* ---- the reader ---------------------------------------------------------- */

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
	r->unquoted_stop = every_byte((unsigned char)r->delimiter);
	r->quoted_stop = every_byte('"');
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
	/* Zeroed, so the word loads that look past the sentinel never see
	 * bytes nobody wrote. */
	r->buf = calloc(1, CSV_CHUNK + CSV_CARRY + 1 + CSV_BLOCK);
	if (!r->buf) {
		free(r);
		return NULL;
	}
	/* buf[0] = 0 is the sentinel of an empty chunk. */
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
	/* The field limit is checked once per run of bytes, so it may already
	 * be broken before this later problem: report the earlier one, or the
	 * answer would depend on where the reads happened to end. */
	if (kind != CSV_ERR_TOO_MANY_COLUMNS && r->rec_len - r->field_start > r->max_field) {
		kind = CSV_ERR_FIELD_TOO_LONG;
		line = r->field_line;
		column = r->field_column;
		reason = reason_field_too_long;
	}
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
static int refill(struct csv_reader *r, size_t need)
{
	size_t keep = r->len - r->pos;
	memmove(r->buf, r->buf + r->pos, keep);
	r->block_valid = false;
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

/* The check is inline; the work, once a chunk, is not. */
static inline int fill(struct csv_reader *r, size_t need)
{
	if (r->len - r->pos >= need || r->eof)
		return 0;
	return refill(r, need);
}

static int grow_record(struct csv_reader *r, size_t extra)
{
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

/* Room for `extra` more bytes in the record buffer. */
static inline int reserve(struct csv_reader *r, size_t extra)
{
	if (r->rec_cap - r->rec_len >= extra)
		return 0;
	return grow_record(r, extra);
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
 * of the chunk (plus the slack the word copies write past what they keep,
 * which also covers a field's NUL), and in a bad record forget what was
 * kept. */
static inline int before_run(struct csv_reader *r)
{
	if (r->bad)
		r->rec_len = 0;
	else if (r->rec_len - r->field_start > r->max_field)
		record_error(r, CSV_ERR_FIELD_TOO_LONG, r->field_line, r->field_column,
		             reason_field_too_long);
	return reserve(r, r->len - r->pos + CSV_COPY_SLACK);
}

/*
 * Copies ordinary bytes of a quoted field from buf[pos]; returns the class
 * of the stop byte.  Each step stores a whole word and then keeps only the
 * bytes before the first candidate, so up to CSV_WORD bytes past the run
 * are written (in the slack before_run reserved) and later overwritten.
 * The loads stop at the sentinel NUL at buf[len], before the buffer's slack.
 */
static inline int copy_quoted_run(struct csv_reader *r, const unsigned char *cls,
                                  uint64_t stop)
{
	const unsigned char *p = r->buf + r->pos;
	char *out = r->rec + r->rec_len;
	int c;
	for (;;) {
		uint64_t w = load_word(p);
		uint64_t flags = candidate_bytes(w, stop);
		memcpy(out, p, CSV_WORD);
		if (!flags) {
			p += CSV_WORD;
			out += CSV_WORD;
			continue;
		}
		size_t n = first_flagged(flags);
		p += n;
		out += n;
		c = cls[*p];
		if (c != BC_PLAIN)
			break;
		*out++ = (char)*p++; /* a control byte that is data */
	}
	r->rec_len = (size_t)(out - r->rec);
	r->pos = (size_t)(p - r->buf);
	return c;
}

/*
 * The offset of the first candidate at or after buf[from], which is at most
 * the sentinel's.  Unquoted fields are short and many, so rather than a
 * loop whose length changes with every field (and a branch the processor
 * keeps guessing wrong), candidates come from a mask for a whole block.
 */
static inline size_t next_candidate(struct csv_reader *r, size_t from)
{
	for (;;) {
		if (r->block_valid && from >= r->block_at && from - r->block_at < CSV_BLOCK) {
			uint64_t ahead = r->block_mask >> (from - r->block_at);
			if (ahead)
				return from + (size_t)__builtin_ctzll(ahead);
			from = r->block_at + CSV_BLOCK;
		}
		r->block_mask = block_candidates(r->buf + from, r->unquoted_stop);
		r->block_at = from;
		r->block_valid = true;
	}
}

/*
 * Copies n bytes from p to out in whole words, with the first two
 * unconditional, so most fields cost no branch on their length.  It writes
 * up to CSV_COPY_SLACK bytes past out + n (the slack before_run reserves;
 * they get overwritten later) and reads as far past p + n, which from a run
 * ending at or before the sentinel stays in the input buffer's slack.
 */
static inline void copy_words(char *out, const unsigned char *p, size_t n)
{
	memcpy(out, p, CSV_WORD);
	memcpy(out + CSV_WORD, p + CSV_WORD, CSV_WORD);
	for (size_t i = 2 * CSV_WORD; i < n; i += CSV_WORD)
		memcpy(out + i, p + i, CSV_WORD);
}

/* Copies the bytes of buf[from .. to) to the record. */
static inline void copy_span(struct csv_reader *r, size_t from, size_t to)
{
	copy_words(r->rec + r->rec_len, r->buf + from, to - from);
	r->rec_len += to - from;
}

/* Copies ordinary bytes of an unquoted field from buf[pos]; returns the
 * class of the stop byte. */
static inline int copy_unquoted_run(struct csv_reader *r)
{
	size_t at = r->pos;
	for (;;) {
		size_t stop = next_candidate(r, at);
		int c = r->unquoted_class[r->buf[stop]];
		if (c != BC_PLAIN) {
			copy_span(r, r->pos, stop);
			r->pos = stop;
			return c;
		}
		at = stop + 1; /* a control byte that is data */
	}
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
		switch (copy_unquoted_run(r)) {
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
		switch (copy_quoted_run(r, r->quoted_class, r->quoted_stop)) {
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

/*
 * The fast path: takes whole fields while each is unquoted, ends with the
 * delimiter or a line end inside the buffer, and holds nothing that needs a
 * closer look (no byte >= 0x80 or NUL, not over the size limit), and while
 * the column limit and the field array leave room.  Anything else stops it
 * at the start of that field, with nothing of the field consumed, so the
 * general path reads the field as if this one did not exist.  FE_FIELD when
 * the general path has a field to read, FE_RECORD when the record ended.
 * The state lives in locals while it runs: the byte stores into the record
 * could alias *r, which would make the compiler reload it after each one.
 */
static int scan_simple_fields(struct csv_reader *r)
{
	/* Each field keeps at most the bytes it consumes (its end becomes the
	 * NUL), so one reservation covers the rest of the chunk. */
	if (r->bad || reserve(r, r->len - r->pos + CSV_COPY_SLACK) < 0)
		return r->fatal ? FE_FATAL : FE_FIELD;
	const unsigned char *buf = r->buf, *cls = r->unquoted_class;
	char *rec = r->rec;
	size_t pos = r->pos, rec_len = r->rec_len, n = r->nfields;
	size_t room = r->fields_cap < r->max_columns ? r->fields_cap : r->max_columns;
	size_t max_field = r->max_field;
	int end = FE_FIELD;
	while (n < room && buf[pos] != '"') {
		size_t stop = next_candidate(r, pos), len = stop - pos;
		int c = cls[buf[stop]];
		if ((c != BC_DELIM && c != BC_LF && c != BC_CR) || len > max_field)
			break;
		copy_words(rec + rec_len, buf + pos, len);
		rec[rec_len + len] = '\0';
		r->offsets[n] = rec_len;
		r->fields[n].len = len;
		n++;
		rec_len += len + 1;
		pos = stop;
		if (c != BC_DELIM) {
			end = FE_RECORD;
			break;
		}
		pos++;
	}
	r->pos = pos;
	r->rec_len = rec_len;
	r->nfields = n;
	if (end == FE_RECORD && consume_line_end(r, false) < 0)
		return FE_FATAL;
	return end;
}

static int parse_record(struct csv_reader *r)
{
	for (;;) {
		int simple = scan_simple_fields(r);
		if (simple != FE_FIELD)
			return simple;
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
