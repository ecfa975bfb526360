/*
 * Opening and closing the database: its files (owner-only), the start-up
 * integrity check, migrations, the first connection (the opening thread's),
 * each thread's own connection, and the sweeper thread.
 */
#include "storage/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "storage/internal.h"

static void list_add(struct store_db *db, struct store *st)
{
	pthread_mutex_lock(&db->list_lock);
	st->next = db->open;
	db->open = st;
	pthread_mutex_unlock(&db->list_lock);
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
	sweeper_adopt(st->db, st);
}

void store_db_thread_close(struct store_db *db)
{
	struct store *st = pthread_getspecific(db->key);

	if (!st)
		return;
	pthread_setspecific(db->key, NULL);
	thread_store_close(st);
}

/* st becomes the calling thread's connection. */
static struct store *thread_store_set(struct store_db *db, struct store *st)
{
	list_add(db, st);
	pthread_setspecific(db->key, st);
	return st;
}

/* The spare connection, now no longer one; NULL when there is none. */
static struct store *spare_take(struct store_db *db)
{
	struct store *st;

	pthread_mutex_lock(&db->list_lock);
	st = db->spare;
	db->spare = NULL;
	pthread_mutex_unlock(&db->list_lock);
	return st;
}

struct store *store_db_thread(struct store_db *db)
{
	struct store *st = pthread_getspecific(db->key);
	sqlite3 *conn;

	if (st)
		return st;
	st = spare_take(db);
	if (st)
		return thread_store_set(db, st);
	conn = connection_open(db);
	return conn ? thread_store_set(db, connection_new(db, conn)) : NULL;
}

/* One spare at a time: a second replaces the first, which the sweeper adopts or closes. */
void store_db_thread_spare(struct store_db *db)
{
	struct store *st = pthread_getspecific(db->key), *old;

	if (!st)
		return;
	pthread_setspecific(db->key, NULL);
	list_remove(db, st);
	/* Whoever takes it reads: a batch (seeding) left the writer's smaller cache. */
	if (st->writer_cache)
		st->writer_cache =
		        setup_run(st->conn, SETUP_READER_CACHE, NULL, NULL, false) != SQLITE_OK;
	pthread_mutex_lock(&db->list_lock);
	old = db->spare;
	db->spare = st;
	pthread_mutex_unlock(&db->list_lock);
	if (old)
		sweeper_adopt(db, old);
}

void store_db_spare_close(struct store_db *db)
{
	struct store *st = spare_take(db);

	if (st)
		sweeper_adopt(db, st);
}

/*
 * The database holds API client secrets and the token signing key: it is
 * created readable by its owner only (SQLite gives the WAL and shared-memory
 * files the database file's mode), and a file an older version left
 * readable by others is narrowed. An empty file is a new database to SQLite.
 * Runs before any connection: closing a descriptor of an open database
 * would drop its locks. *created: whether this start made the file.
 */
static int protect_files(const char *path, bool *created)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	char name[4096];
	struct stat sb;

	*created = fd >= 0;
	if (fd >= 0)
		return close(fd);
	if (errno != EEXIST) {
		log_error("store: cannot create the database '%s': %s", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
		if (stat(name, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077) &&
		    chmod(name, sb.st_mode & 0700) == 0)
			log_info("store: '%s' was readable by others; now by its owner only", name);
	}
	return 0;
}

static struct store_db *db_new(const char *path, int64_t sweep_ms)
{
	static atomic_int memdb_seq;
	struct store_db *db = xcalloc(1, sizeof(*db));
	char uri[64];

	db->path = xstrdup(path);
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
	atomic_init(&db->fault, STORE_FAULT_NONE);
	atomic_init(&db->checkpoint_asked, false);
	atomic_init(&db->write_waiting, 0);
	pthread_key_create(&db->key, thread_store_close);
	pthread_mutex_init(&db->write_lock, NULL);
	pthread_mutex_init(&db->sweeper_lock, NULL);
	pthread_mutex_init(&db->list_lock, NULL);
	pthread_mutex_init(&db->wake_lock, NULL);
	pthread_cond_init(&db->wake_cond, NULL);
	return db;
}

