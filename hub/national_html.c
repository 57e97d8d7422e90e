/*
 * report.html for the national tables: one self-contained page (no
 * scripts, no outside resources) with two SVG charts, the sites' median
 * days to decision beside the national median, and the pilot against
 * non-pilot areas, then every table and the notes.  Text comes from the
 * tables, so the page cannot disagree with the CSV and ODS files.
 */
#include "national.h"

#include "return_render.h"
#include "return_tables.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define CHART_W 680
#define BAR_H 22
#define LEFT 200

struct bar {
	const char *label;
	const struct nrm_cell *value;
	const char *colour;
};

static double max_of(const struct bar *bars, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value->kind == NRM_CELL_NUMBER && bars[i].value->number > m)
			m = bars[i].value->number;
	return m > 0 ? m : 1;
}

/* A horizontal bar chart: one bar per label, the value written at its
 * end ("[z]" when there is none); a text alternative for screen readers. */
static void bar_chart(FILE *out, const char *id, const char *title, const char *unit,
                      const struct bar *bars, size_t n)
{
	int height = (int)n * (BAR_H + 8) + 40;
	double max = max_of(bars, n);
	fprintf(out, "<figure>\n<svg class=\"chart\" role=\"img\" aria-labelledby=\"%s-t\" width=\"%d\" "
	        "height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
	        "<title id=\"%s-t\">", id, CHART_W, height, CHART_W, height, id);
	nrm_html_escape(out, title);
	fputs("</title>\n", out);
	for (size_t i = 0; i < n; i++) {
		int y = 10 + (int)i * (BAR_H + 8);
		const struct nrm_cell *v = bars[i].value;
		double w = v->kind == NRM_CELL_NUMBER ? v->number / max * (CHART_W - LEFT - 80) : 0;
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">",
		        LEFT - 8, y + BAR_H - 6);
		nrm_html_escape(out, bars[i].label);
		fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		        "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" font-size=\"13\">", LEFT, y, w, BAR_H,
		        bars[i].colour, LEFT + w + 6, y + BAR_H - 6);
		nrm_html_escape(out, v->text);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", LEFT, height - 8);
	nrm_html_escape(out, unit);
	fputs("</text>\n</svg>\n<figcaption>", out);
	nrm_html_escape(out, title);
	fputs("</figcaption>\n</figure>\n", out);
}

static size_t column(const struct nrm_table *t, const char *name)
{
	for (size_t c = 0; c < t->n_columns; c++)
		if (strcmp(t->columns[c].name, name) == 0)
			return c;
	return 0;
}

/* Median days to RG and CG decision, each site and the nation. */
static void sites_chart(FILE *out, const struct nrm_return_tables *t, const json_t *national,
                        const char *stage)
{
	const struct nrm_table *s = nrm_return_tables_find(t, "by_site");
	const struct nrm_table *p = nrm_return_tables_find(t, "pilot_vs_non_pilot");
	if (!s || !p || s->n_rows > 60)
		return;
	char col[32];
	snprintf(col, sizeof(col), "%s_median_days", stage);
	size_t n = s->n_rows + 1;
	struct bar *bars = nrm_xcalloc(n, sizeof(*bars));
	size_t c = column(s, col);
	for (size_t r = 0; r < s->n_rows; r++)
		bars[r] = (struct bar){nrm_table_cell(s, r, column(s, "site_label"))->text,
		                       nrm_table_cell(s, r, c), "#1d70b8"};
	size_t prow = strcmp(stage, "rg") == 0 ? 0 : 1;
	bars[n - 1] = (struct bar){"All pilot sites", nrm_table_cell(p, prow, column(p, "pilot_median_days")),
	                           "#0b0c0c"};
	char *title = nrm_xasprintf("Median days from referral to %s decision, by site, and the "
	                            "national median of every child's days, %s",
	                            strcmp(stage, "rg") == 0 ? "Reasonable Grounds"
	                                                     : "Conclusive Grounds",
	                            json_string_value(json_object_get(national, "quarter")));
	char id[16];
	snprintf(id, sizeof(id), "c-sites-%s", stage);
	bar_chart(out, id, title, "days", bars, n);
	free(title);
	free(bars);
}

static void pilot_chart(FILE *out, const struct nrm_return_tables *t, const json_t *national)
{
	const struct nrm_table *p = nrm_return_tables_find(t, "pilot_vs_non_pilot");
	if (!p)
		return;
	static const char *const stats[][2] = {{"mean_days", "mean"}, {"median_days", "median"},
	                                       {"p90_days", "90th percentile"}};
	struct bar bars[12];
	char labels[12][64];
	size_t n = 0;
	for (size_t r = 0; r < p->n_rows; r++)
		for (size_t k = 0; k < 3; k++)
			for (int who = 0; who < 2; who++) {
				char col[32];
				snprintf(col, sizeof(col), "%s_%s", who ? "non_pilot" : "pilot", stats[k][0]);
				snprintf(labels[n], sizeof(labels[n]), "%s %s, %s", r ? "CG" : "RG",
				         stats[k][1], who ? "non-pilot" : "pilot");
				bars[n] = (struct bar){labels[n], nrm_table_cell(p, r, column(p, col)),
				                       who ? "#f47738" : "#1d70b8"};
				n++;
			}
	char *title = nrm_xasprintf("Days from referral to decision: pilot sites against "
	                            "non-pilot areas, %s",
	                            json_string_value(json_object_get(national, "quarter")));
	bar_chart(out, "c-pilot", title, "days", bars, n);
	free(title);
}

