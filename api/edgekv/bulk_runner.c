#include "api/edgekv/bulk_runner.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/problem.h"
#include "api/edgekv/bulk_files.h"
#include "api/edgekv/csv.h"
#include "api/edgekv/handlers.h"
#include "base/clock.h"
#include "base/lazy_thread.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "storage/jobs.h"

/* Seconds before a job whose file would not open (EMFILE, say) is tried again. */
#define RETRY_S 1

struct bulk_runner {
	struct api *api;
	struct lazy_thread thread; /* at the first job: most runs upload nothing */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping;
	bool woken;
	/* Only the runner thread: the last job whose file would not open, and why (0: none). */
	int failed_errno;
	bool retry; /* that open may pass: try again in RETRY_S, without a wake */
	char failed_job[STORE_UUID_LEN + 1];
};

static bool stopping(struct bulk_runner *r)
{
	bool stop;

	pthread_mutex_lock(&r->lock);
	stop = r->stopping;
	pthread_mutex_unlock(&r->lock);
	return stop;
}

/* The 4th field: digits, 0 or 86400..315360000 as for a namespace; false when not. */
static bool retention_field(const char *s, size_t len, int64_t *out)
{
	long long v;
	char *end;

	if (len == 0 || len > 10 || s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || (v != 0 && (v < 86400 || v > 315360000)))
		return false;
	*out = v;
	return true;
}

/* Why rec cannot be written, as the single-item PUT would say it; EKV_ERROR_COUNT: it can. */
static enum ekv_error record_fault(const struct csv_record *rec, int64_t *retention_s)
{
	*retention_s = -1;
	if (rec->quote_fault)
		return EKV_CSV_QUOTE;
	if (rec->fields < 3)
		return EKV_CSV_FIELDS_MISSING;
	if (rec->fields > CSV_FIELDS_KEPT)
		return EKV_CSV_FIELDS_EXTRA;
	if (!ids_group_valid(rec->field[0], rec->len[0]))
		return EKV_GROUP_INVALID;
	if (!ids_key_valid(rec->field[1], rec->len[1]))
		return EKV_KEY_INVALID;
	if (rec->len[2] > CSV_FIELD_MAX || !items_value_fits(rec->field[2], rec->len[2]))
		return EKV_VALUE_TOO_LARGE;
	if (!csv_utf8_valid(rec->field[2], rec->len[2]))
		return EKV_CSV_UTF8;
	if (rec->fields == 4 && rec->len[3] > 0 &&
	    !retention_field(rec->field[3], rec->len[3], retention_s))
		return EKV_RETENTION_INVALID;
	return EKV_ERROR_COUNT;
}

/* One batch's context: the job, the rules of now, and where its records go. */
struct batch {
	struct store *st;
	struct job_rec *job;
	struct api_call c; /* the account and the clock, for the item rules */
	struct namespace_rec ns;
	bool ns_found;
};

static void record_failed(struct batch *b, enum ekv_error err)
{
	b->job->errors++;
	if (b->job->errors <= BULK_ERRORS_KEPT)
		store_job_error_add(b->st, b->job->account, b->job->id, b->job->records,
		                    problem_row(err)->detail);
}

/* Validates and (unless a dry run) writes one record. */
static void record_run(struct batch *b, const struct csv_record *rec)
{
	struct item_ref ref = {b->job->account, b->job->network, b->job->namespace,
	                       b->job->sandbox, rec->field[0],   rec->field[1]};
	int64_t retention_s, expires;
	enum ekv_error err = record_fault(rec, &retention_s);

	b->job->records++;
	if (b->job->max_items && b->job->records > b->job->max_items)
		err = EKV_CSV_MAX_ITEMS;
	else if (err == EKV_ERROR_COUNT && !b->ns_found)
		err = EKV_NAMESPACE_NOT_FOUND;
	if (err != EKV_ERROR_COUNT) {
		record_failed(b, err);
		return;
	}
	expires = items_expires_at(&b->c, &b->ns, b->job->sandbox);
	if (retention_s >= 0 && !b->job->sandbox[0]) /* a sandbox keeps its two days */
		expires = retention_s ? b->c.now_ms + retention_s * 1000 : 0;
	if (!b->job->dry_run &&
	    store_item_put(b->st, &ref, rec->field[2], rec->len[2], "text/plain", b->c.now_ms,
	                   expires, items_visible_at(&b->c)) != STORE_OK) {
		record_failed(b, EKV_INTERNAL);
		return;
	}
	b->job->successes++;
}

