/*
 * xml_in: streaming, validating XML input for the XML import plugins.  See
 * xml_in.h for what it guarantees; the comments here say why each step is
 * done the way it is.
 */
#include "xml_in.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Our formats nest four levels deep; anything much deeper is hostile. */
#define MAX_DEPTH 32
/* Start tags seen by the scanner and not yet by the reader: bounded by how
 * far libxml2 reads ahead (a few KiB), so this is a generous ceiling. */
#define MAX_PENDING (1u << 20)
/* How much of libxml2's message is kept. */
#define MESSAGE_MAX 400
/* How much of a name (markup, not data) a message may show. */
#define NAME_SHOWN_MAX 64

enum scan_state {
	S_TEXT,       /* between markup: looking for '<' */
	S_LT,         /* just after '<' */
	S_BANG,       /* just after "<!" */
	S_COMMENT,    /* inside <!-- ... --> */
	S_CDATA,      /* inside <![CDATA[ ... ]]> */
	S_PI,         /* inside <? ... ?> */
};

struct xpos {
	uint64_t line, column;
};

struct open_element {
	struct xpos pos;
	const xmlChar *name;   /* from the reader's dictionary */
};

struct xml_in {
	const struct nrm_host *host;
	nrm_stream *in;
	const struct xml_in_spec *spec;
	xmlTextReaderPtr reader;
	xmlSchemaPtr schema;
	bool owns_schema;     /* not the compiled one kept for every open */
	xmlSchemaValidCtxtPtr valid;
	bool failed;          /* reported: nothing more can be read */
	bool root_seen;
	bool eof;             /* the input's end has been read */

	/* The scanner, over the raw bytes. */
	size_t max_value;
	enum scan_state state;
	unsigned char prev[2];     /* the two bytes before, for "-->" etc. */
	uint64_t line, column;     /* of the last byte scanned (column 0: none yet) */
	uint64_t bytes;
	uint64_t run;              /* bytes since the last '<' */
	struct xpos lt;            /* where the last '<' was */
	int first_byte;            /* first byte that is not space or BOM, or -1 */
	int bom_matched;           /* bytes of a byte order mark seen, -1 past it */
	struct xpos *pending;      /* start tags not yet read, a ring */
	size_t head, count, cap;

	/* Elements open around the reader's position. */
	struct open_element open[MAX_DEPTH + 1];
	int depth;                 /* of the current element */
	uint64_t records;          /* record elements started */
	char path[256];
	char record_path[256];     /* the current record's, for the hub */

	/* The first error libxml2 reported, until it is passed on. */
	bool have_error;
	int error_domain;
	uint64_t error_line, error_column;
	char error_message[MESSAGE_MAX];

	/* libxml2's global entity loader before ours, given back at close. */
	xmlExternalEntityLoader saved_loader;

	/* Text of the current element, gathered from its text nodes. */
	char *text;
	size_t text_len, text_cap;
};

/* ---- reporting ----------------------------------------------------------- */

static void fill_path(struct xml_in *x, int depth, const char *attribute)
{
	size_t used = 0;
	x->path[0] = '\0';
	for (int d = 0; d <= depth && d <= MAX_DEPTH; d++) {
		const char *name = x->open[d].name ? (const char *)x->open[d].name : "?";
		int n;
		if (d == 1)
			n = snprintf(x->path + used, sizeof(x->path) - used, "/%.*s[%llu]",
			             NAME_SHOWN_MAX, name, (unsigned long long)x->records);
		else
			n = snprintf(x->path + used, sizeof(x->path) - used, "/%.*s", NAME_SHOWN_MAX, name);
		if (n < 0 || (size_t)n >= sizeof(x->path) - used)
			return;
		used += (size_t)n;
	}
	if (attribute)
		snprintf(x->path + used, sizeof(x->path) - used, "/@%s", attribute);
}

/* Reports at an element (depth) of the open stack. */
static void report_at(struct xml_in *x, int depth, const char *attribute, const char *field,
                      const char *fmt, va_list ap)
{
	char reason[600];
	vsnprintf(reason, sizeof(reason), fmt, ap);
	struct nrm_pos pos = {0};
	if (depth >= 0 && depth <= MAX_DEPTH) {
		fill_path(x, depth, attribute);
		pos.line = x->open[depth].pos.line;
		pos.column = x->open[depth].pos.column;
		pos.path = x->path;
	}
	x->host->report(x->in, &pos, field, "%s", reason);
}

