/*
 * The bulk upload runner's thread starts with its first job: a start without
 * unfinished jobs holds none, an upload's wake starts it, a restore's wake only
 * when a job waits, and a job a previous run left unfinished starts it with the
 * start and runs.
 */
#include <dirent.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/edgekv/bulk_runner.h"
#include "base/clock.h"
#include "storage/jobs.h"
#include "storage/store.h"
#include "tests/unit/unit.h"

#define ACCOUNT "1-JOBS"
#define T0      1700000000000LL
#define NEVER   (3600000LL * 1000)

static struct store_db *db;
static struct api api;

static int threads(void)
{
	DIR *dir = opendir("/proc/self/task");
	int n = 0;

	assert_non_null(dir);
	for (struct dirent *e; (e = readdir(dir));)
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

static void pause_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

/* A joined thread leaves /proc/self/task a moment after pthread_join() returns. */
static int threads_settled(int want)
{
	for (int i = 0; i < 200 && threads() != want; i++)
		pause_ms(10);
	return threads();
}

static int setup(void **state)
{
	(void)state;
	memset(&api, 0, sizeof(api));
	api_init(&api);
	clock_freeze(api.clock, true);
	clock_set_ms(api.clock, T0);
	db = store_db_open(":memory:", NEVER);
	if (!db)
		return -1;
	api.db = db;
	return world_account_ensure(&api, ACCOUNT, true, false);
}

static int teardown(void **state)
{
	(void)state;
	api_jobs_stop(&api);
	store_db_close(db);
	api_release(&api);
	return 0;
}

static void start_without_jobs_holds_no_thread_until_a_wake(void **state)
{
	int before = threads();

	(void)state;
	api_jobs_start(&api);
	assert_int_equal(threads(), before);
	bulk_runner_wake(api.bulk);
	assert_int_equal(threads(), before + 1);
	api_jobs_stop(&api);
	assert_int_equal(threads_settled(before), before);
}

/* A job whose file is gone: the runner ends it with what it did. */
static void make_job(struct store *st)
{
	struct job_rec job = {0};

	strcpy(job.account, ACCOUNT);
	strcpy(job.id, "00000000-0000-4000-8000-000000000001");
	job.network = NETWORK_STAGING;
	strcpy(job.namespace, "default");
	job.created_ms = T0;
	strcpy(job.file, "/nowhere/job-1.csv");
	assert_int_equal(store_job_create(st, &job), STORE_OK);
}

static void a_wake_for_jobs_starts_the_thread_only_when_one_waits(void **state)
{
	struct store *st = store_db_thread(db);
	int before = threads();

	(void)state;
	api_jobs_start(&api);
	bulk_runner_wake_for_jobs(api.bulk);
	assert_int_equal(threads(), before);
	make_job(st);
	bulk_runner_wake_for_jobs(api.bulk);
	assert_int_equal(threads(), before + 1);
}

static void an_unfinished_job_starts_the_thread_with_the_start(void **state)
{
	struct store *st = store_db_thread(db);
	struct job_rec next;
	int before = threads();

	(void)state;
	make_job(st);
	api_jobs_start(&api);
	assert_int_equal(threads(), before + 1);
	for (int i = 0; i < 200 && store_job_next(st, &next) == STORE_OK; i++)
		pause_ms(10);
	assert_int_equal(store_job_next(st, &next), STORE_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        {"a start without unfinished jobs holds no job thread; the first wake starts it",
	         start_without_jobs_holds_no_thread_until_a_wake, setup, teardown, NULL},
	        {"a restore's wake (for jobs) starts the thread only when a job waits",
	         a_wake_for_jobs_starts_the_thread_only_when_one_waits, setup, teardown, NULL},
	        {"a job a previous run left unfinished starts the thread with the start, and runs",
	         an_unfinished_job_starts_the_thread_with_the_start, setup, teardown, NULL},
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
