/*
 * The store's files: their modes, the WAL checkpointer and its truncation
 * when idle (and no I/O after it), the start-up integrity check, a full disk
 * and an I/O error (through a VFS shim that fails writes), and a group
 * commit whose commit fails.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "storage/internal.h"
#include "storage/store.h"
#include "tests/unit/unit.h"
#include "tests/unit/vfs_shim.h"

#define T0    1700000000000LL
#define NEVER (3600000LL * 1000) /* no background sweep during a test */
#define ACC   "1-FILES"

static char tmpdir[64];
static char path[128];

static struct store_db *db;
static struct store *st;

static int setup(void **state)
{
	struct account_rec acc = {0};
	struct namespace_rec ns = {0}, out;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ekv-files-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/edgekv.db", tmpdir);
	db = store_db_open(path, NEVER);
	st = db ? store_db_thread(db) : NULL;
	if (!st)
		return -1;
	snprintf(acc.id, sizeof(acc.id), "%s", ACC);
	snprintf(ns.name, sizeof(ns.name), "ns1");
	snprintf(ns.geo, sizeof(ns.geo), "US");
	if (store_account_create(st, &acc, T0) != STORE_OK ||
	    store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out) != STORE_OK)
		return -1;
	atomic_store(&vfs_shim.fail_writes, 0);
	return 0;
}

static void remove_files(void)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	char name[160];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
		unlink(name);
	}
	rmdir(tmpdir);
}

static int teardown(void **state)
{
	(void)state;
	atomic_store(&vfs_shim.fail_writes, 0);
	store_db_close(db);
	db = NULL;
	remove_files();
	return 0;
}

#define TEST_FX(sentence, fn)                                                                      \
	{                                                                                          \
		sentence, fn, setup, teardown, NULL                                                \
	}

static struct item_ref ref_of(const char *key)
{
	struct item_ref ref = {ACC, NETWORK_STAGING, "ns1", "", "g", key};

	return ref;
}

static enum store_status put(const char *key, const char *value)
{
	struct item_ref ref = ref_of(key);

	return store_item_put(st, &ref, value, strlen(value), "text/plain", T0, 0, 0);
}

/* Whether the item exists, read on the connection of the calling thread. */
static bool exists_on(struct store *on, const char *key)
{
	struct item_ref ref = ref_of(key);
	char ctype[STORE_CTYPE_MAX + 1];
	struct buf value = BUF_INIT;
	enum store_status status = store_item_get(on, &ref, T0, &value, ctype);

	buf_release(&value);
	assert_true(status == STORE_OK || status == STORE_NOT_FOUND);
	return status == STORE_OK;
}

static void *peek(void *arg)
{
	struct store *other = store_db_thread(db);

	*(int *)arg = other ? exists_on(other, "k1") : -1;
	return NULL;
}

/* Whether another thread, with a connection of its own, sees k1. */
static bool other_thread_sees_k1(void)
{
	pthread_t t;
	int seen = -1;

	assert_int_equal(pthread_create(&t, NULL, peek, &seen), 0);
	pthread_join(t, NULL);
	assert_int_not_equal(seen, -1);
	return seen == 1;
}

static long long file_size(const char *suffix)
{
	char name[160];
	struct stat sb;

	snprintf(name, sizeof(name), "%s%s", path, suffix);
	return stat(name, &sb) == 0 ? (long long)sb.st_size : -1;
}

static unsigned file_mode(const char *suffix)
{
	char name[160];
	struct stat sb;

	snprintf(name, sizeof(name), "%s%s", path, suffix);
	assert_int_equal(stat(name, &sb), 0);
	return (unsigned)(sb.st_mode & 07777);
}

static void files_are_readable_by_their_owner_only(void **state)
{
	(void)state;
	assert_int_equal(put("k1", "secret"), STORE_OK);
	assert_int_equal(file_mode(""), 0600);
	assert_int_equal(file_mode("-wal"), 0600);
	assert_int_equal(file_size("-shm"), -1); /* the WAL index is in memory */
}