static int fail_at(struct xml_in *x, const struct xpos *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct xml_in *x, const struct xpos *where, const char *fmt, ...)
{
	char reason[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	struct nrm_pos pos = {0};
	if (where) {
		pos.line = where->line;
		pos.column = where->column;
	}
	x->failed = true;
	return x->host->report(x->in, &pos, NULL, "%s", reason);
}

int xml_in_bad_value(struct xml_in *x, const char *attribute, const char *field,
                     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(x, x->depth, attribute, field, fmt, ap);
	va_end(ap);
	return NRM_REJECT;
}

/* A quoted piece of a libxml2 message is shown when it is markup or a
 * schema's own text (an element name, a facet, a type, a pattern), or when
 * it has the shape of a value no child can be told by: a date, a time or a
 * number (digits and "-:.+TZ"), a GSS code (a capital and eight digits), or
 * a code of at most three capitals or digits (GB, M).  Anything else is
 * hidden: a name typed into a code field (even in capitals), and every
 * identifier, which looks like a code (NRM250010001, BCT-2025-0001,
 * 20WM/004512A/25) but says which child. */
static bool quotable(const char *before, const char *q, size_t len)
{
	static const char *const markup[] = {"Element ", "element ", "attribute ", "facet ",
	                                     "pattern ", "type ", "allowed (", "tag "};
	for (size_t i = 0; i < sizeof(markup) / sizeof(markup[0]); i++) {
		size_t n = strlen(markup[i]);
		if ((size_t)(q - before) >= n && memcmp(q - n, markup[i], n) == 0)
			return len <= 120;
	}
	const char *v = q + 1;
	if (len == 0 || len > 24)
		return false;
	bool digit = false, timelike = true, code = len <= 3, gss = len == 9;
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		bool is_digit = c >= '0' && c <= '9', is_upper = c >= 'A' && c <= 'Z';
		digit = digit || is_digit;
		timelike = timelike && (is_digit || (c && strchr("-:.+TZ", c)));
		code = code && (is_digit || is_upper);
		gss = gss && (i == 0 ? is_upper : is_digit);
	}
	return (timelike && digit) || code || gss;
}

/* Copies libxml2's message without its trailing newline, hiding quoted
 * values (see quotable); a set of allowed values in braces is the schema's
 * and is kept. */
