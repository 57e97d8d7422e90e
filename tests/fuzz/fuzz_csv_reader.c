/*
 * The council CSV tokenizer alone (plugins/council-csv/csv_reader.h), with
 * small limits so that its over-long field and too-many-columns paths are
 * reached, read in chunks whose sizes the input's first byte chooses.
 */
// seeds: tests/data/council/*.csv tests/data/formats/*.csv tests/data/store/council.csv examples/site/data/*.csv
#include "fuzz.h"

#include "../../plugins/council-csv/csv_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct feed {
	const uint8_t *data;
	size_t size, pos, chunk;
};

static ssize_t feed_read(void *ctx, void *buf, size_t len)
{
	struct feed *f = ctx;
	size_t n = f->size - f->pos;
	if (n > len)
		n = len;
	if (n > f->chunk)
		n = f->chunk;
	memcpy(buf, f->data + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t chunk = 65536;
	char delimiter = ',';
	if (size > 0) {
		/* The first byte: 0-127 whole reads, else chunks of 1 to 128 bytes;
		 * odd values read semicolon-separated files. */
		if (data[0] >= 128)
			chunk = (size_t)(data[0] - 127);
		if (data[0] & 1)
			delimiter = ';';
		data++;
		size--;
	}
	struct feed f = {.data = data, .size = size, .chunk = chunk};
	struct csv_options opts = {.delimiter = delimiter, .max_field_size = 64,
	                           .max_columns = 8};
	struct csv_reader *r = csv_reader_new(feed_read, &f, &opts);
	if (!r)
		abort();
	for (size_t calls = 0;; calls++) {
		if (calls > size + 1) {
			fprintf(stderr, "fuzz: the CSV reader returns records without reading\n");
			abort();
		}
		const struct csv_field *fields;
		size_t count;
		uint64_t line;
		int rc = csv_reader_next(r, &fields, &count, &line);
		if (rc == CSV_RECORD) {
			for (size_t i = 0; i < count; i++)
				if (fields[i].data[fields[i].len] != '\0' || fields[i].len > 64)
					abort();
		} else if (rc != CSV_BAD_RECORD) {
			break;
		}
	}
	csv_reader_free(r);
	return 0;
}
