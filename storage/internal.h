#ifndef EKV_STORAGE_INTERNAL_H
#define EKV_STORAGE_INTERNAL_H

/* Shared by the files of storage/ only: the connection and its statements. */
#include <sqlite3.h>

#include "storage/store.h"

enum stmt_id {
#define STMT(name, sql) STMT_##name,
#include "storage/statements.def"
#undef STMT
	STMT_COUNT
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
	sqlite3_stmt *stmt[STMT_COUNT];
	struct store *next; /* in db's list of open connections */
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
};

/*
 * A process-wide counter that moves after every commit that may have changed
 * an account or a namespace: every step_write() and tx_end(), never
 * step_item_write(). Read it before the query whose result is cached. The
 * sweeper also moves it once per sweep, so a change made outside the server
 * (the sqlite3 shell) is seen within a sweep. Never 0.
 */
uint64_t meta_generation(const struct store *st);

/* Logs the failure once and maps the SQLite code: CONSTRAINT → CONFLICT, else ERROR. */
enum store_status store_failed(struct store *st, int rc, const char *what);

/* Binds a NUL-terminated string (SQLITE_STATIC: it must outlive the step). */
int bind_text(sqlite3_stmt *q, int index, const char *s);

/* Resets the statement and clears its bindings; call on every path. */
void stmt_done(sqlite3_stmt *q);

/* Runs a statement that returns no rows under the write mutex; SQLITE_DONE on success. */
int step_write(struct store *st, sqlite3_stmt *q);

/* step_write() for a statement that writes the item table only (keeps meta_generation()). */
int step_item_write(struct store *st, sqlite3_stmt *q);

/* BEGIN IMMEDIATE under the write mutex; tx_end commits iff status is STORE_OK. */
enum store_status tx_begin(struct store *st);
enum store_status tx_end(struct store *st, enum store_status status);

/* Steps a write inside a transaction (the mutex is already held). */
int step_in_tx(sqlite3_stmt *q);

/* Schema migrations (storage/migrations.c); run once per database at open. */
int store_migrate(sqlite3 *conn);

#endif
