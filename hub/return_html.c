/*
 * report.html: the return as one self-contained page for people: no
 * network, no script, inline CSS that also prints, and SVG charts drawn
 * here from the same tables as the other outputs.  Each chart has a title,
 * axis labels, a text alternative (<title> and <desc>, named by
 * aria-labelledby) and explicit width, height and viewBox, and is followed
 * by its table for screen readers.  Every string is HTML-escaped.  A Welsh
 * site's page says everything in Welsh and English, Welsh first, each part
 * marked with its language (html_welsh.c), its charts' texts too (two
 * lines where one was, the Welsh above).
 */
#include "return_marks.h"
#include "return_render.h"
#include "return_tables.h"

#include "util.h"
#include "welsh.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The Analysis Function's accessible categorical palette. */
static const char *const palette[] = {"#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D"};
/* Lines differ by dash as well as colour, so that colour is not the only cue. */
static const char *const dashes[] = {"none", "6 3", "2 3", "8 3 2 3", "12 4"};

#define CHART_W 680
#define CHART_H 360

static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

/* ---- tables ------------------------------------------------------------- */

/* Whether column c is a code that the next column gives the label of
 * ("age_band_code" then "age_band", or "nation" then "nation_label"):
 * people read the label, so the page leaves such a code out.  A code with
 * no label of its own (a site's) is shown. */
static bool labelled_code(const struct nrm_table *t, size_t c)
{
	if (t->columns[c].role != NRM_COL_CODE || c + 1 >= t->n_columns ||
	    t->columns[c + 1].role != NRM_COL_LABEL)
		return false;
	const char *code = t->columns[c].name, *label = t->columns[c + 1].name;
	size_t n = strlen(code), m = strlen(label);
	return (n == m + 5 && strncmp(code, label, m) == 0 && strcmp(code + m, "_code") == 0) ||
	       (m == n + 6 && strncmp(label, code, n) == 0 && strcmp(label + n, "_label") == 0);
}

/* Whether the page shows column c. */
static bool shown_column(const struct nrm_table *t, size_t c, bool with_period)
{
	enum nrm_column_role role = t->columns[c].role;
	/* The page puts a figure's [p] or [r] beside it, where people read
	 * it; the status column says it again for machines. */
	if (role == NRM_COL_NOTE && strcmp(t->columns[c].name, "status") == 0)
		return false;
	return !labelled_code(t, c) && (with_period || role > NRM_COL_QUARTER);
}

/* A column's title, in Welsh too on a Welsh site's page. */
static void column_title(FILE *out, const struct nrm_column *col, bool welsh)
{
	nrm_html_words(out, welsh, col->title, welsh ? label_welsh(col->title) : NULL);
}

/* A cell: a label in Welsh too on a Welsh site's page; a figure or code as it is. */
static void cell_text(FILE *out, const struct nrm_table *t, size_t r, size_t c, bool welsh)
{
	const struct nrm_cell *cell = nrm_table_cell(t, r, c);
	if (t->columns[c].role == NRM_COL_LABEL)
		nrm_html_words(out, welsh, cell->text, cell->text_cy);
	else
		esc(out, cell->text);
	if (cell->marks)
		fprintf(out, " %s", nrm_marks_text(cell->marks));
}

/* A table with no rows (no site missing and none revised, say) is said in
 * a sentence: an empty table tells a reader nothing and a screen reader
 * announces it as a table all the same. */
static void no_rows(FILE *out, const struct nrm_table *t, bool welsh)
{
	fprintf(out, "<p id=\"%s\" class=\"no-rows\"><strong>", t->id);
	esc(out, t->id);
	fputs(": ", out);
	nrm_html_words(out, welsh, t->title, t->title_cy);
	fputs("</strong>: ", out);
	nrm_html_words(out, welsh, "none this quarter.",
	               welsh ? label_welsh("none this quarter.") : NULL);
	fputs("</p>\n", out);
}

