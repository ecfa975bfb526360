/* Storage of the testing controls: the sweep, consistency delays, settle, reset and snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "storage/jobs.h"
#include "storage/store.h"

#define T0 1800000000000LL /* a fixed instant: the tests never read the wall clock */

struct count {
	int n;
	char last[64];
};

static void count_item(void *ctx, const struct item_rec *it)
{
	struct count *c = ctx;

	c->n++;
	strncpy(c->last, it->key, sizeof(c->last) - 1);
}

/* Rows still stored, whatever their expiry (now 0 is before every expiry). */
static int stored(struct store *st)
{
	struct count c = {0};

	assert_int_equal(store_item_all(st, "1-A", 0, count_item, &c), STORE_OK);
	return c.n;
}

static struct store_db *db;
static struct store *st;

static int setup(void **state)
{
	struct account_rec acc = {0};
	struct namespace_rec ns = {0}, out;

	(void)state;
	db = store_db_open(":memory:", 3600000LL);
	assert_non_null(db);
	st = store_db_thread(db);
	assert_non_null(st);
	strcpy(acc.id, "1-A");
	acc.status = INIT_UNINITIALIZED;
	assert_int_equal(store_account_create(st, &acc, T0), STORE_OK);
	assert_int_equal(store_account_initialize(st, "1-A", "1234567", true, false, T0), STORE_OK);
	strcpy(ns.name, "ns");
	strcpy(ns.geo, "US");
	ns.retention_s = 86400;
	assert_int_equal(store_namespace_create(st, "1-A", NETWORK_STAGING, &ns, T0, &out),
	                 STORE_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_db_close(db);
	return 0;
}

static struct item_ref ref(const char *key)
{
	struct item_ref r = {"1-A", NETWORK_STAGING, "ns", "", "g", key};

	return r;
}

static enum store_status get(const char *key, int64_t now)
{
	struct item_ref r = ref(key);
	struct buf value = BUF_INIT;
	char ctype[STORE_CTYPE_MAX + 1];
	enum store_status s = store_item_get(st, &r, now, &value, ctype);

	buf_release(&value);
	return s;
}

static void put(const char *key, int64_t now, int64_t expires, int64_t visible)
{
	struct item_ref r = ref(key);

	assert_int_equal(store_item_put(st, &r, "v", 1, "text/plain", now, expires, visible),
	                 STORE_OK);
}

static void test_sweep_deletes_expired_rows(void **state)
{
	(void)state;
	put("old", T0, T0 + 1000, 0);
	put("new", T0, T0 + 5000, 0);
	put("forever", T0, 0, 0);
	store_db_sweep(db, T0 + 999);
	assert_int_equal(stored(st), 3);
	assert_int_equal(get("old", T0 + 999), STORE_OK);
	assert_int_equal(get("old", T0 + 1000), STORE_NOT_FOUND); /* expired before any sweep */
	store_db_sweep(db, T0 + 1000);
	assert_int_equal(stored(st), 2);
	store_db_sweep(db, T0 + 10000);
	assert_int_equal(stored(st), 1);
}

static void test_delayed_write_and_delete(void **state)
{
	struct item_ref r = ref("k");

	(void)state;
	put("k", T0, 0, T0 + 10000);
	assert_int_equal(get("k", T0 + 9999), STORE_NOT_FOUND);
	assert_int_equal(get("k", T0 + 10000), STORE_OK);
	assert_int_equal(store_item_delete(st, &r, T0 + 10000, T0 + 20000), STORE_OK);
	assert_int_equal(get("k", T0 + 19999), STORE_OK); /* stale */
	assert_int_equal(get("k", T0 + 20000), STORE_NOT_FOUND);
	store_db_sweep(db, T0 + 20000);
	assert_int_equal(stored(st), 0);
}

static void test_settle(void **state)
{
	struct item_ref r = ref("gone");

	(void)state;
	put("gone", T0, 0, 0);
	assert_int_equal(store_item_delete(st, &r, T0, T0 + 60000), STORE_OK);
	put("late", T0, 0, T0 + 60000);
	assert_int_equal(store_settle(st, "1-B"), STORE_OK); /* another account: nothing */
	assert_int_equal(get("gone", T0), STORE_OK);
	assert_int_equal(get("late", T0), STORE_NOT_FOUND);
	assert_int_equal(store_settle(st, "1-A"), STORE_OK);
	assert_int_equal(get("gone", T0), STORE_NOT_FOUND);
	assert_int_equal(get("late", T0), STORE_OK);
}

static void test_retention_change_applies_later(void **state)
{
	struct namespace_rec ns;

	(void)state;
	assert_int_equal(store_namespace_set_retention(st, "1-A", NETWORK_STAGING, "ns", 172800, T0,
	                                               T0 + 300000),
	                 STORE_OK);
	assert_int_equal(store_namespace_get(st, "1-A", NETWORK_STAGING, "ns", T0, &ns), STORE_OK);
	assert_int_equal(ns.retention_s, 172800);
	assert_int_equal(namespace_retention_at(&ns, T0 + 299999), 86400);
	assert_int_equal(namespace_retention_at(&ns, T0 + 300000), 172800);
	/* A second change inside the window keeps the retention that was in force. */
	assert_int_equal(store_namespace_set_retention(st, "1-A", NETWORK_STAGING, "ns", 259200,
	                                               T0 + 1000, T0 + 301000),
	                 STORE_OK);
	assert_int_equal(store_namespace_get(st, "1-A", NETWORK_STAGING, "ns", T0, &ns), STORE_OK);
	assert_int_equal(namespace_retention_at(&ns, T0 + 1000), 86400);
	assert_int_equal(namespace_retention_at(&ns, T0 + 301000), 259200);
}

static void test_reset_keeps_identity_and_defaults(void **state)
{
	struct namespace_rec ns;
	struct account_rec acc;

	(void)state;
	put("k", T0, 0, 0);
	assert_int_equal(store_reset(st, "1-A", true, T0), STORE_OK);
	assert_int_equal(stored(st), 0);
	assert_int_equal(store_namespace_get(st, "1-A", NETWORK_STAGING, "ns", T0, &ns),
	                 STORE_NOT_FOUND);
	assert_int_equal(store_namespace_get(st, "1-A", NETWORK_PRODUCTION, "default", T0, &ns),
	                 STORE_OK);
	assert_int_equal(store_account_get(st, "1-A", &acc), STORE_OK);
	assert_int_equal(store_reset(st, "1-A", false, T0), STORE_OK);
	assert_int_equal(store_account_get(st, "1-A", &acc), STORE_NOT_FOUND);
}

static void test_snapshot_restore_is_exact(void **state)
{
	struct item_ref r = ref("a");

	(void)state;
	put("a", T0, 0, 0);
	assert_int_equal(store_snapshot_save(st, "s"), STORE_OK);
	put("b", T0, 0, 0);
	assert_int_equal(store_item_delete(st, &r, T0, 0), STORE_OK);
	assert_int_equal(store_snapshot_restore(st, "s"), STORE_OK);
	assert_int_equal(get("a", T0), STORE_OK);
	assert_int_equal(get("b", T0), STORE_NOT_FOUND);
	assert_int_equal(stored(st), 1);
	assert_int_equal(store_snapshot_restore(st, "nope"), STORE_NOT_FOUND);
	assert_int_equal(store_snapshot_delete(st, "s"), STORE_OK);
	assert_int_equal(store_snapshot_delete(st, "s"), STORE_NOT_FOUND);
}

/* A STARTED job of 1-A named id, reading file, at offset 0. */
static void job_create(struct job_rec *job, const char *id, const char *file)
{
	memset(job, 0, sizeof(*job));
	strcpy(job->account, "1-A");
	snprintf(job->id, sizeof(job->id), "%s", id);
	job->network = NETWORK_STAGING;
	strcpy(job->namespace, "ns");
	job->created_ms = T0;
	snprintf(job->file, sizeof(job->file), "%s", file);
	assert_int_equal(store_job_create(st, job), STORE_OK);
}

/* Saves job at offset with records (all successes) over job as it was; job then holds them. */
static enum store_status progress(struct job_rec *job, int64_t offset, int64_t records)
{
	struct job_rec before = *job;

	job->offset = offset;
	job->records = records;
	job->successes = records;
	return store_job_progress(st, job, &before);
}

/*
 * A restore that takes a running job back to an earlier offset: the runner's
 * next progress write, from where it had got to, changes nothing, and the job
 * resumes from the restored offset, not from the runner's.
 */
static void test_job_progress_after_a_rewinding_restore(void **state)
{
	struct job_rec job, next;

	(void)state;
	job_create(&job, "00000000-0000-4000-8000-000000000001", "/nowhere/job-1.csv");
	assert_true(progress(&job, 100, 10) == STORE_OK);
	assert_int_equal(store_snapshot_save(st, "at-100"), STORE_OK);
	assert_true(progress(&job, 200, 20) == STORE_OK);
	assert_int_equal(store_snapshot_restore(st, "at-100"), STORE_OK);
	assert_true(progress(&job, 300, 30) == STORE_NOT_FOUND);
	assert_int_equal(store_job_next(st, &next), STORE_OK);
	assert_int_equal(next.offset, 100);
	assert_int_equal(next.records, 10);
	/* From the restored offset it goes on; a finished job takes no more progress. */
	job = next;
	job.completed = true;
	job.completed_ms = T0;
	assert_true(progress(&job, 300, 30) == STORE_OK);
	assert_true(progress(&job, 400, 40) == STORE_NOT_FOUND);
	assert_int_equal(store_job_next(st, &next), STORE_NOT_FOUND);
	assert_int_equal(store_snapshot_delete(st, "at-100"), STORE_OK);
}

/*
 * A restore that brings the job back at the runner's offset with other counts
 * (its records written under other rules, say): the runner's next progress
 * write, from its own counts, changes nothing either.
 */
static void test_job_progress_after_a_restore_of_other_counts(void **state)
{
	struct job_rec job, next;

	(void)state;
	job_create(&job, "00000000-0000-4000-8000-000000000004", "/nowhere/job-4.csv");
	assert_int_equal(store_snapshot_save(st, "at-0"), STORE_OK);
	assert_true(progress(&job, 100, 7) == STORE_OK);
	assert_int_equal(store_snapshot_save(st, "seven"), STORE_OK);
	assert_int_equal(store_snapshot_restore(st, "at-0"), STORE_OK);
	job.offset = 0;
	job.records = 0;
	job.successes = 0;
	assert_true(progress(&job, 100, 10) == STORE_OK);
	assert_int_equal(store_snapshot_restore(st, "seven"), STORE_OK);
	/* The runner holds offset 100 with 10 records; the database 100 with 7. */
	assert_true(progress(&job, 200, 20) == STORE_NOT_FOUND);
	assert_int_equal(store_job_next(st, &next), STORE_OK);
	assert_int_equal(next.offset, 100);
	assert_int_equal(next.records, 7);
	assert_int_equal(next.successes, 7);
	assert_int_equal(store_snapshot_delete(st, "at-0"), STORE_OK);
	assert_int_equal(store_snapshot_delete(st, "seven"), STORE_OK);
}

struct files_seen {
	char names[8][64];
	int n;
	bool held;
};

static void file_seen(void *ctx, const char *name, size_t len)
{
	struct files_seen *f = ctx;

	assert_true(f->n < 8 && len < 64);
	memcpy(f->names[f->n++], name, len + 1);
}

static void files_held(void *ctx)
{
	((struct files_seen *)ctx)->held = true;
}

/* Whether name is among the n files seen. */
static bool seen(const struct files_seen *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return true;
	return false;
}

/* The files needed: unfinished jobs' of the database and of each snapshot, no finished one's. */
static void test_snapshot_job_files(void **state)
{
	struct job_rec job, gone;
	struct files_seen f = {0};

	(void)state;
	job_create(&gone, "00000000-0000-4000-8000-000000000002", "/nowhere/in-snapshot.csv");
	assert_int_equal(store_snapshot_save(st, "s"), STORE_OK);
	assert_int_equal(store_reset(st, "1-A", true, T0), STORE_OK);
	job_create(&job, "00000000-0000-4000-8000-000000000003", "/nowhere/live.csv");
	assert_int_equal(store_snapshot_job_files(st, file_seen, files_held, &f), STORE_OK);
	assert_true(f.held);
	assert_int_equal(f.n, 2);
	assert_true(seen(&f, "/nowhere/in-snapshot.csv") && seen(&f, "/nowhere/live.csv"));
	/* Finished, and the snapshot gone: nothing is needed. */
	job.completed = true;
	job.completed_ms = T0;
	assert_true(progress(&job, 0, 0) == STORE_OK);
	assert_int_equal(store_snapshot_delete(st, "s"), STORE_OK);
	memset(&f, 0, sizeof(f));
	assert_int_equal(store_snapshot_job_files(st, file_seen, NULL, &f), STORE_OK);
	assert_int_equal(f.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_sweep_deletes_expired_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_delayed_write_and_delete, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_settle, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_retention_change_applies_later, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_reset_keeps_identity_and_defaults, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_snapshot_restore_is_exact, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_job_progress_after_a_restore_of_other_counts,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_job_progress_after_a_rewinding_restore, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_snapshot_job_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