/* The comparison's headline first, in the Home Office's words, with the
 * population and the period it is about right under it. */
static void headline(FILE *out, const json_t *h)
{
	const char *parts[3][2] = {{"text", "<p class=\"headline\"><strong>"},
	                           {"population", "<p>Population: "}, {"period", "<p>Period: "}};
	fputs("<section><h2>Headline</h2>\n", out);
	for (int i = 0; i < 3; i++) {
		fputs(parts[i][1], out);
		nrm_html_escape(out, json_string_value(json_object_get(h, parts[i][0])));
		fputs(i == 0 ? "</strong></p>\n" : ".</p>\n", out);
	}
	fputs("</section>\n", out);
}

static void head(FILE *out, const json_t *national)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; img-src data:\">\n<title>NRM devolved decision-making: "
	      "national tables, ", out);
	nrm_html_escape(out, json_string_value(json_object_get(national, "quarter")));
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n", nrm_html_css());
	fputs("<h1>National Referral Mechanism: devolved decision-making for child victims</h1>\n"
	      "<p>National tables: every pilot site's latest return for the quarter.</p>\n", out);
	fprintf(out, "<p>Quarter %s (%s to %s). Sites reporting: %" JSON_INTEGER_FORMAT " of %"
	        JSON_INTEGER_FORMAT " registered. Produced %s by nrmhub.</p>\n",
	        json_string_value(json_object_get(national, "quarter")),
	        json_string_value(json_object_get(json_object_get(national, "period"), "start")),
	        json_string_value(json_object_get(json_object_get(national, "period"), "end")),
	        json_integer_value(json_object_get(national, "sites_reporting")),
	        json_integer_value(json_object_get(national, "sites_expected")),
	        json_string_value(json_object_get(national, "generated_at")));
	if (json_object_get(national, "audience") &&
	    strcmp(json_string_value(json_object_get(national, "audience")), "published") == 0)
		fputs("<p><strong>Published: counts from 1 to the threshold and the cells that "
		      "would disclose them are shown as [c], jointly with every site's published "
		      "return.</strong></p>\n</header>\n<main>\n", out);
	else
		fputs("<p><strong>Official: exact counts for the Home Office, not for "
		      "publication.</strong></p>\n</header>\n<main>\n", out);
	if (json_object_get(national, "headline"))
		headline(out, json_object_get(national, "headline"));
	/* Said once at the top as well as in each table's title: a figure that
	 * leaves out a site must not read as the whole. */
	if (!json_is_true(json_object_get(national, "complete")))
		fputs("<p class=\"headline\"><strong>Incomplete: not every pilot site sent a return "
		      "for the quarter (see Sites); every total, the headline and the cumulative "
		      "figures leave out those that did not.</strong></p>\n", out);
}

static void notes(FILE *out, const struct nrm_return_tables *t)
{
	fputs("<section><h2>Notes</h2>\n<dl>\n", out);
	for (size_t i = 0; i < t->n_notes; i++) {
		fprintf(out, "<dt id=\"note-%d\">[note %d]</dt><dd>", t->notes[i].number,
		        t->notes[i].number);
		nrm_html_escape(out, t->notes[i].text);
		fputs("</dd>\n", out);
	}
	fputs("</dl>\n<p>Shorthand: [c] confidential; [z] not applicable; [x] not available.</p>\n</section>\n",
	      out);
}

int nrm_national_write_html(const json_t *national, const struct nrm_return_tables *t,
                            const char *dir, struct nrm_error *err)
{
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	if (!out)
		return nrm_fail(err, EX_OSERR, "out of memory");
	head(out, national);
	if (nrm_return_tables_find(t, "pilot_vs_non_pilot")) {
		fputs("<section><h2>Pilot against non-pilot areas</h2>\n", out);
		pilot_chart(out, t, national);
		nrm_html_table(out, nrm_return_tables_find(t, "pilot_vs_non_pilot"), false);
		fputs("</section>\n", out);
	}
	fputs("<section><h2>Sites</h2>\n", out);
	sites_chart(out, t, national, "rg");
	sites_chart(out, t, national, "cg");
	nrm_html_table(out, nrm_return_tables_find(t, "by_site"), false);
	nrm_html_table(out, nrm_return_tables_find(t, "site_status"), false);
	fputs("</section>\n<section><h2>National tables</h2>\n", out);
	for (size_t i = 0; i < t->n_tables; i++) {
		const char *k = t->tables[i].key;
		if (strcmp(k, "pilot_vs_non_pilot") && strcmp(k, "by_site") && strcmp(k, "site_status"))
			nrm_html_table(out, &t->tables[i], strcmp(k, "trend") == 0);
	}
	fputs("</section>\n", out);
	notes(out, t);
	fputs("</main>\n</body>\n</html>\n", out);
	fclose(out);
	int rc = nrm_return_write_file(dir, "report.html", data, len, err);
	free(data);
	return rc;
}