static void html_table(FILE *out, const struct nrm_table *t, bool with_period, bool welsh)
{
	if (t->n_rows == 0) {
		no_rows(out, t, welsh);
		return;
	}
	/* The table scrolls in its own box, so that a wide one never makes
	 * the page scroll sideways on a narrow screen (WCAG 1.4.10); the box
	 * is a named region in the tab order, so it can be scrolled by
	 * keyboard. */
	fprintf(out, "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"%s-caption\" "
	        "tabindex=\"0\">\n<table id=\"%s\">\n<caption id=\"%s-caption\">", t->id, t->id,
	        t->id);
	esc(out, t->id);
	fputs(": ", out);
	nrm_html_words(out, welsh, t->title, t->title_cy);
	fputs("</caption>\n<thead><tr>", out);
	for (size_t c = 0; c < t->n_columns; c++) {
		enum nrm_column_role role = t->columns[c].role;
		if (!shown_column(t, c, with_period))
			continue;
		fputs(role >= NRM_COL_COUNT ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">",
		      out);
		column_title(out, &t->columns[c], welsh);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t r = 0; r < t->n_rows; r++) {
		fputs("<tr>", out);
		bool first = true;
		for (size_t c = 0; c < t->n_columns; c++) {
			enum nrm_column_role role = t->columns[c].role;
			if (!shown_column(t, c, with_period))
				continue;
			fputs(first ? "<th scope=\"row\">" : role >= NRM_COL_COUNT ? "<td class=\"num\">"
			                                                          : "<td>",
			      out);
			cell_text(out, t, r, c, welsh);
			fputs(first ? "</th>" : "</td>", out);
			first = false;
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</div>\n", out);
}

/* ---- charts ------------------------------------------------------------- */

/* What a chart shows: categories along x, one or more series. */
/* The most categories a chart draws: the series' last 40 quarters (ten
 * years) still leave each its label's width. */
#define CHART_CATS 40

struct chart {
	const char *id, *title, *x_label, *y_label;
	size_t n_cats, n_series;
	const char *cat_labels[CHART_CATS];
	const char *cat_labels_cy[CHART_CATS]; /* their Welsh (NULL: none, or no Welsh wanted) */
	const char *series_names[5];
	const struct nrm_cell *values[5][CHART_CATS]; /* [series][category] */
	bool welsh;                           /* a Welsh site's page: its texts in Welsh too */
};

/* A Welsh page's chart has a second line for each text: room above the
 * plot for the title and the legend, and below it for the labels. */
#define WELSH_LIFT 36
#define WELSH_DROP 30

/* The chart's text `en` in Welsh, when the chart wants it and has it. */
static const char *chart_cy(const struct chart *c, const char *en)
{
	return c->welsh ? label_welsh(en) : NULL;
}

/* `en`, or in Welsh when `in_welsh` and there is Welsh for it. */
static const char *in_language(const char *en, bool in_welsh)
{
	const char *cy = in_welsh ? label_welsh(en) : NULL;
	return cy ? cy : en;
}

/* The content of a <text>: `en`, or its Welsh on one line and its English
 * on the next, each in a tspan of its language (`x`: where lines start). */
static void svg_words(FILE *out, const struct chart *c, double x, const char *en)
{
	if (!c->welsh) {
		esc(out, en);
		return;
	}
	const char *cy = chart_cy(c, en);
	if (cy) {
		fputs("<tspan lang=\"cy\">", out);
		esc(out, cy);
		fprintf(out, "</tspan><tspan x=\"%g\" dy=\"1.2em\" lang=\"en-GB\">", x);
	} else {
		fputs("<tspan lang=\"en-GB\">", out);
	}
	esc(out, en);
	fputs("</tspan>", out);
}

static double nice_step(double max)
{
	double raw = max / 5, mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	step *= mag;
	return step < 1 ? 1 : step;
}

static double chart_max(const struct chart *c)
{
	double max = 0;
	for (size_t s = 0; s < c->n_series; s++)
		for (size_t i = 0; i < c->n_cats; i++)
			if (c->values[s][i]->kind == NRM_CELL_NUMBER && c->values[s][i]->number > max)
				max = c->values[s][i]->number;
	double step = nice_step(max > 0 ? max : 1);
	return step * ceil((max > 0 ? max : 1) / step);
}

/* A category's label in one language: its Welsh, when it has one. */
static const char *category(const struct chart *c, size_t i, bool in_welsh)
{
	return in_welsh && c->cat_labels_cy[i] ? c->cat_labels_cy[i] : c->cat_labels[i];
}

/* The text alternative, in one language: every value, in words. */
static void describe(FILE *out, const struct chart *c, bool in_welsh)
{
	for (size_t s = 0; s < c->n_series; s++) {
		esc(out, in_language(c->series_names[s], in_welsh));
		fputs(": ", out);
		for (size_t i = 0; i < c->n_cats; i++) {
			fputs(i ? "; " : "", out);
			esc(out, category(c, i, in_welsh));
			fputc(' ', out);
			const struct nrm_cell *v = c->values[s][i];
			esc(out, v->kind == NRM_CELL_SUPPRESSED ? in_language("suppressed [c]", in_welsh)
			         : v->kind == NRM_CELL_NA       ? in_language("not applicable [z]", in_welsh)
			         : v->kind == NRM_CELL_MISSING  ? in_language("not available [x]", in_welsh)
			                                        : v->text);
		}
		fputs(s + 1 < c->n_series ? ". " : ".", out);
	}
}

/* The chart's <title> and <desc>: a Welsh page's come in Welsh first (ids
 * ending -cy), then in English, each marked with its language. */
static void text_alternatives(FILE *out, const struct chart *c)
{
	const char *cy = chart_cy(c, c->title), *en_lang = c->welsh ? " lang=\"en-GB\"" : "";
	if (c->welsh) {
		fprintf(out, "<title id=\"%s-title-cy\" lang=\"cy\">", c->id);
		esc(out, cy ? cy : c->title);
		fputs("</title>\n", out);
	}
	fprintf(out, "<title id=\"%s-title\"%s>", c->id, en_lang);
	esc(out, c->title);
	fputs("</title>\n", out);
	if (c->welsh) {
		fprintf(out, "<desc id=\"%s-desc-cy\" lang=\"cy\">", c->id);
		describe(out, c, true);
		fputs("</desc>\n", out);
	}
	fprintf(out, "<desc id=\"%s-desc\"%s>", c->id, en_lang);
	describe(out, c, false);
	fputs("</desc>\n", out);
}

static void svg_open(FILE *out, const struct chart *c, int height)
{
	fprintf(out,
	        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" "
	        "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"",
	        c->id, CHART_W, height, CHART_W, height);
	if (c->welsh)
		fprintf(out, "%s-title-cy %s-title %s-desc-cy %s-desc\">\n", c->id, c->id, c->id,
		        c->id);
	else
		fprintf(out, "%s-title %s-desc\">\n", c->id, c->id);
	text_alternatives(out, c);
	fprintf(out, "<text x=\"%d\" y=\"22\" class=\"ctitle\" text-anchor=\"middle\">",
	        CHART_W / 2);
	svg_words(out, c, CHART_W / 2, c->title);
	fputs("</text>\n", out);
}

/* Axis frame, y gridlines and labels for a plot area. */
static void axes(FILE *out, const struct chart *c, const char *x_label, const char *y_label,
                 int left, int top, int width, int height, double max, int label_y)
{
	double step = nice_step(max);
	for (double v = 0; v <= max + 1e-9; v += step) {
		double y = top + height - v / max * height;
		fprintf(out,
		        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
		        "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%g</text>\n",
		        left, y, left + width, y, left - 6, y + 4, v);
	}
	fprintf(out,
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>"
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n",
	        left, top, left, top + height, left, top + height, left + width, top + height);
	if (x_label) {
		/* A Welsh page's label is two lines, ending where the English one did. */
		fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"alabel\" text-anchor=\"middle\">",
		        left + width / 2, label_y - (c->welsh ? 16 : 0));
		svg_words(out, c, left + width / 2, x_label);
		fputs("</text>\n", out);
	}
	fprintf(out,
	        "<text transform=\"translate(%d %d) rotate(-90)\" class=\"alabel\" "
	        "text-anchor=\"middle\">",
	        c->welsh ? 12 : 16, top + height / 2);
	svg_words(out, c, 0, y_label);
	fputs("</text>\n", out);
}

/* One language's label, broken at spaces into lines of about 14
 * characters, as tspans; `first`: no line of the label yet. */
static void label_lines(FILE *out, const char *label, double x, bool *first)
{
	char *copy = nrm_xstrdup(label), *save = NULL;
	size_t line_len = 0;
	bool started = false;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(w);
		if (!started || line_len + 1 + len > 14) {
			fprintf(out, "%s<tspan x=\"%.1f\" dy=\"%s\">", started ? "</tspan>" : "", x,
			        *first ? "0" : "1.1em");
			line_len = 0;
		} else {
			fputc(' ', out);
			line_len++;
		}
		esc(out, w);
		line_len += len;
		started = true;
		*first = false;
	}
	if (started)
		fputs("</tspan>", out);
	free(copy);
}

