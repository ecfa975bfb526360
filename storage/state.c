/* Whole-account operations of the testing controls: reset and export. */
#include "storage/store.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "storage/internal.h"

#define TABLES_MAX 64

/* The user tables and whether each has an account column (account itself is keyed by id). */
static int list_tables(struct store *st, char names[][64], bool *has_account, int *count)
{
	sqlite3_stmt *q;
	int rc, n = 0;

	rc = sqlite3_prepare_v2(
	        st->conn,
	        "SELECT t.name, EXISTS (SELECT 1 FROM pragma_table_info(t.name) AS c"
	        " WHERE c.name = 'account') FROM sqlite_schema AS t"
	        " WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'"
	        " ORDER BY t.name",
	        -1, &q, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < TABLES_MAX) {
		snprintf(names[n], 64, "%s", (const char *)sqlite3_column_text(q, 0));
		has_account[n] = sqlite3_column_int(q, 1) != 0;
		n++;
	}
	sqlite3_finalize(q);
	*count = n;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int exec_bound(struct store *st, const char *sql, const char *account)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(st->conn, sql, -1, &q, NULL);

	if (rc != SQLITE_OK)
		return rc;
	if (account)
		sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc;
}

/*
 * Generic over the schema, so that tables later issues add (tokens) are
 * reset too without a change here.
 */
/*
 * Rows of tables without an account column that belong to an account
 * through a foreign key (token_namespace → token): deleted first, so the
 * parents can go without breaking the key.
 */
static int delete_children(struct store *st, const char *account, char names[][64],
                           const bool *has_account, int n)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(st->conn,
	                            "SELECT t.name, f.\"table\", f.\"from\", f.\"to\""
	                            " FROM sqlite_schema AS t, pragma_foreign_key_list(t.name) AS f"
	                            " WHERE t.type = 'table'",
	                            -1, &q, NULL);

	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *child = (const char *)sqlite3_column_text(q, 0);
		const char *parent = (const char *)sqlite3_column_text(q, 1);
		bool child_scoped = false, parent_scoped = false;
		char sql[512];
		int erc;

		for (int i = 0; i < n; i++) {
			if (strcmp(names[i], child) == 0)
				child_scoped = has_account[i];
			if (strcmp(names[i], parent) == 0)
				parent_scoped = has_account[i];
		}
		if (child_scoped || !parent_scoped)
			continue;
		snprintf(sql, sizeof(sql),
		         "DELETE FROM \"%.63s\" WHERE \"%.63s\" IN (SELECT \"%.63s\" FROM"
		         " \"%.63s\" WHERE account = ?1)",
		         child, (const char *)sqlite3_column_text(q, 2),
		         (const char *)sqlite3_column_text(q, 3), parent);
		erc = exec_bound(st, sql, account);
		if (erc != SQLITE_DONE) {
			rc = erc;
			break;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The identity tables a data-only reset keeps. */
static bool identity_table(const char *name)
{
	return strcmp(name, "account") == 0 || strcmp(name, "access_group") == 0 ||
	       strcmp(name, "app_user") == 0 || strcmp(name, "api_client") == 0;
}

/* The default namespace on both networks of an initialized account (docs/behaviour.md §4.2). */
static int recreate_defaults(struct store *st, const char *account, int64_t now_ms)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(
	        st->conn,
	        "INSERT INTO namespace (account, network, name, retention_s, group_id, geo,"
	        " restrict_data_access, policy_type, created_at) SELECT id, n.network, 'default',"
	        " ?2, 0, 'US', coalesce(restrict_data_access, 1), 'inherited', ?3 FROM account,"
	        " (SELECT 'staging' AS network UNION ALL SELECT 'production') AS n"
	        " WHERE id = ?1 AND status = 'INITIALIZED'",
	        -1, &q, NULL);

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, STORE_DEFAULT_RETENTION_S);
	sqlite3_bind_int64(q, 3, now_ms);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum store_status store_reset(struct store *st, const char *account, bool keep_identity,
                              int64_t now_ms)
{
	char names[TABLES_MAX][64], sql[160];
	bool has_account[TABLES_MAX];
	enum store_status status = tx_begin(st);
	int rc, n = 0;

	if (status != STORE_OK)
		return status;
	rc = list_tables(st, names, has_account, &n);
	/* Everything goes: the keys are checked at commit, when nothing is left to point to. */
	if (rc == SQLITE_OK && !account)
		rc = exec_bound(st, "PRAGMA defer_foreign_keys = ON", NULL);
	rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	if (rc == SQLITE_OK && account)
		rc = delete_children(st, account, names, has_account, n);
	for (int i = 0; i < n && rc == SQLITE_OK; i++) {
		bool is_account = strcmp(names[i], "account") == 0;

		/* The token signing key is the emulator's, not the world's: it stays. */
		if ((account && !has_account[i] && !is_account) ||
		    (keep_identity && identity_table(names[i])) || strcmp(names[i], "secret") == 0)
			continue;
		if (!account)
			snprintf(sql, sizeof(sql), "DELETE FROM \"%.63s\"", names[i]);
		else
			snprintf(sql, sizeof(sql), "DELETE FROM \"%.63s\" WHERE %s = ?1", names[i],
			         is_account ? "id" : "account");
		rc = exec_bound(st, sql, account);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	if (rc == SQLITE_OK && account && keep_identity)
		rc = recreate_defaults(st, account, now_ms);
	return tx_end(st, rc == SQLITE_OK ? STORE_OK : store_failed(st, rc, "reset"));
}

enum store_status store_account_ids(struct store *st, store_name_fn *fn, void *ctx)
{
	sqlite3_stmt *q = st->stmt[STMT_ACCOUNT_IDS];
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(q, 0),
		   (size_t)sqlite3_column_bytes(q, 0));
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "account ids");
}

