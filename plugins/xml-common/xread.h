/*
 * xread: the import side that the XML plugins share on top of xml_in.
 * A plugin's reader state starts with struct xread (a format needing
 * more per-record state puts it after); this file opens and closes it,
 * keeps the record's strings in numbered slots, maps codes, dates and
 * booleans, and walks each record's elements, handing every element to the
 * plugin's own mapping.
 */
#ifndef NRM_XREAD_H
#define NRM_XREAD_H

#include "xml_codes.h"
#include "xml_in.h"

#include <nrmhub/plugin.h>

#include <stddef.h>
#include <stdint.h>

/* The most strings a format keeps per record (its enum of slots). */
#define XREAD_SLOTS 8

struct xread {
	const struct nrm_host *host;
	struct xml_in *xml;
	struct xml_in_spec spec;
	const char *code_rule;  /* the rule a value outside a code table breaks */
	struct xml_slot slots[XREAD_SLOTS];
	struct nrm_case *c;     /* the record being filled */
};

/* Allocates the plugin's reader (`size` bytes, zeroed, starting with struct
 * xml_reader) into *state and opens the input against `spec` and its
 * embedded schema of `xsd_len` bytes.  On failure nothing is left open and
 * *state is NULL: the hub closes only what opened.  NRM_OK or NRM_FAIL
 * (reported). */
int xread_open(void **state, size_t size, const struct nrm_host *host, nrm_stream *in,
                    const struct xml_in_spec *spec, size_t xsd_len, const char *code_rule);
void xread_close(void *state);

/* Keeps a string for the record in slot `slot`; NRM_OK or NRM_FAIL. */
int xread_keep(struct xread *r, int slot, const char *text, const char **field);
/* The same for the current element's text. */
int xread_keep_text(struct xread *r, int slot, const char **field);

/* Maps `value` through a code table; a value not in it is reported against
 * `attr` (NULL: the element's text) and `field` with the reader's
 * code_rule, and gives NRM_REJECT. */
int xread_code(struct xread *r, const struct xml_code *table, const char *attr,
                    const char *field, const char *value, int32_t *out);
/* A date written YYYY-MM-DD; NRM_OK or NRM_REJECT (reported). */
int xread_date(struct xread *r, const char *attr, const char *field,
                    const char *value, int32_t *out);
/* A date and time in UTC, RFC 3339; NRM_OK or NRM_REJECT (reported). */
int xread_time(struct xread *r, const char *attr, const char *field,
                    const char *value, int64_t *out);
/* true or false; NRM_OK or NRM_REJECT (reported). */
int xread_boolean(struct xread *r, const char *attr, const char *field,
                       const char *value, int8_t *out);

/* Calls `attribute` with each attribute of the current element until one
 * does not return NRM_OK; the rest are stepped over, so the reader is back
 * on the element.  Returns the first result that was not NRM_OK, or
 * NRM_OK. */
int xread_attributes(struct xread *r,
                     int (*attribute)(struct xread *r, const char *name, const char *value));

/* The body of import_next: moves to the next record, points r->c at `out`,
 * calls `start` (may be NULL) on the record's own element, then `element`
 * on each element inside it.  After a bad value the rest of the record is
 * still read, unmapped, so the next call starts at the next record.
 * NRM_OK, NRM_REJECT, NRM_EOF or NRM_FAIL. */
int xread_next(struct xread *r, struct nrm_case *out, struct nrm_pos *where,
                    int (*start)(struct xread *r),
                    int (*element)(struct xread *r, const char *name));

#endif
