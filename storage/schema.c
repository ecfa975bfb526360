/*
 * The schema: its steps, the one place with SQL outside statements.def (data
 * definition). migrations.c runs them; tools/mkschema.c replays them at build
 * time into the baseline a new database is made from (storage/schema.h).
 */
#include "storage/schema.h"

/*
 * Append-only: step N takes the database from user_version N-1 to N; the
 * steps a database lacks run together in one transaction. Never edit a
 * shipped step; add one.
 */
const char *const schema_steps[] = {
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

const int schema_step_count = (int)(sizeof(schema_steps) / sizeof(schema_steps[0]));
