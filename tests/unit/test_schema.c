/*
 * The schema baseline a new database is made from (storage/schema.h): the
 * same schema as replaying every step, and an older database still climbs
 * the steps from where it is.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "storage/schema.h"
#include "storage/store.h"
#include "tests/unit/unit.h"

/* Every object of conn's schema, one line each, in name order; the caller frees. */
static char *schema_of(sqlite3 *conn)
{
	struct buf out;
	sqlite3_stmt *q = NULL;

	buf_init(&out);
	assert_int_equal(sqlite3_prepare_v2(conn,
	                                    "SELECT type, name, tbl_name, coalesce(sql, '-')"
	                                    " FROM sqlite_schema ORDER BY name",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW)
		buf_addf(&out, "%s %s %s %s\n", sqlite3_column_text(q, 0),
		         sqlite3_column_text(q, 1), sqlite3_column_text(q, 2),
		         sqlite3_column_text(q, 3));
	assert_int_equal(sqlite3_finalize(q), SQLITE_OK);
	return buf_detach(&out, NULL);
}

static void run(sqlite3 *conn, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(conn, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* The schema the first n steps leave on an empty database; the caller frees. */
static char *schema_after_steps(int n)
{
	sqlite3 *conn = NULL;
	char *schema;

	assert_int_equal(sqlite3_open(":memory:", &conn), SQLITE_OK);
	for (int i = 0; i < n; i++)
		run(conn, schema_steps[i]);
	schema = schema_of(conn);
	assert_int_equal(sqlite3_close(conn), SQLITE_OK);
	return schema;
}

static void baseline_is_the_steps_replayed(void **state)
{
	sqlite3 *conn = NULL;
	char *steps = schema_after_steps(schema_step_count), *baseline;

	(void)state;
	/* A generated file older than storage/schema.c would differ here first. */
	assert_int_equal(schema_baseline_version, schema_step_count);
	assert_int_equal(sqlite3_open(":memory:", &conn), SQLITE_OK);
	for (int i = 0; schema_baseline[i]; i++)
		run(conn, schema_baseline[i]);
	baseline = schema_of(conn);
	assert_int_equal(sqlite3_close(conn), SQLITE_OK);
	assert_true(strstr(steps, "table item item ") != NULL);
	assert_string_equal(baseline, steps);
	free(baseline);
	free(steps);
}

static int pragma_int(sqlite3 *conn, const char *sql)
{
	sqlite3_stmt *q = NULL;
	int v;

	assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int(q, 0);
	assert_int_equal(sqlite3_finalize(q), SQLITE_OK);
	return v;
}

/*
 * The file's schema; *version its user_version, *changes its schema_version
 * (SQLite adds one for each CREATE, and more for an ALTER TABLE).
 */
static char *schema_of_file(const char *path, int *version, int *changes)
{
	sqlite3 *conn = NULL;
	char *schema;

	assert_int_equal(sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	*version = pragma_int(conn, "PRAGMA user_version");
	*changes = pragma_int(conn, "PRAGMA schema_version");
	schema = schema_of(conn);
	assert_int_equal(sqlite3_close(conn), SQLITE_OK);
	return schema;
}

/* The database and the files beside it that SQLite makes (-shm: a plain reader's). */
static void remove_db(const char *path)
{
	static const char *const sides[] = {"", "-wal", "-shm"};
	char name[320];

	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, sides[i]);
		unlink(name);
	}
}

/* A new file gets the baseline; one made by an older binary takes the steps it lacks. */
static void new_and_older_databases_end_with_one_schema(void **state)
{
	char dir[] = "/tmp/ekv-schema-XXXXXX", path[300];
	char *steps, *got;
	struct store_db *db;
	int version = -1, changes = -1, statements = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/new.db", dir);
	/* The store first: it configures SQLite, which must happen before any other use. */
	db = store_db_open(path, 60000);
	assert_non_null(db);
	store_db_close(db);
	steps = schema_after_steps(schema_step_count);
	got = schema_of_file(path, &version, &changes);
	assert_int_equal(version, schema_step_count);
	assert_string_equal(got, steps);
	/* Made by the baseline, one change per statement, not by replaying the steps. */
	while (schema_baseline[statements])
		statements++;
	assert_int_equal(changes, statements);
	free(got);
	remove_db(path);

	for (int from = 1; from < schema_step_count; from++) {
		sqlite3 *conn = NULL;
		char setv[64];

		assert_int_equal(sqlite3_open(path, &conn), SQLITE_OK);
		for (int i = 0; i < from; i++)
			run(conn, schema_steps[i]);
		snprintf(setv, sizeof(setv), "PRAGMA user_version = %d", from);
		run(conn, setv);
		assert_int_equal(sqlite3_close(conn), SQLITE_OK);
		db = store_db_open(path, 60000);
		assert_non_null(db);
		store_db_close(db);
		got = schema_of_file(path, &version, &changes);
		assert_int_equal(version, schema_step_count);
		assert_string_equal(got, steps);
		free(got);
		remove_db(path);
	}
	free(steps);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("a new database and one of every older version end with the same schema",
	             new_and_older_databases_end_with_one_schema),
	        TEST("the baseline makes the schema that replaying every step makes",
	             baseline_is_the_steps_replayed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
