/*
 * Welsh beside English in report.html, for a site in Wales
 * (return_tables.h, `welsh`): each text is its Welsh, then its English,
 * each marked with its language (lang="cy", lang="en-GB") so that a screen
 * reader speaks it, and a browser hyphenates and spell-checks it, in that
 * language.  Welsh comes first, as the Welsh Language Standards ask of a
 * text given in both (read first, or above).  A text with no Welsh (a
 * nationality, the Home Office's label) is marked English on a page whose
 * language is Welsh.  Without `welsh` each writes the English alone, as the
 * page of a site elsewhere always has.
 */
#include "return_render.h"

#include <stdio.h>

static void span(FILE *out, const char *lang, const char *text)
{
	fprintf(out, "<span lang=\"%s\">", lang);
	nrm_html_escape(out, text);
	fputs("</span>", out);
}

void nrm_html_words(FILE *out, bool welsh, const char *en, const char *cy)
{
	if (!welsh) {
		nrm_html_escape(out, en);
		return;
	}
	if (cy) {
		span(out, "cy", cy);
		fputs(" / ", out);
	}
	span(out, "en-GB", en);
}

/* `text`, escaped, in <tag> when there is one. */
static void tagged(FILE *out, const char *text, const char *tag)
{
	if (tag)
		fprintf(out, "<%s>", tag);
	nrm_html_escape(out, text);
	if (tag)
		fprintf(out, "</%s>", tag);
}

static void paragraph(FILE *out, const char *lang, const char *text, const char *tag)
{
	fprintf(out, "<p lang=\"%s\">", lang);
	tagged(out, text, tag);
	fputs("</p>", out);
}

void nrm_html_paragraphs(FILE *out, bool welsh, const char *en, const char *cy,
                         const char *tag)
{
	if (!welsh) {
		tagged(out, en, tag);
		return;
	}
	if (cy)
		paragraph(out, "cy", cy, tag);
	paragraph(out, "en-GB", en, tag);
}

void nrm_html_paragraph(FILE *out, bool welsh, const char *en, const char *cy, const char *tag)
{
	if (welsh) {
		nrm_html_paragraphs(out, true, en, cy, tag);
		return;
	}
	fputs("<p>", out);
	tagged(out, en, tag);
	fputs("</p>", out);
}