static void scrub_message(char *out, size_t cap, const char *msg)
{
	size_t o = 0;
	int braces = 0;
	const char *p = msg;
	while (*p && o + 1 < cap) {
		if (*p == '{')
			braces++;
		else if (*p == '}' && braces)
			braces--;
		if (*p == '\'' && !braces) {
			const char *close = strchr(p + 1, '\'');
			if (close) {
				size_t len = (size_t)(close - p - 1);
				const char *shown = quotable(msg, p, len) ? NULL : "'(value not shown)'";
				size_t n = shown ? strlen(shown) : len + 2;
				if (o + n >= cap)
					break;
				memcpy(out + o, shown ? shown : p, n);
				o += n;
				p = close + 1;
				continue;
			}
		}
		out[o++] = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
		p++;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	/* libxml2 shows the bytes after bad UTF-8: a piece of the data. */
	char *bytes = strstr(out, " Bytes: ");
	if (bytes)
		*bytes = '\0';
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct xml_in *x = ctx;
	if (!e || e->level == XML_ERR_WARNING || x->have_error)
		return;
	x->have_error = true;
	x->error_domain = e->domain;
	x->error_line = e->line > 0 ? (uint64_t)e->line : 0;
	x->error_column = e->int2 > 0 ? (uint64_t)e->int2 : 0;
	/* The validator runs inside the parser, ahead of the reader, and gives
	 * no column: the parser's position is just after the tag it means. */
	if (e->domain == XML_FROM_SCHEMASV && x->reader) {
		int line = xmlTextReaderGetParserLineNumber(x->reader);
		int column = xmlTextReaderGetParserColumnNumber(x->reader);
		if (line > 0 && column > 0) {
			x->error_line = (uint64_t)line;
			x->error_column = (uint64_t)column;
		}
	}
	scrub_message(x->error_message, sizeof(x->error_message),
	              e->message ? e->message : "unknown error");
}

/* libxml2 must never print: a plugin reports through the host only. */
static void silent(void *ctx, const char *fmt, ...)
{
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
}

/* No external resource is ever loaded: DTDs and entities are refused by the
 * scanner before they are parsed, and this is the second lock on the door. */
static xmlParserInputPtr refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

/* Passes on libxml2's first error.  The file cannot be read further. */
static int report_xml_error(struct xml_in *x)
{
	x->failed = true;
	if (!x->have_error)
		return fail_at(x, NULL, "the XML reader stopped without a reason");
	if (x->error_domain == XML_FROM_SCHEMASV && !x->root_seen) {
		/* The validator saw the document element before the reader did;
		 * its start tag is the first the scanner noted. */
		struct xpos at = {x->error_line, x->error_column};
		if (x->count)
			at = x->pending[x->head];
		return fail_at(x, &at, "the document element is not '%s' in the namespace '%s', "
		               "as a %s document's is: is it really %s? Check --from (%s)",
		               x->spec->root, x->spec->ns, x->spec->format, x->spec->format,
		               x->error_message);
	}
	if (x->error_domain == XML_FROM_SCHEMASV) {
		/* The validator names the element in its message; it runs in the
		 * parser, ahead of the reader, so the position is the parser's. */
		struct xpos at = {x->error_line, x->error_column};
		return fail_at(x, &at, "not valid against %s.xsd: %s", x->spec->format,
		               x->error_message);
	}
	struct xpos at = {x->error_line, x->error_column};
	if (x->first_byte < 0) {
		at.line = at.column = 1;
		return fail_at(x, &at, "empty file: a %s document needs its '%s' element",
		               x->spec->format, x->spec->root);
	}
	if (x->first_byte != '<') {
		at.line = 1;
		at.column = 1;
		return fail_at(x, &at, "not an XML document (it does not begin with '<'): "
		               "is it really %s? Check --from", x->spec->format);
	}
	/* An error where the input ends is most likely a cut-off file. */
	bool at_end = x->eof && x->error_line + 1 >= x->line;
	if (at_end)
		return fail_at(x, &at, "not well-formed XML: the document ends before it is "
		               "complete (a truncated file?); libxml2 says: %s", x->error_message);
	return fail_at(x, &at, "not well-formed XML: %s", x->error_message);
}

/* ---- the byte scanner ---------------------------------------------------- */

static size_t count_byte(const unsigned char *p, size_t n, unsigned char b)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += p[i] == b;
	return count;
}

/* Characters, not bytes: UTF-8 continuation bytes do not count. */
static size_t count_chars(const unsigned char *p, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += (p[i] & 0xc0) != 0x80;
	return count;
}

static void advance(struct xml_in *x, const unsigned char *p, size_t n)
{
	const unsigned char *nl = n ? memrchr(p, '\n', n) : NULL;
	if (!nl) {
		x->column += count_chars(p, n);
		return;
	}
	x->line += count_byte(p, (size_t)(nl - p) + 1, '\n');
	x->column = count_chars(nl + 1, (size_t)(p + n - nl - 1));
}

static int push_pending(struct xml_in *x, struct xpos pos)
{
	if (x->count == x->cap) {
		if (x->cap >= MAX_PENDING)
			return NRM_FAIL;
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct xpos *grown = malloc(cap * sizeof(*grown));
		if (!grown)
			return NRM_FAIL;
		for (size_t i = 0; i < x->count; i++)
			grown[i] = x->pending[(x->head + i) % x->cap];
		free(x->pending);
		x->pending = grown;
		x->head = 0;
		x->cap = cap;
	}
	x->pending[(x->head + x->count) % x->cap] = pos;
	x->count++;
	return NRM_OK;
}

static struct xpos pop_pending(struct xml_in *x)
{
	struct xpos pos = {0, 0};
	if (x->count) {
		pos = x->pending[x->head];
		x->head = (x->head + 1) % x->cap;
		x->count--;
	}
	return pos;
}

static bool name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
}

/* One byte in the slow states (just after '<', inside comments, CDATA and
 * processing instructions).  NRM_OK or NRM_FAIL (reported). */
