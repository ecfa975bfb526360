#include "storage/jobs.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "storage/internal.h"

/* One row of JOB_COLUMNS (statements.def) into out. */
static void read_job(sqlite3_stmt *q, struct job_rec *out)
{
	memset(out, 0, sizeof(*out));
	store_column_text(out->account, sizeof(out->account), q, 0);
	store_column_text(out->id, sizeof(out->id), q, 1);
	out->network = strcmp((const char *)sqlite3_column_text(q, 2), "production") == 0
	                       ? NETWORK_PRODUCTION
	                       : NETWORK_STAGING;
	store_column_text(out->namespace, sizeof(out->namespace), q, 3);
	store_column_text(out->sandbox, sizeof(out->sandbox), q, 4);
	out->dry_run = sqlite3_column_int(q, 5) != 0;
	out->max_items = sqlite3_column_int64(q, 6);
	out->completed = strcmp((const char *)sqlite3_column_text(q, 7), "COMPLETED") == 0;
	out->records = sqlite3_column_int64(q, 8);
	out->successes = sqlite3_column_int64(q, 9);
	out->errors = sqlite3_column_int64(q, 10);
	out->offset = sqlite3_column_int64(q, 11);
	out->created_ms = sqlite3_column_int64(q, 12);
	out->completed_ms = sqlite3_column_int64(q, 13);
	store_column_text(out->file, sizeof(out->file), q, 14);
}

enum store_status store_job_create(struct store *st, const struct job_rec *job)
{
	sqlite3_stmt *q = stmt_get(st, STMT_JOB_INSERT);
	int rc;

	bind_text(q, 1, job->account);
	bind_text(q, 2, job->id);
	bind_text(q, 3, network_name(job->network));
	bind_text(q, 4, job->namespace);
	bind_text(q, 5, job->sandbox);
	sqlite3_bind_int(q, 6, job->dry_run);
	sqlite3_bind_int64(q, 7, job->max_items);
	sqlite3_bind_int64(q, 8, job->created_ms);
	bind_text(q, 9, job->file);
	rc = step_write(st, q);
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "job create");
}

enum store_status store_job_get(struct store *st, const char *account, enum network net,
                                const char *namespace, const char *id, struct job_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_JOB_GET);
	enum store_status status;
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, network_name(net));
	bind_text(q, 3, namespace);
	bind_text(q, 4, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_job(q, out);
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "job get");
	stmt_done(q);
	return status;
}

enum store_status store_job_list(struct store *st, const char *account, enum network net,
                                 const char *namespace, store_job_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_JOB_LIST);
	struct job_rec job;
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, network_name(net));
	bind_text(q, 3, namespace);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_job(q, &job);
		fn(ctx, &job);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "job list");
}

enum store_status store_job_next(struct store *st, struct job_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_JOB_NEXT);
	enum store_status status;
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		read_job(q, out);
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "job next");
	stmt_done(q);
	return status;
}

enum store_status store_job_progress(struct store *st, const struct job_rec *job,
                                     const struct job_rec *from)
{
	sqlite3_stmt *q = stmt_get(st, STMT_JOB_PROGRESS);
	int rc;

	bind_text(q, 1, job->account);
	bind_text(q, 2, job->id);
	sqlite3_bind_int64(q, 3, job->records);
	sqlite3_bind_int64(q, 4, job->successes);
	sqlite3_bind_int64(q, 5, job->errors);
	sqlite3_bind_int64(q, 6, job->offset);
	if (job->completed)
		sqlite3_bind_int64(q, 7, job->completed_ms);
	sqlite3_bind_int64(q, 8, from->offset);
	sqlite3_bind_int64(q, 9, from->records);
	sqlite3_bind_int64(q, 10, from->successes);
	sqlite3_bind_int64(q, 11, from->errors);
	rc = step_write(st, q);
	stmt_done(q);
	if (rc != SQLITE_DONE)
		return store_failed(st, rc, "job progress");
	return sqlite3_changes(st->conn) ? STORE_OK : STORE_NOT_FOUND;
}

enum store_status store_job_error_add(struct store *st, const char *account, const char *job,
                                      int64_t record, const char *message)
{
	sqlite3_stmt *q = stmt_get(st, STMT_JOB_ERROR_ADD);
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, job);
	sqlite3_bind_int64(q, 3, record);
	bind_text(q, 4, message);
	rc = step_write(st, q);
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "job error add");
}

enum store_status store_job_errors(struct store *st, const char *account, const char *job,
                                   int64_t limit, store_job_error_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_JOB_ERRORS);
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, job);
	sqlite3_bind_int64(q, 3, limit);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(ctx, sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1));
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "job errors");
}

enum store_status store_item_export(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                    int64_t limit, store_export_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ITEM_EXPORT);
	int rc;

	bind_text(q, 1, ref->account);
	bind_text(q, 2, network_name(ref->network));
	bind_text(q, 3, ref->namespace);
	bind_text(q, 4, ref->sandbox ? ref->sandbox : "");
	if (ref->group)
		bind_text(q, 5, ref->group);
	sqlite3_bind_int64(q, 6, now_ms);
	sqlite3_bind_int64(q, 7, limit);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(q, 0),
		   (const char *)sqlite3_column_text(q, 1), sqlite3_column_blob(q, 2),
		   (size_t)sqlite3_column_bytes(q, 2), sqlite3_column_int64(q, 3));
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "item export");
}

void store_batch_yield(struct store *st)
{
	const struct timespec pause = {0, 100000}; /* 0.1 ms */
	int64_t end = clock_monotonic_ms() + 20;

	/*
	 * The mutex is not fair: a thread that unlocks and locks again at once
	 * wins over one woken to take it. Bounded by the clock (a sleep lasts
	 * longer than asked), so a steady stream of requests still lets the
	 * caller's next batch through within about 20 ms.
	 */
	while (atomic_load(&st->db->write_waiting) > 0 && clock_monotonic_ms() < end)
		nanosleep(&pause, NULL);
}
