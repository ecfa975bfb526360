#include "api/edgekv/bulk_files.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "storage/store.h"

static void add_file(void *ctx, const char *name, size_t len)
{
	struct bulk_files *files = ctx;

	ARRAY_GROW(files->path, files->n, files->cap);
	files->path[files->n++] = xmemdupz(name, len);
}

void bulk_files_list(struct store *st, struct bulk_files *files)
{
	/* short after a failure: fewer to prune */
	store_snapshot_job_files(st, add_file, NULL, files);
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

/* What a prune removes from, and what it found still needed. */
struct prune {
	const struct bulk_files *candidates;
	struct bulk_files needed;
};

static void add_needed(void *ctx, const char *name, size_t len)
{
	struct prune *p = ctx;

	add_file(&p->needed, name, len);
}

/* Under the write mutex: nothing can make a job need a file until it is released. */
static void remove_unneeded(void *ctx)
{
	const struct prune *p = ctx;

	for (size_t i = 0; i < p->candidates->n; i++) {
		const char *path = p->candidates->path[i];

		/* ENOENT: another prune took it (a file is listed by each change that saw it) */
		if (!listed(&p->needed, path) && remove(path) != 0 && errno != ENOENT)
			log_warn("bulk: cannot remove '%s': %s", path, strerror(errno));
	}
}

void bulk_files_prune(struct store *st, struct bulk_files *files)
{
	struct prune p = {files, BULK_FILES_INIT};

	/* Unknown which jobs remain: keep every file rather than remove one still read. */
	if (files->n)
		store_snapshot_job_files(st, add_needed, remove_unneeded, &p);
	release(&p.needed);
	release(files);
}

void bulk_files_prune_one(struct store *st, const char *path)
{
	struct bulk_files one = BULK_FILES_INIT;

	add_file(&one, path, strlen(path));
	bulk_files_prune(st, &one);
}