/* Category i's label under the axis: on a Welsh page, its Welsh lines
 * then its English lines, each language in a tspan of its own. */
static void category_label(FILE *out, const struct chart *c, size_t i, double x, int y)
{
	fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">", x, y);
	bool first = true;
	const char *cy = c->welsh ? c->cat_labels_cy[i] : NULL;
	if (cy) {
		fputs("<tspan lang=\"cy\">", out);
		label_lines(out, cy, x, &first);
		fputs("</tspan><tspan lang=\"en-GB\">", out);
	}
	label_lines(out, c->cat_labels[i], x, &first);
	fputs(cy ? "</tspan></text>\n" : "</text>\n", out);
}

/* Series first .. first+n-1 named in a row at height y (with a swatch, or a
 * dashed line for line charts); wraps before the right edge.  A Welsh
 * page's names are two lines each. */
static void legend(FILE *out, const struct chart *c, size_t first, size_t n, int y,
                   bool lines)
{
	int x = 80;
	for (size_t s = first; s < first + n; s++) {
		const char *cy = chart_cy(c, c->series_names[s]);
		size_t chars = strlen(c->series_names[s]);
		if (cy && strlen(cy) > chars)
			chars = strlen(cy);
		int w = 36 + 7 * (int)chars;
		if (x + w > CHART_W && x > 80) {
			x = 80;
			y += c->welsh ? 32 : 18;
		}
		if (lines)
			fprintf(out,
			        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
			        "stroke-width=\"3\" stroke-dasharray=\"%s\"/>",
			        x, y - 4, x + 22, y - 4, palette[s], dashes[s]);
		else
			fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>",
			        x, y - 10, palette[s]);
		fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"tick\">", x + (lines ? 28 : 18), y);
		svg_words(out, c, x + (lines ? 28 : 18), c->series_names[s]);
		fputs("</text>\n", out);
		x += w;
	}
}

