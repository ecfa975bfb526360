#include "storage/store.h"

#include <stdio.h>
#include <string.h>

#include "storage/internal.h"

const char *grant_name(enum grant g)
{
	static const char *const names[] = {"NONE", "READ-ONLY", "READ-WRITE"};

	return names[g];
}

static enum grant parse_grant(const char *s)
{
	if (s && strcmp(s, "READ-WRITE") == 0)
		return GRANT_READ_WRITE;
	if (s && strcmp(s, "READ-ONLY") == 0)
		return GRANT_READ_ONLY;
	return GRANT_NONE;
}

/* Runs a one-statement write; NOT_FOUND when it changed nothing. */
static enum store_status write_one(struct store *st, sqlite3_stmt *q, const char *what)
{
	int rc = step_write(st, q), changed = sqlite3_changes(st->conn);

	stmt_done(q);
	if (rc != SQLITE_DONE)
		return store_failed(st, rc, what);
	return changed ? STORE_OK : STORE_NOT_FOUND;
}

enum store_status store_access_group_put(struct store *st, const char *account,
                                         const struct access_group_rec *g)
{
	sqlite3_stmt *q = stmt_get(st, STMT_GROUP_PUT);

	bind_text(q, 1, account);
	sqlite3_bind_int64(q, 2, g->group_id);
	bind_text(q, 3, g->name);
	if (g->parent_id)
		sqlite3_bind_int64(q, 4, g->parent_id);
	return write_one(st, q, "access group put");
}

static void read_group(sqlite3_stmt *q, struct access_group_rec *out)
{
	out->group_id = sqlite3_column_int64(q, 0);
	store_column_text(out->name, sizeof(out->name), q, 1);
	out->parent_id = sqlite3_column_int64(q, 2);
}

enum store_status store_access_group_get(struct store *st, const char *account, int64_t group_id,
                                         struct access_group_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_GROUP_GET);
	enum store_status status;
	int rc;

	bind_text(q, 1, account);
	sqlite3_bind_int64(q, 2, group_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_group(q, out);
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "access group get");
	stmt_done(q);
	return status;
}

enum store_status store_access_group_list(struct store *st, const char *account,
                                          store_access_group_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_GROUP_ALL);
	struct access_group_rec g;
	int rc;

	bind_text(q, 1, account);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_group(q, &g);
		fn(ctx, &g);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "access group list");
}

enum store_status store_user_put(struct store *st, const char *account, const char *name,
                                 const char *email, const char *roles)
{
	sqlite3_stmt *q = stmt_get(st, STMT_USER_PUT);

	bind_text(q, 1, account);
	bind_text(q, 2, name);
	bind_text(q, 3, email);
	bind_text(q, 4, roles);
	return write_one(st, q, "user put");
}

enum store_status store_user_get(struct store *st, const char *account, const char *name,
                                 struct buf *roles)
{
	sqlite3_stmt *q = stmt_get(st, STMT_USER_GET);
	enum store_status status;
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, name);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		buf_add(roles, sqlite3_column_text(q, 1), (size_t)sqlite3_column_bytes(q, 1));
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "user get");
	stmt_done(q);
	return status;
}

enum store_status store_user_set_roles(struct store *st, const char *account, const char *name,
                                       const char *roles)
{
	sqlite3_stmt *q = stmt_get(st, STMT_USER_SET_ROLES);

	bind_text(q, 1, account);
	bind_text(q, 2, name);
	bind_text(q, 3, roles);
	return write_one(st, q, "user set roles");
}

enum store_status store_client_create(struct store *st, const struct client_rec *client,
                                      const char *roles, int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_CLIENT_INSERT);

	bind_text(q, 1, client->client_token);
	bind_text(q, 2, client->access_token);
	bind_text(q, 3, client->secret);
	bind_text(q, 4, client->account);
	bind_text(q, 5, client->user);
	bind_text(q, 6, grant_name(client->grant));
	bind_text(q, 7, roles);
	bind_text(q, 8, client->switch_accounts);
	sqlite3_bind_int64(q, 9, now_ms);
	return write_one(st, q, "client create");
}

enum store_status store_client_get(struct store *st, const char *client_token,
                                   struct client_rec *out, struct buf *roles)
{
	sqlite3_stmt *q = stmt_get(st, STMT_CLIENT_GET);
	enum store_status status;
	int rc;

	bind_text(q, 1, client_token);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		snprintf(out->client_token, sizeof(out->client_token), "%s", client_token);
		store_column_text(out->access_token, sizeof(out->access_token), q, 0);
		store_column_text(out->secret, sizeof(out->secret), q, 1);
		store_column_text(out->account, sizeof(out->account), q, 2);
		store_column_text(out->user, sizeof(out->user), q, 3);
		out->grant = parse_grant((const char *)sqlite3_column_text(q, 4));
		buf_add(roles, sqlite3_column_text(q, 5), (size_t)sqlite3_column_bytes(q, 5));
		store_column_text(out->switch_accounts, sizeof(out->switch_accounts), q, 6);
		out->active = sqlite3_column_int(q, 7) != 0;
	}
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "client get");
	stmt_done(q);
	return status;
}

enum store_status store_client_set_active(struct store *st, const char *client_token, bool active)
{
	sqlite3_stmt *q = stmt_get(st, STMT_CLIENT_SET_ACTIVE);

	bind_text(q, 1, client_token);
	sqlite3_bind_int(q, 2, active);
	return write_one(st, q, "client set active");
}

enum store_status store_namespace_set_group(struct store *st, const char *account, const char *name,
                                            int64_t group_id)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NS_SET_GROUP);

	bind_text(q, 1, account);
	bind_text(q, 2, name);
	sqlite3_bind_int64(q, 3, group_id);
	return write_one(st, q, "namespace set group");
}
