/*
 * Unit tests of the council-csv plugin's CSV tokenizer (csv_reader.c).
 *
 * Most tests describe a whole input and the records expected from it as one
 * string, "LINE:field|field" per record, so a test reads like the file it
 * checks.  Every input is also fed one byte per read call, so a record, a
 * CRLF, a "" escape or a UTF-8 sequence cut at any point between two reads
 * must give the same result as the whole input in one read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"

/* ---- input sources ----------------------------------------------------- */

struct memory_input {
	const char *data;
	size_t len, pos;
	size_t max_read; /* at most this many bytes per call */
	size_t calls;
};

static ssize_t read_memory(void *ctx, void *buf, size_t len)
{
	struct memory_input *in = ctx;
	size_t n = in->len - in->pos;
	if (n > len)
		n = len;
	if (n > in->max_read)
		n = in->max_read;
	memcpy(buf, in->data + in->pos, n);
	in->pos += n;
	in->calls++;
	return (ssize_t)n;
}

static ssize_t read_failing(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return -1;
}

/* A header, then one record whose second field is `size` bytes of 'x',
 * then one more record: made on the fly, so no test holds it in memory. */
struct huge_field_input {
	size_t size, pos;
};

static ssize_t read_huge_field(void *ctx, void *buf, size_t len)
{
	static const char head[] = "a,b\n1,";
	static const char tail[] = "\n2,ok\n";
	struct huge_field_input *in = ctx;
	size_t total = sizeof(head) - 1 + in->size + sizeof(tail) - 1;
	size_t n = 0;
	char *out = buf;
	while (n < len && in->pos < total) {
		size_t at = in->pos;
		if (at < sizeof(head) - 1)
			out[n] = head[at];
		else if (at < sizeof(head) - 1 + in->size)
			out[n] = 'x';
		else
			out[n] = tail[at - (sizeof(head) - 1) - in->size];
		n++;
		in->pos++;
	}
	return (ssize_t)n;
}

/* ---- driving the reader ------------------------------------------------ */

/* Appends the records as "LINE:f1|f2\n", and for an error
 * "!LINE:COLUMN:reason\n", until the end or a fatal error. */
static char *tokenize_with(const char *data, size_t len, size_t max_read,
                           const struct csv_options *opts)
{
	struct memory_input in = {data, len, 0, max_read, 0};
	struct csv_reader *r = csv_reader_new(read_memory, &in, opts);
	assert_non_null(r);
	size_t cap = 4 * len + 256, used = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	out[0] = '\0';
	for (;;) {
		const struct csv_field *fields;
		size_t count;
		uint64_t line = 0;
		int rc = csv_reader_next(r, &fields, &count, &line);
		if (rc == CSV_EOF)
			break;
		if (rc == CSV_BAD_RECORD || rc == CSV_FATAL) {
			const struct csv_error *e = csv_reader_error(r);
			used += (size_t)snprintf(out + used, cap - used, "!%llu:%llu:%s%s\n",
			                         (unsigned long long)e->line,
			                         (unsigned long long)e->column, e->reason,
			                         rc == CSV_FATAL ? " (fatal)" : "");
			if (rc == CSV_FATAL)
				break;
			continue;
		}
		assert_int_equal(rc, CSV_RECORD);
		used += (size_t)snprintf(out + used, cap - used, "%llu:",
		                         (unsigned long long)line);
		for (size_t i = 0; i < count; i++) {
			/* Every field is NUL-terminated at its length. */
			assert_int_equal(fields[i].data[fields[i].len], '\0');
			assert_true(used + fields[i].len + 2 < cap);
			memcpy(out + used, fields[i].data, fields[i].len);
			used += fields[i].len;
			out[used++] = i + 1 < count ? '|' : '\n';
		}
		out[used] = '\0';
	}
	csv_reader_free(r);
	return out;
}