/* A bar's or a point's tooltip, "series, category: value", in each of
 * the page's languages. */
static void point_title(FILE *out, const struct chart *c, size_t s, size_t i, const char *value)
{
	for (int welsh = c->welsh; welsh >= 0; welsh--) {
		fputs(!c->welsh ? "<title>" : welsh ? "<title lang=\"cy\">" : "<title lang=\"en-GB\">",
		      out);
		esc(out, in_language(c->series_names[s], welsh));
		fputs(", ", out);
		esc(out, category(c, i, welsh));
		fprintf(out, ": %s</title>", value);
	}
}

static void bar_chart(FILE *out, const struct chart *c)
{
	const int lift = c->welsh ? WELSH_LIFT : 0, drop = c->welsh ? WELSH_DROP : 0;
	const int left = 70, top = 60 + lift, width = CHART_W - left - 20, height = CHART_H - 60 - 90;
	double max = chart_max(c);
	svg_open(out, c, CHART_H + lift + drop);
	if (c->n_series > 1)
		legend(out, c, 0, c->n_series, 46 + (c->welsh ? 20 : 0), false);
	axes(out, c, c->x_label, c->y_label, left, top, width, height, max,
	     CHART_H + lift + drop - 10);
	double slot = (double)width / (double)c->n_cats;
	double bar = slot * 0.8 / (double)c->n_series;
	for (size_t i = 0; i < c->n_cats; i++) {
		double x0 = left + slot * (double)i + slot * 0.1;
		for (size_t s = 0; s < c->n_series; s++) {
			const struct nrm_cell *v = c->values[s][i];
			double x = x0 + bar * (double)s;
			if (v->kind != NRM_CELL_NUMBER) {
				fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" "
				             "text-anchor=\"middle\">%s</text>\n",
				        x + bar / 2, top + height - 4,
				        v->kind == NRM_CELL_SUPPRESSED ? "[c]"
				        : v->kind == NRM_CELL_MISSING  ? "[x]" : "[z]");
				continue;
			}
			double h = v->number / max * height;
			fprintf(out,
			        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
			        x, top + height - h, bar - 2, h, palette[s]);
			point_title(out, c, s, i, v->text);
			fputs("</rect>\n", out);
		}
		category_label(out, c, i, left + slot * ((double)i + 0.5), top + height + 18);
	}
	fputs("</svg>\n", out);
}

/* One panel of lines over the categories; suppressed or empty points break
 * the line rather than pretend to be zero. */
