/* base/base64.c: padded base64 and base64url (RFC 4648 §10 vectors), on GnuTLS. */
#include "tests/unit/unit.h"

#include <string.h>

#include "base/base64.h"
#include "base/buf.h"

static void test_base64_matches_rfc4648_and_refuses_what_is_not_base64(void **state)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const coded[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
	                                    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	static const char *const bad[] = {"Zg", "Zm9", "Zm9v!!!!", "Zm-v", "Zm9v\nZm9v", "Z==="};

	(void)state;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		struct buf enc = BUF_INIT, dec = BUF_INIT;

		assert_int_equal(base64_encode(plain[i], strlen(plain[i]), &enc), 0);
		assert_string_equal(enc.ptr, coded[i]);
		assert_int_equal(base64_decode(coded[i], strlen(coded[i]), &dec), 0);
		assert_int_equal(dec.len, strlen(plain[i]));
		assert_memory_equal(dec.ptr, plain[i], dec.len);
		buf_release(&enc);
		buf_release(&dec);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct buf dec = BUF_INIT;

		assert_int_equal(base64_decode(bad[i], strlen(bad[i]), &dec), -1);
		buf_release(&dec);
	}
}

static void test_base64_round_trips_every_byte(void **state)
{
	unsigned char bytes[256];
	struct buf enc = BUF_INIT, dec = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)i;
	assert_int_equal(base64_encode(bytes, sizeof(bytes), &enc), 0);
	assert_int_equal(base64_decode(enc.ptr, enc.len, &dec), 0);
	assert_int_equal(dec.len, sizeof(bytes));
	assert_memory_equal(dec.ptr, bytes, sizeof(bytes));
	buf_release(&enc);
	buf_release(&dec);
}

static void test_base64url_matches_rfc4648_and_is_strict(void **state)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const coded[] = {"",       "Zg",      "Zm8",     "Zm9v",
	                                    "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	static const char *const bad[] = {"Zg==", "Z",    "Zh",    "Zm9",
	                                  "Zm+v", "Zm/v", "Zm9v!", "Zm8="};

	(void)state;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		struct buf enc = BUF_INIT, dec = BUF_INIT;

		assert_int_equal(base64url_encode(plain[i], strlen(plain[i]), &enc), 0);
		assert_string_equal(enc.ptr, coded[i]);
		assert_int_equal(base64url_decode(coded[i], strlen(coded[i]), &dec), 0);
		assert_int_equal(dec.len, strlen(plain[i]));
		assert_memory_equal(dec.ptr, plain[i], dec.len);
		buf_release(&enc);
		buf_release(&dec);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct buf dec = BUF_INIT;

		assert_int_equal(base64url_decode(bad[i], strlen(bad[i]), &dec), -1);
		buf_release(&dec);
	}
	{
		struct buf enc = BUF_INIT;
		const unsigned char bytes[] = {0xfb, 0xff, 0xbf};

		assert_int_equal(base64url_encode(bytes, sizeof(bytes), &enc), 0);
		assert_string_equal(enc.ptr, "-_-_");
		buf_release(&enc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("base64 matches RFC 4648 and refuses what is not base64",
	             test_base64_matches_rfc4648_and_refuses_what_is_not_base64),
	        TEST("base64 round-trips every byte value", test_base64_round_trips_every_byte),
	        TEST("base64url matches RFC 4648 and is strict",
	             test_base64url_matches_rfc4648_and_is_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
