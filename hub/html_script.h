/*
 * Whether an HTML page can run anything when opened: the return's report is
 * a static page (SVG charts, no script), so a report that holds script was
 * not written by nrmhub and is refused before anyone at the receiving end
 * opens it.
 */
#ifndef NRM_HTML_SCRIPT_H
#define NRM_HTML_SCRIPT_H

#include <stddef.h>

/* NULL when the page (len bytes, parsed by libxml2's HTML parser, which
 * reads broken markup as a browser would) holds no script; else what it
 * holds ("a <script> element", "an event handler attribute onload", "a
 * javascript: URL in href"), a static string, with its line in `*line`. */
const char *nrm_html_script_find(const char *html, size_t len, long *line);

#endif
