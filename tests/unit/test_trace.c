/* Request ids (server/trace.c): 16 lowercase hex characters, never repeated. */
#include <stdlib.h>
#include <string.h>

#include "server/trace.h"
#include "tests/unit/unit.h"

#define IDS 1000 /* many times the ids one draw of random bytes makes */

static int by_text(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void ids_are_hex_and_distinct(void **state)
{
	char(*ids)[17] = calloc(IDS, sizeof(*ids));

	(void)state;
	assert_non_null(ids);
	for (size_t i = 0; i < IDS; i++) {
		trace_id_new(ids[i]);
		assert_int_equal(strlen(ids[i]), 16);
		assert_int_equal(strspn(ids[i], "0123456789abcdef"), 16);
	}
	qsort(ids, IDS, sizeof(*ids), by_text);
	for (size_t i = 1; i < IDS; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("request ids are 16 lowercase hex characters and never repeat",
	             ids_are_hex_and_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
