/* api/edgekv/csv.c: the bulk upload's CSV records, resuming at an offset, and the writer. */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "api/edgekv/csv.h"

/* Reads text from offset on; each record as "f1|f2|…" (+"!" when the quotes fault), "/"-joined. */
static void records(const char *text, size_t len, int64_t offset, char *out, size_t size)
{
	FILE *in = tmpfile();
	struct csv_reader r;
	struct csv_record rec;

	assert_non_null(in);
	assert_int_equal(fwrite(text, 1, len, in), len);
	assert_int_equal(fseek(in, (long)offset, SEEK_SET), 0);
	csv_reader_init(&r, in, offset);
	out[0] = '\0';
	while (csv_next(&r, &rec)) {
		size_t n = strlen(out);

		snprintf(out + n, size - n, "%s%zu:", n ? "/" : "", rec.fields);
		for (size_t i = 0; i < rec.fields && i < CSV_FIELDS_KEPT; i++) {
			n = strlen(out);
			snprintf(out + n, size - n, "%s%s", i ? "|" : "", rec.field[i]);
		}
		if (rec.quote_fault)
			strncat(out, "!", size - strlen(out) - 1);
	}
	assert_int_equal(r.offset, (int64_t)len);
	csv_reader_release(&r);
	fclose(in);
}

#define EXPECT(text, want)                                                                         \
	do {                                                                                       \
		char got[512];                                                                     \
		records(text, sizeof(text) - 1, 0, got, sizeof(got));                              \
		assert_string_equal(got, want);                                                    \
	} while (0)

static void rfc4180_records(void **state)
{
	(void)state;
	EXPECT("", "");
	EXPECT("\n\r\n\n", "");
	EXPECT("g,k,v", "3:g|k|v");
	EXPECT("g,k,v\n", "3:g|k|v");
	EXPECT("g,k,v\r\ng,k2,v2\r\n", "3:g|k|v/3:g|k2|v2");
	EXPECT("\xef\xbb\xbfg,k,v\n", "3:g|k|v");
	EXPECT("g,k,\"a,b\"\n", "3:g|k|a,b");
	EXPECT("g,k,\"two\nlines\"\n", "3:g|k|two\nlines");
	EXPECT("g,k,\"say \"\"hi\"\"\"\n", "3:g|k|say \"hi\"");
	EXPECT("g,k,a \"b\" c\n", "3:g|k|a \"b\" c");
	EXPECT("g,k,v,86400\n", "4:g|k|v|86400");
	EXPECT("g,k,v,1,2,3\n", "6:g|k|v|1");
	EXPECT("g,k,\n", "3:g|k|");
	EXPECT("g,k\n\ng\n", "2:g|k/1:g");
	EXPECT("g,k,\"open\n", "3:g|k|open\n!");
	EXPECT("g,\"k\"x,v\ng,k2,v2\n", "2:g|k!/3:g|k2|v2");
	EXPECT("g,k,\"v\"\r\ng,k2,v2", "3:g|k|v/3:g|k2|v2");
	EXPECT("\xef\xbb", "1:\xef\xbb");
}

static void resumes_at_an_offset(void **state)
{
	static const char text[] = "g,a,1\ng,b,\"x\ny\"\r\ng,c,3\n";
	char got[256];

	(void)state;
	records(text, sizeof(text) - 1, 6, got, sizeof(got));
	assert_string_equal(got, "3:g|b|x\ny/3:g|c|3");
	records(text, sizeof(text) - 1, 17, got, sizeof(got));
	assert_string_equal(got, "3:g|c|3");
}

static void utf8_rules(void **state)
{
	(void)state;
	assert_true(csv_utf8_valid("", 0));
	assert_true(csv_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
	assert_false(csv_utf8_valid("caf\xe9", 4));
	assert_false(csv_utf8_valid("\xc0\xaf", 2));         /* overlong */
	assert_false(csv_utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
	assert_false(csv_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	assert_false(csv_utf8_valid("\xe2\x82", 2));         /* cut short */
}

static void writer_quotes_when_needed(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	csv_field_add(&out, "plain", 5);
	buf_addch(&out, ',');
	csv_field_add(&out, "a,b", 3);
	buf_addch(&out, ',');
	csv_field_add(&out, "say \"hi\"\n", 9);
	buf_addch(&out, ',');
	csv_field_add(&out, "", 0);
	assert_string_equal(out.ptr, "plain,\"a,b\",\"say \"\"hi\"\"\n\",");
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("records follow RFC 4180, with empty lines, CRLF and a BOM", rfc4180_records),
	        TEST("a reader started at a record's offset reads on from there",
	             resumes_at_an_offset),
	        TEST("UTF-8 is checked strictly", utf8_rules),
	        TEST("the writer quotes a field only when it must", writer_quotes_when_needed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
