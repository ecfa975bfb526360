#include "api/edgekv/bulk_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "storage/jobs.h"

static void add_file(void *ctx, const char *name, size_t len)
{
	struct bulk_files *files = ctx;

	ARRAY_GROW(files->path, files->n, files->cap);
	files->path[files->n++] = xmemdupz(name, len);
}

void bulk_files_list(struct store *st, struct bulk_files *files)
{
	store_job_files(st, add_file, files); /* short after a failure: fewer to prune */
}

static void release(struct bulk_files *files)
{
	for (size_t i = 0; i < files->n; i++)
		free(files->path[i]);
	free(files->path);
	*files = (struct bulk_files)BULK_FILES_INIT;
}

static bool listed(const struct bulk_files *files, const char *path)
{
	for (size_t i = 0; i < files->n; i++)
		if (strcmp(files->path[i], path) == 0)
			return true;
	return false;
}

void bulk_files_prune(struct store *st, struct bulk_files *files)
{
	struct bulk_files now = BULK_FILES_INIT;

	/* Unknown which jobs remain: keep every file rather than remove one still read. */
	if (store_job_files(st, add_file, &now) == STORE_OK) {
		for (size_t i = 0; i < files->n; i++)
			if (!listed(&now, files->path[i]) && remove(files->path[i]) != 0 &&
			    errno != ENOENT) /* a job that finished meanwhile took its own */
				log_warn("bulk: cannot remove '%s': %s", files->path[i],
				         strerror(errno));
	}
	release(&now);
	release(files);
}