/* Tokenizes in one read and again one byte per read; both must match. */
static void check_with(const char *data, size_t len, const struct csv_options *opts,
                       const char *expected)
{
	char *whole = tokenize_with(data, len, (size_t)-1, opts);
	assert_string_equal(whole, expected);
	char *bytewise = tokenize_with(data, len, 1, opts);
	assert_string_equal(bytewise, expected);
	/* An odd size, so chunk ends fall in many different places. */
	char *threes = tokenize_with(data, len, 3, opts);
	assert_string_equal(threes, expected);
	free(whole);
	free(bytewise);
	free(threes);
}

static void check(const char *data, const char *expected)
{
	check_with(data, strlen(data), NULL, expected);
}

/* ---- line ends, blank lines, BOM --------------------------------------- */

static void test_lf_records(void **state)
{
	(void)state;
	check("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
}

static void test_crlf_same_as_lf(void **state)
{
	(void)state;
	check("a,b\r\n1,2\r\n3,4\r\n", "1:a|b\n2:1|2\n3:3|4\n");
}

static void test_lone_cr_ends_a_line(void **state)
{
	(void)state;
	check("a,b\r1,2\r", "1:a|b\n2:1|2\n");
}

static void test_last_line_without_line_end(void **state)
{
	(void)state;
	check("a,b\n1,2", "1:a|b\n2:1|2\n");
}

static void test_empty_fields(void **state)
{
	(void)state;
	check(",,\n,x,\n", "1:||\n2:|x|\n");
}

static void test_blank_lines_are_skipped_and_counted(void **state)
{
	(void)state;
	check("a\n\n\nb\r\n\r\n\r\n", "1:a\n4:b\n");
}

static void test_empty_input_has_no_records(void **state)
{
	(void)state;
	check("", "");
	check("\r\n\n", "");
}

static void test_bom_is_skipped(void **state)
{
	(void)state;
	check("\xEF\xBB\xBFid,site\r\n1,x\r\n", "1:id|site\n2:1|x\n");
	check("\xEF\xBB\xBF", "");
}

static void test_bom_after_the_start_is_data(void **state)
{
	(void)state;
	check("a,\xEF\xBB\xBF" "b\n", "1:a|\xEF\xBB\xBF" "b\n");
}

static void test_bom_is_not_a_column(void **state)
{
	(void)state;
	/* The NUL is the 3rd character of line 1 once the mark is skipped. */
	static const char data[] = "\xEF\xBB\xBF" "a,\0\n";
	char *out = tokenize_with(data, sizeof(data) - 1, (size_t)-1, NULL);
	assert_string_equal(out, "!1:3:NUL byte (0x00) in the data\n");
	free(out);
}

/* ---- quoting ------------------------------------------------------------ */

static void test_quoted_fields(void **state)
{
	(void)state;
	check("\"Smith, Jones & Co\",\"say \"\"hi\"\"\",\"\"\n",
	      "1:Smith, Jones & Co|say \"hi\"|\n");
}

static void test_quote_inside_unquoted_field_is_data(void **state)
{
	(void)state;
	check("5\" tall,x\n", "1:5\" tall|x\n");
}

static void test_quoted_field_at_end_of_input(void **state)
{
	(void)state;
	check("a,\"b\"", "1:a|b\n");
}

static void test_embedded_line_ends_count_lines(void **state)
{
	(void)state;
	/* The record on line 2 spans lines 2 to 4 (one CRLF counted once). */
	check("h1,h2\n1,\"first\nsecond\r\nthird\"\n2,x\n",
	      "1:h1|h2\n2:1|first\nsecond\r\nthird\n5:2|x\n");
}

static void test_embedded_delimiter_and_crlf(void **state)
{
	(void)state;
	check("\"a,b\r\nc\",d\r\ne,f\r\n", "1:a,b\r\nc|d\n3:e|f\n");
}

static void test_unterminated_quote_reports_where_it_opened(void **state)
{
	(void)state;
	check("a,b\n1,\"open\nand never\nclosed\n",
	      "1:a|b\n!2:3:quoted field not closed before the end of the file (fatal)\n");
}

static void test_fatal_error_is_sticky(void **state)
{
	(void)state;
	struct memory_input in = {"\"x", 2, 0, (size_t)-1, 0};
	struct csv_reader *r = csv_reader_new(read_memory, &in, NULL);
	const struct csv_field *fields;
	size_t count;
	uint64_t line;
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_FATAL);
	assert_int_equal(csv_reader_error(r)->kind, CSV_ERR_UNTERMINATED_QUOTE);
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_FATAL);
	csv_reader_free(r);
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	check("\"ab\"cd,e\nok,1\n",
	      "!1:5:text after the closing quote of a quoted field\n2:ok|1\n");
}

