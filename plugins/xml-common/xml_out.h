/*
 * xml_out: what the XML export plugins share.  Documents are written as a
 * stream with libxml2's xmlTextWriter, one record at a time, indented two
 * spaces, in UTF-8 with an XML declaration; bytes go out through the host.
 * Text a record carries is checked first for characters XML 1.0 cannot hold
 * (U+FFFE and U+FFFF pass the canonical rules but would make the output
 * ill-formed), so a written document is always well-formed.
 */
#ifndef NRM_XML_OUT_H
#define NRM_XML_OUT_H

#include <nrmhub/plugin.h>

#include <stdbool.h>
#include <stdint.h>

struct xml_out;

/* Starts the document and its root element `root` in namespace `ns`, with
 * one attribute (`attr`=`value`, or none when attr is NULL).  NRM_OK or
 * NRM_FAIL (reported). */
int xml_out_open(struct xml_out **out, const struct nrm_host *host, nrm_stream *s,
                 const char *root, const char *ns, const char *attr, const char *value);
/* Ends the root element and the document, and flushes. */
int xml_out_finish(struct xml_out *w);
void xml_out_close(struct xml_out *w);

/* Each returns NRM_OK or NRM_FAIL (reported); after a failure every later
 * call fails too, so a record can be written without checking each call. */
int xml_out_start(struct xml_out *w, const char *element);
int xml_out_end(struct xml_out *w);
int xml_out_attr(struct xml_out *w, const char *name, const char *value);
/* Skipped when value is NULL. */
int xml_out_attr_opt(struct xml_out *w, const char *name, const char *value);
int xml_out_attr_date(struct xml_out *w, const char *name, int32_t date);
int xml_out_attr_time(struct xml_out *w, const char *name, int64_t t);
int xml_out_text(struct xml_out *w, const char *text);
/* <element>text</element>, skipped when text is NULL. */
int xml_out_element(struct xml_out *w, const char *element, const char *text);
int xml_out_element_date(struct xml_out *w, const char *element, int32_t date);
int xml_out_element_time(struct xml_out *w, const char *element, int64_t t);
/* The status after every call since open. */
int xml_out_status(const struct xml_out *w);

/* An export plugin's writer: its state starts with struct xml_export (the
 * plugin's own fields after it).  xml_export_open allocates `size` zeroed
 * bytes into *state and starts the document as xml_out_open does; NRM_OK
 * or NRM_FAIL (reported), when *state may be set for export_close.  The
 * other two serve as export_finish and export_close. */
struct xml_export {
	const struct nrm_host *host;
	nrm_stream *out;
	struct xml_out *xml;
};
int xml_export_open(void **state, size_t size, const struct nrm_host *host, nrm_stream *out,
                    const char *root, const char *ns, const char *attr, const char *value);
int xml_export_finish(void *state);
void xml_export_close(void *state);

/* NRM_OK when every string of `c` can be written in XML 1.0; otherwise
 * reports the field and returns NRM_FAIL. */
int xml_out_check_case(struct xml_out *w, const struct nrm_case *c);

#endif
