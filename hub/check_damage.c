/*
 * Positions are spread evenly over the sample rather than drawn at random:
 * the same sample always gives the same variants, and every part of the file
 * (header, first record, middle, end) is hit.
 */
#include "check_damage.h"

#include "util.h"

#include <stdbool.h>

#include <stdlib.h>
#include <string.h>

#define TRUNCATIONS 24
#define FLIPS 32
#define DUPLICATED_LINES 8
#define RUNAWAY_LINE (8u << 20)

static void add(struct nrm_variants *out, char *label, char *data, size_t len)
{
	out->items = nrm_xrealloc(out->items, (out->count + 1) * sizeof(*out->items));
	out->items[out->count++] = (struct nrm_variant){label, data, len};
}

static char *copy_of(const char *s, size_t len)
{
	char *d = nrm_xmalloc(len ? len : 1);
	memcpy(d, s, len);
	return d;
}

static void add_truncations(struct nrm_variants *out, const char *s, size_t len)
{
	size_t last = 0;
	for (size_t i = 1; i <= TRUNCATIONS && len > 1; i++) {
		size_t at = len * i / (TRUNCATIONS + 1);
		if (at == 0 || at == last || at >= len)
			continue;
		last = at;
		add(out, nrm_xasprintf("truncated after byte %zu of %zu", at, len),
		    copy_of(s, at), at);
	}
	if (len > 1 && last != len - 1)
		add(out, nrm_xasprintf("truncated after byte %zu of %zu (last byte cut)", len - 1,
		                       len), copy_of(s, len - 1), len - 1);
}

/* Replacement bytes chosen to upset parsers: inverted bits, NUL, quoting and
 * separators, line breaks, a lone UTF-8 lead byte, a JSON/XML opener. */
static unsigned char damaged_byte(unsigned char old, size_t i)
{
	static const unsigned char bad[] = {0, '"', ',', '\n', '\r', 0xC3, '{', '<'};
	if (i % 9 == 0)
		return (unsigned char)~old;
	unsigned char b = bad[i % sizeof(bad)];
	return b == old ? (unsigned char)~old : b;
}

static void add_flips(struct nrm_variants *out, const char *s, size_t len)
{
	for (size_t i = 0; i < FLIPS && len; i++) {
		size_t at = len * i / FLIPS;
		char *d = copy_of(s, len);
		unsigned char b = damaged_byte((unsigned char)s[at], i);
		d[at] = (char)b;
		add(out, nrm_xasprintf("byte %zu of %zu changed to 0x%02X", at, len, b), d, len);
	}
}

/* Offsets of the starts of lines, and the end, so line k is
 * [starts[k], starts[k + 1]). */
static size_t *line_starts(const char *s, size_t len, size_t *n_lines)
{
	size_t n = 0, cap = 16;
	size_t *starts = nrm_xmalloc(cap * sizeof(*starts));
	starts[n++] = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' && i + 1 < len) {
			if (n + 1 >= cap)
				starts = nrm_xrealloc(starts, (cap *= 2) * sizeof(*starts));
			starts[n++] = i + 1;
		}
	}
	starts[n] = len;
	*n_lines = len ? n : 0;
	return starts;
}

static void add_duplicates(struct nrm_variants *out, const char *s, size_t len)
{
	size_t n;
	size_t *starts = line_starts(s, len, &n);
	size_t step = n > DUPLICATED_LINES ? n / DUPLICATED_LINES : 1;
	for (size_t k = 0; k < n; k += step) {
		size_t a = starts[k], b = starts[k + 1];
		bool ends_line = b > a && s[b - 1] == '\n';
		size_t extra = (b - a) + (ends_line ? 0 : 1);
		char *d = nrm_xmalloc(len + extra);
		/* line k, then line k again, then the rest */
		memcpy(d, s, b);
		size_t at = b;
		if (!ends_line)
			d[at++] = '\n';
		memcpy(d + at, s + a, b - a);
		at += b - a;
		memcpy(d + at, s + b, len - b);
		add(out, nrm_xasprintf("line %zu duplicated", k + 1), d, len + extra);
	}
	free(starts);
}

void nrm_variants_make(struct nrm_variants *out, const char *sample, size_t len)
{
	memset(out, 0, sizeof(*out));
	add(out, nrm_xstrdup("an empty file"), copy_of("", 0), 0);
	add_truncations(out, sample, len);
	add_flips(out, sample, len);
	add_duplicates(out, sample, len);
	char *runaway = nrm_xmalloc(RUNAWAY_LINE);
	memset(runaway, 'A', RUNAWAY_LINE);
	add(out, nrm_xasprintf("one line of %u MiB without a line break", RUNAWAY_LINE >> 20),
	    runaway, RUNAWAY_LINE);
}

void nrm_variants_free(struct nrm_variants *v)
{
	for (size_t i = 0; i < v->count; i++) {
		free(v->items[i].label);
		free(v->items[i].data);
	}
	free(v->items);
	memset(v, 0, sizeof(*v));
}

char *nrm_sample_repeat(const char *sample, size_t len, size_t head, size_t tail,
                        size_t copies, size_t *out_len)
{
	size_t n;
	size_t *starts = line_starts(sample, len, &n);
	if (n < head + tail + 1) {
		free(starts);
		return NULL;
	}
	bool newline_at_end = len && sample[len - 1] == '\n';
	size_t body_a = starts[head], body_b = starts[n - tail];
	size_t body = body_b - body_a;
	/* A body running to the end of a file without a final break needs one
	 * between its copies. */
	bool body_needs_break = tail == 0 && !newline_at_end;
	size_t total = body_a + copies * (body + body_needs_break) + (len - body_b) +
	               (!newline_at_end && tail);
	char *d = nrm_xmalloc(total ? total : 1), *p = d;
	memcpy(p, sample, body_a);
	p += body_a;
	for (size_t i = 0; i < copies; i++) {
		memcpy(p, sample + body_a, body);
		p += body;
		if (body_needs_break)
			*p++ = '\n';
	}
	memcpy(p, sample + body_b, len - body_b);
	p += len - body_b;
	if (!newline_at_end && tail)
		*p++ = '\n';
	*out_len = (size_t)(p - d);
	free(starts);
	return d;
}
