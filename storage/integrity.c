/*
 * The start-up integrity check: SQLite's quick_check over the whole file,
 * stopped after INTEGRITY_CHECK_MS so that a large store still starts in
 * bounded time. A damaged database is refused before the server answers
 * anything, rather than failing some requests later.
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "storage/internal.h"

#define INTEGRITY_CHECK_MS 2000

struct check {
	bool ok;
	char first[256]; /* the first problem SQLite names */
};

static void on_row(void *ctx, sqlite3_stmt *row)
{
	struct check *c = ctx;
	const char *text = (const char *)sqlite3_column_text(row, 0);

	if (text && strcmp(text, "ok") == 0)
		return;
	if (c->ok) { /* on one line: SQLite's text may hold several */
		snprintf(c->first, sizeof(c->first), "%s", text ? text : "");
		for (char *p = strchr(c->first, '\n'); p; p = strchr(p, '\n'))
			*p = ' ';
	}
	c->ok = false;
}

/* sqlite3_progress_handler: non-zero interrupts the check. */
static int past_deadline(void *arg)
{
	const int64_t *deadline = arg;

	return clock_monotonic_ms() > *deadline;
}

int integrity_check(sqlite3 *conn, const char *path)
{
	int64_t deadline = clock_monotonic_ms() + INTEGRITY_CHECK_MS;
	struct check c = {true, ""};
	int rc;

	sqlite3_progress_handler(conn, 10000, past_deadline, &deadline);
	rc = setup_run(conn, SETUP_QUICK_CHECK, on_row, &c, true);
	sqlite3_progress_handler(conn, 0, NULL, NULL);
	if (rc == SQLITE_INTERRUPT) {
		log_info("store: integrity check of '%s' stopped after %d ms; the rest is not "
		         "checked",
		         path, INTEGRITY_CHECK_MS);
		return 0;
	}
	if (rc != SQLITE_OK) {
		log_error(
		        "store: the database '%s' cannot be read: %s; restore it from a backup or "
		        "move it away to start empty",
		        path, sqlite3_errmsg(conn));
		return -1;
	}
	if (!c.ok) {
		log_error("store: the database '%s' is corrupt (%s); restore it from a backup or "
		          "move it away to start empty",
		          path, c.first);
		return -1;
	}
	return 0;
}
