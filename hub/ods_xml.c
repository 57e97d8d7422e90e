/*
 * XML parts of an OpenDocument package: see ods_xml.h.
 */
#include "ods_xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define X(s) ((const xmlChar *)(s))

static void check(struct nrm_xml_doc *d, int rc)
{
	if (rc < 0)
		d->failed = true;
}

void nrm_xml_begin(struct nrm_xml_doc *d)
{
	d->buf = xmlBufferCreate();
	d->w = d->buf ? xmlNewTextWriterMemory(d->buf, 0) : NULL;
	d->failed = d->w == NULL || xmlTextWriterStartDocument(d->w, "1.0", "UTF-8", NULL) < 0;
}

void nrm_xml_end(struct nrm_xml_doc *d)
{
	if (d->w)
		check(d, xmlTextWriterEndDocument(d->w));
	xmlFreeTextWriter(d->w);
	d->w = NULL;
}

void nrm_xml_free(struct nrm_xml_doc *d)
{
	if (d->w)
		xmlFreeTextWriter(d->w);
	if (d->buf)
		xmlBufferFree(d->buf);
}

void nrm_xml_start(struct nrm_xml_doc *d, const char *name)
{
	if (!d->failed)
		check(d, xmlTextWriterStartElement(d->w, X(name)));
}

void nrm_xml_close(struct nrm_xml_doc *d)
{
	if (!d->failed)
		check(d, xmlTextWriterEndElement(d->w));
}

void nrm_xml_attr(struct nrm_xml_doc *d, const char *name, const char *value)
{
	if (!d->failed)
		check(d, xmlTextWriterWriteAttribute(d->w, X(name), X(value)));
}

void nrm_xml_attrf(struct nrm_xml_doc *d, const char *name, const char *fmt, ...)
{
	char value[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value))
		d->failed = true;
	else
		nrm_xml_attr(d, name, value);
}

void nrm_xml_text(struct nrm_xml_doc *d, const char *text)
{
	if (!d->failed)
		check(d, xmlTextWriterWriteString(d->w, X(text)));
}

void nrm_xml_element(struct nrm_xml_doc *d, const char *name, const char *text)
{
	if (!d->failed)
		check(d, xmlTextWriterWriteElement(d->w, X(name), X(text)));
}