static void db_free(struct store_db *db)
{
	snapshots_free(db);
	pthread_key_delete(db->key);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->sweeper_lock);
	pthread_mutex_destroy(&db->list_lock);
	pthread_mutex_destroy(&db->wake_lock);
	pthread_cond_destroy(&db->wake_cond);
	free(db->uri);
	free(db->path);
	free(db);
}

/*
 * An older version kept the WAL index in a -shm file; this process holds the file's
 * lock now (unix-excl) and keeps the index in memory, so a file left behind is stale.
 */
static void remove_old_shm(const char *path)
{
	char shm[4096];

	if ((size_t)snprintf(shm, sizeof(shm), "%s-shm", path) < sizeof(shm) && unlink(shm) == 0)
		log_info("store: removed '%s', left by an older version", shm);
}

/*
 * The first connection: checked, in WAL mode and migrated; then the opening
 * thread's (it seeds the database next; the sweeper opens its own when it
 * first sweeps). A file this start created holds nothing yet: it is switched
 * to WAL and built without waiting for the disk (five fsyncs, half of a new
 * database's start). Should the machine stop before the first checkpoint, the
 * next start finds the file empty or without its schema and builds it again.
 */
static struct store *open_first(struct store_db *db, bool created)
{
	sqlite3 *conn = connection_open(db);
	struct store *st;
	int found = 0;

	if (!conn)
		return NULL;
	if (created) /* never for :memory:, which has no file to create */
		setup_run(conn, SETUP_NO_SYNC, NULL, NULL, false);
	/* A file this start created is empty: nothing in it to check. */
	if (!db->in_memory && ((!created && integrity_check(conn, db->path) != 0) ||
	                       setup_run(conn, SETUP_WAL, NULL, NULL, false) != SQLITE_OK)) {
		sqlite3_close(conn);
		return NULL;
	}
	if (store_migrate(conn, &found) != 0 ||
	    (created && setup_run(conn, SETUP_CONNECTION, NULL, NULL, false) != SQLITE_OK)) {
		sqlite3_close(conn);
		return NULL;
	}
	st = connection_new(db, conn);
	if (!db->in_memory)
		remove_old_shm(db->path);
	/* A schema edited by hand stops the start here, not at a request; one just made is fine. */
	if (found > 0 && stmt_prepare_all(st) != 0) {
		connection_free(st);
		return NULL;
	}
	/* The check read every small table: seeding needs few of those pages. */
	sqlite3_db_release_memory(conn);
	return st;
}

/*
 * SQLite counts every allocation under one process-wide mutex unless told not to; nothing
 * here reads those counts, and the request threads' point reads contended on it.
 * Each connection's page cache would start with a block of 20 pages (about 85 KiB) at its
 * first read: the sweeper reads two or three, and an idle server kept the rest. Pages now
 * come one at a time as they are needed (instructions per request unchanged).
 */
static void configure_library(void)
{
	/* Only before SQLite's first use; a misuse would leave the defaults, which still work. */
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0) != SQLITE_OK)
		log_warn("store: SQLite was in use before its configuration; its defaults apply");
}

struct store_db *store_db_open(const char *path, int64_t sweep_ms)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	struct store_db *db;
	struct store *st = NULL;
	bool created = false;

	pthread_once(&configured, configure_library);
	db = db_new(path, sweep_ms);

	if (db->in_memory || protect_files(path, &created) == 0)
		st = open_first(db, created);
	if (st && sweeper_start(db) == 0) {
		thread_store_set(db, st);
		return db;
	}
	connection_free(st);
	db_free(db);
	return NULL;
}

void store_db_close(struct store_db *db)
{
	if (!db)
		return;
	sweeper_stop(db);
	/* Connections of threads still alive (the main thread's, at least). */
	pthread_setspecific(db->key, NULL);
	while (db->open) {
		struct store *st = db->open;

		db->open = st->next;
		connection_free(st);
	}
	store_db_spare_close(db); /* the sweeper's, if it never swept */
	if (!db->in_memory && sweeper_connection(db))
		checkpoint_truncate(db);
	connection_free(db->sweeper);
	db_free(db);
}
