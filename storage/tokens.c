/* Access tokens, their per-account settings, emulator secrets and expiry notices. */
#include "storage/store.h"

#include <stdio.h>
#include <string.h>

#include "storage/internal.h"

int64_t store_token_end_ms(const struct token_rec *t)
{
	return (t->expiry_day + 1) * STORE_DAY_MS;
}

const char *token_workflow_name(enum token_workflow w)
{
	static const char *const names[] = {"auto", "legacy", "enhanced"};

	return names[w];
}

/* Columns as in TOKEN_COLUMNS; returns the row id. */
static int64_t read_token(sqlite3_stmt *q, struct token_rec *out)
{
	memset(out, 0, sizeof(*out));
	store_column_text(out->account, sizeof(out->account), q, 1);
	store_column_text(out->name, sizeof(out->name), q, 2);
	store_column_text(out->uuid, sizeof(out->uuid), q, 3);
	out->legacy = sqlite3_column_int(q, 4) != 0;
	out->issued_ms = sqlite3_column_int64(q, 5);
	out->expiry_day = sqlite3_column_int64(q, 6);
	out->allow_production = sqlite3_column_int(q, 7) != 0;
	out->allow_staging = sqlite3_column_int(q, 8) != 0;
	store_column_text(out->ewids, sizeof(out->ewids), q, 9);
	store_column_text(out->cpcode, sizeof(out->cpcode), q, 10);
	store_column_text(out->value, sizeof(out->value), q, 11);
	out->active_ms = sqlite3_column_int64(q, 12);
	out->refreshed_ms = sqlite3_column_int64(q, 13);
	out->busy_until_ms = sqlite3_column_int64(q, 14);
	out->revoked_ms = sqlite3_column_int64(q, 15);
	return sqlite3_column_int64(q, 0);
}

static int read_perms(struct store *st, int64_t id, struct token_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_NS_LIST);
	int rc;

	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->perm_count < STORE_TOKEN_NAMESPACES) {
		struct token_perm *p = &out->perms[out->perm_count++];

		store_column_text(p->namespace, sizeof(p->namespace), q, 0);
		store_column_text(p->letters, sizeof(p->letters), q, 1);
	}
	stmt_done(q);
	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

/* Steps q (bound by the caller) for at most one token and its namespaces. */
static enum store_status one_token(struct store *st, sqlite3_stmt *q, struct token_rec *out,
                                   const char *what)
{
	int64_t id = 0;
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		id = read_token(q, out);
	stmt_done(q);
	if (rc == SQLITE_ROW)
		rc = read_perms(st, id, out);
	if (rc == SQLITE_DONE)
		return id ? STORE_OK : STORE_NOT_FOUND;
	return store_failed(st, rc, what);
}

static int count_step(sqlite3_stmt *q, int64_t *n)
{
	int rc = step_in_tx(q);

	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(q, 0);
		rc = SQLITE_DONE;
	}
	stmt_done(q);
	return rc;
}

static int insert_token(struct store *st, const struct token_rec *t)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_INSERT);
	int64_t id;
	int rc;

	bind_text(q, 1, t->account);
	bind_text(q, 2, t->name);
	bind_text(q, 3, t->uuid);
	sqlite3_bind_int(q, 4, t->legacy);
	sqlite3_bind_int64(q, 5, t->issued_ms);
	sqlite3_bind_int64(q, 6, t->expiry_day);
	sqlite3_bind_int(q, 7, t->allow_production);
	sqlite3_bind_int(q, 8, t->allow_staging);
	bind_text(q, 9, t->ewids);
	bind_text(q, 10, t->cpcode);
	bind_text(q, 11, t->value);
	sqlite3_bind_int64(q, 12, t->active_ms);
	sqlite3_bind_int64(q, 13, t->busy_until_ms);
	if (t->refreshed_ms) /* else NULL: never refreshed */
		sqlite3_bind_int64(q, 14, t->refreshed_ms);
	if (t->revoked_ms)
		sqlite3_bind_int64(q, 15, t->revoked_ms);
	rc = step_in_tx(q);
	stmt_done(q);
	id = sqlite3_last_insert_rowid(st->conn);
	q = stmt_get(st, STMT_TOKEN_NS_INSERT);
	for (size_t i = 0; rc == SQLITE_DONE && i < t->perm_count; i++) {
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, (int64_t)i);
		bind_text(q, 3, t->perms[i].namespace);
		bind_text(q, 4, t->perms[i].letters);
		rc = step_in_tx(q);
		stmt_done(q);
	}
	return rc;
}

