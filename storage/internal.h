#ifndef EKV_STORAGE_INTERNAL_H
#define EKV_STORAGE_INTERNAL_H

/*
 * Private to storage/: the database, its connections and the helpers every
 * file of the folder shares. Calls run one way, down these levels; a file
 * calls only files of lower levels, never one of its own level or above
 * (tests/lint/storage_layers.sh checks it in make lint):
 *
 *   1 store.c        opens and closes the database (the only file that
 *                    starts or stops the sweeper and frees snapshots)
 *   2 sweeper.c      the background thread: expiry, scheduled namespace
 *                    deletes, and a checkpoint after each
 *   3 checkpoint.c   the WAL checkpointer (and its truncation when idle)
 *     integrity.c    the start-up integrity check
 *     snapshots.c, state.c, accounts.c, namespaces.c, items.c, identity.c,
 *     tokens.c, jobs.c  what is stored, one kind of record per file
 *     browse.c       the web console's listings of groups and items
 *   4 transaction.c  the write mutex, transactions, group commit, failures
 *     migrations.c   brings a database's schema to the last step
 *   5 connection.c   connections: their settings and prepared statements
 *   6 names.c        the names of the enums
 *     library.c      the SQLite version this process runs with
 *     schema.c       the schema's steps (data only; storage/schema.h)
 *
 * Every SQL statement is in statements.def; the schema's DDL is in
 * schema.c.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "storage/store.h"

enum stmt_id {
#define STMT(name, sql) STMT_##name,
#include "storage/statements.def"
#undef STMT
	STMT_COUNT
};

enum setup_id {
#define SETUP(name, sql) SETUP_##name,
#include "storage/statements.def"
#undef SETUP
	SETUP_COUNT
};

enum lazy_id {
#define LAZY(name, sql) LAZY_##name,
#include "storage/statements.def"
#undef LAZY
	LAZY_COUNT
};

#define STORE_NAMESPACE_CACHE 4

/* A namespace this connection read, with the generation it was read under (0: empty slot). */
struct namespace_cached {
	uint64_t gen;
	char account[STORE_ACCOUNT_MAX + 1];
	enum network network;
	struct namespace_rec rec;
};

struct store {
	struct store_db *db;
	sqlite3 *conn;
	sqlite3_stmt *stmt[STMT_COUNT]; /* each prepared on first use: stmt_get() */
	struct store *next;             /* in db's list of open connections */
	/*
	 * The last account and namespaces found, reused while meta_generation()
	 * is unchanged: every request reads both, and each read is a WAL read
	 * transaction of its own (shm locks, fcntl) that cost more than the item
	 * read itself. Only found records are kept; see meta_generation().
	 */
	uint64_t account_gen; /* 0: empty */
	struct account_rec account;
	struct namespace_cached namespaces[STORE_NAMESPACE_CACHE];
	unsigned namespace_next; /* the slot to overwrite next */
	bool batch;              /* inside store_batch_begin(): holds the write mutex */
	bool batch_meta;   /* the batch wrote more than items: move the generation at its end */
	bool writer_cache; /* has run a batch: its page cache is the writer's (smaller) */
	enum store_fault fault; /* store_fault() */
};

struct snapshot; /* storage/snapshots.c */

struct store_db {
	char *path;                    /* the file, or ":memory:" */
	char *uri;                     /* what every connection opens */
	bool in_memory;                /* memdb: no WAL, nothing to checkpoint */
	pthread_key_t key;             /* the calling thread's struct store */
	pthread_mutex_t write_lock;    /* one writer at a time: see docs/performance.md */
	atomic_int write_waiting;      /* threads in write_lock_take(): store_batch_yield() */
	pthread_mutex_t list_lock;     /* guards open and spare */
	struct store *open;            /* every thread's connection, for store_db_close */
	struct store *spare;           /* no thread's, not in open: store_db_thread_spare() */
	struct snapshot *snapshots;    /* oldest first; guarded by write_lock */
	_Atomic uint64_t meta_gen;     /* meta_generation() */
	atomic_int fault;              /* the storage fault last logged (log once) */
	_Atomic(struct clock *) clock; /* what the sweeper reads; NULL: the wall clock */

	/*
	 * The sweeper (sweeper.c) and the checkpointer (checkpoint.c). Its connection: one a
	 * thread gave up while it had none, or its own opened at its first sweep; set once, under
	 * list_lock, then never changed until store_db_close().
	 */
	struct store *sweeper;
	/* The sweeper's connection is opened without SQLite's mutex: one user at a time. */
	pthread_mutex_t sweeper_lock;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t wake_lock; /* guards stopping; with wake_cond, wakes the sweeper */
	pthread_cond_t wake_cond;
	bool stopping;
	int64_t sweep_ms;
	/* A commit found the WAL past CHECKPOINT_FRAMES: checkpoint before the next sweep. */
	atomic_bool checkpoint_asked;
	int wal_frames_seen;     /* the WAL's length at the last checkpoint (sweeper only) */
	bool checkpoint_failing; /* a failure was logged (sweeper only) */
};

/* connection.c */

/* How long a connection waits for a lock another connection holds. */
#define CONNECTION_BUSY_MS 5000

/*
 * Opens a connection to db->uri with the settings every connection has;
 * NULL after logging the cause (with the system's reason, such as a
 * permission, and the path).
 */
sqlite3 *connection_open(struct store_db *db);

/* A store on conn, which it then owns; its statements are prepared on first use. */
struct store *connection_new(struct store_db *db, sqlite3 *conn);

/* Finalizes the statements and closes the connection; accepts NULL. */
void connection_free(struct store *st);
/* Finalizes st's statements and frees its page cache: for a connection the sweeper adopts. */
void connection_shed(struct store *st);