static void line_panel(FILE *out, const struct chart *c, size_t first_series,
                       size_t n_series, int top, int height, const char *y_label,
                       const char *x_label)
{
	const int left = 70, width = CHART_W - left - 20;
	struct chart sub = *c;
	sub.n_series = n_series;
	for (size_t s = 0; s < n_series; s++)
		for (size_t i = 0; i < c->n_cats; i++)
			sub.values[s][i] = c->values[first_series + s][i];
	double max = chart_max(&sub);
	axes(out, c, x_label, y_label, left, top, width, height, max,
	     top + height + 40 + (c->welsh ? 16 : 0));
	double slot = (double)width / (double)c->n_cats;
	for (size_t s = 0; s < n_series; s++) {
		size_t colour = first_series + s;
		fprintf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
		             "stroke-dasharray=\"%s\" d=\"",
		        palette[colour], dashes[colour]);
		bool pen_down = false;
		for (size_t i = 0; i < c->n_cats; i++) {
			const struct nrm_cell *v = sub.values[s][i];
			if (v->kind != NRM_CELL_NUMBER) {
				pen_down = false;
				continue;
			}
			fprintf(out, "%s%.1f %.1f ", pen_down ? "L" : "M",
			        left + slot * ((double)i + 0.5), top + height - v->number / max * height);
			pen_down = true;
		}
		fputs("\"/>\n", out);
		for (size_t i = 0; i < c->n_cats; i++) {
			const struct nrm_cell *v = sub.values[s][i];
			if (v->kind != NRM_CELL_NUMBER)
				continue;
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">",
			        left + slot * ((double)i + 0.5), top + height - v->number / max * height,
			        palette[colour]);
			point_title(out, c, colour, i, v->text);
			fputs("</circle>\n", out);
		}
	}
	for (size_t i = 0; i < c->n_cats; i++)
		category_label(out, c, i, left + slot * ((double)i + 0.5), top + height + 18);
}

/* The trend: counts in the upper panel, mean days in the lower, sharing
 * the quarters along x (one axis each, never two scales on one panel).  A
 * Welsh page's legends are two lines, and the panels lower for them. */
static void trend_chart(FILE *out, const struct chart *c)
{
	const bool w = c->welsh;
	svg_open(out, c, w ? 616 : 600);
	legend(out, c, 0, 3, w ? 66 : 46, true);
	line_panel(out, c, 0, 3, w ? 100 : 80, 190, "Number of cases", NULL);
	legend(out, c, 3, 2, w ? 326 : 302, true);
	line_panel(out, c, 3, 2, w ? 356 : 330, 190, "Mean days", c->x_label);
	fputs("</svg>\n", out);
}

/* ---- assembling the page ------------------------------------------------ */

static void caption(FILE *out, const struct nrm_return_tables *t, const char *text)
{
	fputs("<figcaption>", out);
	nrm_html_paragraphs(out, t->welsh, text, t->welsh ? label_welsh(text) : NULL, NULL);
	fputs("</figcaption>\n</figure>\n", out);
}

/* Rows other than Total, with the label column and value columns given. */
static void fill_from_table(struct chart *c, const struct nrm_table *t, size_t label_col,
                            const size_t *value_cols, size_t n_series)
{
	c->n_series = n_series;
	c->n_cats = 0;
	for (size_t r = 0; r < t->n_rows && c->n_cats < CHART_CATS; r++) {
		if (strcmp(nrm_table_cell(t, r, 2)->text, "total") == 0)
			continue;
		c->cat_labels[c->n_cats] = nrm_table_cell(t, r, label_col)->text;
		c->cat_labels_cy[c->n_cats] = nrm_table_cell(t, r, label_col)->text_cy;
		for (size_t s = 0; s < n_series; s++)
			c->values[s][c->n_cats] = nrm_table_cell(t, r, value_cols[s]);
		c->n_cats++;
	}
}