/* ---- bytes that are not allowed ---------------------------------------- */

static void test_nul_byte(void **state)
{
	(void)state;
	static const char data[] = "a,b\nxy,z\0z\n3,4\n";
	check_with(data, sizeof(data) - 1, NULL,
	           "1:a|b\n!2:5:NUL byte (0x00) in the data\n3:3|4\n");
}

static void test_valid_utf8(void **state)
{
	(void)state;
	/* 2-, 3- and 4-byte sequences, and the largest code point. */
	check("caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9D\x84\x9E,\xF4\x8F\xBF\xBF,\xED\x9F\xBF\n",
	      "1:caf\xC3\xA9|\xE2\x82\xAC|\xF0\x9D\x84\x9E|\xF4\x8F\xBF\xBF|\xED\x9F\xBF\n");
}

static void test_utf8_overlong(void **state)
{
	(void)state;
	check("ok\n\xC0\xAF\n", "1:ok\n!2:1:not valid UTF-8: overlong encoding\n");
	check("x,\xE0\x80\xAF\n", "!1:3:not valid UTF-8: overlong encoding\n");
	check("x,\xF0\x8F\xBF\xBF\n", "!1:3:not valid UTF-8: overlong encoding\n");
}

static void test_utf8_surrogate(void **state)
{
	(void)state;
	check("\"a\xED\xA0\x80\"\n",
	      "!1:3:not valid UTF-8: UTF-16 surrogate code point (U+D800 to U+DFFF)\n");
}

static void test_utf8_truncated(void **state)
{
	(void)state;
	check("\xE2\x82,x\nok\n",
	      "!1:1:not valid UTF-8: multi-byte sequence cut short\n2:ok\n");
	/* At the very end of the input. */
	check("ok\nab\xF0\x9D\x84",
	      "1:ok\n!2:3:not valid UTF-8: multi-byte sequence cut short\n");
}

static void test_utf8_other_invalid_bytes(void **state)
{
	(void)state;
	check("\x80\n", "!1:1:not valid UTF-8: continuation byte without a lead byte\n");
	check("\xF4\x90\x80\x80\n", "!1:1:not valid UTF-8: code point above U+10FFFF\n");
	check("\xFF\n", "!1:1:not valid UTF-8: byte 0xF8 to 0xFF\n");
}

static void test_error_column_counts_characters(void **state)
{
	(void)state;
	/* "é" and "€" are one character each: the bad byte is the 5th. */
	check("\xC3\xA9,\xE2\x82\xAC,\xFF\n",
	      "!1:5:not valid UTF-8: byte 0xF8 to 0xFF\n");
	/* A quoted field's line end starts a new line for the column too. */
	check("\"\xC3\xA9\n\xC3\xA9" "ab\xC0\"\n",
	      "!2:4:not valid UTF-8: overlong encoding\n");
}

/* ---- limits ------------------------------------------------------------- */

static void test_field_limit(void **state)
{
	(void)state;
	struct csv_options opts = {.max_field_size = 8};
	/* On line 5 the field is too long before its bad byte: that is the
	 * problem reported, however the reads fall. */
	static const char data[] = "12345678,\"abcdefgh\"\nx,123456789\n\"123\"\"56789\"\nok\n"
	                           "a,123456789\xFF\nb,1234\xFF" "5678\n";
	check_with(data, sizeof(data) - 1, &opts,
	           "1:12345678|abcdefgh\n!2:3:field longer than the size limit\n"
	           "!3:1:field longer than the size limit\n4:ok\n"
	           "!5:3:field longer than the size limit\n"
	           "!6:7:not valid UTF-8: byte 0xF8 to 0xFF\n");
}

