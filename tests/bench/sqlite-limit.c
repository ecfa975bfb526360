/*
 * sqlite-limit: the ceiling of one-at-a-time SQLite for item writes and reads, for
 * tests/bench/run.sh.
 *
 *   sqlite-limit DB-PATH [--items N] [--value-bytes N] [--seconds S]
 *
 * Creates DB-PATH (it must not exist) with the emulator's item table and indexes
 * (storage/migrations.c) and the emulator's connection settings (storage/statements.def: WAL,
 * synchronous=NORMAL, foreign keys on; the page cache of the emulator's writer, 1 MiB, for the
 * upserts and of its readers, 2,000 KiB, for the reads), seeds N items (default 1000) of
 * the given size (default 1024) in one transaction, then for S seconds each (default 3):
 *   upsert  the emulator's ITEM_PUT statement on a random key with a value no other write
 *           sends, one statement per transaction (autocommit), from this one thread;
 *   get     the emulator's ITEM_GET statement on a random key.
 * The emulator checkpoints on a thread of its own every 8,192 WAL frames; here the same
 * threshold runs inline (wal_autocheckpoint), so the cost of copying the WAL back is counted.
 * Prints "result upsert_rps=... get_rps=...". Exit 0 on success.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char schema[] =
        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
        " PRAGMA cache_size = -1024; PRAGMA wal_autocheckpoint = 8192;"
        "CREATE TABLE item (account TEXT NOT NULL, network TEXT NOT NULL,"
        " namespace TEXT NOT NULL, sandbox TEXT NOT NULL, grp TEXT NOT NULL, key TEXT NOT NULL,"
        " written_at INTEGER NOT NULL, expires_at INTEGER, value BLOB NOT NULL,"
        " content_type TEXT NOT NULL, visible_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (account, network, namespace, sandbox, grp, key)) STRICT;"
        "CREATE INDEX item_expiry ON item (expires_at) WHERE expires_at IS NOT NULL;"
        "CREATE INDEX item_pending ON item (account) WHERE visible_at IS NOT NULL OR deleted = 1;";

static const char put_sql[] =
        "INSERT INTO item (account, network, namespace, sandbox, grp, key, written_at,"
        " expires_at, value, content_type, visible_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        " ON CONFLICT (account, network, namespace, sandbox, grp, key) DO UPDATE SET"
        " written_at = excluded.written_at, expires_at = excluded.expires_at,"
        " value = excluded.value, content_type = excluded.content_type,"
        " visible_at = excluded.visible_at, deleted = 0";

static const char get_sql[] =
        "SELECT value, content_type FROM item WHERE account = ?1 AND network = ?2"
        " AND namespace = ?3 AND sandbox = ?4 AND grp = ?5 AND key = ?6"
        " AND (expires_at IS NULL OR expires_at > ?7)"
        " AND (visible_at IS NULL OR visible_at <= ?7)";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The key columns as the emulator binds them for one item of the bench's group. */
static void bind_key(sqlite3_stmt *st, long n)
{
	char key[32];

	snprintf(key, sizeof(key), "k%ld", n);
	sqlite3_bind_text(st, 1, "1-ABCDE", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "staging", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, "default", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, "bench", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, key, -1, SQLITE_TRANSIENT);
}

static int put(sqlite3_stmt *st, long n, char *value, int size, long stamp)
{
	char text[32];
	int rc, len;

	/* unique bytes: SQLite writes nothing for an UPDATE with the same value */
	len = snprintf(text, sizeof(text), "put-%016lx-", (unsigned long)stamp);
	memcpy(value, text, (size_t)len);
	bind_key(st, n);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)stamp);
	sqlite3_bind_null(st, 8);
	sqlite3_bind_blob(st, 9, value, size, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, "text/plain", -1, SQLITE_STATIC);
	sqlite3_bind_null(st, 11);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int get(sqlite3_stmt *st, long n)
{
	int rc;

	bind_key(st, n);
	sqlite3_bind_int64(st, 7, 1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) <= 0)
		rc = SQLITE_ERROR;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int main(int argc, char **argv)
{
	long items = 1000, stamp = 0, ups = 0, gets = 0;
	int size = 1024;
	double seconds = 3, t0, up_s, get_s;
	sqlite3 *db = NULL;
	sqlite3_stmt *ps = NULL, *gs = NULL;
	char *value;

	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--items") == 0)
			items = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--value-bytes") == 0)
			size = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
	}
	if (argc < 2 || items < 1 || size < 24 || seconds <= 0) {
		fprintf(stderr, "usage: sqlite-limit DB-PATH [--items N] [--value-bytes N>=24] "
		                "[--seconds S]\n");
		return 2;
	}
	value = malloc((size_t)size);
	memset(value, 'v', (size_t)size);
	if (sqlite3_open(argv[1], &db) != SQLITE_OK || sqlite3_exec(db, schema, 0, 0, 0) ||
	    sqlite3_prepare_v2(db, put_sql, -1, &ps, NULL) ||
	    sqlite3_prepare_v2(db, get_sql, -1, &gs, NULL)) {
		fprintf(stderr, "sqlite-limit: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_exec(db, "BEGIN", 0, 0, 0);
	for (long n = 0; n < items; n++)
		if (put(ps, n, value, size, ++stamp))
			return 1;
	sqlite3_exec(db, "COMMIT", 0, 0, 0);
	srand(1);
	t0 = now_s();
	do {
		for (int i = 0; i < 100; i++, ups++)
			if (put(ps, rand() % items, value, size, ++stamp))
				return 1;
	} while ((up_s = now_s() - t0) < seconds);
	sqlite3_exec(db, "PRAGMA cache_size = -2000", 0, 0, 0);
	t0 = now_s();
	do {
		for (int i = 0; i < 100; i++, gets++)
			if (get(gs, rand() % items))
				return 1;
	} while ((get_s = now_s() - t0) < seconds);
	printf("result upsert_rps=%.0f get_rps=%.0f\n", (double)ups / up_s, (double)gets / get_s);
	sqlite3_finalize(ps);
	sqlite3_finalize(gs);
	sqlite3_close(db);
	free(value);
	return 0;
}