static void section_open(FILE *out, const struct nrm_return_tables *t, const char *id,
                         const char *heading)
{
	fprintf(out, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
	nrm_html_words(out, t->welsh, heading, t->welsh ? label_welsh(heading) : NULL);
	fputs("</h2>\n", out);
}

static void days_section(FILE *out, const struct nrm_return_tables *t)
{
	const struct nrm_table *dist = nrm_return_tables_find(t, "days_distribution");
	struct chart c = {.id = "chart-days", .title = "Days from referral to decision",
	                  .x_label = "Days from referral to decision",
	                  .y_label = "Number of decisions",
	                  .series_names = {"Reasonable grounds", "Conclusive grounds"}};
	static const size_t cols[] = {4, 5};
	c.welsh = t->welsh;
	fill_from_table(&c, dist, 3, cols, 2);
	section_open(out, t, "h-days", "Days from referral to decision");
	bar_chart(out, &c);
	caption(out, t, "Decisions made in the quarter, by calendar days from referral.");
	html_table(out, nrm_return_tables_find(t, "days_to_decision"), false, t->welsh);
	html_table(out, dist, false, t->welsh);
	fputs("</section>\n", out);
}

static void awaiting_section(FILE *out, const struct nrm_return_tables *t)
{
	const struct nrm_table *ages = nrm_return_tables_find(t, "awaiting_age");
	struct chart c = {.id = "chart-awaiting",
	                  .title = "Cases awaiting a decision at the end of the quarter",
	                  .x_label = "Age of case (days since referral)",
	                  .y_label = "Number of cases",
	                  .series_names = {"Awaiting reasonable grounds",
	                                   "Awaiting conclusive grounds"}};
	static const size_t cols[] = {4, 5};
	c.welsh = t->welsh;
	fill_from_table(&c, ages, 3, cols, 2);
	section_open(out, t, "h-awaiting", "Cases awaiting a decision");
	bar_chart(out, &c);
	caption(out, t, "Cases open on the last day of the quarter, by age of case.");
	html_table(out, nrm_return_tables_find(t, "awaiting"), false, t->welsh);
	html_table(out, ages, false, t->welsh);
	fputs("</section>\n", out);
}

static void exploitation_section(FILE *out, const struct nrm_return_tables *t)
{
	const struct nrm_table *types = nrm_return_tables_find(t, "exploitation_type");
	struct chart c = {.id = "chart-exploitation", .title = "Referrals by exploitation type",
	                  .x_label = "Exploitation type", .y_label = "Number of referrals",
	                  .series_names = {"Referrals"}};
	static const size_t cols[] = {4};
	c.welsh = t->welsh;
	fill_from_table(&c, types, 3, cols, 1);
	section_open(out, t, "h-exploitation", "Referrals by exploitation type");
	bar_chart(out, &c);
	caption(out, t, "A referral counts once under each type it has, so the bars can add up "
	                "to more than the number of referrals.");
	html_table(out, types, false, t->welsh);
	fputs("</section>\n", out);
}

/* The history's table: the series (its referrals, decisions and mean
 * days columns), or in a return made before it, the eight quarters'
 * trend; the columns charted in `cols`. */
static const struct nrm_table *history_table(const struct nrm_return_tables *t, size_t cols[5])
{
	static const char *const names[5] = {"referrals", "rg_decisions", "cg_decisions",
	                                     "mean_days_rg", "mean_days_cg"};
	const struct nrm_table *h = nrm_return_tables_find(t, "series");
	if (!h)
		h = nrm_return_tables_find(t, "trend");
	for (size_t s = 0; s < 5; s++)
		for (size_t c = 0; c < h->n_columns; c++)
			if (strcmp(h->columns[c].name, names[s]) == 0)
				cols[s] = c;
	return h;
}

static void trend_section(FILE *out, const struct nrm_return_tables *t)
{
	size_t cols[5] = {2, 3, 4, 5, 6};
	const struct nrm_table *trend = history_table(t, cols);
	bool series = strcmp(trend->key, "series") == 0;
	struct chart c = {.id = "chart-trend",
	                  .title = series ? "Referrals, decisions and mean days to decision, "
	                                    "each quarter"
	                                  : "Referrals, decisions and mean days to decision, "
	                                    "last eight quarters",
	                  .x_label = "Quarter", .y_label = "Number of cases",
	                  .series_names = {"Referrals", "Reasonable grounds decisions",
	                                   "Conclusive grounds decisions",
	                                   "Mean days to reasonable grounds",
	                                   "Mean days to conclusive grounds"}};
	char *labels[CHART_CATS];
	c.n_cats = trend->n_rows < CHART_CATS ? trend->n_rows : CHART_CATS;
	c.n_series = 5;
	c.welsh = t->welsh;
	size_t skip = trend->n_rows - c.n_cats; /* the latest quarters */
	for (size_t i = 0; i < c.n_cats; i++) {
		size_t r = skip + i;
		labels[i] = nrm_xasprintf("%s %s", nrm_table_cell(trend, r, 1)->text,
		                          nrm_table_cell(trend, r, 0)->text);
		c.cat_labels[i] = labels[i];
		for (size_t s = 0; s < 5; s++)
			c.values[s][i] = nrm_table_cell(trend, r, cols[s]);
	}
	section_open(out, t, "h-trend", series ? "Each quarter since the pilot began"
	                                       : "The last eight quarters");
	trend_chart(out, &c);
	caption(out, t, "Upper panel: referrals and decisions in each quarter. "
	                "Lower panel: mean calendar days from referral to each decision.");
	html_table(out, trend, true, t->welsh);
	const struct nrm_table *change = nrm_return_tables_find(t, "series_change");
	if (change)
		html_table(out, change, true, t->welsh);
	fputs("</section>\n", out);
	for (size_t i = 0; i < c.n_cats; i++)
		free(labels[i]);
}

/* Reflows from 320 CSS pixels up (WCAG 1.4.10): text wraps, a chart
 * shrinks to the width it has, and a wide table scrolls inside its own
 * box (.table-scroll) while its caption stays in view and wraps to the
 * box's width (a container, so that 100cqi is the box's width). */
static const char css[] =
	"body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0 auto;"
	"max-width:60rem;padding:1rem;line-height:1.4;overflow-wrap:break-word}"
	"h1{font-size:1.8rem}h2{font-size:1.4rem;border-top:2px solid #b1b4b6;padding-top:.6rem}"
	".table-scroll{overflow-x:auto;margin:1rem 0;container-type:inline-size}"
	".table-scroll:focus{outline:3px solid #0b0c0c;outline-offset:2px}"
	"table{border-collapse:collapse;width:100%}"
	"caption{text-align:left;font-weight:bold;padding:.3rem 0;position:sticky;left:0;"
	"max-width:100cqi}"
	"th,td{border-bottom:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left}"
	".num{text-align:right;font-variant-numeric:tabular-nums}"
	"figure{margin:1rem 0}figcaption{font-size:.9rem;color:#505a5f}"
	"svg.chart{max-width:100%;height:auto;background:#fff}"
	"svg .ctitle{font:bold 16px Arial,sans-serif}svg .tick{font:12px Arial,sans-serif}"
	"svg .alabel{font:13px Arial,sans-serif}svg .axis{stroke:#0b0c0c;stroke-width:1}"
	"svg .grid{stroke:#dcdcdc;stroke-width:1}"
	"dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem}"
	"dl.meta dt{font-weight:bold}dl.meta dd{margin:0}"
	"@media print{body{max-width:none;font-size:10pt;padding:0}"
	".table-scroll{overflow:visible}"
	"section,figure,table{break-inside:avoid}h2{break-after:avoid}nav{display:none}}";

/* The Welsh of a fixed text of the page, on a Welsh site's page. */
static const char *page_cy(const struct nrm_return_tables *t, const char *en)
{
	return t->welsh ? label_welsh(en) : NULL;
}

#define PAGE_TITLE "NRM devolved decision-making: quarterly return, %s, %s"

/* The page's language is Welsh on a Welsh site's page, which says
 * everything in Welsh first (and marks its English parts). */
static void page_title(FILE *out, const struct nrm_return_tables *t)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	        "style-src 'unsafe-inline'; img-src data:\">\n<title>",
	        t->welsh ? "cy" : "en-GB");
	const char *site = nrm_return_tables_site_label(t);
	char *cy = NRM_WELSH_PRINTF(t->welsh, PAGE_TITLE, site, t->quarter);
	if (cy) {
		esc(out, cy);
		fputs(" / ", out);
	}
	char *en = nrm_xasprintf(PAGE_TITLE, site, t->quarter);
	esc(out, en);
	free(cy);
	free(en);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n", css);
}

