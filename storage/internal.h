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

struct store {
	struct store_db *db;
	sqlite3 *conn;
	sqlite3_stmt *stmt[STMT_COUNT];
	struct store *next; /* in db's list of open connections */
};

/* Logs the failure once and maps the SQLite code: CONSTRAINT → CONFLICT, else ERROR. */
enum store_status store_failed(struct store *st, int rc, const char *what);

/* Binds a NUL-terminated string (SQLITE_STATIC: it must outlive the step). */
int bind_text(sqlite3_stmt *q, int index, const char *s);

/* Resets the statement and clears its bindings; call on every path. */
void stmt_done(sqlite3_stmt *q);

/* Runs a statement that returns no rows under the write mutex; SQLITE_DONE on success. */
int step_write(struct store *st, sqlite3_stmt *q);

/* BEGIN IMMEDIATE under the write mutex; tx_end commits iff status is STORE_OK. */
enum store_status tx_begin(struct store *st);
enum store_status tx_end(struct store *st, enum store_status status);

/* Steps a write inside a transaction (the mutex is already held). */
int step_in_tx(sqlite3_stmt *q);

/* Schema migrations (storage/migrations.c); run once per database at open. */
int store_migrate(sqlite3 *conn);

#endif
