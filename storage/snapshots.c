/*
 * Named snapshots of the whole database, each a private in-memory copy made
 * with SQLite's online backup under the write mutex, kept by the store_db
 * until deleted or the database is closed.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "storage/internal.h"

struct snapshot {
	char name[STORE_SNAPSHOT_NAME_MAX + 1];
	sqlite3 *conn; /* a private in-memory copy */
	struct snapshot *next;
};

/* Copies the whole of from into to (SQLite's online backup); a SQLite code. */
static int copy_database(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc;

	if (!b)
		return sqlite3_errcode(to);
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static struct snapshot **snapshot_find(struct store_db *db, const char *name)
{
	struct snapshot **p = &db->snapshots;

	while (*p && strcmp((*p)->name, name) != 0)
		p = &(*p)->next;
	return p;
}

/*
 * Under the write mutex no request writes in between, so the copy holds
 * every write acknowledged before it and none after.
 */
enum store_status store_snapshot_save(struct store *st, const char *name)
{
	struct store_db *db = st->db;
	struct snapshot **slot, *snap;
	sqlite3 *copy = NULL;
	int rc;

	if (sqlite3_open_v2(":memory:", &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(copy);
		return STORE_ERROR;
	}
	write_lock_take(db);
	rc = copy_database(copy, st->conn);
	if (rc == SQLITE_OK) {
		slot = snapshot_find(db, name);
		if (*slot) {
			sqlite3_close((*slot)->conn);
			(*slot)->conn = copy;
		} else {
			snap = xcalloc(1, sizeof(*snap));
			snprintf(snap->name, sizeof(snap->name), "%s", name);
			snap->conn = copy;
			*slot = snap;
		}
		copy = NULL;
	}
	pthread_mutex_unlock(&db->write_lock);
	sqlite3_close(copy);
	return rc == SQLITE_OK ? STORE_OK : store_failed(st, rc, "snapshot save");
}

enum store_status store_snapshot_restore(struct store *st, const char *name)
{
	struct store_db *db = st->db;
	struct snapshot *snap;
	int rc = SQLITE_OK;

	write_lock_take(db);
	snap = *snapshot_find(db, name);
	if (snap) {
		rc = copy_database(st->conn, snap->conn);
		/* Every cached account and namespace is stale; before the next writer reads one. */
		meta_changed(db);
	}
	pthread_mutex_unlock(&db->write_lock);
	if (!snap)
		return STORE_NOT_FOUND;
	return rc == SQLITE_OK ? STORE_OK : store_failed(st, rc, "snapshot restore");
}

enum store_status store_snapshot_delete(struct store *st, const char *name)
{
	struct store_db *db = st->db;
	struct snapshot **slot, *snap;

	write_lock_take(db);
	slot = snapshot_find(db, name);
	snap = *slot;
	if (snap)
		*slot = snap->next;
	pthread_mutex_unlock(&db->write_lock);
	if (!snap)
		return STORE_NOT_FOUND;
	sqlite3_close(snap->conn);
	free(snap);
	return STORE_OK;
}

enum store_status store_snapshot_list(struct store *st, store_name_fn *fn, void *ctx)
{
	struct store_db *db = st->db;

	write_lock_take(db);
	for (struct snapshot *s = db->snapshots; s; s = s->next)
		fn(ctx, s->name, strlen(s->name));
	pthread_mutex_unlock(&db->write_lock);
	return STORE_OK;
}

/* fn and its context, for the rows of a snapshot's query. */
struct file_rows {
	store_name_fn *fn;
	void *ctx;
};

static void file_row(void *ctx, sqlite3_stmt *row)
{
	struct file_rows *rows = ctx;

	rows->fn(rows->ctx, (const char *)sqlite3_column_text(row, 0),
	         (size_t)sqlite3_column_bytes(row, 0));
}

enum store_status store_snapshot_job_files(struct store *st, store_name_fn *fn, store_held_fn *held,
                                           void *ctx)
{
	struct store_db *db = st->db;
	struct file_rows rows = {fn, ctx};
	int rc;

	assert(!st->batch); /* it holds the write mutex already */
	write_lock_take(db);
	/* One query for the database and for each snapshot's private copy of it. */
	rc = setup_run(st->conn, SETUP_JOB_FILES, file_row, &rows, true);
	if (rc != SQLITE_OK)
		store_failed(st, rc, "job files");
	for (struct snapshot *s = db->snapshots; s && rc == SQLITE_OK; s = s->next)
		rc = setup_run(s->conn, SETUP_JOB_FILES, file_row, &rows, false);
	if (rc == SQLITE_OK && held)
		held(ctx);
	pthread_mutex_unlock(&db->write_lock);
	return rc == SQLITE_OK ? STORE_OK : STORE_ERROR;
}

void snapshots_free(struct store_db *db)
{
	while (db->snapshots) {
		struct snapshot *snap = db->snapshots;

		db->snapshots = snap->next;
		sqlite3_close(snap->conn);
		free(snap);
	}
}