static int scan_byte(struct xml_in *x, unsigned char c)
{
	switch (x->state) {
	case S_LT:
		if (c == '!') {
			x->state = S_BANG;
		} else if (c == '?') {
			x->state = S_PI;
		} else {
			if (name_start(c) && push_pending(x, x->lt) != NRM_OK)
				return fail_at(x, &x->lt, "too many elements read ahead");
			x->state = S_TEXT;
		}
		break;
	case S_BANG:
		if (c == '-') {
			x->state = S_COMMENT;
		} else if (c == '[') {
			x->state = S_CDATA;
		} else {
			return fail_at(x, &x->lt, "a DOCTYPE or other markup declaration is not "
			               "allowed in %s: DTDs and entities are refused, and nothing "
			               "they name is read", x->spec->format);
		}
		break;
	case S_COMMENT:
		if (c == '>' && x->prev[0] == '-' && x->prev[1] == '-')
			x->state = S_TEXT, x->run = 0;
		break;
	case S_CDATA:
		if (c == '>' && x->prev[0] == ']' && x->prev[1] == ']')
			x->state = S_TEXT, x->run = 0;
		break;
	case S_PI:
		if (c == '>' && x->prev[1] == '?')
			x->state = S_TEXT, x->run = 0;
		break;
	case S_TEXT:
		break;
	}
	x->prev[0] = x->prev[1];
	x->prev[1] = c;
	if (c == '\n') {
		x->line++;
		x->column = 0;
	} else if ((c & 0xc0) != 0x80) {
		x->column++;
	}
	return NRM_OK;
}

static int too_long(struct xml_in *x)
{
	return fail_at(x, &x->lt, "more than %zu bytes of text or tag without markup: an "
	               "element or attribute value longer than the max-value-size option "
	               "allows", x->max_value);
}

static void note_first_byte(struct xml_in *x, const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < n)
		x->first_byte = p[i];
}

/* Skips a byte order mark at the very start of the input, even one split
 * across reads, so it counts as no column.  Returns how many bytes of p it
 * took. */
static size_t skip_bom(struct xml_in *x, const unsigned char *p, size_t n)
{
	static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
	size_t i = 0;
	while (x->bom_matched >= 0 && x->bom_matched < 3 && i < n && p[i] == bom[x->bom_matched]) {
		x->bom_matched++;
		i++;
	}
	if (i < n && x->bom_matched != 3 && x->bom_matched > 0)
		x->first_byte = 0xef; /* part of a mark, then something else */
	if (i < n)
		x->bom_matched = -1;
	return i;
}

/* Every byte of the input passes here before libxml2 sees it. */
static int scan(struct xml_in *x, const unsigned char *p, size_t n)
{
	size_t bom = skip_bom(x, p, n);
	x->bytes += bom;
	p += bom;
	n -= bom;
	if (x->first_byte < 0)
		note_first_byte(x, p, n);
	/* A CSV or JSON file given as XML: say so before libxml2 does. */
	if (x->first_byte >= 0 && x->first_byte != '<') {
		struct xpos at = {1, 1};
		return fail_at(x, &at, "not an XML document (it does not begin with '<'): "
		               "is it really %s? Check --from", x->spec->format);
	}
	size_t i = 0;
	while (i < n) {
		if (x->state == S_TEXT) {
			const unsigned char *lt = memchr(p + i, '<', n - i);
			size_t end = lt ? (size_t)(lt - p) : n;
			advance(x, p + i, end - i);
			x->run += end - i;
			if (x->run > x->max_value)
				return too_long(x);
			if (!lt)
				break;
			x->column++;
			x->lt.line = x->line;
			x->lt.column = x->column;
			x->prev[0] = x->prev[1] = '<';
			x->run = 0;
			x->state = S_LT;
			i = end + 1;
			continue;
		}
		if (scan_byte(x, p[i]) != NRM_OK)
			return NRM_FAIL;
		if (++x->run > x->max_value)
			return too_long(x);
		i++;
	}
	x->bytes += n;
	return NRM_OK;
}

static int read_input(void *ctx, char *buf, int len)
{
	struct xml_in *x = ctx;
	if (x->failed || len <= 0)
		return -1;
	ssize_t n = x->host->read(x->in, buf, (size_t)len);
	if (n < 0) {
		x->failed = true; /* reported by the host */
		return -1;
	}
	if (n == 0)
		x->eof = true;
	if (scan(x, (const unsigned char *)buf, (size_t)n) != NRM_OK)
		return -1;
	return (int)n;
}

