/*
 * xml_out: streamed XML output through libxml2's xmlTextWriter.
 */
#include "xml_out.h"

#include <libxml/xmlwriter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xml_out {
	const struct nrm_host *host;
	nrm_stream *out;
	xmlTextWriterPtr writer;
	int status;
	bool quiet_thread; /* libxml2's error handlers silenced on this thread */
	bool closing;      /* the hub has the output back: write nothing more */
};

/* libxml2 takes xmlChar text; ours is UTF-8 char text. */
static const xmlChar *xc(const char *s)
{
	return (const xmlChar *)s;
}

static void silent(void *ctx, const char *fmt, ...)
{
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
}

/* libxml2's error handlers are per thread, and records are written on the
 * hub's export thread: silence them there, on the first call. */
static void quiet(struct xml_out *w)
{
	if (w->quiet_thread)
		return;
	xmlSetGenericErrorFunc(NULL, silent);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
	w->quiet_thread = true;
}

static int write_output(void *ctx, const char *buf, int len)
{
	struct xml_out *w = ctx;
	if (w->closing)
		return -1;
	if (len <= 0)
		return 0;
	return w->host->write(w->out, buf, (size_t)len) == NRM_OK ? len : -1;
}

static int close_output(void *ctx)
{
	return 0;
}

/* Turns libxml2's result into ours; the first failure is reported once. */
static int check(struct xml_out *w, int rc)
{
	if (w->status != NRM_OK)
		return NRM_FAIL;
	if (rc < 0) {
		w->status = NRM_FAIL;
		w->host->report(w->out, NULL, NULL, "the XML writer failed");
	}
	return w->status;
}

int xml_out_open(struct xml_out **out, const struct nrm_host *host, nrm_stream *s,
                 const char *root, const char *ns, const char *attr, const char *value)
{
	struct xml_out *w = calloc(1, sizeof(*w));
	if (!w)
		return host->report(s, NULL, NULL, "out of memory");
	*out = w;
	w->host = host;
	w->out = s;
	xmlInitParser();
	quiet(w);
	xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(write_output, close_output, w, NULL);
	if (!buf || !(w->writer = xmlNewTextWriter(buf))) {
		if (buf)
			xmlOutputBufferClose(buf);
		w->status = NRM_FAIL;
		return host->report(s, NULL, NULL, "cannot start the XML writer");
	}
	check(w, xmlTextWriterSetIndent(w->writer, 1));
	check(w, xmlTextWriterSetIndentString(w->writer, xc("  ")));
	check(w, xmlTextWriterStartDocument(w->writer, "1.0", "UTF-8", NULL));
	check(w, xmlTextWriterStartElementNS(w->writer, NULL, xc(root), xc(ns)));
	if (attr)
		xml_out_attr(w, attr, value);
	return w->status;
}

int xml_out_finish(struct xml_out *w)
{
	quiet(w);
	check(w, xmlTextWriterEndDocument(w->writer));
	return check(w, xmlTextWriterFlush(w->writer));
}

void xml_out_close(struct xml_out *w)
{
	if (!w)
		return;
	if (w->writer) {
		/* Nothing more may reach the output once the hub has it back. */
		w->status = NRM_FAIL;
		w->closing = true;
		xmlFreeTextWriter(w->writer);
	}
	/* The hub may unload this module while libxml2 stays loaded for
	 * another: leave libxml2 (on this thread) no pointer into it. */
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	free(w);
}

int xml_export_open(void **state, size_t size, const struct nrm_host *host, nrm_stream *out,
                    const char *root, const char *ns, const char *attr, const char *value)
{
	struct xml_export *e = calloc(1, size);
	if (!e)
		return host->report(out, NULL, NULL, "out of memory");
	*state = e;
	e->host = host;
	e->out = out;
	return xml_out_open(&e->xml, host, out, root, ns, attr, value);
}

int xml_export_finish(void *state)
{
	struct xml_export *e = state;
	return xml_out_finish(e->xml);
}

void xml_export_close(void *state)
{
	struct xml_export *e = state;
	xml_out_close(e->xml);
	free(e);
}

int xml_out_start(struct xml_out *w, const char *element)
{
	quiet(w);
	return check(w, w->status ? -1 : xmlTextWriterStartElement(w->writer, xc(element)));
}

int xml_out_end(struct xml_out *w)
{
	return check(w, w->status ? -1 : xmlTextWriterEndElement(w->writer));
}

int xml_out_attr(struct xml_out *w, const char *name, const char *value)
{
	return check(w, w->status ? -1 :
	             xmlTextWriterWriteAttribute(w->writer, xc(name), xc(value)));
}

int xml_out_attr_opt(struct xml_out *w, const char *name, const char *value)
{
	return value ? xml_out_attr(w, name, value) : w->status;
}

int xml_out_attr_date(struct xml_out *w, const char *name, int32_t date)
{
	if (date == NRM_DATE_NONE)
		return w->status;
	char text[11];
	w->host->date_format_iso(date, text);
	return xml_out_attr(w, name, text);
}

int xml_out_attr_time(struct xml_out *w, const char *name, int64_t t)
{
	if (t == NRM_TIME_NONE)
		return w->status;
	char text[21];
	w->host->time_format_rfc3339(t, text);
	return xml_out_attr(w, name, text);
}

int xml_out_text(struct xml_out *w, const char *text)
{
	return check(w, w->status ? -1 : xmlTextWriterWriteString(w->writer, xc(text)));
}

int xml_out_element(struct xml_out *w, const char *element, const char *text)
{
	if (!text)
		return w->status;
	return check(w, w->status ? -1 :
	             xmlTextWriterWriteElement(w->writer, xc(element), xc(text)));
}

int xml_out_element_date(struct xml_out *w, const char *element, int32_t date)
{
	if (date == NRM_DATE_NONE)
		return w->status;
	char text[11];
	w->host->date_format_iso(date, text);
	return xml_out_element(w, element, text);
}

int xml_out_element_time(struct xml_out *w, const char *element, int64_t t)
{
	if (t == NRM_TIME_NONE)
		return w->status;
	char text[21];
	w->host->time_format_rfc3339(t, text);
	return xml_out_element(w, element, text);
}

int xml_out_status(const struct xml_out *w)
{
	return w->status;
}

/* XML 1.0 (section 2.2) allows tab, LF, CR and U+0020 and above, except the
 * surrogates (never valid UTF-8) and U+FFFE and U+FFFF.  The canonical
 * rules already refuse control characters; these two are what is left. */
static bool xml_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
			return false;
	return true;
}

int xml_out_check_case(struct xml_out *w, const struct nrm_case *c)
{
	const struct {
		const char *field, *text;
	} texts[] = {
		{"case_id", c->case_id}, {"site", c->site}, {"nrm_ref", c->nrm_ref},
		{"first_responder_org", c->first_responder_org},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (texts[i].text && !xml_text(texts[i].text)) {
			w->host->report(w->out, NULL, texts[i].field,
			                "contains U+FFFE or U+FFFF, which XML cannot carry");
			return NRM_FAIL;
		}
	}
	return NRM_OK;
}
