/*
 * The schema: its migrations, the one place with SQL outside statements.def
 * (data definition, run once per database at open).
 */
#include "storage/internal.h"

#include <stdio.h>

#include "base/log.h"

/*
 * Append-only: step N takes the database from user_version N-1 to N; the
 * steps a database lacks run together in one transaction. Never edit a
 * shipped step; add one.
 */
static const char *const migrations[] = {
        /* 1: accounts, namespaces, items */
        "CREATE TABLE account ("
        "  id TEXT PRIMARY KEY,"
        "  status TEXT NOT NULL,"
        "  cpcode TEXT NOT NULL,"
        "  restrict_data_access INTEGER,"
        "  allow_override INTEGER,"
        "  standard_tls INTEGER NOT NULL,"
        "  created_at INTEGER NOT NULL"
        ") STRICT;"
        "CREATE TABLE namespace ("
        "  account TEXT NOT NULL,"
        "  network TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  retention_s INTEGER NOT NULL,"
        "  group_id INTEGER NOT NULL,"
        "  geo TEXT NOT NULL,"
        "  restrict_data_access INTEGER NOT NULL,"
        "  policy_type TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  delete_at INTEGER,"
        "  PRIMARY KEY (account, network, name)"
        ") STRICT;"
        "CREATE TABLE item ("
        "  account TEXT NOT NULL,"
        "  network TEXT NOT NULL,"
        "  namespace TEXT NOT NULL,"
        "  sandbox TEXT NOT NULL,"
        "  grp TEXT NOT NULL,"
        "  key TEXT NOT NULL,"
        "  written_at INTEGER NOT NULL,"
        "  expires_at INTEGER,"
        "  value BLOB NOT NULL,"
        "  content_type TEXT NOT NULL,"
        "  PRIMARY KEY (account, network, namespace, sandbox, grp, key)"
        ") STRICT;"
        "CREATE INDEX item_expiry ON item (expires_at) WHERE expires_at IS NOT NULL;",

        /* 2: identities: access groups, users, API clients */
        "ALTER TABLE account ADD COLUMN cpcode_group INTEGER;"
        "CREATE TABLE access_group ("
        "  account TEXT NOT NULL,"
        "  group_id INTEGER NOT NULL,"
        "  name TEXT NOT NULL,"
        "  parent_id INTEGER,"
        "  PRIMARY KEY (account, group_id)"
        ") STRICT;"
        "CREATE TABLE app_user ("
        "  account TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  email TEXT NOT NULL,"
        "  roles TEXT NOT NULL,"
        "  PRIMARY KEY (account, name)"
        ") STRICT;"
        "CREATE TABLE api_client ("
        "  client_token TEXT PRIMARY KEY,"
        "  access_token TEXT NOT NULL,"
        "  secret TEXT NOT NULL,"
        "  account TEXT NOT NULL,"
        "  user TEXT NOT NULL,"
        "  grant TEXT NOT NULL,"
        "  roles TEXT NOT NULL,"
        "  switch_accounts TEXT NOT NULL,"
        "  active INTEGER NOT NULL,"
        "  created_at INTEGER NOT NULL"
        ") STRICT;",
        /* 3: access tokens, their settings, the signing key, expiry notifications */
        "CREATE TABLE token ("
        "  id INTEGER PRIMARY KEY,"
        "  account TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  uuid TEXT NOT NULL UNIQUE,"
        "  legacy INTEGER NOT NULL,"
        "  issued_at INTEGER NOT NULL,"
        "  expiry_day INTEGER NOT NULL,"
        "  allow_production INTEGER NOT NULL,"
        "  allow_staging INTEGER NOT NULL,"
        "  ewids TEXT NOT NULL,"
        "  cpcode TEXT NOT NULL,"
        "  value TEXT NOT NULL,"
        "  active_at INTEGER NOT NULL,"
        "  refreshed_at INTEGER,"
        "  busy_until INTEGER NOT NULL,"
        "  revoked_at INTEGER"
        ") STRICT;"
        "CREATE INDEX token_name ON token (account, name);"
        "CREATE INDEX token_expiry ON token (expiry_day) WHERE legacy = 1;"
        "CREATE TABLE token_namespace ("
        "  token INTEGER NOT NULL REFERENCES token (id),"
        "  position INTEGER NOT NULL,"
        "  namespace TEXT NOT NULL,"
        "  letters TEXT NOT NULL,"
        "  PRIMARY KEY (token, namespace)"
        ") STRICT;"
        "CREATE TABLE token_settings ("
        "  account TEXT PRIMARY KEY,"
        "  workflow TEXT,"
        "  token_limit INTEGER NOT NULL,"
        "  activation_delay INTEGER NOT NULL,"
        "  contact_email TEXT NOT NULL,"
        "  contact_registered INTEGER NOT NULL,"
        "  contact_active INTEGER NOT NULL"
        ") STRICT;"
        "CREATE TABLE secret ("
        "  name TEXT PRIMARY KEY,"
        "  text TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL"
        ") STRICT;"
        "CREATE TABLE notice_check ("
        "  id INTEGER PRIMARY KEY CHECK (id = 1),"
        "  last_check INTEGER NOT NULL"
        ") STRICT;"
        "CREATE TABLE notice ("
        "  id INTEGER PRIMARY KEY,"
        "  account TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  days INTEGER NOT NULL,"
        "  channel TEXT NOT NULL,"
        "  recipient TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  body TEXT NOT NULL,"
        "  tokens TEXT NOT NULL"
        ") STRICT;"
        "CREATE INDEX notice_account ON notice (account, id);",

        /*
         * 4: testing controls. Consistency delays are data: a write
         * is invisible until visible_at, a delayed delete keeps the old value
         * (deleted = 1) until its expires_at. A retention change applies from
         * retention_from; data written before then keeps old_retention_s.
         */
        "ALTER TABLE item ADD COLUMN visible_at INTEGER;"
        "ALTER TABLE item ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;"
        "CREATE INDEX item_pending ON item (account) WHERE visible_at IS NOT NULL OR deleted = 1;"
        "ALTER TABLE namespace ADD COLUMN old_retention_s INTEGER;"
        "ALTER TABLE namespace ADD COLUMN retention_from INTEGER;",

        /*
         * 5: bulk upload jobs. A job reads its CSV (a file in the upload
         * folder) from offset_bytes on; each batch of records commits its
         * items together with the job's counts and offset, so a restart
         * resumes exactly where the last commit left it. Failed records
         * keep their number and message (up to a cap per job).
         */
        "CREATE TABLE bulk_job ("
        "  account TEXT NOT NULL,"
        "  id TEXT NOT NULL,"
        "  network TEXT NOT NULL,"
        "  namespace TEXT NOT NULL,"
        "  sandbox TEXT NOT NULL,"
        "  dry_run INTEGER NOT NULL,"
        "  max_items INTEGER NOT NULL,"
        "  status TEXT NOT NULL,"
        "  records INTEGER NOT NULL,"
        "  successes INTEGER NOT NULL,"
        "  errors INTEGER NOT NULL,"
        "  offset_bytes INTEGER NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  completed_at INTEGER,"
        "  file TEXT NOT NULL,"
        "  PRIMARY KEY (account, id)"
        ") STRICT;"
        "CREATE INDEX bulk_job_namespace ON bulk_job (account, network, namespace, created_at);"
        "CREATE INDEX bulk_job_running ON bulk_job (created_at) WHERE status = 'STARTED';"
        "CREATE TABLE bulk_job_error ("
        "  account TEXT NOT NULL,"
        "  job TEXT NOT NULL,"
        "  record INTEGER NOT NULL,"
        "  message TEXT NOT NULL,"
        "  PRIMARY KEY (account, job, record)"
        ") STRICT;",
};

#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

static void read_int(void *ctx, sqlite3_stmt *row)
{
	*(int *)ctx = sqlite3_column_int(row, 0);
}

/*
 * Steps from + 1 to MIGRATION_COUNT and the version that records them, in one
 * transaction (a new database replays every step: one commit, not one per
 * step); a SQLite code. A failure leaves the database as it was.
 */
static int migrate_steps(sqlite3 *conn, int from)
{
	char setv[64];
	int rc, v = from;

	snprintf(setv, sizeof(setv), "%s%d", setup_text(SETUP_SET_USER_VERSION), MIGRATION_COUNT);
	rc = setup_run(conn, SETUP_BEGIN, NULL, NULL, false);
	if (rc != SQLITE_OK)
		return rc;
	for (; v < MIGRATION_COUNT; v++) {
		rc = sql_run(conn, migrations[v], NULL, NULL);
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