/* How a batch ended. */
enum batch_end {
	BATCH_MORE,   /* saved; records remain */
	BATCH_DONE,   /* saved; the job is COMPLETED */
	BATCH_FAILED, /* not saved (logged): the job resumes later */
	BATCH_MOVED,  /* not saved: the job is gone, or a restore took it elsewhere */
};

/* Up to BULK_BATCH records in one transaction with the job's progress. */
static enum batch_end batch_run(struct bulk_runner *r, struct store *st, struct job_rec *job,
                                struct csv_reader *csv)
{
	struct batch b = {.st = st, .job = job};
	struct job_rec before = *job;
	struct csv_record rec;
	enum store_status saved;
	bool more = true;

	b.c.api = r->api;
	b.c.now_ms = clock_now_ms(r->api->clock);
	snprintf(b.c.account.id, sizeof(b.c.account.id), "%s", job->account);
	if (store_batch_begin(st) != STORE_OK)
		return BATCH_FAILED;
	/* Inside the batch: a reset, restore or delete before it is seen, none during it. */
	b.ns_found = store_namespace_get(st, job->account, job->network, job->namespace, b.c.now_ms,
	                                 &b.ns) == STORE_OK;
	for (int n = 0; n < BULK_BATCH && (more = csv_next(csv, &rec)); n++)
		record_run(&b, &rec);
	job->offset = csv->offset;
	job->completed = !more;
	job->completed_ms = more ? 0 : b.c.now_ms;
	/* Saved only over the job as the batch began: what the database says wins over ours. */
	saved = store_job_progress(st, job, &before);
	if (saved != STORE_OK || store_batch_end(st, true) != STORE_OK) {
		store_batch_end(st, false);
		*job = before;
		if (saved == STORE_NOT_FOUND) {
			/*
			 * A reset, an import or a restore removed it or moved it
			 * (to an earlier offset, say): its batch goes, into nothing
			 * new, and the database's own state of the job is read again.
			 * Its file is for the prune, which knows the snapshots.
			 */
			log_info("bulk: job '%s' was removed or restored meanwhile; its batch is "
			         "dropped",
			         job->id);
			return BATCH_MOVED;
		}
		log_error("bulk: job '%s' could not save a batch; it resumes later", job->id);
		return BATCH_FAILED;
	}
	return more ? BATCH_MORE : BATCH_DONE;
}

/*
 * The job's file is gone (ENOENT) or cannot be read for a reason that lasts
 * (ENOTDIR, EACCES, ELOOP, ...): the job ends with what it did, so that the
 * jobs behind it run. A reset may have pruned the file after store_job_next():
 * then the job is gone too, and that is no error. False when nothing could be
 * saved: wait for a wake.
 */
static bool job_file_gone(struct bulk_runner *r, struct store *st, struct job_rec *job, int err)
{
	struct job_rec before = *job;

	job->completed = true;
	job->completed_ms = clock_now_ms(r->api->clock);
	switch (store_job_progress(st, job, &before)) {
	case STORE_OK:
		log_error("bulk: job '%s' cannot read '%s': %s; it ends there", job->id, job->file,
		          strerror(err));
		bulk_files_prune_one(st, job->file);
		return true;
	case STORE_NOT_FOUND:
		log_info("bulk: job '%s' was removed or restored before it could read '%s'",
		         job->id, job->file);
		return true;
	default:
		log_error("bulk: job '%s' cannot read '%s': %s", job->id, job->file, strerror(err));
		return false;
	}
}

/* Errors of opening a file that pass by themselves: descriptors or memory run short. */
static bool passing(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM || err == EAGAIN || err == EINTR;
}

