#include "storage/store.h"

#include <stdio.h>
#include <string.h>

#include "storage/internal.h"

static enum init_status parse_status(const char *s)
{
	if (s && strcmp(s, "INITIALIZED") == 0)
		return INIT_INITIALIZED;
	if (s && strcmp(s, "PENDING") == 0)
		return INIT_PENDING;
	return INIT_UNINITIALIZED;
}

enum store_status store_account_get(struct store *st, const char *id, struct account_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ACCOUNT_GET);
	uint64_t gen = meta_generation(st); /* before the read: internal.h */
	enum store_status status;
	int rc;

	if (st->account_gen == gen && strcmp(st->account.id, id) == 0) {
		*out = st->account;
		return STORE_OK;
	}
	rc = bind_text(q, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		snprintf(out->id, sizeof(out->id), "%s", id);
		out->status = parse_status((const char *)sqlite3_column_text(q, 0));
		snprintf(out->cpcode, sizeof(out->cpcode), "%s",
		         (const char *)sqlite3_column_text(q, 1));
		out->has_policy = sqlite3_column_type(q, 2) != SQLITE_NULL;
		out->restrict_data_access = sqlite3_column_int(q, 2) != 0;
		out->allow_namespace_policy_override = sqlite3_column_int(q, 3) != 0;
		out->standard_tls = sqlite3_column_int(q, 4) != 0;
		out->cpcode_group = sqlite3_column_int64(q, 5); /* NULL reads as 0 */
	}
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "account get");
	stmt_done(q);
	if (status == STORE_OK && strlen(id) < sizeof(out->id)) {
		st->account = *out;
		st->account_gen = gen;
	}
	return status;
}

enum store_status store_account_create(struct store *st, const struct account_rec *acc,
                                       int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ACCOUNT_INSERT);
	int rc;

	bind_text(q, 1, acc->id);
	bind_text(q, 2, init_status_name(acc->status));
	bind_text(q, 3, acc->cpcode);
	if (acc->has_policy) {
		sqlite3_bind_int(q, 4, acc->restrict_data_access);
		sqlite3_bind_int(q, 5, acc->allow_namespace_policy_override);
	}
	sqlite3_bind_int(q, 6, acc->standard_tls);
	sqlite3_bind_int64(q, 7, now_ms);
	if (acc->cpcode_group > 0)
		sqlite3_bind_int64(q, 8, acc->cpcode_group);
	rc = step_write(st, q);
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "account create");
}

/* The namespace initialization creates on both networks (docs/behaviour.md §4.2). */
static int insert_default_namespace(struct store *st, const char *account, enum network net,
                                    bool restrict_data_access, int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NS_INSERT);
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, network_name(net));
	bind_text(q, 3, "default");
	sqlite3_bind_int64(q, 4, STORE_DEFAULT_RETENTION_S);
	sqlite3_bind_int64(q, 5, 0);
	bind_text(q, 6, "US");
	sqlite3_bind_int(q, 7, restrict_data_access);
	bind_text(q, 8, "inherited");
	sqlite3_bind_int64(q, 9, now_ms);
	rc = step_in_tx(q);
	stmt_done(q);
	return rc;
}

enum store_status store_account_initialize(struct store *st, const char *id, const char *cpcode,
                                           bool restrict_data_access, bool allow_override,
                                           int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ACCOUNT_INITIALIZE);
	enum store_status status = tx_begin(st);
	int rc;

	if (status != STORE_OK)
		return status;
	bind_text(q, 1, id);
	bind_text(q, 2, cpcode);
	sqlite3_bind_int(q, 3, restrict_data_access);
	sqlite3_bind_int(q, 4, allow_override);
	rc = step_in_tx(q);
	stmt_done(q);
	if (rc != SQLITE_DONE)
		return tx_end(st, store_failed(st, rc, "account initialize"));
	if (sqlite3_changes(st->conn) == 0)
		return tx_end(st, STORE_CONFLICT);
	/* A default namespace left by an earlier life of the account is kept. */
	for (int net = NETWORK_STAGING; net <= NETWORK_PRODUCTION; net++) {
		rc = insert_default_namespace(st, id, (enum network)net, restrict_data_access,
		                              now_ms);
		if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
			return tx_end(st, store_failed(st, rc, "default namespace"));
	}
	return tx_end(st, STORE_OK);
}

enum store_status store_account_set_policy(struct store *st, const char *id,
                                           bool restrict_data_access, bool allow_override)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ACCOUNT_SET_POLICY);
	int rc;

	bind_text(q, 1, id);
	sqlite3_bind_int(q, 2, restrict_data_access);
	sqlite3_bind_int(q, 3, allow_override);
	rc = step_write(st, q);
	stmt_done(q);
	if (rc != SQLITE_DONE)
		return store_failed(st, rc, "account set policy");
	return sqlite3_changes(st->conn) ? STORE_OK : STORE_NOT_FOUND;
}
