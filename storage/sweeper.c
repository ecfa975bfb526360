/*
 * The sweeper: one background thread per database that, every sweep_ms,
 * deletes the namespaces whose scheduled delete has come and the expired
 * items (reads already ignore both: this only keeps the file from growing),
 * then checkpoints the WAL. A commit that finds the WAL long wakes it early
 * for a checkpoint alone.
 */
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "storage/internal.h"

/* Scheduled namespace deletes carried out per sweep; the rest wait for the next. */
#define SWEEP_NAMESPACES 100

void sweeper_adopt(struct store_db *db, struct store *st)
{
	pthread_mutex_lock(&db->list_lock);
	if (!db->sweeper) {
		connection_shed(st); /* the sweeper uses few statements and two or three pages */
		db->sweeper = st;
		st = NULL;
	}
	pthread_mutex_unlock(&db->list_lock);
	connection_free(st);
}

bool sweeper_connection(struct store_db *db)
{
	struct store *st;
	sqlite3 *conn;

	pthread_mutex_lock(&db->list_lock);
	st = db->sweeper;
	pthread_mutex_unlock(&db->list_lock);
	if (st)
		return true;
	conn = connection_open(db); /* logged when it cannot: tried again at the next sweep */
	if (!conn)
		return false;
	/* If a thread gave up its own meanwhile, that one is the sweeper's and this one goes. */
	sweeper_adopt(db, connection_new(db, conn));
	return true;
}

static void sweep(struct store_db *db, int64_t now_ms)
{
	meta_changed(db); /* bounds how long a write that forgot to move it goes unseen */
	namespaces_sweep(db->sweeper, now_ms, SWEEP_NAMESPACES);
	items_sweep(db->sweeper, now_ms);
	if (!db->in_memory)
		checkpoint_run(db);
}

void store_db_sweep(struct store_db *db, int64_t now_ms)
{
	pthread_mutex_lock(&db->sweeper_lock);
	if (sweeper_connection(db))
		sweep(db, now_ms);
	pthread_mutex_unlock(&db->sweeper_lock);
}

/* Waits, with wake_lock held, until wait_ms have passed or someone signals. */
static void wait_ms_locked(struct store_db *db, int64_t wait_ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (wait_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&db->wake_cond, &db->wake_lock, &until);
}

static void *sweeper_main(void *arg)
{
	struct store_db *db = arg;
	int64_t next_sweep = clock_monotonic_ms() + db->sweep_ms;

	pthread_mutex_lock(&db->wake_lock);
	while (!db->stopping) {
		int64_t wait_ms = next_sweep - clock_monotonic_ms();
		bool due;

		if (wait_ms > 0 && !atomic_load(&db->checkpoint_asked))
			wait_ms_locked(db, wait_ms);
		if (db->stopping)
			break;
		pthread_mutex_unlock(&db->wake_lock);
		due = clock_monotonic_ms() >= next_sweep;
		pthread_mutex_lock(&db->sweeper_lock);
		if (due) {
			struct clock *clk = atomic_load(&db->clock);

			if (sweeper_connection(db))
				sweep(db, clk ? clock_now_ms(clk) : clock_wall_ms());
			next_sweep = clock_monotonic_ms() + db->sweep_ms;
		} else if (!db->in_memory && sweeper_connection(db)) {
			checkpoint_run(db);
		}
		pthread_mutex_unlock(&db->sweeper_lock);
		/* After: a commit that still finds the WAL long asks again. */
		atomic_store(&db->checkpoint_asked, false);
		pthread_mutex_lock(&db->wake_lock);
	}
	pthread_mutex_unlock(&db->wake_lock);
	return NULL;
}

int sweeper_start(struct store_db *db)
{
	if (pthread_create(&db->thread, NULL, sweeper_main, db) != 0) {
		log_error("store: cannot start the sweeper thread");
		return -1;
	}
	db->thread_started = true;
	return 0;
}

void sweeper_stop(struct store_db *db)
{
	if (!db->thread_started)
		return;
	pthread_mutex_lock(&db->wake_lock);
	db->stopping = true;
	pthread_cond_signal(&db->wake_cond);
	pthread_mutex_unlock(&db->wake_lock);
	pthread_join(db->thread, NULL);
	db->thread_started = false;
}

void store_db_set_clock(struct store_db *db, struct clock *clock)
{
	if (db)
		atomic_store(&db->clock, clock);
}
