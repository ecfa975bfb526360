#ifndef EKV_API_EDGEKV_BULK_FILES_H
#define EKV_API_EDGEKV_BULK_FILES_H

#include <stddef.h>

/*
 * The CSV files of unfinished bulk jobs (uploads/job-<id>.csv). A control that
 * removes or replaces jobs wholesale (a reset, an import, a snapshot restore)
 * lists them before and prunes after: a file that no unfinished job names any
 * more is removed, and the upload folder keeps only what the runner still
 * reads. A job uploaded between the list and the change keeps its file even
 * if the change removes the job: a stray file at worst, never a lost one.
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

/* Adds the file of every unfinished job to files (fewer after a store failure, logged). */
void bulk_files_list(struct store *st, struct bulk_files *files);

/*
 * Removes each file of files that no unfinished job names now (none if that
 * cannot be read), then frees the list: BULK_FILES_INIT again. Call it on every
 * path after bulk_files_list(), the change done or not.
 */
void bulk_files_prune(struct store *st, struct bulk_files *files);

#endif
