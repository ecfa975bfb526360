/*
 * The start-up integrity check: SQLite's quick_check, one table at a time.
 * Every table but the items is small and holds what every request needs
 * (accounts, identities, tokens, settings, the signing key): always checked.
 * The items are the bulk, and SQLite cannot stop a table's check midway, so
 * they are checked only while the file is at most INTEGRITY_ITEMS_MIB MiB:
 * a restart stays fast on a large store (docs/performance.md: cold start),
 * and the bound is the same on a busy machine as on an idle one. A damaged
 * database is refused before the server answers anything, rather than
 * failing some requests later.
 */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "storage/internal.h"

/* About 20 ms of checking on the 2-core machine of docs/performance.md. */
#define INTEGRITY_ITEMS_MIB 2
#define TABLES_MAX          64

struct check {
	bool ok;
	char first[256]; /* the first problem SQLite names */
	int64_t bytes;   /* the file's size */
	int tables;
	char names[TABLES_MAX][64];
};

static void on_bytes(void *ctx, sqlite3_stmt *row)
{
	struct check *c = ctx;

	c->bytes = sqlite3_column_int64(row, 0);
}

static void on_table(void *ctx, sqlite3_stmt *row)
{
	struct check *c = ctx;

	if (c->tables < TABLES_MAX)
		snprintf(c->names[c->tables++], sizeof(c->names[0]), "%s",
		         (const char *)sqlite3_column_text(row, 0));
}

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

/* Every table in turn while nothing is found, the items only in a small file; a SQLite code. */
static int check_tables(sqlite3 *conn, struct check *c, const char *path)
{
	int rc = setup_query(conn, SETUP_CHECK_TABLES, NULL, on_table, c);

	if (rc == SQLITE_OK)
		rc = setup_query(conn, SETUP_CHECK_BYTES, NULL, on_bytes, c);
	for (int i = 0; i < c->tables && rc == SQLITE_OK && c->ok; i++) {
		if (strcmp(c->names[i], "item") == 0 &&
		    c->bytes > (int64_t)INTEGRITY_ITEMS_MIB * 1024 * 1024) {
			log_info("store: '%s' is over %d MiB: its items are not checked at start",
			         path, INTEGRITY_ITEMS_MIB);
			continue;
		}
		rc = setup_query(conn, SETUP_QUICK_CHECK, c->names[i], on_row, c);
	}
	return rc;
}

int integrity_check(sqlite3 *conn, const char *path)
{
	struct check c = {.ok = true};
	int rc = check_tables(conn, &c, path);

	/* SQLite reports some damage as findings, some as a failure of the check itself. */
	if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
		snprintf(c.first, sizeof(c.first), "%s", sqlite3_errmsg(conn));
		c.ok = false;
	} else if (rc != SQLITE_OK) {
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