enum store_status store_token_create(struct store *st, const struct token_rec *t, int64_t now_ms,
                                     int64_t limit)
{
	sqlite3_stmt *q;
	enum store_status status = tx_begin(st);
	int64_t live = 0, counted = 0;
	int rc;

	if (status != STORE_OK)
		return status;
	q = stmt_get(st, STMT_TOKEN_NAME_LIVE);
	bind_text(q, 1, t->account);
	bind_text(q, 2, t->name);
	sqlite3_bind_int64(q, 3, now_ms);
	rc = step_in_tx(q);
	live = rc == SQLITE_ROW;
	stmt_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tx_end(st, store_failed(st, rc, "token name"));
	if (live)
		return tx_end(st, STORE_CONFLICT);
	q = stmt_get(st, STMT_TOKEN_COUNT);
	bind_text(q, 1, t->account);
	sqlite3_bind_int64(q, 2, now_ms - STORE_TOKEN_AFTERLIFE_MS);
	rc = count_step(q, &counted);
	if (rc != SQLITE_DONE)
		return tx_end(st, store_failed(st, rc, "token count"));
	if (counted >= limit)
		return tx_end(st, STORE_FULL);
	rc = insert_token(st, t);
	if (rc != SQLITE_DONE)
		return tx_end(st, store_failed(st, rc, "token create"));
	return tx_end(st, STORE_OK);
}

enum store_status store_token_import(struct store *st, const struct token_rec *t)
{
	enum store_status status = tx_begin(st);
	int rc;

	if (status != STORE_OK)
		return status;
	rc = insert_token(st, t);
	return tx_end(st, rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "token import"));
}

enum store_status store_token_get(struct store *st, const char *account, const char *name,
                                  struct token_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_GET);

	bind_text(q, 1, account);
	bind_text(q, 2, name);
	return one_token(st, q, out, "token get");
}

enum store_status store_token_by_uuid(struct store *st, const char *uuid, struct token_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_BY_UUID);

	bind_text(q, 1, uuid);
	return one_token(st, q, out, "token by uuid");
}

/* Calls fn with each token row of q (bound by the caller) and its permissions; resets q. */
static enum store_status each_token(struct store *st, sqlite3_stmt *q, store_token_fn *fn,
                                    void *ctx, const char *what)
{
	struct token_rec t;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = read_token(q, &t);

		rc = read_perms(st, id, &t);
		if (rc != SQLITE_DONE)
			break;
		fn(ctx, &t);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, what);
}

enum store_status store_token_list(struct store *st, const char *account, int64_t now_ms,
                                   bool include_expired, store_token_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_LIST);

	bind_text(q, 1, account);
	sqlite3_bind_int64(q, 2, include_expired ? now_ms - STORE_TOKEN_AFTERLIFE_MS : now_ms);
	return each_token(st, q, fn, ctx, "token list");
}

enum store_status store_token_all(struct store *st, const char *account, store_token_fn *fn,
                                  void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_ALL);

	bind_text(q, 1, account);
	return each_token(st, q, fn, ctx, "token all");
}

static enum store_status update_token(struct store *st, sqlite3_stmt *q, const char *what)
{
	int rc = step_write(st, q);
	int changed = sqlite3_changes(st->conn);

	stmt_done(q);
	if (rc != SQLITE_DONE)
		return store_failed(st, rc, what);
	return changed ? STORE_OK : STORE_NOT_FOUND;
}

enum store_status store_token_revoke(struct store *st, const char *uuid, int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_REVOKE);

	bind_text(q, 1, uuid);
	sqlite3_bind_int64(q, 2, now_ms);
	return update_token(st, q, "token revoke");
}

enum store_status store_token_refresh(struct store *st, const char *uuid, int64_t now_ms,
                                      int64_t busy_until_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_REFRESH);

	bind_text(q, 1, uuid);
	sqlite3_bind_int64(q, 2, now_ms);
	sqlite3_bind_int64(q, 3, busy_until_ms);
	return update_token(st, q, "token refresh");
}

static bool parse_workflow(const char *s, enum token_workflow *out)
{
	for (int w = TOKEN_WORKFLOW_AUTO; w <= TOKEN_WORKFLOW_ENHANCED; w++) {
		if (s && strcmp(s, token_workflow_name((enum token_workflow)w)) == 0) {
			*out = (enum token_workflow)w;
			return true;
		}
	}
	return false;
}

enum store_status store_token_settings_get(struct store *st, const char *account,
                                           struct token_settings *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_SETTINGS_GET);
	int rc;

	memset(out, 0, sizeof(*out));
	out->limit = -1;
	out->activation_delay_ms = -1;
	bind_text(q, 1, account);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->has_workflow =
		        parse_workflow((const char *)sqlite3_column_text(q, 0), &out->workflow);
		out->limit = sqlite3_column_int64(q, 1);
		out->activation_delay_ms = sqlite3_column_int64(q, 2);
		store_column_text(out->contact_email, sizeof(out->contact_email), q, 3);
		out->contact_registered = sqlite3_column_int(q, 4) != 0;
		out->contact_active = sqlite3_column_int(q, 5) != 0;
	}
	stmt_done(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
	                                             : store_failed(st, rc, "token settings get");
}

