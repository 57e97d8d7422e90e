/*
 * The XML parts of an OpenDocument package, written with libxml2's
 * xmlTextWriter (which escapes every string) into memory.  A failed call
 * marks the document failed; the writer checks once, at the end, instead
 * of after every element.
 */
#ifndef NRM_ODS_XML_H
#define NRM_ODS_XML_H

#include <libxml/xmlwriter.h>
#include <stdbool.h>

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_NUMBER "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_CONFIG "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_XLINK "http://www.w3.org/1999/xlink"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

/* ODF 1.2: the newest version with a schema in Debian (libjopendocument-java)
 * to check the parts against; nothing written here needs 1.3. */
#define ODF_VERSION "1.2"

struct nrm_xml_doc {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	bool failed;
};

void nrm_xml_begin(struct nrm_xml_doc *d);
/* Ends the document; its text stays in d->buf until nrm_xml_free. */
void nrm_xml_end(struct nrm_xml_doc *d);
void nrm_xml_free(struct nrm_xml_doc *d);

void nrm_xml_start(struct nrm_xml_doc *d, const char *name);
void nrm_xml_close(struct nrm_xml_doc *d);
void nrm_xml_attr(struct nrm_xml_doc *d, const char *name, const char *value);
void nrm_xml_attrf(struct nrm_xml_doc *d, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void nrm_xml_text(struct nrm_xml_doc *d, const char *text);
/* <name>text</name> */
void nrm_xml_element(struct nrm_xml_doc *d, const char *name, const char *text);

#endif
