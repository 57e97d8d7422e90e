/*
 * A streaming RFC 4180 CSV tokenizer, independent of the hub.
 *
 * It pulls bytes through a read callback in 64 KiB chunks and yields one
 * record at a time as an array of (pointer, length) fields.  The field array
 * and the bytes it points to live in buffers the reader owns and reuses, so a
 * steady stream of records allocates nothing; they stay valid until the next
 * call to csv_reader_next() or csv_reader_free().  Each field is also followed
 * by a NUL byte (which cannot occur inside a field: a NUL in the input is an
 * error), so it can be used as a C string.
 *
 * Input rules, chosen for what spreadsheets and case-management systems
 * really write:
 *   - a UTF-8 byte order mark at the very start is skipped;
 *   - lines end with LF, CRLF or a lone CR (old Macintosh Excel);
 *   - a field that starts with '"' is quoted: it may hold the delimiter, line
 *     ends and '""' for one '"'; a '"' inside an unquoted field is data;
 *   - blank lines are skipped (spreadsheets leave them at the end), so a
 *     record is never a single empty field;
 *   - every byte must be valid UTF-8 (no overlong forms, surrogates or code
 *     points above U+10FFFF) and no byte may be NUL;
 *   - a field may hold at most max_field_size bytes and a record at most
 *     max_columns fields.  An over-long field is scanned to its end without
 *     being kept, so the memory used stays near the limit whatever the input.
 *
 * Errors are values.  A problem confined to one record (bad UTF-8, NUL, an
 * over-long field, too many columns, text after a closing quote) returns
 * CSV_BAD_RECORD: the reader has already skipped to the end of that record
 * and the next call carries on.  A problem that ends the input (a quote still
 * open at the end of the file, a read error) returns CSV_FATAL, and so does
 * every later call.
 */
#ifndef NRM_CSV_READER_H
#define NRM_CSV_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads up to len bytes into buf: the count read, 0 at the end, -1 on error. */
typedef ssize_t (*csv_read_fn)(void *ctx, void *buf, size_t len);

struct csv_field {
	const char *data; /* followed by a NUL byte */
	size_t len;
};

enum csv_error_kind {
	CSV_ERR_NONE = 0,
	CSV_ERR_NUL,              /* a NUL byte */
	CSV_ERR_UTF8,             /* bytes that are not valid UTF-8 */
	CSV_ERR_FIELD_TOO_LONG,   /* a field over max_field_size */
	CSV_ERR_TOO_MANY_COLUMNS, /* a record over max_columns fields */
	CSV_ERR_AFTER_QUOTE,      /* "abc"def */
	CSV_ERR_UNTERMINATED_QUOTE, /* fatal: at the line of the opening quote */
	CSV_ERR_READ,             /* fatal: the read callback failed */
	CSV_ERR_NO_MEMORY,        /* fatal */
};

struct csv_error {
	uint64_t line;      /* 1-based line of the problem */
	uint64_t column;    /* 1-based, in characters of that line; 0 if none */
	const char *reason; /* static text describing the rule broken */
	enum csv_error_kind kind; /* lets a caller add context, e.g. the limit */
};

struct csv_options {
	char delimiter;        /* ',' when 0 */
	size_t max_field_size; /* bytes; 0 means 1 MiB */
	size_t max_columns;    /* 0 means 256 */
};

enum csv_result {
	CSV_RECORD = 0,     /* a record was produced */
	CSV_EOF = 1,        /* no more records */
	CSV_BAD_RECORD = 2, /* this record is bad (see csv_reader_error); go on */
	CSV_FATAL = -1,     /* the input cannot be read further */
};

struct csv_reader;

/* NULL when out of memory.  `opts` may be NULL for the defaults. */
struct csv_reader *csv_reader_new(csv_read_fn read, void *ctx,
                                  const struct csv_options *opts);
void csv_reader_free(struct csv_reader *r);

/*
 * Reads the next record.  On CSV_RECORD, *fields and *count describe it and
 * *line is the line on which it starts.  On CSV_BAD_RECORD, *line is also set
 * and csv_reader_error() says what was wrong and where.
 */
int csv_reader_next(struct csv_reader *r, const struct csv_field **fields,
                    size_t *count, uint64_t *line);

/* The last error; only meaningful after CSV_BAD_RECORD or CSV_FATAL. */
const struct csv_error *csv_reader_error(const struct csv_reader *r);

/* The line the reader has reached: one past the last line end consumed. */
uint64_t csv_reader_line(const struct csv_reader *r);

#endif /* NRM_CSV_READER_H */