static size_t heap_in_use(void)
{
	struct mallinfo2 info = mallinfo2();
	return info.uordblks + info.hblkhd;
}

static void test_huge_field_is_refused_without_holding_it(void **state)
{
	(void)state;
	struct huge_field_input in = {10 * 1024 * 1024, 0};
	struct csv_options opts = {.max_field_size = 1024 * 1024};
	size_t before = heap_in_use();
	struct csv_reader *r = csv_reader_new(read_huge_field, &in, &opts);
	const struct csv_field *fields;
	size_t count;
	uint64_t line;
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_RECORD);
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_BAD_RECORD);
	assert_int_equal(line, 2);
	const struct csv_error *e = csv_reader_error(r);
	assert_int_equal(e->kind, CSV_ERR_FIELD_TOO_LONG);
	assert_int_equal(e->line, 2);
	assert_int_equal(e->column, 3);
	/* The buffers never shrink, so this is the most the reader held:
	 * the limit plus a chunk or so, not the 10 MB field. */
	size_t held = heap_in_use() - before;
	assert_true(held < 3 * 1024 * 1024);
	/* And it carries on after the bad record. */
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_RECORD);
	assert_int_equal(line, 3);
	assert_int_equal(count, 2);
	assert_string_equal(fields[1].data, "ok");
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_EOF);
	csv_reader_free(r);
}

static void test_column_limit(void **state)
{
	(void)state;
	struct csv_options opts = {.max_columns = 3};
	static const char data[] = "a,b,c\n1,2,3,4\n\"x\",\"y\",\"z\",\"w\nv\"\nd,e,f\n";
	check_with(data, sizeof(data) - 1, &opts,
	           "1:a|b|c\n!2:7:more columns than the limit\n"
	           "!3:13:more columns than the limit\n5:d|e|f\n");
}

static void test_thousand_columns_within_a_large_limit(void **state)
{
	(void)state;
	struct csv_options opts = {.max_columns = 1000};
	char data[2 * 1000 + 2];
	size_t n = 0;
	for (int i = 0; i < 1000; i++) {
		data[n++] = (char)('a' + i % 26);
		data[n++] = i + 1 < 1000 ? ',' : '\n';
	}
	struct memory_input in = {data, n, 0, (size_t)-1, 0};
	struct csv_reader *r = csv_reader_new(read_memory, &in, &opts);
	const struct csv_field *fields;
	size_t count;
	uint64_t line;
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_RECORD);
	assert_int_equal(count, 1000);
	assert_int_equal(fields[999].data[0], 'a' + 999 % 26);
	csv_reader_free(r);
}

/* ---- options, reading --------------------------------------------------- */

static void test_other_delimiters(void **state)
{
	(void)state;
	struct csv_options semicolon = {.delimiter = ';'};
	static const char semi[] = "a;\"b;c\";d,e\n";
	check_with(semi, sizeof(semi) - 1, &semicolon, "1:a|b;c|d,e\n");
	struct csv_options tab = {.delimiter = '\t'};
	static const char tabbed[] = "a\tb,c\t\"d\te\"\n";
	check_with(tabbed, sizeof(tabbed) - 1, &tab, "1:a|b,c|d\te\n");
}

static void test_bad_delimiter_is_refused(void **state)
{
	(void)state;
	struct memory_input in = {"", 0, 0, 1, 0};
	struct csv_options quote = {.delimiter = '"'};
	assert_null(csv_reader_new(read_memory, &in, &quote));
	struct csv_options newline = {.delimiter = '\n'};
	assert_null(csv_reader_new(read_memory, &in, &newline));
}

static void test_read_error_is_fatal(void **state)
{
	(void)state;
	struct csv_reader *r = csv_reader_new(read_failing, NULL, NULL);
	const struct csv_field *fields;
	size_t count;
	uint64_t line;
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_FATAL);
	assert_int_equal(csv_reader_error(r)->kind, CSV_ERR_READ);
	csv_reader_free(r);
}

