/*
 * Unit tests of plugins/xml-common/xml_in.c, the streaming XML reader the
 * XML import plugins share, driven through a host of our own: input from a
 * string, problems captured instead of printed.  Positions are the point:
 * every line and column below was counted by hand from the literal input
 * (columns in characters, so a two-byte "é" counts once), and the reader
 * must find them even when markup-like text hides in comments and CDATA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nrmhub/plugin.h>

#include "xml_in.h"

/* ---- a host over a string ---------------------------------------------- */

struct nrm_stream {
	const char *data;
	size_t len, off;
	size_t chunk;          /* bytes given per read, to cut tokens apart */
	int64_t max_value;
	char reason[700];      /* the last problem reported */
	struct nrm_pos pos;
	char path[256];
	int problems;
};

static int fake_report(nrm_stream *s, const struct nrm_pos *pos, const char *field,
                       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	memset(&s->pos, 0, sizeof(s->pos));
	if (pos) {
		s->pos = *pos;
		snprintf(s->path, sizeof(s->path), "%s", pos->path ? pos->path : "");
	}
	s->problems++;
	return NRM_FAIL;
}

static ssize_t fake_read(nrm_stream *s, void *buf, size_t len)
{
	size_t n = s->len - s->off;
	if (n > len)
		n = len;
	if (n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static const char *fake_name(nrm_stream *s)
{
	return "t.xml";
}

static int64_t fake_option_int(nrm_stream *s, const char *option)
{
	return s->max_value;
}

static const struct nrm_host host = {
	.report = fake_report,
	.read = fake_read,
	.name = fake_name,
	.option_int = fake_option_int,
};

/* Records are <c a="..."/> or <c><v>text</v></c> under <r xmlns="urn:t">;
 * a record may end with any element of another namespace, unchecked, so the
 * reader's own depth limit can be reached. */
static const char xsd[] =
	"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:t' "
	"elementFormDefault='qualified'>"
	"<xs:element name='r'><xs:complexType><xs:sequence>"
	"<xs:element name='c' minOccurs='0' maxOccurs='unbounded'><xs:complexType>"
	"<xs:sequence><xs:element name='v' type='xs:string' minOccurs='0'/>"
	"<xs:any namespace='##other' processContents='skip' minOccurs='0'/></xs:sequence>"
	"<xs:attribute name='a' type='xs:string'/></xs:complexType></xs:element>"
	"</xs:sequence></xs:complexType></xs:element></xs:schema>";

static const struct xml_in_spec spec = {
	.format = "t-xml", .ns = "urn:t", .root = "r", .record = "c",
	.xsd = (const unsigned char *)xsd, .xsd_len = sizeof(xsd) - 1,
};

static struct xml_in *open_text(nrm_stream *s, const char *text, size_t chunk)
{
	memset(s, 0, sizeof(*s));
	s->data = text;
	s->len = strlen(text);
	s->chunk = chunk;
	s->max_value = 1024;
	struct xml_in *x = NULL;
	assert_int_equal(xml_in_open(&x, &host, s, &spec), NRM_OK);
	return x;
}

/* The next record's position. */
static void expect_record(struct xml_in *x, uint64_t line, uint64_t column)
{
	struct nrm_pos where = {0};
	assert_int_equal(xml_in_next_record(x, &where), NRM_OK);
	assert_int_equal(where.line, line);
	assert_int_equal(where.column, column);
	int depth;
	if (!xml_in_is_empty(x))
		while (xml_in_next_element(x, &depth) == NRM_OK)
			;
}

/* ---- positions ----------------------------------------------------------- */

static const char doc[] =
	"<?xml version='1.0'?>\n"                    /* line 1 */
	"<r xmlns='urn:t'>\n"                         /* line 2 */
	"<!-- <c a='in a comment'/> -->\n"            /* line 3: not a record */
	"  <c a='\xc3\xa9'/><c a='x'>\n"              /* line 4: columns 3 and 13 */
	"<v><![CDATA[<c/>]]></v></c>\n"               /* line 5: CDATA, not a record */
	"\t<?pi <c/> ?><c/>\n"                        /* line 6: column 14 */
	"</r>\n";

static void test_record_positions(void **state)
{
	nrm_stream s;
	struct xml_in *x = open_text(&s, doc, 1 << 16);
	expect_record(x, 4, 3);
	expect_record(x, 4, 13);
	expect_record(x, 6, 14);
	struct nrm_pos where;
	assert_int_equal(xml_in_next_record(x, &where), NRM_EOF);
	assert_int_equal(s.problems, 0);
	xml_in_close(x);
}

/* The same positions when the input arrives a byte at a time, so every
 * token ("<!--", "]]>", "?>", the two bytes of "é") is cut apart. */
static void test_positions_byte_by_byte(void **state)
{
	nrm_stream s;
	struct xml_in *x = open_text(&s, doc, 1);
	expect_record(x, 4, 3);
	expect_record(x, 4, 13);
	expect_record(x, 6, 14);
	xml_in_close(x);
}

/* A byte order mark is no column, even when it arrives a byte at a time. */
static void test_byte_order_mark(void **state)
{
	nrm_stream s;
	struct xml_in *x = open_text(&s, "\xef\xbb\xbf<r xmlns='urn:t'><c/></r>", 1);
	expect_record(x, 1, 18);
	xml_in_close(x);
}

static void test_text_and_attributes(void **state)
{
	nrm_stream s;
	struct xml_in *x = open_text(&s, doc, 7);
	struct nrm_pos where;
	const char *name, *value, *text;
	int depth;
	assert_int_equal(xml_in_next_record(x, &where), NRM_OK);
	assert_true(xml_in_next_attribute(x, &name, &value));
	assert_string_equal(name, "a");
	assert_string_equal(value, "\xc3\xa9");
	assert_false(xml_in_next_attribute(x, &name, &value));
	assert_int_equal(xml_in_next_record(x, &where), NRM_OK);
	assert_int_equal(xml_in_next_element(x, &depth), NRM_OK);
	assert_int_equal(depth, 1);
	assert_string_equal(xml_in_name(x), "v");
	assert_int_equal(xml_in_text(x, &text), NRM_OK);
	assert_string_equal(text, "<c/>");
	assert_int_equal(xml_in_next_element(x, &depth), NRM_EOF);
	xml_in_close(x);
}

/* ---- refusals, at the position of the '<' -------------------------------- */

static void expect_failure(const char *text, size_t chunk, uint64_t line, uint64_t column,
                           const char *reason_part)
{
	nrm_stream s;
	memset(&s, 0, sizeof(s));
	s.data = text;
	s.len = strlen(text);
	s.chunk = chunk;
	s.max_value = 1024;
	struct xml_in *x = NULL;
	/* Refused when it is found: at the open (libxml2 reads the first
	 * bytes to guess the encoding) or at a later record. */
	int rc = xml_in_open(&x, &host, &s, &spec);
	struct nrm_pos where;
	while (rc == NRM_OK && (rc = xml_in_next_record(x, &where)) == NRM_OK)
		;
	assert_int_equal(rc, NRM_FAIL);
	assert_int_equal(s.pos.line, line);
	assert_int_equal(s.pos.column, column);
	if (!strstr(s.reason, reason_part))
		fail_msg("'%s' not in '%s'", reason_part, s.reason);
	xml_in_close(x);
}

static void test_doctype_refused(void **state)
{
	expect_failure("<?xml version='1.0'?>\n  <!DOCTYPE r>\n<r xmlns='urn:t'/>", 3, 2, 3,
	               "a DOCTYPE or other markup declaration is not allowed in t-xml");
}

static void test_long_attribute_refused(void **state)
{
	/* 1,100 bytes in one tag, more than max-value-size (1024). */
	char text[1300];
	int n = snprintf(text, sizeof(text), "<r xmlns='urn:t'>\n <c a='");
	memset(text + n, 'x', 1100);
	strcpy(text + n + 1100, "'/></r>");
	expect_failure(text, 64, 2, 2, "more than 1024 bytes of text or tag without markup");
}

static void test_long_text_refused(void **state)
{
	char text[1300];
	int n = snprintf(text, sizeof(text), "<r xmlns='urn:t'><c><v>");
	memset(text + n, 'y', 1100);
	strcpy(text + n + 1100, "</v></c></r>");
	expect_failure(text, 4096, 1, 21, "max-value-size");
}

/* Elements the schema does not check, nested 40 deep: refused at the
 * first one deeper than 32 levels, the 32nd <x:a> (depth 33, the root being
 * depth 0).  <r xmlns='urn:t'><c> takes columns 1-20, the first <x:a ...>
 * 21-41, and each further <x:a> five more: the 32nd starts at 42 + 5 * 30. */
static void test_depth_limit(void **state)
{
	char text[512];
	int n = snprintf(text, sizeof(text), "<r xmlns='urn:t'><c><x:a xmlns:x='urn:x'>");
	for (int i = 2; i <= 40; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "<x:a>");
	snprintf(text + n, sizeof(text) - (size_t)n, "</x:a>");
	expect_failure(text, 4096, 1, 192, "elements nested more than 32 deep");
}

static void test_foreign_root(void **state)
{
	expect_failure("\n\n   <r xmlns='urn:other'/>", 4096, 3, 4,
	               "is it really t-xml? Check --from");
	expect_failure("\n\n   <r xmlns='urn:other'><c/></r>", 4096, 3, 4,
	               "is it really t-xml? Check --from");
}

static void test_not_xml(void **state)
{
	expect_failure("Case ID,Site\nA,b\n", 4096, 1, 1, "not an XML document");
}

static void test_broken_byte_order_mark(void **state)
{
	expect_failure("\xef\xbb<r xmlns='urn:t'/>", 1, 1, 1, "not an XML document");
}

static void test_empty(void **state)
{
	expect_failure("", 4096, 1, 1, "empty file");
}

/* A value the schema refuses is not echoed unless shaped like a code. */
static void test_schema_error_hides_values(void **state)
{
	nrm_stream s;
	struct xml_in *x = open_text(&s, "<r xmlns='urn:t'><c><w>Jane Doe</w></c></r>", 4096);
	struct nrm_pos where;
	int rc;
	while ((rc = xml_in_next_record(x, &where)) == NRM_OK) {
		int depth;
		while ((rc = xml_in_next_element(x, &depth)) == NRM_OK)
			;
		if (rc == NRM_FAIL)
			break;
	}
	assert_int_equal(rc, NRM_FAIL);
	assert_non_null(strstr(s.reason, "not valid against t-xml.xsd"));
	assert_non_null(strstr(s.reason, "This element is not expected"));
	assert_null(strstr(s.reason, "Jane"));
	assert_int_equal(s.pos.line, 1);
	xml_in_close(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_positions),
		cmocka_unit_test(test_positions_byte_by_byte),
		cmocka_unit_test(test_byte_order_mark),
		cmocka_unit_test(test_text_and_attributes),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_long_attribute_refused),
		cmocka_unit_test(test_long_text_refused),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_foreign_root),
		cmocka_unit_test(test_not_xml),
		cmocka_unit_test(test_broken_byte_order_mark),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_schema_error_hides_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