static void an_existing_database_readable_by_others_is_narrowed(void **state)
{
	(void)state;
	store_db_close(db);
	assert_int_equal(chmod(path, 0644), 0);
	db = store_db_open(path, NEVER);
	assert_non_null(db);
	st = store_db_thread(db);
	assert_int_equal(file_mode(""), 0600);
}

/* 600 values of 1 KiB from key k<first>: a WAL of several megabytes (commits append pages). */
static void write_a_lot_from(int first)
{
	char key[32], value[1024];

	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	for (int i = first; i < first + 600; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(put(key, value), STORE_OK);
	}
}

static void write_a_lot(void)
{
	write_a_lot_from(0);
}

static void checkpoint_copies_the_wal_and_truncates_it_when_idle(void **state)
{
	long long db_before = file_size("");

	(void)state;
	write_a_lot();
	assert_true(file_size("-wal") > 1024LL * 1024);
	store_db_sweep(db, T0); /* there were writes: copy, keep the file */
	assert_true(file_size("") > db_before + 512LL * 1024);
	store_db_sweep(db, T0); /* nothing since: truncate */
	assert_int_equal(file_size("-wal"), 0);
	assert_true(exists_on(st, "k599"));
	/* Writing again starts the WAL over, and the next idle sweep truncates it again. */
	assert_int_equal(put("again", "x"), STORE_OK);
	assert_true(file_size("-wal") > 0);
	store_db_sweep(db, T0);
	store_db_sweep(db, T0);
	assert_int_equal(file_size("-wal"), 0);
}

static void an_idle_database_does_no_io(void **state)
{
	int writes, syncs, truncates;

	(void)state;
	write_a_lot();
	store_db_sweep(db, T0);
	store_db_sweep(db, T0);
	writes = atomic_load(&vfs_shim.writes);
	syncs = atomic_load(&vfs_shim.syncs);
	truncates = atomic_load(&vfs_shim.truncates);
	for (int i = 0; i < 5; i++)
		store_db_sweep(db, T0);
	assert_int_equal(atomic_load(&vfs_shim.writes), writes);
	assert_int_equal(atomic_load(&vfs_shim.syncs), syncs);
	assert_int_equal(atomic_load(&vfs_shim.truncates), truncates);
	/* Reading is not writing either. */
	assert_true(exists_on(st, "k1"));
	store_db_sweep(db, T0);
	assert_int_equal(atomic_load(&vfs_shim.writes), writes);
	assert_int_equal(atomic_load(&vfs_shim.syncs), syncs);
}

static void read_int(void *ctx, sqlite3_stmt *row)
{
	*(int *)ctx = sqlite3_column_int(row, 0);
}

/*
 * A database this start creates holds nothing worth a sync yet: it is built
 * without one, and its first connection then syncs like every other.
 */
static void a_new_database_is_built_without_syncs(void **state)
{
	int syncs, level = -1;

	(void)state;
	store_db_close(db); /* the fixture's; start over on a file that does not exist */
	db = NULL;
	remove_files();
	assert_int_equal(mkdir(tmpdir, 0700), 0);
	syncs = atomic_load(&vfs_shim.syncs);
	db = store_db_open(path, NEVER);
	assert_non_null(db);
	assert_int_equal(atomic_load(&vfs_shim.syncs), syncs);
	st = store_db_thread(db); /* the first connection, which built it */
	assert_non_null(st);
	assert_int_equal(sql_run(st->conn, "PRAGMA synchronous", read_int, &level), SQLITE_OK);
	assert_int_equal(level, 1); /* NORMAL */
}

