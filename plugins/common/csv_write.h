/*
 * Writing CSV as RFC 4180 says: fields separated by commas, records ended
 * by CRLF, a field quoted when it holds a comma, a quote or a line break,
 * and a quote inside a quoted field doubled.
 */
#ifndef NRM_PLUGINS_CSV_WRITE_H
#define NRM_PLUGINS_CSV_WRITE_H

#include "out_buffer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct csv_row {
	struct out_buffer *out;
	bool started;          /* a field has been written on this row */
	bool guard_formulas;   /* see csv_row_field */
};

void csv_row_begin(struct csv_row *row, struct out_buffer *out, bool guard_formulas);
/* One field; NULL or "" is an empty field.  With guard_formulas, a field
 * that a spreadsheet would run as a formula (starting with =, +, -, @, a
 * tab or a CR) is written with a leading apostrophe, as OWASP advises for
 * files opened in Excel. */
int csv_row_field(struct csv_row *row, const char *text);
int csv_row_field_len(struct csv_row *row, const char *text, size_t len);
/* Ends the record with CRLF. */
int csv_row_end(struct csv_row *row);

/* Typed fields, each an empty field for "none". */
/* dd/mm/yyyy. */
int csv_row_date_dmy(struct csv_row *row, int32_t date);
/* YYYY-MM-DDTHH:MM:SSZ. */
int csv_row_time(struct csv_row *row, int64_t t);
/* A whole number, empty when value == none. */
int csv_row_int(struct csv_row *row, int32_t value, int32_t none);
/* The one or two nationality codes, "GB" or "GB;IE". */
int csv_row_nationality(struct csv_row *row, const char *const nationality[2]);

/* A byte order mark (so Excel opens the file as UTF-8), then the heading
 * row of `n` names. */
int csv_write_header(struct out_buffer *out, bool guard_formulas, const char *const *names,
                     size_t n);

#endif