/* What the return is: a list of its site, period, audience and making. */
static void page_facts(FILE *out, const struct nrm_return_tables *t)
{
	const char *items[][2] = {
		{"Site", nrm_return_tables_site_label(t)}, {"Quarter", t->quarter}, {"From", t->period_start},
		{"To", t->period_end}, {"Audience", t->audience}, {"Produced", t->generated_at},
		{"Data as at", nrm_return_tables_data_as_at(t)}, {"By", "nrmhub"},
	};
	fputs("<dl class=\"meta\">", out);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		fputs("<dt>", out);
		nrm_html_words(out, t->welsh, items[i][0], page_cy(t, items[i][0]));
		fputs("</dt><dd>", out);
		if (items[i][1] == t->audience)  /* a word, not a code or a date */
			nrm_html_words(out, t->welsh, t->audience, page_cy(t, t->audience));
		else
			esc(out, items[i][1]);
		if (i + 1 == sizeof(items) / sizeof(items[0])) {
			fputc(' ', out);
			esc(out, t->generator_version);
		}
		fputs("</dd>", out);
	}
	fputs("</dl>\n", out);
}

static void page_head(FILE *out, const struct nrm_return_tables *t)
{
	page_title(out, t);
	const char *h1 = "National Referral Mechanism: devolved decision-making for child victims";
	const char *what = "Quarterly return of a pilot site.";
	fputs("<h1>", out);
	nrm_html_words(out, t->welsh, h1, page_cy(t, h1));
	/* The site by the name people know it by: a name, in no language. */
	fputs(": ", out);
	esc(out, nrm_return_tables_site_label(t));
	fputs("</h1>\n", out);
	nrm_html_paragraph(out, t->welsh, what, page_cy(t, what), NULL);
	fputs("\n", out);
	page_facts(out, t);
	bool official = strcmp(t->audience, "official") == 0;
	const char *audience = official ? "Official: exact counts for the Home Office, not for "
	                                  "publication."
	                                : "Counts from 1 to 4 are shown as [c] (suppressed), with "
	                                  "further cells suppressed so that none can be worked "
	                                  "out from totals.";
	nrm_html_paragraph(out, t->welsh, audience, page_cy(t, audience),
	                   official ? "strong" : NULL);
	fputs("\n</header>\n<main>\n", out);
}

