/* Identifier rules of docs/behaviour.md §1.2 and generated ids (api/core/ids.c). */
#include <stdio.h>
#include <string.h>

#include "api/core/ids.h"
#include "tests/unit/unit.h"

static char long_id[600];

/* n copies of ch, NUL-terminated, in a static buffer. */
static const char *repeat(char ch, size_t n)
{
	assert_true(n < sizeof(long_id));
	memset(long_id, ch, n);
	long_id[n] = '\0';
	return long_id;
}

static bool ns_ok(const char *s)
{
	return ids_namespace_valid(s, strlen(s));
}

static bool group_ok(const char *s)
{
	return ids_group_valid(s, strlen(s));
}

static bool key_ok(const char *s)
{
	return ids_key_valid(s, strlen(s));
}

static void namespace_names(void **state)
{
	(void)state;
	assert_true(ns_ok("a"));
	assert_true(ns_ok("default"));
	assert_true(ns_ok("Marketing_2024-eu"));
	assert_true(ns_ok("_leading_underscore"));
	assert_true(ns_ok("0"));
	assert_true(ns_ok("trailing-"));
	assert_true(ns_ok(repeat('n', 32)));
	assert_false(ns_ok(repeat('n', 33)));
	assert_false(ns_ok(""));
	assert_false(ns_ok("-leading-dash"));
	assert_false(ns_ok("-"));
	assert_false(ns_ok("has space"));
	assert_false(ns_ok("dot.ted"));
	assert_false(ns_ok("slash/"));
	assert_false(ns_ok("percent%20"));
	assert_false(ns_ok("caf\xc3\xa9"));
}

static void group_names(void **state)
{
	(void)state;
	assert_true(group_ok("g"));
	assert_true(group_ok("-leading-dash-is-fine"));
	assert_true(group_ok("countries_EU-1"));
	assert_true(group_ok(repeat('g', 128)));
	assert_false(group_ok(repeat('g', 129)));
	assert_false(group_ok(""));
	assert_false(group_ok("a.b"));
	assert_false(group_ok("a b"));
	assert_false(group_ok("a:b"));
	assert_false(group_ok("\t"));
}

static void item_keys(void **state)
{
	(void)state;
	assert_true(key_ok("k"));
	assert_true(key_ok("-"));
	assert_true(key_ok("US"));
	assert_true(key_ok(repeat('k', 512)));
	assert_false(key_ok(repeat('k', 513)));
	assert_false(key_ok(""));
	assert_false(key_ok("key?x"));
	assert_false(key_ok("key#x"));
	assert_false(key_ok("key+x"));
	assert_false(key_ok("\xff"));
	assert_false(key_ok("~"));
}

static void every_byte_outside_the_charset_is_refused(void **state)
{
	(void)state;
	for (int b = 1; b < 256; b++) {
		char s[4] = {'a', (char)b, 'z', '\0'};
		bool want = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
		            (b >= '0' && b <= '9') || b == '_' || b == '-';

		assert_int_equal(ids_key_valid(s, 3), want);
		assert_int_equal(ids_group_valid(s, 3), want);
		assert_int_equal(ids_namespace_valid(s, 3), want);
	}
}

static void length_not_nul_ends_the_id(void **state)
{
	(void)state;
	/* A %00 decoded into a capture leaves a NUL inside: that is not a valid id. */
	assert_false(ids_key_valid("a\0b", 3));
	assert_false(ids_group_valid("a\0b", 3));
	assert_false(ids_namespace_valid("a\0b", 3));
	assert_false(ids_key_valid("\0", 1));
	assert_true(ids_key_valid("ab\0", 2));
	assert_false(ids_key_valid("abc", 0));
	assert_true(ids_charset_valid("abcd", 4, 4));
	assert_false(ids_charset_valid("abcd", 4, 3));
	assert_false(ids_charset_valid("", 0, 10));
}

static void uuid_v4_is_lowercase_and_random(void **state)
{
	char a[IDS_UUID_LEN + 1], b[IDS_UUID_LEN + 1];

	(void)state;
	memset(a, 'x', sizeof(a));
	ids_uuid_v4(a);
	ids_uuid_v4(b);
	assert_int_equal(strlen(a), IDS_UUID_LEN);
	for (int i = 0; i < IDS_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(a[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", a[i]));
	}
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	assert_string_not_equal(a, b);
}

static void cpcode_is_seven_stable_digits(void **state)
{
	char a[16], again[16], other[16], tiny[4];

	(void)state;
	ids_cpcode("1-DEFAULT", a, sizeof(a));
	ids_cpcode("1-DEFAULT", again, sizeof(again));
	ids_cpcode("1-OTHER", other, sizeof(other));
	assert_int_equal(strlen(a), 7);
	assert_true(a[0] >= '1');
	for (int i = 0; i < 7; i++)
		assert_true(a[i] >= '0' && a[i] <= '9');
	assert_string_equal(a, again);
	assert_string_not_equal(a, other);
	ids_cpcode("", other, sizeof(other));
	assert_int_equal(strlen(other), 7);
	/* A short buffer is cut, never overrun. */
	ids_cpcode("1-DEFAULT", tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), 3);
	assert_memory_equal(tiny, a, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("namespace names are 1-32 of [A-Za-z0-9_-], not starting with a dash",
	             namespace_names),
	        TEST("group names are 1-128 of [A-Za-z0-9_-]", group_names),
	        TEST("item keys are 1-512 of [A-Za-z0-9_-]", item_keys),
	        TEST("every byte outside [A-Za-z0-9_-] is refused",
	             every_byte_outside_the_charset_is_refused),
	        TEST("the length, not a NUL, ends an id", length_not_nul_ends_the_id),
	        TEST("uuid v4 is lowercase, versioned and random", uuid_v4_is_lowercase_and_random),
	        TEST("the CP code is 7 digits, stable per account", cpcode_is_seven_stable_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