static int close_input(void *ctx)
{
	return 0;
}

/* ---- opening ------------------------------------------------------------- */

/*
 * The compiled schema is kept from the first open until the module is
 * unloaded: compiling the XSD costs more than reading a small file (a site's
 * many small deliveries, the fuzzer's inputs), and libxml2 lets many
 * validation contexts share one compiled schema, which none of them changes.
 * A plugin embeds one XSD; were there a second, each open of it would
 * compile and free its own.  The lock is for a host that opens two inputs
 * at once.
 */
static struct {
	pthread_mutex_t lock;
	const unsigned char *xsd;
	xmlSchemaPtr schema;
} compiled = { PTHREAD_MUTEX_INITIALIZER, NULL, NULL };

/* At dlclose, or at exit: libxml2, which this module links, is still loaded. */
__attribute__((destructor)) static void free_compiled_schema(void)
{
	if (compiled.schema)
		xmlSchemaFree(compiled.schema);
	compiled.schema = NULL;
	compiled.xsd = NULL;
}

static xmlSchemaPtr compile_schema(struct xml_in *x)
{
	xmlSchemaParserCtxtPtr parser =
		xmlSchemaNewMemParserCtxt((const char *)x->spec->xsd, (int)x->spec->xsd_len);
	if (!parser)
		return NULL;
	xmlSchemaSetParserStructuredErrors(parser, on_xml_error, x);
	xmlSchemaPtr schema = xmlSchemaParse(parser);
	xmlSchemaFreeParserCtxt(parser);
	return schema;
}

static int load_schema(struct xml_in *x)
{
	pthread_mutex_lock(&compiled.lock);
	if (!compiled.schema) {
		compiled.schema = compile_schema(x); /* NULL again: tried again next time */
		compiled.xsd = x->spec->xsd;
	}
	if (compiled.xsd == x->spec->xsd) {
		x->schema = compiled.schema;
	} else {
		x->schema = compile_schema(x);
		x->owns_schema = true;
	}
	pthread_mutex_unlock(&compiled.lock);
	if (!x->schema)
		return fail_at(x, NULL, "%s.xsd, built into the plugin, cannot be used: %s",
		               x->spec->format, x->have_error ? x->error_message : "unknown error");
	x->valid = xmlSchemaNewValidCtxt(x->schema);
	if (!x->valid)
		return fail_at(x, NULL, "out of memory");
	xmlSchemaSetValidStructuredErrors(x->valid, on_xml_error, x);
	return NRM_OK;
}

int xml_in_open(struct xml_in **out, const struct nrm_host *host, nrm_stream *in,
                const struct xml_in_spec *spec)
{
	struct xml_in *x = calloc(1, sizeof(*x));
	if (!x)
		return host->report(in, NULL, NULL, "out of memory");
	*out = x;
	x->host = host;
	x->in = in;
	x->spec = spec;
	x->max_value = (size_t)host->option_int(in, "max-value-size");
	x->line = 1;
	x->first_byte = -1;
	x->depth = -1;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent);
	x->saved_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(refuse_external);
	if (load_schema(x) != NRM_OK)
		return NRM_FAIL;
	/* Not XML_PARSE_NOENT (entities stay unexpanded), not DTDLOAD, DTDATTR
	 * or DTDVALID (no DTD is read), not HUGE (libxml2 keeps its own limits);
	 * NONET in case anything ever asked for the network.  Not NOCDATA
	 * either: with the validator plugged in, libxml2 2.9 then drops CDATA
	 * text (tests/unit/test_xml_in.c); CDATA nodes are read as text. */
	int options = XML_PARSE_NONET | XML_PARSE_NOXINCNODE;
	x->reader = xmlReaderForIO(read_input, close_input, x, host->name(in), NULL, options);
	/* libxml2 reads the first bytes here, to guess the encoding: what the
	 * scanner refused then is this call's failure, already reported. */
	if (x->failed)
		return NRM_FAIL;
	if (!x->reader)
		return fail_at(x, NULL, "cannot start the XML reader");
	/* Parser errors reach the thread's structured handler: the reader's own
	 * handler cannot be used once the validator is plugged into the parser
	 * (libxml2 then hands it the validator's context, not the reader's). */
	xmlSetStructuredErrorFunc(x, on_xml_error);
	if (xmlTextReaderSchemaValidateCtxt(x->reader, x->valid, 0) != 0)
		return fail_at(x, NULL, "cannot validate against %s.xsd", spec->format);
	return NRM_OK;
}

