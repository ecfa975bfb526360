/*
 * The listener's helper threads (server/delay.c, server/guard.c) start only when there is
 * work for them: an idle server holds no thread it does not use, and a guard with no
 * connection sleeps until one comes, then reaps it when it is late.
 */
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/delay.h"
#include "server/guard.h"
#include "tests/unit/unit.h"
#include "tests/unit/threads.h"

static atomic_int resumed;

static void suspend_none(void *conn)
{
	(void)conn;
}

static void count_resume(void *conn)
{
	(void)conn;
	atomic_fetch_add(&resumed, 1);
}

static void delay_timer_starts_at_the_first_hold(void **state)
{
	int before = threads();
	struct delay *d = delay_new(suspend_none, count_resume);

	(void)state;
	assert_int_equal(threads(), before);
	assert_true(delay_hold(d, &resumed, 10, true));
	assert_int_equal(threads(), before + 1);
	for (int i = 0; i < 200 && !atomic_load(&resumed); i++)
		pause_ms(10);
	assert_int_equal(atomic_load(&resumed), 1);
	delay_stop(d);
	assert_false(delay_hold(d, &resumed, 10, true)); /* stopped: the reply goes out now */
	delay_free(d);
	assert_int_equal(threads_settled(before), before);
}

static void guard_sleeps_without_connections_and_wakes_for_one(void **state)
{
	struct guard_options opt = {.header_timeout_s = 1, .idle_timeout_s = 60};
	int before = threads();
	struct guard *g = guard_new(&opt);
	struct guard_conn *c;
	int fds[2];
	char byte;

	(void)state;
	assert_int_equal(threads(), before);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	/* The first connection starts the reaper; it goes well within its deadline. */
	c = guard_open(g, fds[0]);
	assert_int_equal(threads(), before + 1);
	guard_close(g, c);
	pause_ms(300); /* past a tick: the reaper now waits with nothing to watch */
	/* A connection that never sends its headers: the reaper wakes and shuts it down. */
	c = guard_open(g, fds[0]);
	for (int i = 0; i < 300 && !guard_reaped(g); i++)
		pause_ms(10);
	assert_int_equal(guard_reaped(g), 1);
	assert_int_equal(read(fds[1], &byte, 1), 0); /* the peer sees the end */
	guard_close(g, c);
	guard_stop(g);
	assert_int_equal(threads_settled(before), before);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("the latency timer starts at the first held reply, not before",
	             delay_timer_starts_at_the_first_hold),
	        TEST("the reaper starts with the first connection and wakes for a new one",
	             guard_sleeps_without_connections_and_wakes_for_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
