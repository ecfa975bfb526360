#include "storage/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "storage/internal.h"

/* Unlocked checkpoint passes before the locked one, and the gap that ends them early. */
#define CHECKPOINT_PASSES      4
#define CHECKPOINT_TAIL_FRAMES 256
/* Unlocked passes after a sync of the database file, before the locked one. */
#define CHECKPOINT_SYNCED_PASSES 2
/* A WAL this long (frames of 4 KiB) wakes the checkpointer before the next sweep. */
#define CHECKPOINT_FRAMES 8192

static const char *const sql_text[] = {
#define STMT(name, sql) sql,
#include "storage/statements.def"
#undef STMT
};

struct snapshot {
	char name[STORE_SNAPSHOT_NAME_MAX + 1];
	sqlite3 *conn; /* a private in-memory copy */
	struct snapshot *next;
};

struct store_db {
	struct snapshot *snapshots; /* oldest first; guarded by write_lock */
	char *uri;                  /* what every connection opens */
	bool in_memory;             /* memdb: no WAL, nothing to checkpoint */
	sqlite3 *keeper;            /* keeps a memdb alive; the sweeper's connection */
	pthread_key_t key;
	pthread_mutex_t write_lock; /* one writer at a time: see performance-notes P2 */
	/* The sweeper's connection is opened without SQLite's mutex: one user at a time. */
	pthread_mutex_t sweeper_lock;
	pthread_mutex_t list_lock;
	struct store *open; /* every connection, for store_db_close */
	struct store *sweeper;
	pthread_t thread;
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
	int64_t sweep_ms;
	/* A commit found the WAL past CHECKPOINT_FRAMES: checkpoint before the next sweep. */
	atomic_bool checkpoint_asked;
	_Atomic uint64_t meta_gen; /* meta_generation() */
};

const char *network_name(enum network net)
{
	return net == NETWORK_PRODUCTION ? "production" : "staging";
}

const char *init_status_name(enum init_status status)
{
	static const char *const names[] = {"UNINITIALIZED", "PENDING", "INITIALIZED"};

	return names[status];
}

enum store_status store_failed(struct store *st, int rc, const char *what)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	log_error("store: %s failed: %s (%d)", what, sqlite3_errmsg(st->conn), rc);
	return STORE_ERROR;
}

int bind_text(sqlite3_stmt *q, int index, const char *s)
{
	return sqlite3_bind_text(q, index, s, -1, SQLITE_STATIC);
}

