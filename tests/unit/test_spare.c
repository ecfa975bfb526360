/* A thread's spare block (base/spare.c): handed back zeroed, to its own thread, for its size. */
#include <pthread.h>
#include <string.h>

#include "base/spare.h"
#include "tests/unit/unit.h"

#define SIZE 5000

static void *take_one(void *arg)
{
	*(void **)arg = spare_calloc(SIZE);
	return NULL;
}

static void a_freed_block_comes_back_zeroed_to_its_thread_only(void **state)
{
	unsigned char *a = spare_calloc(SIZE), *b, *c;
	void *other = NULL;
	pthread_t t;

	(void)state;
	memset(a, 0xab, SIZE);
	spare_free(a, SIZE);
	/* Another thread has no spare: a block of its own. */
	assert_int_equal(pthread_create(&t, NULL, take_one, &other), 0);
	pthread_join(t, NULL);
	assert_non_null(other);
	assert_ptr_not_equal(other, a);
	/* Another size does not take it. */
	c = spare_calloc(SIZE / 2);
	assert_ptr_not_equal(c, a);
	/* The same size does, cleared. */
	b = spare_calloc(SIZE);
	assert_ptr_equal(b, a);
	for (size_t i = 0; i < SIZE; i++)
		assert_int_equal(b[i], 0);
	spare_free(b, SIZE);
	spare_free(c, SIZE / 2); /* the thread keeps one block: this one is freed */
	spare_free(other, SIZE);
	spare_free(NULL, SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("a freed block comes back zeroed, to its own thread, for its own size",
	             a_freed_block_comes_back_zeroed_to_its_thread_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
