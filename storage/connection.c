/*
 * Connections: opening one with the settings every connection has, running
 * the setup statements, preparing statements.def's rows on first use (the
 * LAZY rows on each call), and closing. Nothing here knows about threads, transactions or the
 * sweeper.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "storage/internal.h"

/*
 * SQLite's "unix-excl" VFS: the first read takes a lock on the file that keeps other
 * processes out, while this process's connections share it, and the WAL index lives in
 * this process's memory instead of a -shm file. A read transaction then costs no fcntl()
 * lock and no shared mutex across threads (about a tenth of an item GET before), and a
 * second emulator on the same file is refused instead of sharing it.
 */
#define STORE_VFS "unix-excl"

/* A WAL this long (frames of 4 KiB) wakes the checkpointer before the next sweep. */
#define CHECKPOINT_FRAMES 8192

static const char *const stmt_text[] = {
#define STMT(name, sql) sql,
#include "storage/statements.def"
#undef STMT
};

static const char *const setup_texts[] = {
#define SETUP(name, sql) sql,
#include "storage/statements.def"
#undef SETUP
};

static const char *const lazy_texts[] = {
#define LAZY(name, sql) sql,
#include "storage/statements.def"
#undef LAZY
};

int bind_text(sqlite3_stmt *q, int index, const char *s)
{
	return sqlite3_bind_text(q, index, s, -1, SQLITE_STATIC);
}

void stmt_done(sqlite3_stmt *q)
{
	if (!q) /* stmt_get() could not prepare it */
		return;
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

const char *setup_text(enum setup_id id)
{
	return setup_texts[id];
}

/* Every statement of sql, each with ?1 bound to arg when given; fn for each row. */
static int run_text(sqlite3 *conn, const char *sql, const char *arg, setup_row_fn *fn, void *ctx)
{
	int rc = SQLITE_OK;

	while (rc == SQLITE_OK && *sql) {
		sqlite3_stmt *q = NULL;

		rc = sqlite3_prepare_v2(conn, sql, -1, &q, &sql);
		if (rc != SQLITE_OK || !q) /* q NULL: only a comment or spaces were left */
			break;
		if (arg)
			rc = bind_text(q, 1, arg);
		while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
			if (fn)
				fn(ctx, q);
			rc = SQLITE_OK;
		}
		sqlite3_finalize(q);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	return rc;
}

int sql_run(sqlite3 *conn, const char *sql, setup_row_fn *fn, void *ctx)
{
	return run_text(conn, sql, NULL, fn, ctx);
}

int setup_query(sqlite3 *conn, enum setup_id id, const char *arg, setup_row_fn *fn, void *ctx)
{
	return run_text(conn, setup_texts[id], arg, fn, ctx);
}

sqlite3_stmt *lazy_prepare(struct store *st, enum lazy_id id)
{
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(st->conn, lazy_texts[id], -1, &q, NULL) != SQLITE_OK) {
		log_error("store: cannot prepare '%s': %s", lazy_texts[id],
		          sqlite3_errmsg(st->conn));
		sqlite3_finalize(q);
		return NULL;
	}
	return q;
}

int setup_run(sqlite3 *conn, enum setup_id id, setup_row_fn *fn, void *ctx, bool quiet)
{
	int rc = sql_run(conn, setup_texts[id], fn, ctx);

	if (rc != SQLITE_OK && !quiet)
		log_error("store: '%s' failed: %s", setup_texts[id], sqlite3_errmsg(conn));
	return rc;
}

/* sqlite3_wal_hook: runs after each commit, in the committing thread; only signals. */
static int on_wal_commit(void *arg, sqlite3 *conn, const char *name, int frames)
{
	struct store_db *db = arg;

	(void)conn;
	(void)name;
	if (frames >= CHECKPOINT_FRAMES && !atomic_exchange(&db->checkpoint_asked, true)) {
		pthread_mutex_lock(&db->wake_lock);
		pthread_cond_signal(&db->wake_cond);
		pthread_mutex_unlock(&db->wake_lock);
	}
	return SQLITE_OK;
}