static void test_reads_in_64k_chunks(void **state)
{
	(void)state;
	size_t len = 200 * 1000;
	char *data = malloc(len);
	memset(data, 'x', len);
	for (size_t i = 99; i < len; i += 100)
		data[i] = '\n';
	struct memory_input in = {data, len, 0, (size_t)-1, 0};
	struct csv_reader *r = csv_reader_new(read_memory, &in, NULL);
	const struct csv_field *fields;
	size_t count;
	uint64_t line = 0;
	size_t records = 0;
	while (csv_reader_next(r, &fields, &count, &line) == CSV_RECORD) {
		assert_int_equal(count, 1);
		assert_int_equal(fields[0].len, 99);
		records++;
	}
	assert_int_equal(records, 2000);
	assert_int_equal(line, 2000);
	/* ceil(200000 / 65536) reads with data, and one that finds the end. */
	assert_int_equal(in.calls, 5);
	csv_reader_free(r);
	free(data);
}

static void test_many_records_keep_their_lines(void **state)
{
	(void)state;
	/* Records of two lines each, crossing many chunk boundaries. */
	size_t records = 20000;
	char *data = malloc(records * 32);
	size_t n = 0;
	for (size_t i = 0; i < records; i++)
		n += (size_t)sprintf(data + n, "%zu,\"l1\r\nl2\",\xC3\xA9\r\n", i);
	struct memory_input in = {data, n, 0, 4099, 0};
	struct csv_reader *r = csv_reader_new(read_memory, &in, NULL);
	const struct csv_field *fields;
	size_t count;
	uint64_t line;
	for (size_t i = 0; i < records; i++) {
		assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_RECORD);
		assert_int_equal(line, 2 * i + 1);
		assert_int_equal(count, 3);
		assert_int_equal(strtoul(fields[0].data, NULL, 10), i);
		assert_string_equal(fields[1].data, "l1\r\nl2");
	}
	assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_EOF);
	assert_int_equal(csv_reader_line(r), 2 * records + 1);
	csv_reader_free(r);
	free(data);
}

/* ---- word and block boundaries of the fast scanners --------------------- */

/*
 * The scanners look at 8 bytes at a time and keep a mask per 64 bytes, so
 * every kind of stop byte is put at every offset from 0 to 70 in its field,
 * after a first field whose length shifts the record against the words too.
 */
static void test_stop_bytes_at_every_offset(void **state)
{
	(void)state;
	static const struct {
		const char *stop; /* what follows the run of 'x' */
		const char *kept; /* what the field then holds after the run */
		const char *rest; /* the expected record's fields after this one */
	} cases[] = {
		{",y\n", "", "|y\n"},
		{"\ny\n", "", "\n2:y\n"},
		{"\r\ny\n", "", "\n2:y\n"},
		{"\ry\n", "", "\n2:y\n"},
		{"\xC3\xA9,y\n", "\xC3\xA9", "|y\n"},
		{"\t-\"\x01\x7F,y\n", "\t-\"\x01\x7F", "|y\n"},
		{"-,-y\n", "-", "|-y\n"},
		{"", "", "\n"},
	};
	char data[256], expected[512];
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (size_t lead = 0; lead < 9; lead++) {
			for (size_t run = 0; run <= 70; run++) {
				size_t n = 0;
				memset(data + n, 'a', lead);
				n += lead;
				data[n++] = ',';
				memset(data + n, 'x', run);
				n += run;
				n += (size_t)sprintf(data + n, "%s", cases[k].stop);
				size_t e = (size_t)sprintf(expected, "1:%.*s|%.*s%s", (int)lead,
				                           "aaaaaaaaa", (int)run,
				                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				                           cases[k].kept);
				strcpy(expected + e, cases[k].rest);
				check_with(data, n, NULL, expected);
			}
		}
	}
}