enum store_status store_item_all(struct store *st, const char *account, int64_t now_ms,
                                 store_item_fn *fn, void *ctx)
{
	sqlite3_stmt *q = st->stmt[STMT_ITEM_ALL];
	struct item_rec it;
	int rc;

	bind_text(q, 1, account);
	sqlite3_bind_int64(q, 2, now_ms);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		it.network = strcmp((const char *)sqlite3_column_text(q, 0), "production") == 0
		                     ? NETWORK_PRODUCTION
		                     : NETWORK_STAGING;
		it.namespace = (const char *)sqlite3_column_text(q, 1);
		it.sandbox = (const char *)sqlite3_column_text(q, 2);
		it.group = (const char *)sqlite3_column_text(q, 3);
		it.key = (const char *)sqlite3_column_text(q, 4);
		it.value = sqlite3_column_blob(q, 5);
		it.len = (size_t)sqlite3_column_bytes(q, 5);
		it.ctype = (const char *)sqlite3_column_text(q, 6);
		it.expires_at_ms = sqlite3_column_int64(q, 7);
		fn(ctx, &it);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "item all");
}

enum store_status store_user_all(struct store *st, const char *account, store_user_fn *fn,
                                 void *ctx)
{
	sqlite3_stmt *q = st->stmt[STMT_USER_ALL];
	struct user_rec u;
	int rc;

	bind_text(q, 1, account);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		u.name = (const char *)sqlite3_column_text(q, 0);
		u.email = (const char *)sqlite3_column_text(q, 1);
		u.roles = (const char *)sqlite3_column_text(q, 2);
		fn(ctx, &u);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "user all");
}

static void copy_col(char *out, size_t size, sqlite3_stmt *q, int col)
{
	const unsigned char *s = sqlite3_column_text(q, col);

	snprintf(out, size, "%s", s ? (const char *)s : "");
}

enum store_status store_client_all(struct store *st, const char *account, store_client_fn *fn,
                                   void *ctx)
{
	sqlite3_stmt *q = st->stmt[STMT_CLIENT_ALL];
	struct client_rec c;
	int rc;

	bind_text(q, 1, account);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *grant = (const char *)sqlite3_column_text(q, 4);

		memset(&c, 0, sizeof(c));
		copy_col(c.client_token, sizeof(c.client_token), q, 0);
		copy_col(c.access_token, sizeof(c.access_token), q, 1);
		copy_col(c.secret, sizeof(c.secret), q, 2);
		snprintf(c.account, sizeof(c.account), "%s", account);
		copy_col(c.user, sizeof(c.user), q, 3);
		c.grant = grant && strcmp(grant, "READ-WRITE") == 0  ? GRANT_READ_WRITE
		          : grant && strcmp(grant, "READ-ONLY") == 0 ? GRANT_READ_ONLY
		                                                     : GRANT_NONE;
		copy_col(c.switch_accounts, sizeof(c.switch_accounts), q, 6);
		c.active = sqlite3_column_int(q, 7) != 0;
		fn(ctx, &c, (const char *)sqlite3_column_text(q, 5));
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "client all");
}
