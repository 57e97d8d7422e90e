/*
 * Column widths from content, and the scale each sheet prints at: see
 * return_ods.h.  A spreadsheet cannot measure text before a reader opens
 * it, so widths are estimated from the number of characters at the
 * workbook's 11 pt (about 2 mm a character, a little more in bold); a
 * header wraps, so its column needs only its longest word and a third of
 * its length.  A cell with Welsh above its English is as wide as the
 * wider of the two.  A sheet wider than the printed page is scaled down to fit
 * its width: the guidance asks that every sheet print legibly, and a table
 * cut across two pages does not.
 */
#include "return_ods.h"

#include "util.h"

#include <string.h>

#define CHAR_UM 2000      /* a character at 11 pt, in micrometres */
#define BOLD_UM 2200
#define TITLE_UM 2700     /* the title's 14 pt bold */
#define PADDING_MM 3
#define MIN_COLUMN_MM 14
#define MAX_COLUMN_MM 90  /* wider labels wrap */
#define NOTE_COLUMN_MM 180

/* Characters, not bytes: labels hold UTF-8 ("Côte d'Ivoire"). */
static size_t chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* The longer of a text and its Welsh (NULL: none), in characters. */
static size_t longer_chars(const char *text, const char *cy)
{
	size_t n = chars(text, strlen(text)), m = cy ? chars(cy, strlen(cy)) : 0;
	return n > m ? n : m;
}

/* A number as the thousands separators show it: "12345" as "12,345". */
static size_t shown_chars(const struct ods_cell *c)
{
	size_t n = strlen(c->text);
	if (c->kind != ODS_COUNT && c->kind != ODS_DECIMAL)
		return longer_chars(c->text, c->cy);
	const char *dot = strchr(c->text, '.');
	size_t digits = (dot ? (size_t)(dot - c->text) : n) - (c->text[0] == '-');
	return n + (digits > 0 ? (digits - 1) / 3 : 0);
}

static size_t longest_word(const char *s)
{
	size_t best = 0;
	while (*s) {
		size_t n = strcspn(s, " ");
		size_t w = chars(s, n);
		if (w > best)
			best = w;
		s += n;
		s += strspn(s, " ");
	}
	return best;
}

static unsigned mm(size_t n, unsigned um)
{
	return (unsigned)((n * um + 999) / 1000);
}

static unsigned column_mm(const struct ods_sheet *s, size_t c)
{
	unsigned width = 0;
	bool wraps = false;
	for (size_t r = 0; r < s->n_rows; r++) {
		const struct ods_cell *cell = &s->cells[r * s->n_cols + c];
		wraps = wraps || cell->kind == ODS_WRAP;
		unsigned w = mm(shown_chars(cell), CHAR_UM);
		if (w > width)
			width = w;
	}
	if (wraps)
		return NOTE_COLUMN_MM;
	if (s->header) {
		const char *cy = s->header_cy ? s->header_cy[c] : NULL;
		size_t len = longer_chars(s->header[c], cy);
		size_t longest = longest_word(s->header[c]), longest_cy = cy ? longest_word(cy) : 0;
		unsigned word = mm(longest > longest_cy ? longest : longest_cy, BOLD_UM);
		unsigned third = mm((len + 2) / 3, BOLD_UM);
		width = width > word ? width : word;
		width = width > third ? width : third;
	}
	width += PADDING_MM;
	return width < MIN_COLUMN_MM ? MIN_COLUMN_MM : width > MAX_COLUMN_MM ? MAX_COLUMN_MM : width;
}

/* The sheet's printed width: its columns, or a line above the table that
 * spills over the empty cells to its right, whichever is wider. */
static unsigned sheet_mm(const struct ods_sheet *s)
{
	unsigned width = 0;
	for (size_t c = 0; c < s->n_cols; c++)
		width += s->col_mm[c];
	if (!s->header)
		return width;  /* the cover sheet: its text wraps in its column */
	unsigned title = mm(longer_chars(s->title, s->title_cy), TITLE_UM);
	width = width > title ? width : title;
	for (size_t i = 0; i < s->n_lines; i++) {
		unsigned line = mm(longer_chars(s->lines[i], s->lines_cy[i]), CHAR_UM);
		width = width > line ? width : line;
	}
	return width;
}

static void sheet_layout(struct ods_sheet *s)
{
	s->col_mm = nrm_xcalloc(s->n_cols, sizeof(*s->col_mm));
	for (size_t c = 0; c < s->n_cols; c++)
		s->col_mm[c] = s->header ? column_mm(s, c) : ODS_COVER_WIDTH_MM;
	unsigned width = sheet_mm(s);
	s->scale = width <= ODS_PAGE_WIDTH_MM ? 100 : ODS_PAGE_WIDTH_MM * 100 / width;
}

void nrm_ods_layout(struct ods_workbook *wb)
{
	for (size_t i = 0; i < wb->n_sheets; i++)
		sheet_layout(&wb->sheets[i]);
}