/* Why a connection could not be opened: the system's reason where there is one. */
static void log_open_failure(const struct store_db *db, sqlite3 *conn, int rc)
{
	int err = conn ? sqlite3_system_errno(conn) : 0;
	const char *what = conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc);

	/* The folder refused the WAL or shared-memory file: SQLite says only "readonly". */
	if (!err && (rc & 0xff) == SQLITE_READONLY)
		err = EACCES;

	if ((rc & 0xff) == SQLITE_BUSY)
		log_error("store: the database '%s' is in use by another process (another emulator"
		          " on the same --db?)",
		          db->path);
	else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		log_error("store: the database '%s' is damaged or not an SQLite database (%s);"
		          " restore it from a backup or move it away to start empty",
		          db->path, what);
	else if (err)
		log_error("store: cannot open the database '%s': %s (%s)", db->path, strerror(err),
		          what);
	else
		log_error("store: cannot open the database '%s': %s", db->path, what);
}

sqlite3 *connection_open(struct store_db *db)
{
	sqlite3 *conn = NULL;
	int flags =
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	int rc = sqlite3_open_v2(db->uri, &conn, flags, db->in_memory ? NULL : STORE_VFS);

	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(conn, 1);
		sqlite3_busy_timeout(conn, CONNECTION_BUSY_MS);
		sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
		sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
		sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
		/* Checkpoints run on the sweeper thread, never inside a request. */
		rc = setup_run(conn, SETUP_CONNECTION, NULL, NULL, true);
	}
	if (rc == SQLITE_OK)
		rc = setup_run(conn, SETUP_READER_CACHE, NULL, NULL, true);
	if (rc != SQLITE_OK) {
		log_open_failure(db, conn, rc);
		sqlite3_close(conn);
		return NULL;
	}
	/* SQLite falls back to read-only when it may not write: every write would fail. */
	if (sqlite3_db_readonly(conn, "main") == 1) {
		log_error("store: cannot open the database '%s' for writing: permission denied",
		          db->path);
		sqlite3_close(conn);
		return NULL;
	}
	if (!db->in_memory) /* after the pragma, which would replace it */
		sqlite3_wal_hook(conn, on_wal_commit, db);
	return conn;
}

static void finalize_all(struct store *st)
{
	for (int i = 0; i < STMT_COUNT; i++) {
		sqlite3_finalize(st->stmt[i]);
		st->stmt[i] = NULL; /* stmt_get() prepares it again if it is ever needed */
	}
}

void connection_free(struct store *st)
{
	int rc;

	if (!st)
		return;
	finalize_all(st);
	rc = sqlite3_close(st->conn);
	if (rc != SQLITE_OK)
		log_error("store: close failed: %s", sqlite3_errstr(rc));
	free(st);
}

void connection_shed(struct store *st)
{
	finalize_all(st);
	sqlite3_db_release_memory(st->conn);
}

struct store *connection_new(struct store_db *db, sqlite3 *conn)
{
	struct store *st = xcalloc(1, sizeof(*st));

	st->db = db;
	st->conn = conn;
	return st;
}

sqlite3_stmt *stmt_get(struct store *st, enum stmt_id id)
{
	int rc;

	if (st->stmt[id])
		return st->stmt[id];
	rc = sqlite3_prepare_v3(st->conn, stmt_text[id], -1, SQLITE_PREPARE_PERSISTENT,
	                        &st->stmt[id], NULL);
	if (rc == SQLITE_NOMEM) { /* as xalloc does */
		log_error("store: out of memory preparing a statement");
		abort();
	}
	if (rc != SQLITE_OK) /* reading the schema failed (I/O): the caller's step says MISUSE */
		log_error("store: cannot prepare '%s': %s", stmt_text[id],
		          sqlite3_errmsg(st->conn));
	return st->stmt[id];
}

/* Each is finalized again: kept, ~100 statements would hold memory the sweeper never uses. */
int stmt_prepare_all(struct store *st)
{
	for (int i = 0; i < STMT_COUNT; i++) {
		sqlite3_stmt *q = NULL;
		int rc = sqlite3_prepare_v2(st->conn, stmt_text[i], -1, &q, NULL);

		sqlite3_finalize(q);
		if (rc != SQLITE_OK) {
			log_error("store: cannot prepare '%s': %s", stmt_text[i],
			          sqlite3_errmsg(st->conn));
			return -1;
		}
	}
	return 0;
}

void store_column_text(char *dst, size_t size, sqlite3_stmt *q, int col)
{
	const unsigned char *text = sqlite3_column_text(q, col);

	snprintf(dst, size, "%s", text ? (const char *)text : "");
}
