/*
 * nrm_html_script_find: every element of the parsed page is looked at, the
 * SVG ones too (an SVG <script> or onload runs like an HTML one).  Names
 * are compared without regard to case, as browsers do.
 */
#include "html_script.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A URL that runs script: "javascript:" after any leading spaces and
 * control characters, which browsers skip. */
static bool script_url(const char *v)
{
	while (*v && (unsigned char)*v <= 0x20)
		v++;
	return strncasecmp(v, "javascript:", 11) == 0 || strncasecmp(v, "vbscript:", 9) == 0;
}

static const char *attribute_script(xmlNode *n)
{
	static char what[128];
	for (xmlAttr *a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		if (strncasecmp(name, "on", 2) == 0) {
			snprintf(what, sizeof(what), "an event handler attribute %.60s", name);
			return what;
		}
		xmlChar *value = xmlNodeListGetString(n->doc, a->children, 1);
		bool bad = value && script_url((const char *)value);
		xmlFree(value);
		if (bad) {
			snprintf(what, sizeof(what), "a javascript: URL in %.60s", name);
			return what;
		}
	}
	return NULL;
}

static const char *element_script(xmlNode *n, long *line)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		*line = xmlGetLineNo(n);
		const char *name = (const char *)n->name;
		if (strcasecmp(name, "script") == 0)
			return "a <script> element";
		if (strcasecmp(name, "iframe") == 0 || strcasecmp(name, "object") == 0 ||
		    strcasecmp(name, "embed") == 0)
			return "an embedded page or object";
		const char *what = attribute_script(n);
		if (what)
			return what;
		if ((what = element_script(n->children, line)))
			return what;
	}
	return NULL;
}

const char *nrm_html_script_find(const char *html, size_t len, long *line)
{
	*line = 0;
	if (len > (size_t)INT32_MAX)
		return "a page too large to read";
	htmlDocPtr doc = htmlReadMemory(html, (int)len, "report.html", "UTF-8",
	                                HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                                        HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);
	if (!doc)
		return "not a page the HTML parser can read";
	const char *what = element_script(xmlDocGetRootElement(doc), line);
	xmlFreeDoc(doc);
	return what;
}
