/* server/gzip.c: which Accept-Encoding values allow gzip, and the coding round trip. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "server/gzip.h"

static void accept_encoding_values(void **state)
{
	(void)state;
	assert_false(gzip_accepted(NULL));
	assert_false(gzip_accepted(""));
	assert_false(gzip_accepted("identity"));
	assert_false(gzip_accepted("br"));
	assert_false(gzip_accepted("deflate, br"));
	assert_false(gzip_accepted("gzipped"));
	assert_false(gzip_accepted("gzip;q=0"));
	assert_false(gzip_accepted("gzip; q=0.000, deflate"));
	assert_false(gzip_accepted("*;q=0"));
	assert_false(gzip_accepted("gzip;q=0, *"));
	assert_true(gzip_accepted("gzip"));
	assert_true(gzip_accepted("GZIP"));
	assert_true(gzip_accepted("x-gzip"));
	assert_true(gzip_accepted("*"));
	/* axios (the EdgeKV CLI), curl --compressed, httpie and requests, Go's transport. */
	assert_true(gzip_accepted("gzip, compress, deflate, br"));
	assert_true(gzip_accepted("deflate, gzip, br, zstd"));
	assert_true(gzip_accepted("gzip, deflate"));
	assert_true(gzip_accepted("gzip, deflate, br, zstd"));
	assert_true(gzip_accepted("br;q=1.0, gzip;q=0.5"));
	assert_true(gzip_accepted("gzip;q=0.001"));
	assert_true(gzip_accepted("gzip;q=1, *;q=0"));
}

static void round_trip(const char *text, size_t len, size_t step)
{
	struct buf coded = BUF_INIT, plain = BUF_INIT;
	struct gunzip *z = gunzip_new();

	assert_int_equal(gzip_encode(text, len, &coded), 0);
	assert_true(coded.len >= 18); /* header and trailer at least */
	assert_int_equal((unsigned char)coded.ptr[0], 0x1f);
	assert_int_equal((unsigned char)coded.ptr[1], 0x8b);
	for (size_t i = 0; i < coded.len; i += step) {
		size_t n = coded.len - i < step ? coded.len - i : step;

		assert_false(gunzip_done(z));
		assert_int_equal(gunzip_feed(z, coded.ptr + i, n, &plain), 0);
	}
	assert_true(gunzip_done(z));
	assert_int_equal(plain.len, len);
	assert_memory_equal(plain.ptr, text, len);
	gunzip_free(z);
	buf_release(&coded);
	buf_release(&plain);
}

static void coding_round_trip(void **state)
{
	char *big = malloc(300000);

	(void)state;
	for (size_t i = 0; i < 300000; i++)
		big[i] = (char)("abc,def\n"[i % 8] + (char)(i % 7 == 0));
	round_trip("", 0, 1);
	round_trip("[\"g1\",\"g2\"]", 11, 1);
	round_trip(big, 300000, 7);
	round_trip(big, 300000, 65536);
	free(big);
}

static void decoder_edges(void **state)
{
	struct buf a = BUF_INIT, out = BUF_INIT;
	struct gunzip *z;

	(void)state;
	/* Two members one after the other decode as one stream, as gzip -d does. */
	assert_int_equal(gzip_encode("a,b,", 4, &a), 0);
	assert_int_equal(gzip_encode("c\n", 2, &a), 0);
	z = gunzip_new();
	assert_int_equal(gunzip_feed(z, a.ptr, a.len, &out), 0);
	assert_true(gunzip_done(z));
	assert_string_equal(out.ptr, "a,b,c\n");
	gunzip_free(z);
	/* A cut member is not done; bytes that are not gzip fail and stay failed. */
	buf_reset(&out);
	z = gunzip_new();
	assert_int_equal(gunzip_feed(z, a.ptr, 10, &out), 0);
	assert_false(gunzip_done(z));
	gunzip_free(z);
	z = gunzip_new();
	assert_int_equal(gunzip_feed(z, "g1,k1,v1\n", 9, &out), -1);
	assert_int_equal(gunzip_feed(z, a.ptr, a.len, &out), -1);
	assert_false(gunzip_done(z));
	gunzip_free(z);
	gunzip_free(NULL);
	buf_release(&a);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("Accept-Encoding allows gzip by name or by *, unless its q is 0",
	             accept_encoding_values),
	        TEST("a gzip-coded body decodes to the same bytes, fed whole or in pieces",
	             coding_round_trip),
	        TEST("the decoder takes joined members and refuses what is not gzip",
	             decoder_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
