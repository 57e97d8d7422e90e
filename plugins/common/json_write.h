/*
 * Writing JSON values into an out_buffer, for the JSON export plugins.
 * Strings are escaped as RFC 8259 section 7 says; the hub has checked that
 * every string is UTF-8, so bytes of 0x20 and above pass as they are.
 * Each function returns NRM_OK or NRM_FAIL (reported by the host).
 */
#ifndef NRM_PLUGINS_JSON_WRITE_H
#define NRM_PLUGINS_JSON_WRITE_H

#include "out_buffer.h"

#include <stdint.h>

/* A string, or null for NULL. */
int jw_string(struct out_buffer *b, const char *s);
/* "YYYY-MM-DD", or null for NRM_DATE_NONE. */
int jw_date(struct out_buffer *b, int32_t date);
/* "YYYY-MM-DDTHH:MM:SSZ", or null for NRM_TIME_NONE. */
int jw_time(struct out_buffer *b, int64_t t);
/* A whole number, or null when value == none. */
int jw_int(struct out_buffer *b, int32_t value, int32_t none);
/* true, false or null (enum nrm_tristate). */
int jw_tristate(struct out_buffer *b, int8_t v);
/* An array of the one or two nationality codes ([] for none). */
int jw_nationality(struct out_buffer *b, const char *const nationality[2]);
/* A labels.h label of `kind` in English, or null when the value has none. */
int jw_label(struct out_buffer *b, int kind, int32_t value);
/* An array of Home Office exploitation labels in the join order. */
int jw_exploitation_labels(struct out_buffer *b, uint32_t types);

#define jw_raw(b, literal) out_buffer_put((b), (literal), sizeof(literal) - 1)

#endif