static void test_bad_bytes_at_every_offset(void **state)
{
	(void)state;
	char data[128], expected[128];
	for (size_t run = 0; run <= 70; run++) {
		size_t n = 0;
		memset(data, 'x', run);
		n += run;
		memcpy(data + n, "\0,y\nok\n", 7);
		n += 7;
		sprintf(expected, "!1:%zu:NUL byte (0x00) in the data\n2:ok\n", run + 1);
		check_with(data, n, NULL, expected);
		data[run] = '\xFF';
		sprintf(expected, "!1:%zu:not valid UTF-8: byte 0xF8 to 0xFF\n2:ok\n", run + 1);
		check_with(data, n, NULL, expected);
	}
}

/* Fields of every length from 0 to 80 in turn, so fields, words and blocks
 * meet the ends of reads of many sizes, including the 64 KiB chunk. */
static void test_runs_across_read_boundaries(void **state)
{
	(void)state;
	static const size_t read_sizes[] = {65536, 4099, 61, 7};
	size_t records = 4000, columns = 5, n = 0;
	char *data = malloc(records * columns * 90);
	assert_non_null(data);
	for (size_t i = 0; i < records; i++) {
		for (size_t j = 0; j < columns; j++) {
			size_t len = (i * columns + j) % 81;
			for (size_t b = 0; b < len; b++)
				data[n++] = (char)('a' + (i + b) % 26);
			data[n++] = j + 1 < columns ? ',' : '\n';
		}
	}
	for (size_t s = 0; s < sizeof(read_sizes) / sizeof(read_sizes[0]); s++) {
		struct memory_input in = {data, n, 0, read_sizes[s], 0};
		struct csv_reader *r = csv_reader_new(read_memory, &in, NULL);
		const struct csv_field *fields;
		size_t count;
		uint64_t line;
		for (size_t i = 0; i < records; i++) {
			assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_RECORD);
			assert_int_equal(line, i + 1);
			assert_int_equal(count, columns);
			for (size_t j = 0; j < columns; j++) {
				size_t len = (i * columns + j) % 81;
				assert_int_equal(fields[j].len, len);
				for (size_t b = 0; b < len; b++)
					assert_int_equal(fields[j].data[b], 'a' + (i + b) % 26);
				assert_int_equal(fields[j].data[len], '\0');
			}
		}
		assert_int_equal(csv_reader_next(r, &fields, &count, &line), CSV_EOF);
		csv_reader_free(r);
	}
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lf_records),
		cmocka_unit_test(test_crlf_same_as_lf),
		cmocka_unit_test(test_lone_cr_ends_a_line),
		cmocka_unit_test(test_last_line_without_line_end),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_blank_lines_are_skipped_and_counted),
		cmocka_unit_test(test_empty_input_has_no_records),
		cmocka_unit_test(test_bom_is_skipped),
		cmocka_unit_test(test_bom_after_the_start_is_data),
		cmocka_unit_test(test_bom_is_not_a_column),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_quote_inside_unquoted_field_is_data),
		cmocka_unit_test(test_quoted_field_at_end_of_input),
		cmocka_unit_test(test_embedded_line_ends_count_lines),
		cmocka_unit_test(test_embedded_delimiter_and_crlf),
		cmocka_unit_test(test_unterminated_quote_reports_where_it_opened),
		cmocka_unit_test(test_fatal_error_is_sticky),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_utf8_overlong),
		cmocka_unit_test(test_utf8_surrogate),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_utf8_other_invalid_bytes),
		cmocka_unit_test(test_error_column_counts_characters),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_huge_field_is_refused_without_holding_it),
		cmocka_unit_test(test_column_limit),
		cmocka_unit_test(test_thousand_columns_within_a_large_limit),
		cmocka_unit_test(test_other_delimiters),
		cmocka_unit_test(test_bad_delimiter_is_refused),
		cmocka_unit_test(test_read_error_is_fatal),
		cmocka_unit_test(test_reads_in_64k_chunks),
		cmocka_unit_test(test_many_records_keep_their_lines),
		cmocka_unit_test(test_stop_bytes_at_every_offset),
		cmocka_unit_test(test_bad_bytes_at_every_offset),
		cmocka_unit_test(test_runs_across_read_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