void stmt_done(sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

uint64_t meta_generation(const struct store *st)
{
	return atomic_load(&st->db->meta_gen);
}

static void meta_changed(struct store_db *db)
{
	atomic_fetch_add(&db->meta_gen, 1);
}

int step_item_write(struct store *st, sqlite3_stmt *q)
{
	int rc;

	if (st->batch) {
		/* A failed commit-level error ends the transaction: write nothing after it. */
		if (sqlite3_get_autocommit(st->conn))
			return SQLITE_ABORT;
		return sqlite3_step(q);
	}
	pthread_mutex_lock(&st->db->write_lock);
	rc = sqlite3_step(q);
	pthread_mutex_unlock(&st->db->write_lock);
	return rc;
}

int step_write(struct store *st, sqlite3_stmt *q)
{
	int rc = step_item_write(st, q);

	meta_changed(st->db); /* after the commit: see meta_generation() */
	return rc;
}

int step_in_tx(sqlite3_stmt *q)
{
	return sqlite3_step(q);
}

static int exec(sqlite3 *conn, const char *sql);

enum store_status tx_begin(struct store *st)
{
	int rc;

	if (st->batch) { /* nested in the batch's transaction */
		if (sqlite3_get_autocommit(st->conn))
			return STORE_ERROR;
		rc = exec(st->conn, "SAVEPOINT tx");
		return rc == SQLITE_OK ? STORE_OK : store_failed(st, rc, "savepoint");
	}
	pthread_mutex_lock(&st->db->write_lock);
	rc = sqlite3_step(st->stmt[STMT_BEGIN]);
	sqlite3_reset(st->stmt[STMT_BEGIN]);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	pthread_mutex_unlock(&st->db->write_lock);
	return store_failed(st, rc, "begin");
}

enum store_status tx_end(struct store *st, enum store_status status)
{
	if (st->batch) {
		int rc = exec(st->conn,
		              status == STORE_OK ? "RELEASE tx" : "ROLLBACK TO tx; RELEASE tx");

		if (rc != SQLITE_OK && status == STORE_OK)
			status = store_failed(st, rc, "release");
		meta_changed(st->db);
		return status;
	}
	sqlite3_stmt *q = st->stmt[status == STORE_OK ? STMT_COMMIT : STMT_ROLLBACK];
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	if (rc != SQLITE_DONE && status == STORE_OK) {
		status = store_failed(st, rc, "commit");
		sqlite3_step(st->stmt[STMT_ROLLBACK]);
		sqlite3_reset(st->stmt[STMT_ROLLBACK]);
	}
	meta_changed(st->db);
	pthread_mutex_unlock(&st->db->write_lock);
	return status;
}

enum store_status store_batch_begin(struct store *st)
{
	enum store_status status = tx_begin(st);

	st->batch = status == STORE_OK;
	return status;
}

enum store_status store_batch_end(struct store *st, bool commit)
{
	enum store_status status = STORE_OK;

	if (!st->batch)
		return STORE_ERROR;
	st->batch = false;
	if (sqlite3_get_autocommit(st->conn)) { /* SQLite rolled it back after an error */
		meta_changed(st->db);
		pthread_mutex_unlock(&st->db->write_lock);
		return STORE_ERROR;
	}
	return tx_end(st, commit ? status : STORE_ERROR) == STORE_OK && commit ? STORE_OK
	                                                                       : STORE_ERROR;
}

static int exec(sqlite3 *conn, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(conn, sql, NULL, NULL, &err);

	if (rc != SQLITE_OK)
		log_error("store: '%s' failed: %s", sql, err ? err : sqlite3_errstr(rc));
	sqlite3_free(err);
	return rc;
}

/* sqlite3_wal_hook: runs after each commit, in the committing request; only signals. */
static int on_wal_commit(void *arg, sqlite3 *conn, const char *name, int frames)
{
	struct store_db *db = arg;

	(void)conn;
	(void)name;
	if (frames >= CHECKPOINT_FRAMES && !atomic_exchange(&db->checkpoint_asked, true)) {
		pthread_mutex_lock(&db->stop_lock);
		pthread_cond_signal(&db->stop_cond);
		pthread_mutex_unlock(&db->stop_lock);
	}
	return SQLITE_OK;
}

static sqlite3 *connect(struct store_db *db)
{
	sqlite3 *conn = NULL;
	int flags =
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	int rc = sqlite3_open_v2(db->uri, &conn, flags, NULL);

	if (rc != SQLITE_OK) {
		log_error("store: cannot open '%s': %s", db->uri,
		          conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
		sqlite3_close(conn);
		return NULL;
	}
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_timeout(conn, 5000);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	/* Checkpoints run on the sweeper thread, never inside a request (P3). */
	if (exec(conn,
	         "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -1024;"
	         " PRAGMA wal_autocheckpoint = 0") != SQLITE_OK) {
		sqlite3_close(conn);
		return NULL;
	}
	if (!db->in_memory) /* after the pragma, which would replace it */
		sqlite3_wal_hook(conn, on_wal_commit, db);
	return conn;
}

static void store_free(struct store *st)
{
	int rc;

	for (int i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	rc = sqlite3_close(st->conn);
	if (rc != SQLITE_OK)
		log_error("store: close failed: %s", sqlite3_errstr(rc));
	free(st);
}

static struct store *store_new(struct store_db *db, sqlite3 *conn)
{
	struct store *st = xcalloc(1, sizeof(*st));

	st->db = db;
	st->conn = conn;
	for (int i = 0; i < STMT_COUNT; i++) {
		int rc = sqlite3_prepare_v3(conn, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT,
		                            &st->stmt[i], NULL);

		if (rc != SQLITE_OK) {
			log_error("store: cannot prepare '%s': %s", sql_text[i],
			          sqlite3_errmsg(conn));
			store_free(st);
			return NULL;
		}
	}
	return st;
}

static void list_remove(struct store_db *db, struct store *st)
{
	pthread_mutex_lock(&db->list_lock);
	for (struct store **p = &db->open; *p; p = &(*p)->next) {
		if (*p == st) {
			*p = st->next;
			break;
		}
	}
	pthread_mutex_unlock(&db->list_lock);
}

/* pthread key destructor: a worker thread is exiting. */
static void thread_store_close(void *arg)
{
	struct store *st = arg;

	list_remove(st->db, st);
	store_free(st);
}

struct store *store_db_thread(struct store_db *db)
{
	struct store *st = pthread_getspecific(db->key);
	sqlite3 *conn;

	if (st)
		return st;
	conn = connect(db);
	if (!conn)
		return NULL;
	st = store_new(db, conn);
	if (!st)
		return NULL;
	pthread_mutex_lock(&db->list_lock);
	st->next = db->open;
	db->open = st;
	pthread_mutex_unlock(&db->list_lock);
	pthread_setspecific(db->key, st);
	return st;
}

static void sweep_namespaces(struct store *st, int64_t now_ms)
{
	sqlite3_stmt *due = st->stmt[STMT_NS_NEXT_DUE];

	for (int n = 0; n < 100; n++) {
		char account[STORE_ACCOUNT_MAX + 1], name[STORE_NAMESPACE_MAX + 1];
		enum network net;
		int rc;

		sqlite3_bind_int64(due, 1, now_ms);
		rc = sqlite3_step(due);
		if (rc == SQLITE_ROW) {
			snprintf(account, sizeof(account), "%s",
			         (const char *)sqlite3_column_text(due, 0));
			net = strcmp((const char *)sqlite3_column_text(due, 1), "production") == 0
			              ? NETWORK_PRODUCTION
			              : NETWORK_STAGING;
			snprintf(name, sizeof(name), "%s",
			         (const char *)sqlite3_column_text(due, 2));
		}
		stmt_done(due);
		if (rc != SQLITE_ROW)
			return;
		if (store_namespace_delete(st, account, net, name) != STORE_OK)
			return;
	}
}

/*
 * fsync of the database file and of the WAL through conn's own file handles
 * (never open(2) and close(2) the database: closing any descriptor of it drops
 * the process's POSIX locks). Extra syncs never weaken durability.
 */
static void sync_files(sqlite3 *conn)
{
	static const int ops[] = {SQLITE_FCNTL_FILE_POINTER, SQLITE_FCNTL_JOURNAL_POINTER};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		sqlite3_file *f = NULL;

		if (sqlite3_file_control(conn, "main", ops[i], &f) == SQLITE_OK && f && f->pMethods)
			f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
	}
}

static int checkpoint_pass(sqlite3 *conn, int *frames)
{
	int copied = 0;

	return sqlite3_wal_checkpoint_v2(conn, NULL, SQLITE_CHECKPOINT_PASSIVE, frames, &copied);
}

/*
 * Copies the WAL into the database and lets the next writer start the WAL
 * over. A PASSIVE checkpoint never waits for writers, but it only copies the
 * frames that exist when it starts; under a steady stream of writes the WAL is
 * never wholly copied, so no writer can restart it and the file grows without
 * bound (1.5 GB after 12 s of item PUTs). So: passive passes without the lock
 * do the bulk (each pass copies what the previous one left behind), then one
 * last pass under the write mutex copies the few frames written meanwhile;
 * the next commit rewinds the WAL.
 *
 * SQLite fsyncs the database file only in a pass that copies the whole WAL,
 * that is the locked one: it used to flush every page the unlocked passes had
 * copied (10,000 frames: 5-6 ms of the 8 ms that writers waited). So the
 * files are synced here before the lock, with a pass in between, and the
 * locked pass syncs only its own few hundred pages: about 2 ms. Durability is
 * SQLite's own: the locked pass still syncs the WAL before copying and the
 * database after. Runs once per sweep, and sooner when a commit finds the WAL
 * past CHECKPOINT_FRAMES (on_wal_commit).
 */
static void checkpoint(struct store_db *db)
{
	sqlite3 *conn = db->sweeper->conn;
	int rc = SQLITE_OK, frames = 0, before = -1;

	/* frames is the WAL's length when a pass starts: what came in during the previous one. */
	for (int pass = 0; pass < CHECKPOINT_PASSES; pass++) {
		rc = checkpoint_pass(conn, &frames);
		if (rc != SQLITE_OK || frames - before <= CHECKPOINT_TAIL_FRAMES)
			break;
		before = frames;
	}
	for (int pass = 0; pass < CHECKPOINT_SYNCED_PASSES && rc == SQLITE_OK && frames > 0;
	     pass++) {
		sync_files(conn);
		rc = checkpoint_pass(conn, &frames);
	}
	if (rc == SQLITE_OK && frames > 0) {
		sync_files(conn);
		pthread_mutex_lock(&db->write_lock);
		rc = checkpoint_pass(conn, &frames);
		pthread_mutex_unlock(&db->write_lock);
	}
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_error("store: checkpoint failed: %s", sqlite3_errstr(rc));
}

static void sweep(struct store_db *db, int64_t now_ms)
{
	struct store *st = db->sweeper;
	sqlite3_stmt *q = st->stmt[STMT_ITEM_SWEEP];
	int rc;

	meta_changed(db); /* bounds how long a change made outside the server goes unseen */
	sweep_namespaces(st, now_ms);
	do {
		sqlite3_bind_int64(q, 1, now_ms);
		rc = step_item_write(st, q);
		stmt_done(q);
	} while (rc == SQLITE_DONE && sqlite3_changes(st->conn) > 0);
	if (rc != SQLITE_DONE)
		store_failed(st, rc, "sweep");
	if (!db->in_memory)
		checkpoint(db);
}

void store_db_sweep(struct store_db *db, int64_t now_ms)
{
	pthread_mutex_lock(&db->sweeper_lock);
	sweep(db, now_ms);
	pthread_mutex_unlock(&db->sweeper_lock);
}

static void *sweeper_main(void *arg)
{
	struct store_db *db = arg;
	int64_t next_sweep = clock_monotonic_ms() + db->sweep_ms;

	pthread_mutex_lock(&db->stop_lock);
	while (!db->stopping) {
		int64_t wait_ms = next_sweep - clock_monotonic_ms();
		bool due;

		if (wait_ms > 0 && !atomic_load(&db->checkpoint_asked)) {
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += wait_ms / 1000;
			until.tv_nsec += (wait_ms % 1000) * 1000000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&db->stop_cond, &db->stop_lock, &until);
		}
		if (db->stopping)
			break;
		pthread_mutex_unlock(&db->stop_lock);
		due = clock_monotonic_ms() >= next_sweep;
		pthread_mutex_lock(&db->sweeper_lock);
		if (due) {
			sweep(db, clock_now_ms());
			next_sweep = clock_monotonic_ms() + db->sweep_ms;
		} else if (!db->in_memory) {
			checkpoint(db);
		}
		pthread_mutex_unlock(&db->sweeper_lock);
		/* After: a commit that still finds the WAL long asks again. */
		atomic_store(&db->checkpoint_asked, false);
		pthread_mutex_lock(&db->stop_lock);
	}
	pthread_mutex_unlock(&db->stop_lock);
	return NULL;
}

struct store_db *store_db_open(const char *path, int64_t sweep_ms)
{
	static atomic_int memdb_seq;
	struct store_db *db = xcalloc(1, sizeof(*db));
	char uri[64];

	db->in_memory = strcmp(path, ":memory:") == 0;
	if (db->in_memory) {
		/* A named memdb is shared by every connection of this process. */
		snprintf(uri, sizeof(uri), "file:/ekv-%d?vfs=memdb",
		         atomic_fetch_add(&memdb_seq, 1));
		db->uri = xstrdup(uri);
	} else {
		db->uri = xstrdup(path);
	}
	db->sweep_ms = sweep_ms > 0 ? sweep_ms : 1000;
	atomic_init(&db->meta_gen, 1);
	atomic_init(&db->checkpoint_asked, false);
	pthread_key_create(&db->key, thread_store_close);
	pthread_mutex_init(&db->write_lock, NULL);
	pthread_mutex_init(&db->sweeper_lock, NULL);
	pthread_mutex_init(&db->list_lock, NULL);
	pthread_mutex_init(&db->stop_lock, NULL);
	pthread_cond_init(&db->stop_cond, NULL);

	db->keeper = connect(db);
	if (!db->keeper)
		goto fail;
	if (!db->in_memory && exec(db->keeper, "PRAGMA journal_mode = WAL") != SQLITE_OK)
		goto fail;
	if (store_migrate(db->keeper) != 0)
		goto fail;
	db->sweeper = store_new(db, db->keeper);
	db->keeper = NULL; /* now owned by db->sweeper */
	if (!db->sweeper)
		goto fail;
	if (pthread_create(&db->thread, NULL, sweeper_main, db) != 0) {
		log_error("store: cannot start the sweeper thread");
		goto fail;
	}
	return db;
fail:
	if (db->sweeper)
		store_free(db->sweeper);
	sqlite3_close(db->keeper);
	pthread_key_delete(db->key);
	free(db->uri);
	free(db);
	return NULL;
}

void store_db_close(struct store_db *db)
{
	if (!db)
		return;
	pthread_mutex_lock(&db->stop_lock);
	db->stopping = true;
	pthread_cond_signal(&db->stop_cond);
	pthread_mutex_unlock(&db->stop_lock);
	pthread_join(db->thread, NULL);

	/* Connections of threads still alive (the main thread's, at least). */
	pthread_setspecific(db->key, NULL);
	while (db->open) {
		struct store *st = db->open;

		db->open = st->next;
		store_free(st);
	}
	if (!db->in_memory)
		sqlite3_wal_checkpoint_v2(db->sweeper->conn, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
		                          NULL);
	store_free(db->sweeper);
	while (db->snapshots) {
		struct snapshot *snap = db->snapshots;

		db->snapshots = snap->next;
		sqlite3_close(snap->conn);
		free(snap);
	}
	pthread_key_delete(db->key);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->sweeper_lock);
	pthread_mutex_destroy(&db->list_lock);
	pthread_mutex_destroy(&db->stop_lock);
	pthread_cond_destroy(&db->stop_cond);
	free(db->uri);
	free(db);
}

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
	pthread_mutex_lock(&db->write_lock);
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

	pthread_mutex_lock(&db->write_lock);
	snap = *snapshot_find(db, name);
	if (snap)
		rc = copy_database(st->conn, snap->conn);
	pthread_mutex_unlock(&db->write_lock);
	if (snap)
		meta_changed(db); /* every connection's cached account and namespaces are stale */
	if (!snap)
		return STORE_NOT_FOUND;
	return rc == SQLITE_OK ? STORE_OK : store_failed(st, rc, "snapshot restore");
}

enum store_status store_snapshot_delete(struct store *st, const char *name)
{
	struct store_db *db = st->db;
	struct snapshot **slot, *snap;

	pthread_mutex_lock(&db->write_lock);
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

	pthread_mutex_lock(&db->write_lock);
	for (struct snapshot *s = db->snapshots; s; s = s->next)
		fn(ctx, s->name, strlen(s->name));
	pthread_mutex_unlock(&db->write_lock);
	return STORE_OK;
}
