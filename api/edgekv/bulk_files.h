#ifndef EKV_API_EDGEKV_BULK_FILES_H
#define EKV_API_EDGEKV_BULK_FILES_H

#include <stddef.h>

/*
 * The CSV files of unfinished bulk jobs (uploads/job-<id>.csv). A file is
 * needed while a STARTED job names it, in the database or in any snapshot
 * (a restore would run that job again). A change that removes jobs or
 * snapshots wholesale (a reset, an import, a snapshot restore, save or
 * delete) lists the files before and prunes after; the runner prunes a
 * job's file when the job completes. A job uploaded between the list and the
 * change keeps its file even if the change removes the job: a stray file at
 * worst, never a lost one.
 *
 * Why no lock over a control's list → change → prune: the prune decides what
 * is needed and removes the rest under the store's write mutex
 * (store_snapshot_job_files()), which every change of the database and of
 * its snapshots takes. So whatever another control did between this one's
 * list and its prune (a restore that brought a job back, say) is seen, and
 * the runner, which prunes the same way, needs no lock of the controls.
 */
struct store;

struct bulk_files {
	char **path; /* owned, each and the array */
	size_t n, cap;
};

#define BULK_FILES_INIT                                                                            \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/*
 * Adds the file of every unfinished job of the database and of the snapshots
 * to files (fewer after a store failure, logged). Not inside a batch
 * (store_batch_begin()).
 */
void bulk_files_list(struct store *st, struct bulk_files *files);

/*
 * Removes each file of files that no unfinished job of the database or of a
 * snapshot names now (none if that cannot be read), then frees the list:
 * BULK_FILES_INIT again. Call it on every path after bulk_files_list(), the
 * change done or not; not inside a batch.
 */
void bulk_files_prune(struct store *st, struct bulk_files *files);

/* bulk_files_prune() of the one file path: a finished job's, unless a snapshot still needs it. */
void bulk_files_prune_one(struct store *st, const char *path);

#endif