enum store_status store_token_settings_put(struct store *st, const char *account,
                                           const struct token_settings *s)
{
	sqlite3_stmt *q = stmt_get(st, STMT_TOKEN_SETTINGS_PUT);
	int rc;

	bind_text(q, 1, account);
	if (s->has_workflow)
		bind_text(q, 2, token_workflow_name(s->workflow));
	sqlite3_bind_int64(q, 3, s->limit);
	sqlite3_bind_int64(q, 4, s->activation_delay_ms);
	bind_text(q, 5, s->contact_email);
	sqlite3_bind_int(q, 6, s->contact_registered);
	sqlite3_bind_int(q, 7, s->contact_active);
	rc = step_write(st, q);
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "token settings put");
}

enum store_status store_secret_get(struct store *st, const char *name, struct buf *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_SECRET_GET);
	enum store_status status;
	int rc;

	bind_text(q, 1, name);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		buf_add(out, sqlite3_column_text(q, 0), (size_t)sqlite3_column_bytes(q, 0));
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "secret get");
	stmt_done(q);
	return status;
}

enum store_status store_secret_put(struct store *st, const char *name, const char *text,
                                   int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_SECRET_PUT);
	int rc;

	bind_text(q, 1, name);
	bind_text(q, 2, text);
	sqlite3_bind_int64(q, 3, now_ms);
	rc = step_write(st, q);
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "secret put");
}

enum store_status store_notice_last_check(struct store *st, int64_t *check_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NOTICE_LAST_CHECK);
	int rc = sqlite3_step(q);

	*check_ms = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	stmt_done(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
	                                             : store_failed(st, rc, "notice last check");
}

enum store_status store_notice_due(struct store *st, int64_t check_ms, int64_t days,
                                   store_notice_token_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NOTICE_DUE);
	int64_t day = check_ms / STORE_DAY_MS;
	struct notice_token t;
	int rc;

	sqlite3_bind_int64(q, 1, check_ms);
	sqlite3_bind_int64(q, 2, day + days);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_column_text(t.account, sizeof(t.account), q, 0);
		store_column_text(t.name, sizeof(t.name), q, 1);
		store_column_text(t.uuid, sizeof(t.uuid), q, 2);
		t.expiry_day = sqlite3_column_int64(q, 3);
		fn(ctx, &t);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "notice due");
}

enum store_status store_notice_record(struct store *st, const struct notice_rec *n, size_t count,
                                      int64_t check_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NOTICE_INSERT);
	enum store_status status = tx_begin(st);
	int rc = SQLITE_DONE;

	if (status != STORE_OK)
		return status;
	for (size_t i = 0; rc == SQLITE_DONE && i < count; i++) {
		bind_text(q, 1, n[i].account);
		sqlite3_bind_int64(q, 2, n[i].created_ms);
		sqlite3_bind_int64(q, 3, n[i].days);
		bind_text(q, 4, n[i].channel);
		bind_text(q, 5, n[i].recipient);
		bind_text(q, 6, n[i].subject);
		bind_text(q, 7, n[i].body);
		bind_text(q, 8, n[i].tokens_json);
		rc = step_in_tx(q);
		stmt_done(q);
	}
	if (rc == SQLITE_DONE) {
		q = stmt_get(st, STMT_NOTICE_SET_CHECK);
		sqlite3_bind_int64(q, 1, check_ms);
		rc = step_in_tx(q);
		stmt_done(q);
	}
	return tx_end(st, rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "notice record"));
}

enum store_status store_notice_list(struct store *st, const char *account, store_notice_fn *fn,
                                    void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NOTICE_LIST);
	struct notice_rec n;
	int rc;

	bind_text(q, 1, account);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&n, 0, sizeof(n));
		n.id = sqlite3_column_int64(q, 0);
		store_column_text(n.account, sizeof(n.account), q, 1);
		n.created_ms = sqlite3_column_int64(q, 2);
		n.days = sqlite3_column_int64(q, 3);
		store_column_text(n.channel, sizeof(n.channel), q, 4);
		store_column_text(n.recipient, sizeof(n.recipient), q, 5);
		n.subject = (const char *)sqlite3_column_text(q, 6);
		n.body = (const char *)sqlite3_column_text(q, 7);
		n.tokens_json = (const char *)sqlite3_column_text(q, 8);
		fn(ctx, &n);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "notice list");
}
