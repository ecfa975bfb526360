/*
 * The WAL checkpointer, run by the sweeper thread on its own connection:
 * copies the WAL into the database while requests go on, and truncates the
 * WAL once nothing has been written for a whole sweep, so that an idle
 * server neither keeps a large WAL nor syncs anything.
 */
#include "base/log.h"
#include "storage/internal.h"

/* Unlocked checkpoint passes before the locked one, and the gap that ends them early. */
#define CHECKPOINT_PASSES      4
#define CHECKPOINT_TAIL_FRAMES 256
/* Unlocked passes after a sync of the database file, before the locked one. */
#define CHECKPOINT_SYNCED_PASSES 2

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

/* One PASSIVE pass: *frames is the WAL's length, *copied how much of it is in the database. */
static int checkpoint_pass(sqlite3 *conn, int *frames, int *copied)
{
	return sqlite3_wal_checkpoint_v2(conn, NULL, SQLITE_CHECKPOINT_PASSIVE, frames, copied);
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
 * database after. *frames comes from a first pass already made.
 */
static int copy_wal(struct store_db *db, int *frames)
{
	sqlite3 *conn = db->sweeper->conn;
	int rc = SQLITE_OK, before = -1, copied = 0;

	/* *frames is the WAL's length when a pass starts: what came in during the previous one. */
	for (int pass = 1; pass<CHECKPOINT_PASSES && * frames - before> CHECKPOINT_TAIL_FRAMES;
	     pass++) {
		before = *frames;
		rc = checkpoint_pass(conn, frames, &copied);
		if (rc != SQLITE_OK)
			return rc;
	}
	for (int pass = 0; pass < CHECKPOINT_SYNCED_PASSES && rc == SQLITE_OK; pass++) {
		sync_files(conn);
		rc = checkpoint_pass(conn, frames, &copied);
	}
	if (rc == SQLITE_OK) {
		sync_files(conn);
		write_lock_take(db);
		rc = checkpoint_pass(conn, frames, &copied);
		pthread_mutex_unlock(&db->write_lock);
	}
	return rc;
}

/*
 * Under the write mutex, so no writer of this process waits on SQLite's busy
 * loop. A truncation also waits for every reader to leave the WAL; while
 * idle (wait false) it does not: a long read (an export) must not hold the
 * write mutex through the busy timeout. SQLITE_BUSY then, and the next idle
 * sweep tries again.
 */
static int truncate_wal(struct store_db *db, bool wait)
{
	sqlite3 *conn = db->sweeper->conn;
	int rc;

	write_lock_take(db);
	if (!wait)
		sqlite3_busy_timeout(conn, 0);
	rc = sqlite3_wal_checkpoint_v2(conn, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (!wait)
		sqlite3_busy_timeout(conn, CONNECTION_BUSY_MS);
	pthread_mutex_unlock(&db->write_lock);
	return rc;
}

/*
 * A full disk fails every checkpoint, once a second, while writes may still
 * find room in the WAL: logged once until a checkpoint succeeds again, apart
 * from the writes' own log line (transaction.c).
 */
static void checkpoint_report(struct store_db *db, int rc)
{
	if (rc == SQLITE_OK && db->checkpoint_failing) {
		db->checkpoint_failing = false;
		log_info("store: checkpoints succeed again");
	} else if (rc != SQLITE_OK && rc != SQLITE_BUSY && !db->checkpoint_failing) {
		db->checkpoint_failing = true;
		log_error("store: checkpoint failed: %s (%d); not logged again until one succeeds",
		          sqlite3_errstr(rc), rc);
	}
}

/*
 * Runs once per sweep, and sooner when a commit finds the WAL long
 * (connection.c). A pass that finds every frame copied costs no I/O; when
 * the WAL has not moved since the previous run, the server is idle: one
 * truncation, and from then on an empty WAL is nothing to do.
 */
void checkpoint_run(struct store_db *db)
{
	int frames = 0, copied = 0;
	int rc = checkpoint_pass(db->sweeper->conn, &frames, &copied);

	if (rc == SQLITE_OK && frames > 0 && copied < frames)
		rc = copy_wal(db, &frames);
	else if (rc == SQLITE_OK && frames > 0 && frames == db->wal_frames_seen)
		rc = truncate_wal(db, false);
	checkpoint_report(db, rc);
	db->wal_frames_seen = rc == SQLITE_OK ? frames : -1;
}

void checkpoint_truncate(struct store_db *db)
{
	int rc = truncate_wal(db, true);

	if (rc != SQLITE_OK)
		store_failed(db->sweeper, rc, "checkpoint");
}