static void notes_section(FILE *out, const struct nrm_return_tables *t)
{
	section_open(out, t, "h-notes", "Notes");
	fputs("<dl>\n", out);
	for (size_t i = 0; i < t->n_notes; i++) {
		int number = t->notes[i].number;
		char *en = nrm_xasprintf("[note %d]", number);
		char *cy = NRM_WELSH_PRINTF(t->welsh, "[note %d]", number);
		fprintf(out, "<dt id=\"note-%d\">", number);
		nrm_html_words(out, t->welsh, en, cy);
		fputs("</dt><dd>", out);
		nrm_html_paragraphs(out, t->welsh, t->notes[i].text, page_cy(t, t->notes[i].text),
		                    NULL);
		fputs("</dd>\n", out);
		free(en);
		free(cy);
	}
	const char *shorthand = "Shorthand: [c] confidential (suppressed), [z] not applicable.";
	fputs("</dl>\n", out);
	nrm_html_paragraph(out, t->welsh, shorthand, page_cy(t, shorthand), NULL);
	if (t->marked) {
		const char *marks = "[p] provisional, [r] revised.";
		nrm_html_paragraph(out, t->welsh, marks, page_cy(t, marks), NULL);
	}
	fputs("\n</section>\n", out);
}

/* "What changed and why": a return that revises one sent before says
 * which figures changed, from what to what, and the reason a person gave
 * (return_marks.h). */
static void revisions_section(FILE *out, const struct nrm_return_tables *t)
{
	const struct nrm_table *rev = nrm_return_tables_find(t, NRM_REVISIONS_KEY);
	if (!rev)
		return;
	section_open(out, t, "h-revisions", "What changed and why");
	if (rev->lead) {
		fputs("<p>", out);
		esc(out, rev->lead);
		fputs("</p>\n", out);
	}
	html_table(out, rev, true, t->welsh);
	fputs("</section>\n", out);
}

static void rest_and_notes(FILE *out, const struct nrm_return_tables *t)
{
	static const char *const shown[] = {"summary", "days_to_decision", "days_distribution",
	                                    "awaiting", "awaiting_age", "exploitation_type",
	                                    "trend", "series", "series_change",
	                                    NRM_REVISIONS_KEY};
	section_open(out, t, "h-tables", "All other tables");
	for (size_t i = 0; i < t->n_tables; i++) {
		bool done = false;
		for (size_t k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
			done = done || strcmp(t->tables[i].key, shown[k]) == 0;
		if (!done)
			html_table(out, &t->tables[i], false, t->welsh);
	}
	fputs("</section>\n", out);
	notes_section(out, t);
}

/* For the national report (national_html.c), which shows its tables and
 * escapes its text the same way. */
void nrm_html_escape(FILE *out, const char *s)
{
	esc(out, s);
}

void nrm_html_table(FILE *out, const struct nrm_table *t, bool with_period)
{
	html_table(out, t, with_period, false);
}

const char *nrm_html_css(void)
{
	return css;
}

int nrm_return_write_html(const json_t *ret, const struct nrm_return_tables *t,
                          const char *dir, struct nrm_error *err)
{
	(void)ret; /* drawn from the tables, so the page matches the other outputs */
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	if (!out)
		return nrm_fail(err, EX_OSERR, "out of memory");
	page_head(out, t);
	section_open(out, t, "h-summary", "Summary");
	html_table(out, nrm_return_tables_find(t, "summary"), false, t->welsh);
	fputs("</section>\n", out);
	days_section(out, t);
	awaiting_section(out, t);
	exploitation_section(out, t);
	trend_section(out, t);
	revisions_section(out, t);
	rest_and_notes(out, t);
	fputs("</main>\n</body>\n</html>\n", out);
	fclose(out);
	int rc = nrm_return_write_file(dir, "report.html", data, len, err);
	free(data);
	return rc;
}
