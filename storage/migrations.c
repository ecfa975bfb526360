/*
 * Migrations: a database's schema brought to the last step of
 * storage/schema.c, once per database at open.
 */
#include "storage/internal.h"

#include <stdio.h>

#include "base/log.h"
#include "storage/schema.h"

#define MIGRATION_COUNT schema_step_count

static void read_int(void *ctx, sqlite3_stmt *row)
{
	*(int *)ctx = sqlite3_column_int(row, 0);
}

/*
 * Steps from + 1 to MIGRATION_COUNT and the version that records them, in one
 * transaction; a SQLite code. A new database gets the baseline instead, the
 * same schema made in one script (storage/schema.h). A failure leaves the
 * database as it was.
 */
static int migrate_steps(sqlite3 *conn, int from)
{
	char setv[64];
	int rc, v = from;

	snprintf(setv, sizeof(setv), "%s%d", setup_text(SETUP_SET_USER_VERSION), MIGRATION_COUNT);
	rc = setup_run(conn, SETUP_BEGIN, NULL, NULL, false);
	if (rc != SQLITE_OK)
		return rc;
	if (from == 0 && schema_baseline_version == MIGRATION_COUNT) {
		for (int i = 0; rc == SQLITE_OK && schema_baseline[i]; i++)
			rc = sql_run(conn, schema_baseline[i], NULL, NULL);
		if (rc == SQLITE_OK)
			v = MIGRATION_COUNT;
		else
			log_error("the schema could not be made: %s", sqlite3_errmsg(conn));
	}
	for (; rc == SQLITE_OK && v < MIGRATION_COUNT; v++) {
		rc = sql_run(conn, schema_steps[v], NULL, NULL);
		if (rc != SQLITE_OK) {
			log_error("migration %d failed: %s", v + 1, sqlite3_errmsg(conn));
			break;
		}
	}
	if (rc == SQLITE_OK && (rc = sql_run(conn, setv, NULL, NULL)) == SQLITE_OK)
		rc = setup_run(conn, SETUP_COMMIT, NULL, NULL, true);
	if (rc != SQLITE_OK && v == MIGRATION_COUNT) /* every step ran: recording them failed */
		log_error("migrations %d-%d could not be committed: %s", from + 1, MIGRATION_COUNT,
		          sqlite3_errmsg(conn));
	if (rc != SQLITE_OK)
		setup_run(conn, SETUP_ROLLBACK, NULL, NULL, true);
	return rc;
}

int store_migrate(sqlite3 *conn, int *found)
{
	int v = -1;

	if (setup_run(conn, SETUP_USER_VERSION, read_int, &v, false) != SQLITE_OK || v < 0)
		return -1;
	*found = v;
	if (v > MIGRATION_COUNT) {
		log_error("database schema version %d is newer than this binary (%d)", v,
		          MIGRATION_COUNT);
		return -1;
	}
	return v == MIGRATION_COUNT || migrate_steps(conn, v) == SQLITE_OK ? 0 : -1;
}