/* Counts the lines of stderr that fn writes which contain needle. */
static int stderr_lines_with(void (*fn)(void), const char *needle)
{
	char name[160], line[512];
	int saved = dup(2), fd, n = 0;
	FILE *f;

	snprintf(name, sizeof(name), "%s/stderr.txt", tmpdir);
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
	fn();
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	f = fopen(name, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	unlink(name);
	return n;
}

static enum store_status three_puts[3];
static const char *full_key = "full";

static void three_failing_puts(void)
{
	for (int i = 0; i < 3; i++)
		three_puts[i] = put(full_key, "value");
}

static void full_disk_is_a_fault_logged_once_and_recovers(void **state)
{
	(void)state;
	atomic_store(&vfs_shim.fail_writes, SQLITE_FULL);
	assert_int_equal(stderr_lines_with(three_failing_puts, "database or disk is full"), 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(three_puts[i], STORE_ERROR);
	assert_int_equal(store_fault(st), STORE_FAULT_NO_SPACE);
	/* An unrelated error since the fault was cleared is not the disk's. */
	store_fault_clear(st);
	assert_int_equal(store_fault(st), STORE_FAULT_NONE);
	atomic_store(&vfs_shim.fail_writes, 0);
	assert_false(exists_on(st, "full"));
	assert_int_equal(put("full", "value"), STORE_OK); /* space is back: no restart */
	assert_true(exists_on(st, "full"));
	assert_int_equal(store_fault(st), STORE_FAULT_NONE);
	/* Once writes succeeded, the next full disk is logged again. */
	full_key = "full2"; /* an identical row would be no write at all */
	atomic_store(&vfs_shim.fail_writes, SQLITE_FULL);
	assert_int_equal(stderr_lines_with(three_failing_puts, "database or disk is full"), 1);
	assert_int_equal(three_puts[2], STORE_ERROR);
}

static void io_error_is_its_own_fault(void **state)
{
	(void)state;
	atomic_store(&vfs_shim.fail_writes, SQLITE_IOERR_WRITE);
	assert_int_equal(put("io", "value"), STORE_ERROR);
	assert_int_equal(store_fault(st), STORE_FAULT_IO);
	atomic_store(&vfs_shim.fail_writes, 0);
	assert_false(exists_on(st, "io"));
	assert_int_equal(put("io", "value"), STORE_OK);
	assert_true(exists_on(st, "io"));
}

static void failed_group_commit_leaves_nothing_of_the_batch(void **state)
{
	(void)state;
	assert_int_equal(put("k0", "zero"), STORE_OK);
	assert_int_equal(store_batch_begin(st), STORE_OK);
	assert_int_equal(put("k1", "one"), STORE_OK);
	assert_int_equal(put("k2", "two"), STORE_OK);
	assert_int_equal(
	        store_item_delete(
	                st, &(struct item_ref){ACC, NETWORK_STAGING, "ns1", "", "g", "k0"}, T0, 0),
	        STORE_OK);
	atomic_store(&vfs_shim.fail_writes, SQLITE_FULL); /* the disk fills before the commit */
	assert_int_equal(store_batch_end(st, true), STORE_ERROR);
	assert_int_equal(store_fault(st), STORE_FAULT_NO_SPACE);
	atomic_store(&vfs_shim.fail_writes, 0);
	assert_false(exists_on(st, "k1"));
	assert_false(exists_on(st, "k2"));
	assert_true(exists_on(st, "k0"));
	assert_false(other_thread_sees_k1());
	/* The writer goes on: the next batch commits. */
	assert_int_equal(store_batch_begin(st), STORE_OK);
	assert_int_equal(put("k1", "one"), STORE_OK);
	assert_int_equal(store_batch_end(st, true), STORE_OK);
	assert_true(other_thread_sees_k1());
}

/* Overwrites the pages from first (0-based) to the end with garbage. */
static void damage_pages(long long first)
{
	long long size = file_size("");
	FILE *f = fopen(path, "r+b");
	char junk[4096];

	assert_non_null(f);
	memset(junk, 0xA5, sizeof(junk));
	assert_true(size > 3LL * 4096);
	for (long long off = first * 4096; off < size; off += 4096) {
		assert_int_equal(fseek(f, (long)off, SEEK_SET), 0);
		assert_int_equal(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	}
	fclose(f);
}

/*
 * Writes, closes (which checkpoints everything into the file), and damages
 * every page but the first (the header and the schema's root), or only the
 * last one (item data: the schema still reads).
 */
static void close_and_damage(bool last_only)
{
	write_a_lot();
	store_db_close(db);
	db = NULL;
	assert_true(file_size("-wal") <= 0); /* empty, or removed with the last connection */
	damage_pages(last_only ? file_size("") / 4096 - 1 : 1);
}

static int logged_refusals;

static void open_refused(void)
{
	logged_refusals += store_db_open(path, NEVER) == NULL;
}

static void corrupt_database_is_refused_at_open(void **state)
{
	(void)state;
	close_and_damage(false);
	logged_refusals = 0;
	assert_int_equal(stderr_lines_with(open_refused, "restore it from a backup"), 1);
	assert_int_equal(logged_refusals, 1);
	/* The refusal changed nothing: still refused. */
	assert_null(store_db_open(path, NEVER));
}

static void damaged_data_page_is_found_by_the_check(void **state)
{
	(void)state;
	close_and_damage(true);
	logged_refusals = 0;
	assert_int_equal(stderr_lines_with(open_refused, "is corrupt ("), 1);
	assert_int_equal(logged_refusals, 1);
}

static void open_allowed(void)
{
	struct store_db *opened = store_db_open(path, NEVER);

	logged_refusals += opened == NULL;
	store_db_close(opened);
}

/* A column renamed by hand: statements are prepared on first use, yet the start refuses it. */
static void a_schema_edited_by_hand_is_refused_at_open(void **state)
{
	sqlite3 *raw = NULL;

	(void)state;
	store_db_close(db);
	db = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "ALTER TABLE item RENAME COLUMN content_type TO ctype",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
	logged_refusals = 0;
	assert_int_equal(stderr_lines_with(open_refused, "no such column: content_type"), 1);
	assert_int_equal(logged_refusals, 1);
}

/* The bound of the check: past 2 MiB the items are not checked at start (the rest is). */
static void a_large_store_starts_without_checking_its_items(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) /* 1800 values of 1 KiB: about 2.5 MiB */
		write_a_lot_from(round * 600);
	close_and_damage(true);
	logged_refusals = 0;
	assert_int_equal(stderr_lines_with(open_allowed, "its items are not checked at start"), 1);
	assert_int_equal(logged_refusals, 0);
}

/* Statements are prepared on first use, so a typo in one would show only when it runs. */
static void every_statement_prepares_on_the_migrated_schema(void **state)
{
	(void)state;
	assert_int_equal(stmt_prepare_all(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST_FX("every statement of statements.def prepares on the migrated schema",
	                every_statement_prepares_on_the_migrated_schema),
	        TEST_FX("a database and its WAL are readable by their owner only, and there is no "
	                "shared-memory file",
	                files_are_readable_by_their_owner_only),
	        TEST_FX("an existing database readable by others is narrowed to its owner",
	                an_existing_database_readable_by_others_is_narrowed),
	        TEST_FX("the checkpointer copies the WAL into the database and truncates it to "
	                "zero once idle",
	                checkpoint_copies_the_wal_and_truncates_it_when_idle),
	        TEST_FX("a new database is built without syncs, then syncs as usual",
	                a_new_database_is_built_without_syncs),
	        TEST_FX("an idle database neither writes, syncs nor truncates",
	                an_idle_database_does_no_io),
	        TEST_FX("a full disk fails writes as NO_SPACE, logged once, and writes succeed "
	                "again once space is back",
	                full_disk_is_a_fault_logged_once_and_recovers),
	        TEST_FX("an I/O error is the IO fault, and writes succeed once it passes",
	                io_error_is_its_own_fault),
	        TEST_FX("a group commit that fails leaves nothing of its batch, and the next one "
	                "commits",
	                failed_group_commit_leaves_nothing_of_the_batch),
	        TEST_FX("a database with damaged pages is refused at open, saying what to do",
	                corrupt_database_is_refused_at_open),
	        TEST_FX("one damaged data page is found by the start-up check",
	                damaged_data_page_is_found_by_the_check),
	        TEST_FX("a schema edited by hand is refused at open, naming what does not prepare",
	                a_schema_edited_by_hand_is_refused_at_open),
	        TEST_FX("a store over 2 MiB starts without its items checked",
	                a_large_store_starts_without_checking_its_items),
	};

	if (vfs_shim_install() != SQLITE_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
