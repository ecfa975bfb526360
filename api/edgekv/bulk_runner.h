#ifndef EKV_API_EDGEKV_BULK_RUNNER_H
#define EKV_API_EDGEKV_BULK_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * The background thread that runs bulk upload jobs (storage/jobs.h): it
 * reads each job's CSV record by record and writes the valid ones in
 * batches, each batch one transaction together with the job's progress, on
 * the emulator clock and with the account's consistency delay, as a
 * single-item PUT would. Jobs run oldest first, one at a time.
 */
struct api;
struct bulk_runner;

/*
 * The runner; its thread starts with the first job: at once when the database
 * holds unfinished jobs (asked on the calling thread's connection), else at
 * the first bulk_runner_wake(). Most runs upload nothing and hold no thread.
 */
struct bulk_runner *bulk_runner_start(struct api *api);

/* Stops between two batches, joins and frees; NULL is fine. */
void bulk_runner_stop(struct bulk_runner *r);

/* A job was queued: look for work. NULL is fine (jobs then wait for the next start). */
void bulk_runner_wake(struct bulk_runner *r);

/*
 * As bulk_runner_wake(), only when the database holds an unfinished job (asked on the calling
 * thread's connection): after a snapshot restore, which may bring jobs back or none.
 */
void bulk_runner_wake_for_jobs(struct bulk_runner *r);

/* Records committed together, and failed records kept per job (the count goes on). */
#define BULK_BATCH       1000
#define BULK_ERRORS_KEPT 10000
#define BULK_MAX_ITEMS   5000000

#endif
