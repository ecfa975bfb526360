#ifndef EKV_STORAGE_JOBS_H
#define EKV_STORAGE_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/store.h"

/*
 * Bulk upload jobs and bulk downloads (storage/jobs.c). A job's CSV lives in
 * a file of the upload folder; the row keeps how far it has been read, so a
 * restart resumes it (migration 5).
 */
#define STORE_JOB_FILE_MAX 1024

struct job_rec {
	char account[STORE_ACCOUNT_MAX + 1];
	char id[STORE_UUID_LEN + 1];
	enum network network;
	char namespace[STORE_NAMESPACE_MAX + 1];
	char sandbox[STORE_SANDBOX_MAX + 1]; /* "" outside a sandbox */
	bool dry_run;
	int64_t max_items; /* 0: no cap */
	bool completed;
	int64_t records; /* records read so far */
	int64_t successes;
	int64_t errors;
	int64_t offset; /* bytes of the file read so far, at a record boundary */
	int64_t created_ms;
	int64_t completed_ms; /* 0 until completed */
	char file[STORE_JOB_FILE_MAX + 1];
};

typedef void store_job_fn(void *ctx, const struct job_rec *job);
typedef void store_job_error_fn(void *ctx, int64_t record, const char *message);
/* One item of a download; value is len bytes, expires_at_ms 0 for never. */
typedef void store_export_fn(void *ctx, const char *group, const char *key, const void *value,
                             size_t len, int64_t expires_at_ms);

/* Records a new STARTED job (its counts and offset 0). */
enum store_status store_job_create(struct store *st, const struct job_rec *job);

/* The job id of that namespace; STORE_NOT_FOUND when there is none. */
enum store_status store_job_get(struct store *st, const char *account, enum network net,
                                const char *namespace, const char *id, struct job_rec *out);

/* Every job of the namespace, newest first. */
enum store_status store_job_list(struct store *st, const char *account, enum network net,
                                 const char *namespace, store_job_fn *fn, void *ctx);

/* The oldest unfinished job of any account; STORE_NOT_FOUND when every job is done. */
enum store_status store_job_next(struct store *st, struct job_rec *out);

/*
 * Saves the job's counts and offset, and COMPLETED with its completed_ms when
 * job->completed, if the job is still STARTED with the offset and counts of
 * from (the job as the caller's batch began). Inside store_batch_begin() it
 * commits with the batch. STORE_NOT_FOUND when it is not: the job is gone (a
 * reset, an import) or a snapshot restore took it to another offset, other
 * counts or another state. The caller then rolls its batch back and reads the
 * job again (store_job_next()).
 */
enum store_status store_job_progress(struct store *st, const struct job_rec *job,
                                     const struct job_rec *from);

/*
 * Before each batch of a background job: waits (briefly, bounded) while
 * another thread waits for the write mutex, so a long job's back-to-back
 * batches do not keep requests' writes out until it ends.
 */
void store_batch_yield(struct store *st);

/* Records why record failed. */
enum store_status store_job_error_add(struct store *st, const char *account, const char *job,
                                      int64_t record, const char *message);

/* The first limit failed records of the job, by record number. */
enum store_status store_job_errors(struct store *st, const char *account, const char *job,
                                   int64_t limit, store_job_error_fn *fn, void *ctx);

/*
 * The items visible at now_ms of ref's namespace and sandbox, or of its group
 * when ref->group is set, by group and key, at most limit of them.
 */
enum store_status store_item_export(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                    int64_t limit, store_export_fn *fn, void *ctx);

#endif
