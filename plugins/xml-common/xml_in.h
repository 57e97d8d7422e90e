/*
 * xml_in: what the XML import plugins share.  A document is read as a stream
 * with libxml2's xmlTextReader and validated against the format's XSD while
 * it is read, one node at a time, so memory does not grow with the number of
 * records.  Hostile input is refused before libxml2 sees it where possible:
 * the raw bytes pass through a scanner that refuses any DOCTYPE or other
 * markup declaration (so no DTD, no entity, internal or external, is ever
 * parsed), any stretch of more than max-value-size bytes without markup (an
 * oversized element or attribute is never held), and that notes the line and
 * column of every start tag, since libxml2's reader gives nodes no column.
 *
 * Errors are reported through the host, as FILE:LINE:COLUMN with the element
 * path; libxml2's own messages are passed on with any quoted value that is
 * not shaped like a code hidden, since these are children's records.
 */
#ifndef NRM_XML_IN_H
#define NRM_XML_IN_H

#include <nrmhub/plugin.h>

#include <stdbool.h>
#include <stddef.h>

struct xml_in_spec {
	const char *format;          /* "police-xml": named in messages */
	const char *ns;              /* the namespace every element is in */
	const char *root;            /* the document element's local name */
	const char *record;          /* each record: a child of the root */
	const unsigned char *xsd;    /* the schema, embedded in the plugin */
	size_t xsd_len;
};

/* The options both XML importers declare, in their options tables. */
#define XML_IN_OPTIONS                                                          \
	{.name = "max-value-size", .type = NRM_OPT_SIZE, .default_value = "1M",   \
	 .description = "Longest stretch of text or tag without markup (one element's text or one "\
	                "tag with its attributes), in bytes; longer input is refused unread.",     \
	 .min = 1024, .max = INT64_C(1) << 30}

struct xml_in;

/* Opens the input and the schema.  NRM_OK or NRM_FAIL (reported). */
int xml_in_open(struct xml_in **out, const struct nrm_host *host, nrm_stream *in,
                const struct xml_in_spec *spec);
void xml_in_close(struct xml_in *x);

/* Moves to the next record's start tag; fills *where with its line, column
 * and path.  NRM_OK, NRM_EOF after the document's end, or NRM_FAIL
 * (reported: the file cannot be read further). */
int xml_in_next_record(struct xml_in *x, struct nrm_pos *where);

/* Moves to the next element start inside the current record.  NRM_OK with
 * *depth its depth below the record (1 for a child), NRM_EOF at the
 * record's end tag, NRM_FAIL (reported). */
int xml_in_next_element(struct xml_in *x, int *depth);

/* The current element's (or attribute's) local name. */
const char *xml_in_name(const struct xml_in *x);
/* True when the current element is written <empty/>. */
bool xml_in_is_empty(const struct xml_in *x);

/* Steps through the current element's attributes (namespace declarations
 * skipped): true with *name and *value (valid until the next read) for each,
 * false after the last, when the reader is back on the element. */
bool xml_in_next_attribute(struct xml_in *x, const char **name, const char **value);

/* Reads the current element's text (simple content) up to its end tag.
 * *text is "" for an empty element; valid until the next read.  NRM_OK or
 * NRM_FAIL (reported). */
int xml_in_text(struct xml_in *x, const char **text);

/* Reports a value the plugin cannot map, at the current element, naming the
 * attribute (or NULL for the element's text) and the canonical field;
 * returns NRM_REJECT.  The value itself is never quoted. */
int xml_in_bad_value(struct xml_in *x, const char *attribute, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Per-record copies of strings: the record's strings must stay valid until
 * the next import_next, after the reader has moved on. */
struct xml_slot {
	char *text;
	size_t cap;
};
/* Copies `text` into the slot; returns the copy, or NULL when out of memory
 * (reported). */
const char *xml_in_keep(struct xml_in *x, struct xml_slot *slot, const char *text);
void xml_slot_free(struct xml_slot *slot);

#endif