void xml_in_close(struct xml_in *x)
{
	if (!x)
		return;
	xmlSetStructuredErrorFunc(NULL, silent_structured);
	if (x->reader)
		xmlFreeTextReader(x->reader);
	if (x->valid)
		xmlSchemaFreeValidCtxt(x->valid);
	if (x->owns_schema)
		xmlSchemaFree(x->schema);
	/* The hub may unload this module while libxml2 stays loaded for
	 * another: leave libxml2 no pointer into it. */
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	if (x->saved_loader)
		xmlSetExternalEntityLoader(x->saved_loader);
	free(x->pending);
	free(x->text);
	free(x);
}

/* ---- reading ------------------------------------------------------------- */

static bool same(const xmlChar *a, const char *b)
{
	return a && strcmp((const char *)a, b) == 0;
}

/* Shows a name from the markup only when it is short and plain. */
static const char *shown_name(const xmlChar *name)
{
	if (!name || strlen((const char *)name) > NAME_SHOWN_MAX)
		return "(name not shown)";
	for (const xmlChar *p = name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "(name not shown)";
	return (const char *)name;
}

static int check_root(struct xml_in *x)
{
	const xmlChar *name = xmlTextReaderConstLocalName(x->reader);
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->reader);
	if (!same(name, x->spec->root) || !same(ns, x->spec->ns)) {
		x->failed = true;
		struct nrm_pos pos = {.line = x->open[0].pos.line, .column = x->open[0].pos.column};
		return x->host->report(x->in, &pos, NULL,
		                       "the document element is '%s' in the namespace '%s', but "
		                       "a %s document is '%s' in the namespace '%s': is it really "
		                       "%s? Check --from",
		                       shown_name(name), ns ? shown_name(ns) : "(none)",
		                       x->spec->format, x->spec->root, x->spec->ns, x->spec->format);
	}
	const xmlChar *encoding = xmlTextReaderConstEncoding(x->reader);
	if (encoding && strcasecmp((const char *)encoding, "UTF-8") != 0) {
		x->failed = true;
		struct nrm_pos pos = {.line = 1, .column = 1};
		return x->host->report(x->in, &pos, NULL, "%s documents are UTF-8; this one "
		                       "declares the encoding '%s'", x->spec->format,
		                       shown_name(encoding));
	}
	x->root_seen = true;
	return NRM_OK;
}

/* Reads one node.  NRM_OK, NRM_EOF at the end of the document, NRM_FAIL. */
static int read_node(struct xml_in *x, int *type)
{
	if (x->failed)
		return NRM_FAIL;
	int rc = xmlTextReaderRead(x->reader);
	if (x->failed)
		return NRM_FAIL; /* the scanner or the input said why */
	*type = rc == 1 ? xmlTextReaderNodeType(x->reader) : 0;
	if (rc == 1 && *type == XML_READER_TYPE_ELEMENT) {
		int depth = xmlTextReaderDepth(x->reader);
		struct xpos pos = pop_pending(x);
		if (depth > MAX_DEPTH) {
			x->failed = true;
			return fail_at(x, &pos, "elements nested more than %d deep", MAX_DEPTH);
		}
		x->depth = depth;
		x->open[depth].pos = pos;
		x->open[depth].name = xmlTextReaderConstLocalName(x->reader);
		if (depth == 1)
			x->records++;
		if (depth == 0 && check_root(x) != NRM_OK)
			return NRM_FAIL;
	} else if (rc == 1 && *type == XML_READER_TYPE_END_ELEMENT) {
		x->depth = xmlTextReaderDepth(x->reader);
	} else if (rc == 1 && *type == XML_READER_TYPE_DOCUMENT_TYPE) {
		struct xpos at = {1, 1};
		return fail_at(x, &at, "a DOCTYPE is not allowed in %s", x->spec->format);
	}
	if (rc < 0 || x->have_error)
		return report_xml_error(x);
	if (rc == 0) {
		if (!x->root_seen) {
			struct xpos at = {1, 1};
			return fail_at(x, &at, "empty file: a %s document needs its '%s' element",
			               x->spec->format, x->spec->root);
		}
		return NRM_EOF;
	}
	return NRM_OK;
}

