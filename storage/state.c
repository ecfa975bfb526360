/* Whole-account operations of the testing controls: reset, and the reads export makes. */
#include "storage/store.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "storage/internal.h"

/*
 * What reset removes, children before parents (token_namespace → token), so
 * that no foreign key is broken midway. one: the rows of one account (none
 * for a table without accounts: notice_check); all: every row. secret, the
 * token signing key, is the emulator's, not the world's: it stays.
 */
static const struct reset_table {
	const char *name;
	enum stmt_id one, all;
	bool identity; /* kept by a data-only reset */
} reset_tables[] = {
        {"bulk_job_error", STMT_RESET_BULK_JOB_ERROR, STMT_CLEAR_BULK_JOB_ERROR, false},
        {"bulk_job", STMT_RESET_BULK_JOB, STMT_CLEAR_BULK_JOB, false},
        {"token_namespace", STMT_RESET_TOKEN_NAMESPACE, STMT_CLEAR_TOKEN_NAMESPACE, false},
        {"token", STMT_RESET_TOKEN, STMT_CLEAR_TOKEN, false},
        {"token_settings", STMT_RESET_TOKEN_SETTINGS, STMT_CLEAR_TOKEN_SETTINGS, false},
        {"notice", STMT_RESET_NOTICE, STMT_CLEAR_NOTICE, false},
        {"notice_check", STMT_COUNT, STMT_CLEAR_NOTICE_CHECK, false},
        {"item", STMT_RESET_ITEM, STMT_CLEAR_ITEM, false},
        {"namespace", STMT_RESET_NAMESPACE, STMT_CLEAR_NAMESPACE, false},
        {"api_client", STMT_RESET_CLIENT, STMT_CLEAR_CLIENT, true},
        {"app_user", STMT_RESET_USER, STMT_CLEAR_USER, true},
        {"access_group", STMT_RESET_ACCESS_GROUP, STMT_CLEAR_ACCESS_GROUP, true},
        {"account", STMT_RESET_ACCOUNT, STMT_CLEAR_ACCOUNT, true},
        {"secret", STMT_COUNT, STMT_COUNT, true},
};

#define RESET_TABLES (sizeof(reset_tables) / sizeof(reset_tables[0]))

static bool known_table(const char *name)
{
	for (size_t i = 0; i < RESET_TABLES; i++)
		if (strcmp(reset_tables[i].name, name) == 0)
			return true;
	return false;
}

/*
 * A table a later migration adds must get its rows above, or a reset would
 * leave its data behind: refuse rather than half-reset.
 */
static int check_tables(struct store *st)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TABLE_NAMES);
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);

		if (!known_table(name)) {
			log_error("store: reset does not know the table '%s'", name);
			rc = SQLITE_INTERNAL;
			break;
		}
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs statement id (?1 account when given); a SQLite code. */
static int run(struct store *st, enum stmt_id id, const char *account, int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, id);
	int rc;

	if (account)
		bind_text(q, 1, account);
	if (id == STMT_RESET_DEFAULT_NAMESPACES) {
		sqlite3_bind_int64(q, 2, STORE_DEFAULT_RETENTION_S);
		sqlite3_bind_int64(q, 3, now_ms);
	}
	rc = step_in_tx(q);
	stmt_done(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum store_status store_reset(struct store *st, const char *account, bool keep_identity,
                              int64_t now_ms)
{
	enum store_status status = tx_begin(st);
	int rc;

	if (status != STORE_OK)
		return status;
	rc = check_tables(st);
	for (size_t i = 0; i < RESET_TABLES && rc == SQLITE_OK; i++) {
		const struct reset_table *t = &reset_tables[i];
		enum stmt_id id = account ? t->one : t->all;

		if (id != STMT_COUNT && !(keep_identity && t->identity))
			rc = run(st, id, account, now_ms);
	}
	/* An initialized account gets its default namespaces back (behaviour of initialize). */
	if (rc == SQLITE_OK && account && keep_identity)
		rc = run(st, STMT_RESET_DEFAULT_NAMESPACES, account, now_ms);
	return tx_end(st, rc == SQLITE_OK ? STORE_OK : store_failed(st, rc, "reset"));
}

enum store_status store_account_ids(struct store *st, store_name_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ACCOUNT_IDS);
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
	sqlite3_stmt *q = stmt_get(st, STMT_ITEM_ALL);
	struct item_rec it;
	int rc;

	bind_text(q, 1, account);
	sqlite3_bind_int64(q, 2, now_ms);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!network_parse((const char *)sqlite3_column_text(q, 0), &it.network))
			it.network = NETWORK_STAGING;
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
	sqlite3_stmt *q = stmt_get(st, STMT_USER_ALL);
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
	sqlite3_stmt *q = stmt_get(st, STMT_CLIENT_ALL);
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
