#ifndef EKV_TESTS_UNIT_THREADS_H
#define EKV_TESTS_UNIT_THREADS_H

/*
 * For the unit tests of threads started on first use: how many threads this
 * process has now, and a wait for that count to settle. Include after unit.h.
 */
#include <dirent.h>
#include <time.h>

static inline int threads(void)
{
	DIR *dir = opendir("/proc/self/task");
	int n = 0;

	assert_non_null(dir);
	for (struct dirent *e; (e = readdir(dir));)
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

static inline void pause_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

/* A joined thread leaves /proc/self/task a moment after pthread_join() returns. */
static inline int threads_settled(int want)
{
	for (int i = 0; i < 200 && threads() != want; i++)
		pause_ms(10);
	return threads();
}

#endif