int xml_in_next_record(struct xml_in *x, struct nrm_pos *where)
{
	/* After the root's end tag the rest is still read, so trailing content
	 * is refused rather than ignored. */
	for (;;) {
		int type;
		int rc = read_node(x, &type);
		if (rc != NRM_OK)
			return rc;
		if (type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(x->reader) == 1) {
			/* The schema allows only records here. */
			fill_path(x, 1, NULL);
			memcpy(x->record_path, x->path, sizeof(x->record_path));
			where->line = x->open[1].pos.line;
			where->column = x->open[1].pos.column;
			where->path = x->record_path;
			return NRM_OK;
		}
	}
}

int xml_in_next_element(struct xml_in *x, int *depth)
{
	for (;;) {
		int type;
		int rc = read_node(x, &type);
		if (rc != NRM_OK)
			return rc == NRM_EOF ? NRM_FAIL : rc;
		int d = xmlTextReaderDepth(x->reader);
		if (type == XML_READER_TYPE_END_ELEMENT && d == 1)
			return NRM_EOF;
		if (type == XML_READER_TYPE_ELEMENT) {
			*depth = d - 1;
			return NRM_OK;
		}
	}
}

const char *xml_in_name(const struct xml_in *x)
{
	const xmlChar *name = xmlTextReaderConstLocalName(x->reader);
	return name ? (const char *)name : "";
}

bool xml_in_is_empty(const struct xml_in *x)
{
	return xmlTextReaderIsEmptyElement(x->reader) == 1;
}

bool xml_in_next_attribute(struct xml_in *x, const char **name, const char **value)
{
	while (xmlTextReaderMoveToNextAttribute(x->reader) == 1) {
		if (xmlTextReaderIsNamespaceDecl(x->reader) == 1)
			continue;
		*name = (const char *)xmlTextReaderConstLocalName(x->reader);
		const xmlChar *v = xmlTextReaderConstValue(x->reader);
		*value = v ? (const char *)v : "";
		return *name != NULL;
	}
	xmlTextReaderMoveToElement(x->reader);
	return false;
}

static int append_text(struct xml_in *x, const char *s)
{
	size_t n = strlen(s);
	if (x->text_len + n + 1 > x->text_cap) {
		size_t cap = (x->text_len + n + 1) * 2;
		char *grown = realloc(x->text, cap);
		if (!grown)
			return fail_at(x, NULL, "out of memory");
		x->text = grown;
		x->text_cap = cap;
	}
	memcpy(x->text + x->text_len, s, n + 1);
	x->text_len += n;
	return NRM_OK;
}

int xml_in_text(struct xml_in *x, const char **text)
{
	x->text_len = 0;
	if (append_text(x, "") != NRM_OK)
		return NRM_FAIL;
	*text = x->text;
	if (xml_in_is_empty(x))
		return NRM_OK;
	int depth = xmlTextReaderDepth(x->reader);
	for (;;) {
		int type;
		int rc = read_node(x, &type);
		if (rc != NRM_OK)
			return rc == NRM_EOF ? NRM_FAIL : rc;
		if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->reader) == depth)
			break;
		if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		    type == XML_READER_TYPE_WHITESPACE) {
			const xmlChar *v = xmlTextReaderConstValue(x->reader);
			if (v && append_text(x, (const char *)v) != NRM_OK)
				return NRM_FAIL;
		}
	}
	*text = x->text;
	return NRM_OK;
}

const char *xml_in_keep(struct xml_in *x, struct xml_slot *slot, const char *text)
{
	size_t n = strlen(text) + 1;
	if (n > slot->cap) {
		char *grown = realloc(slot->text, n);
		if (!grown) {
			fail_at(x, NULL, "out of memory");
			return NULL;
		}
		slot->text = grown;
		slot->cap = n;
	}
	memcpy(slot->text, text, n);
	return slot->text;
}

void xml_slot_free(struct xml_slot *slot)
{
	free(slot->text);
	slot->text = NULL;
	slot->cap = 0;
}
