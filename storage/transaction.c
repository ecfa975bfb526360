/*
 * Writes: the process-wide write mutex, single-statement writes,
 * transactions (nested as savepoints inside a group commit), the group
 * commit itself, the generation that invalidates the connections' caches,
 * and how a failure is logged and reported.
 */
#include <stdio.h>

#include "base/log.h"
#include "storage/internal.h"

uint64_t meta_generation(const struct store *st)
{
	return atomic_load(&st->db->meta_gen);
}

void write_lock_take(struct store_db *db)
{
	atomic_fetch_add(&db->write_waiting, 1);
	pthread_mutex_lock(&db->write_lock);
	atomic_fetch_sub(&db->write_waiting, 1);
}

void meta_changed(struct store_db *db)
{
	atomic_fetch_add(&db->meta_gen, 1);
}

/*
 * A write that may change an account or a namespace. Inside a group commit
 * the generation moves once, after the commit: a batch of item writes only
 * (the common case) then leaves every connection's cache alone.
 */
static void meta_written(struct store *st)
{
	if (st->batch)
		st->batch_meta = true;
	else
		meta_changed(st->db);
}

static enum store_fault fault_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return STORE_FAULT_NO_SPACE;
	case SQLITE_IOERR:
		return STORE_FAULT_IO;
	default:
		return STORE_FAULT_NONE;
	}
}

enum store_status store_failed(struct store *st, int rc, const char *what)
{
	enum store_fault fault = fault_of(rc);

	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	if (fault == STORE_FAULT_NONE) {
		log_error("store: %s failed: %s (%d)", what, sqlite3_errmsg(st->conn), rc);
		return STORE_ERROR;
	}
	/*
	 * A full disk fails every write until space comes back: one line, not
	 * one per request. writes_succeed() logs the recovery.
	 */
	st->fault = fault;
	if (atomic_exchange(&st->db->fault, (int)fault) != (int)fault)
		log_error("store: %s failed: %s (%d); not logged again until a write succeeds",
		          what, sqlite3_errmsg(st->conn), rc);
	return STORE_ERROR;
}

enum store_fault store_fault(const struct store *st)
{
	return st ? st->fault : STORE_FAULT_NONE;
}

void store_fault_clear(struct store *st)
{
	/* Inside a group commit a fault ends the whole transaction: it stays until the end. */
	if (st && !st->batch)
		st->fault = STORE_FAULT_NONE;
}

/* A commit went through: ends a logged fault. */
static void writes_succeed(struct store_db *db)
{
	if (atomic_load(&db->fault) != STORE_FAULT_NONE &&
	    atomic_exchange(&db->fault, STORE_FAULT_NONE) != STORE_FAULT_NONE)
		log_info("store: writes succeed again");
}

/*
 * One statement as its own transaction, or as part of the caller's. meta:
 * the generation moves once the statement is committed (meta_generation()),
 * and before the write lock goes, so that the next writer cannot read a
 * cached account or namespace from before it.
 */
static int step_locked(struct store *st, sqlite3_stmt *q, bool meta)
{
	int rc;

	if (st->batch) {
		/* A failed commit-level error ends the transaction: write nothing after it. */
		if (sqlite3_get_autocommit(st->conn))
			return SQLITE_ABORT;
		rc = sqlite3_step(q);
		if (meta)
			meta_written(st);
		return rc;
	}
	write_lock_take(st->db);
	rc = sqlite3_step(q);
	if (meta)
		meta_written(st);
	pthread_mutex_unlock(&st->db->write_lock);
	if (rc == SQLITE_DONE && sqlite3_changes(st->conn) > 0) /* a no-op proves nothing */
		writes_succeed(st->db);
	return rc;
}

int step_item_write(struct store *st, sqlite3_stmt *q)
{
	return step_locked(st, q, false);
}

int step_write(struct store *st, sqlite3_stmt *q)
{
	return step_locked(st, q, true);
}

int step_in_tx(sqlite3_stmt *q)
{
	return sqlite3_step(q);
}

/* Steps one of the transaction statements (BEGIN, COMMIT, savepoints); a SQLite code. */
static int step_control(struct store *st, enum stmt_id id)
{
	int rc = sqlite3_step(stmt_get(st, id));

	sqlite3_reset(stmt_get(st, id));
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum store_status tx_begin(struct store *st)
{
	int rc;

	if (st->batch) { /* nested in the batch's transaction */
		if (sqlite3_get_autocommit(st->conn))
			return STORE_ERROR;
		rc = step_control(st, STMT_SAVEPOINT);
		return rc == SQLITE_OK ? STORE_OK : store_failed(st, rc, "savepoint");
	}
	write_lock_take(st->db);
	rc = step_control(st, STMT_BEGIN);
	if (rc == SQLITE_OK)
		return STORE_OK;
	pthread_mutex_unlock(&st->db->write_lock);
	return store_failed(st, rc, "begin");
}

/* Ends a savepoint of the batch's transaction: released, or undone and released. */
static enum store_status savepoint_end(struct store *st, enum store_status status)
{
	int rc = SQLITE_OK;

	if (status != STORE_OK)
		rc = step_control(st, STMT_ROLLBACK_TO);
	if (rc == SQLITE_OK)
		rc = step_control(st, STMT_RELEASE);
	if (rc != SQLITE_OK && status == STORE_OK)
		status = store_failed(st, rc, "release");
	meta_written(st);
	return status;
}

/* Commits or rolls back the transaction tx_begin() opened; moves the generation if asked. */
static enum store_status tx_finish(struct store *st, enum store_status status, bool moved_meta)
{
	int rc = step_control(st, status == STORE_OK ? STMT_COMMIT : STMT_ROLLBACK);
	if (rc != SQLITE_OK && status == STORE_OK) {
		status = store_failed(st, rc, "commit");
		step_control(st, STMT_ROLLBACK);
	} else if (status == STORE_OK) {
		writes_succeed(st->db);
	}
	if (moved_meta)
		meta_changed(st->db);
	pthread_mutex_unlock(&st->db->write_lock);
	return status;
}

enum store_status tx_end(struct store *st, enum store_status status)
{
	return st->batch ? savepoint_end(st, status) : tx_finish(st, status, true);
}

enum store_status store_batch_begin(struct store *st)
{
	enum store_status status;

	/*
	 * Readers get SQLite's default page cache (2,000 KiB: the bench's 1,000
	 * items stay in it). The writer's upserts gained nothing from a larger
	 * one (docs/performance.md), and with the readers of the HTTP and HTTPS
	 * listeners each holding theirs, its memory is what the peak can spare.
	 */
	if (!st->writer_cache)
		st->writer_cache =
		        setup_run(st->conn, SETUP_WRITER_CACHE, NULL, NULL, false) == SQLITE_OK;
	store_fault_clear(st);
	status = tx_begin(st);
	st->batch = status == STORE_OK;
	st->batch_meta = false;
	return status;
}

enum store_status store_batch_end(struct store *st, bool commit)
{
	bool moved_meta = st->batch_meta;

	if (!st->batch)
		return STORE_ERROR;
	st->batch = false;
	if (sqlite3_get_autocommit(st->conn)) { /* SQLite rolled it back after an error */
		if (moved_meta)
			meta_changed(st->db);
		pthread_mutex_unlock(&st->db->write_lock);
		return STORE_ERROR;
	}
	return tx_finish(st, commit ? STORE_OK : STORE_ERROR, moved_meta) == STORE_OK && commit
	               ? STORE_OK
	               : STORE_ERROR;
}