/*
 * The job's file cannot be opened for a while (passing()): the job and its
 * file stay, and the runner tries again in a second (RETRY_S). Logged once per
 * job and error, not at every try. Always false: wait.
 */
static bool job_file_failed(struct bulk_runner *r, const struct job_rec *job, int err)
{
	if (err != r->failed_errno || strcmp(job->id, r->failed_job) != 0) {
		log_error("bulk: job '%s' cannot read '%s': %s; it resumes later", job->id,
		          job->file, strerror(err));
		r->failed_errno = err;
		snprintf(r->failed_job, sizeof(r->failed_job), "%s", job->id);
	}
	r->retry = true;
	return false;
}

/*
 * Runs job to its end, or until it moves, stopping or a failure (it then
 * resumes later). True: go on with the next job the database gives.
 */
static bool job_run(struct bulk_runner *r, struct store *st, struct job_rec *job)
{
	FILE *in = fopen(job->file, "rb");
	enum batch_end end = BATCH_MORE;
	struct csv_reader csv;

	if (!in || fseeko(in, (off_t)job->offset, SEEK_SET) != 0) {
		int err = errno;

		if (in)
			fclose(in);
		return passing(err) ? job_file_failed(r, job, err) : job_file_gone(r, st, job, err);
	}
	r->failed_errno = 0; /* it reads again: a later failure is news */
	csv_reader_init(&csv, in, job->offset);
	while (end == BATCH_MORE && !stopping(r)) {
		store_batch_yield(st);
		end = batch_run(r, st, job, &csv);
	}
	csv_reader_release(&csv);
	fclose(in);
	/* Gone here, but a snapshot may hold the job unfinished: the prune knows. */
	if (end == BATCH_DONE)
		bulk_files_prune_one(st, job->file);
	return end == BATCH_DONE || end == BATCH_MOVED;
}

static void *runner_main(void *arg)
{
	struct bulk_runner *r = arg;

	for (;;) {
		struct store *st = store_db_thread(r->api->db);
		struct job_rec job;
		bool going = true; /* false: stopping, or a batch failed: wait for a wake */

		/* This pass serves every wake so far; one that comes during it brings another. */
		pthread_mutex_lock(&r->lock);
		r->woken = false;
		pthread_mutex_unlock(&r->lock);
		while (st && going && !stopping(r) && store_job_next(st, &job) == STORE_OK)
			going = job_run(r, st, &job);
		store_db_thread_close(r->api->db); /* idle until the next upload */
		pthread_mutex_lock(&r->lock);
		if (r->retry) { /* a file that would not open: again in a while, upload or not */
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += RETRY_S;
			while (!r->woken && !r->stopping &&
			       pthread_cond_timedwait(&r->cond, &r->lock, &until) != ETIMEDOUT)
				;
			r->retry = false;
		} else {
			while (!r->woken && !r->stopping)
				pthread_cond_wait(&r->cond, &r->lock);
		}
		r->woken = false;
		if (r->stopping) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		pthread_mutex_unlock(&r->lock);
	}
}

/* Whether the database holds a job to resume; asked on the caller's connection. */
static bool jobs_waiting(struct api *api)
{
	struct store *st = store_db_thread(api->db);
	struct job_rec job;

	/* A failed look costs only a thread: the runner finds out for itself. */
	return !st || store_job_next(st, &job) != STORE_NOT_FOUND;
}

struct bulk_runner *bulk_runner_start(struct api *api)
{
	struct bulk_runner *r = xcalloc(1, sizeof(*r));

	r->api = api;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	lazy_thread_init(&r->thread, runner_main, r,
	                 "bulk: cannot start the job thread; jobs wait for the next upload");
	bulk_runner_wake_for_jobs(r);
	return r;
}

void bulk_runner_wake_for_jobs(struct bulk_runner *r)
{
	if (r && jobs_waiting(r->api))
		bulk_runner_wake(r);
}

void bulk_runner_wake(struct bulk_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->woken = true;
	if (!r->stopping && lazy_thread_start(&r->thread))
		pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

void bulk_runner_stop(struct bulk_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	lazy_thread_join(&r->thread);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r);
}
