/*
 * A lazily started thread (base/lazy_thread.c): it starts with the first job, once; a start
 * that fails is tried again at the next job, and its warning is logged only the first time.
 * Failure comes from a create function that refuses a set number of times, then creates.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/lazy_thread.h"
#include "tests/unit/unit.h"

#define WARNING "test: no helper thread"

static atomic_int runs;
static int refusals; /* how many more creates fail */
static int creates;  /* creates tried */

static void *count_run(void *arg)
{
	(void)arg;
	atomic_fetch_add(&runs, 1);
	return NULL;
}

static int refusing_create(pthread_t *id, const pthread_attr_t *attr, void *(*run)(void *),
                           void *arg)
{
	creates++;
	if (refusals > 0) {
		refusals--;
		return EAGAIN; /* what pthread_create returns without resources */
	}
	return pthread_create(id, attr, run, arg);
}

static int reset(void **state)
{
	(void)state;
	atomic_store(&runs, 0);
	refusals = 0;
	creates = 0;
	return 0;
}

/* Runs fn with stderr going to a temporary file; how many lines it logged with WARNING. */
static int warnings_while(void (*fn)(struct lazy_thread *), struct lazy_thread *t)
{
	FILE *log = tmpfile();
	int saved = dup(STDERR_FILENO), n = 0;
	char line[256];

	assert_non_null(log);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fileno(log), STDERR_FILENO), STDERR_FILENO);
	fn(t);
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	rewind(log);
	while (fgets(line, sizeof(line), log))
		n += strstr(line, WARNING) != NULL;
	fclose(log);
	return n;
}

static void it_starts_at_the_first_call_only(void **state)
{
	struct lazy_thread t;

	(void)state;
	lazy_thread_init(&t, count_run, NULL, WARNING);
	t.create = refusing_create;
	assert_int_equal(creates, 0); /* not at init */
	assert_true(lazy_thread_start(&t));
	assert_true(lazy_thread_start(&t));
	assert_int_equal(creates, 1);
	lazy_thread_join(&t);
	assert_int_equal(atomic_load(&runs), 1);
}

static void three_failing_starts(struct lazy_thread *t)
{
	for (int i = 0; i < 3; i++)
		assert_false(lazy_thread_start(t));
}

static void a_failed_start_is_retried_at_the_next_call_and_warned_once(void **state)
{
	struct lazy_thread t;

	(void)state;
	lazy_thread_init(&t, count_run, NULL, WARNING);
	t.create = refusing_create;
	refusals = 3;
	assert_int_equal(warnings_while(three_failing_starts, &t), 1);
	assert_int_equal(creates, 3); /* each call tried again */
	assert_true(lazy_thread_start(&t));
	assert_int_equal(creates, 4);
	lazy_thread_join(&t);
	assert_int_equal(atomic_load(&runs), 1);
}

static void joining_a_thread_never_started_does_nothing(void **state)
{
	struct lazy_thread t;

	(void)state;
	lazy_thread_init(&t, count_run, NULL, WARNING);
	t.create = refusing_create;
	lazy_thread_join(&t); /* no job came */
	refusals = 3;
	assert_int_equal(warnings_while(three_failing_starts, &t), 1);
	lazy_thread_join(&t); /* every start failed */
	assert_int_equal(atomic_load(&runs), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        {"the thread starts at the first call, once, not at init",
	         it_starts_at_the_first_call_only, reset, NULL, NULL},
	        {"a failed start is tried again at the next call and warned about once",
	         a_failed_start_is_retried_at_the_next_call_and_warned_once, reset, NULL, NULL},
	        {"joining a thread that never started does nothing",
	         joining_a_thread_never_started_does_nothing, reset, NULL, NULL},
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