typedef void setup_row_fn(void *ctx, sqlite3_stmt *row);

/*
 * Runs every statement of sql on conn, calling fn, when not NULL, for each
 * row; SQLITE_OK or the failure. The one way to run SQL that is not a
 * prepared statement: the setup rows below and the schema's migrations.
 */
int sql_run(sqlite3 *conn, const char *sql, setup_row_fn *fn, void *ctx);

/*
 * sql_run() of setup statement id (statements.def's SETUP rows), the
 * failure logged unless quiet.
 */
int setup_run(sqlite3 *conn, enum setup_id id, setup_row_fn *fn, void *ctx, bool quiet);

/* sql_run() of setup statement id with ?1 bound to arg (borrowed); not logged. */
int setup_query(sqlite3 *conn, enum setup_id id, const char *arg, setup_row_fn *fn, void *ctx);

/* The text of setup statement id (SET_USER_VERSION takes its number appended). */
const char *setup_text(enum setup_id id);

/*
 * Prepares statements.def's LAZY row id on st's connection, for one call:
 * the caller finalizes it. NULL after logging when it cannot be prepared.
 */
sqlite3_stmt *lazy_prepare(struct store *st, enum lazy_id id);

/*
 * Statement id of statements.def on st's connection, prepared on its first use
 * (preparing all ~100 on each thread's connection was most of the start time).
 * stmt_prepare_all() proves at start, on the first connection, that every text
 * prepares on this database's schema. Later, only reading the schema can fail
 * (an I/O error after a snapshot restore): that is logged and NULL returned,
 * which SQLite's bind and step answer with SQLITE_MISUSE, a store failure like
 * any other; no memory ends the process, as xalloc does.
 */
sqlite3_stmt *stmt_get(struct store *st, enum stmt_id id);
int stmt_prepare_all(struct store *st);

/* Binds a NUL-terminated string (SQLITE_STATIC: it must outlive the step). */
int bind_text(sqlite3_stmt *q, int index, const char *s);

/* Resets the statement and clears its bindings; call on every path. */
void stmt_done(sqlite3_stmt *q);

/* transaction.c */

/*
 * A process-wide counter that moves after every commit that may have changed
 * an account or a namespace: every step_write() and tx_end(), never
 * step_item_write(); inside a group commit those only mark the batch, and
 * store_batch_end() moves it once, after the commit. Read it before the query
 * whose result is cached. The
 * sweeper also moves it once per sweep: no other process can write the file
 * (unix-excl), so that only bounds a write path here that forgot. Never 0.
 */
uint64_t meta_generation(const struct store *st);

/* Takes db->write_lock, counted while it waits (store_batch_yield()). */
void write_lock_take(struct store_db *db);

/* Moves meta_generation(): every cached account and namespace is stale. */
void meta_changed(struct store_db *db);

/*
 * Logs the failure and maps the SQLite code: CONSTRAINT → CONFLICT, else
 * ERROR. A full disk or an I/O error is logged once until writes succeed
 * again, and noted as st's fault (store_fault()).
 */
enum store_status store_failed(struct store *st, int rc, const char *what);

/* Runs a statement that returns no rows under the write mutex; SQLITE_DONE on success. */
int step_write(struct store *st, sqlite3_stmt *q);

/* step_write() for a statement that writes the item table only (keeps meta_generation()). */
int step_item_write(struct store *st, sqlite3_stmt *q);

/* BEGIN IMMEDIATE under the write mutex; tx_end commits iff status is STORE_OK. */
enum store_status tx_begin(struct store *st);
enum store_status tx_end(struct store *st, enum store_status status);

/* Steps a write inside a transaction (the mutex is already held). */
int step_in_tx(sqlite3_stmt *q);

/* namespaces.c: deletes the namespaces whose scheduled delete has come, at most max. */
void namespaces_sweep(struct store *st, int64_t now_ms, int max);

/* items.c: removes the expired rows, a thousand per statement. */
void items_sweep(struct store *st, int64_t now_ms);

/* snapshots.c: frees every snapshot (store_db_close). */
void snapshots_free(struct store_db *db);

/*
 * integrity.c: a quick integrity check of a database file (its items only
 * while the file is small); 0 if it found nothing wrong, -1 after logging
 * what is wrong.
 */
int integrity_check(sqlite3 *conn, const char *path);

/*
 * checkpoint.c: copies the WAL into the database. When nothing was written
 * since the last call, it truncates the WAL to zero bytes once; after that an
 * idle database costs no I/O at all.
 */
void checkpoint_run(struct store_db *db);

/* Copies what is left and truncates the WAL (store_db_close). */
void checkpoint_truncate(struct store_db *db);

/* sweeper.c: starts and stops the background thread; 0 / -1 (logged). */
int sweeper_start(struct store_db *db);
void sweeper_stop(struct store_db *db);

/* Whether db->sweeper is set, opening it if not (logged when it cannot be). */
bool sweeper_connection(struct store_db *db);

/*
 * A connection no thread holds any more: the sweeper's, if it has none yet (so that a :memory:
 * database, which lives while a connection is open, never loses its last one), else closed.
 */
void sweeper_adopt(struct store_db *db, struct store *st);

/*
 * migrations.c: schema migrations, run once per database at open; *found is
 * the schema version the file had (0: a new database). 0 / -1 (logged).
 */
int store_migrate(sqlite3 *conn, int *found);

/* Column col of q's current row as text into dst (size bytes, cut to fit; NULL gives ""). */
void store_column_text(char *dst, size_t size, sqlite3_stmt *q, int col);

#endif
