/* Items and groups: reads, writes, listings, settle, and the sweep of expired rows. */
#include "storage/store.h"

#include <stdio.h>
#include <string.h>

#include "storage/internal.h"

/* Binds ?1-?5 (account, network, namespace, sandbox, group) and, when given, ?6 key. */
static void bind_item_ref(sqlite3_stmt *q, const struct item_ref *ref)
{
	bind_text(q, 1, ref->account);
	bind_text(q, 2, network_name(ref->network));
	bind_text(q, 3, ref->namespace);
	bind_text(q, 4, ref->sandbox ? ref->sandbox : "");
	if (ref->group)
		bind_text(q, 5, ref->group);
	if (ref->key)
		bind_text(q, 6, ref->key);
}

enum store_status store_item_get(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                 struct buf *value, char *ctype)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ITEM_GET);
	enum store_status status;
	int rc;

	bind_item_ref(q, ref);
	sqlite3_bind_int64(q, 7, now_ms);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) { /* copy now: column memory dies at reset */
		buf_add(value, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0));
		snprintf(ctype, STORE_CTYPE_MAX + 1, "%s", (const char *)sqlite3_column_text(q, 1));
	}
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "item get");
	stmt_done(q); /* on every path: releases the read snapshot (P6) */
	return status;
}

enum store_status store_item_put(struct store *st, const struct item_ref *ref, const void *value,
                                 size_t len, const char *ctype, int64_t now_ms,
                                 int64_t expires_at_ms, int64_t visible_at_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ITEM_PUT);
	int rc;

	if (len > (size_t)INT32_MAX)
		return STORE_FULL;
	bind_item_ref(q, ref);
	sqlite3_bind_int64(q, 7, now_ms);
	if (expires_at_ms)
		sqlite3_bind_int64(q, 8, expires_at_ms);
	sqlite3_bind_blob(q, 9, len ? value : "", (int)len, SQLITE_STATIC);
	bind_text(q, 10, ctype);
	if (visible_at_ms > now_ms)
		sqlite3_bind_int64(q, 11, visible_at_ms);
	rc = step_item_write(st, q);
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "item put");
}

enum store_status store_item_delete(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                    int64_t effective_at_ms)
{
	bool later = effective_at_ms > now_ms;
	sqlite3_stmt *q = stmt_get(st, later ? STMT_ITEM_DELETE_LATER : STMT_ITEM_DELETE);
	int rc, changed;

	bind_item_ref(q, ref);
	sqlite3_bind_int64(q, 7, now_ms);
	if (later)
		sqlite3_bind_int64(q, 8, effective_at_ms);
	rc = step_item_write(st, q);
	changed = sqlite3_changes(st->conn);
	stmt_done(q);
	if (rc != SQLITE_DONE)
		return store_failed(st, rc, "item delete");
	return changed ? STORE_OK : STORE_NOT_FOUND;
}

static enum store_status list_names(struct store *st, sqlite3_stmt *q, store_name_fn *fn, void *ctx,
                                    const char *what)
{
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(q, 0),
		   (size_t)sqlite3_column_bytes(q, 0));
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, what);
}

enum store_status store_item_list(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                  int64_t limit, store_name_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ITEM_LIST);

	bind_item_ref(q, ref);
	sqlite3_bind_int64(q, 6, now_ms);
	sqlite3_bind_int64(q, 7, limit);
	return list_names(st, q, fn, ctx, "item list");
}

enum store_status store_group_list(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                   int64_t limit, store_name_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_GROUP_LIST);

	bind_text(q, 1, ref->account);
	bind_text(q, 2, network_name(ref->network));
	bind_text(q, 3, ref->namespace);
	bind_text(q, 4, ref->sandbox ? ref->sandbox : "");
	sqlite3_bind_int64(q, 5, now_ms);
	sqlite3_bind_int64(q, 6, limit);
	return list_names(st, q, fn, ctx, "group list");
}

enum store_status store_group_list_sandboxes(struct store *st, const struct item_ref *ref,
                                             int64_t now_ms, int64_t limit, store_name_fn *fn,
                                             void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_GROUP_LIST_SANDBOXES);

	bind_text(q, 1, ref->account);
	bind_text(q, 2, network_name(ref->network));
	bind_text(q, 3, ref->namespace);
	sqlite3_bind_int64(q, 4, now_ms);
	sqlite3_bind_int64(q, 5, limit);
	return list_names(st, q, fn, ctx, "group list");
}

enum store_status store_settle(struct store *st, const char *account)
{
	enum store_status status = tx_begin(st);
	int rc = SQLITE_DONE;

	if (status != STORE_OK)
		return status;
	for (int i = 0; i < 2 && rc == SQLITE_DONE; i++) {
		sqlite3_stmt *q =
		        stmt_get(st, i == 0 ? STMT_ITEM_SETTLE_DELETES : STMT_ITEM_SETTLE_WRITES);

		if (account)
			bind_text(q, 1, account);
		rc = step_in_tx(q);
		stmt_done(q);
	}
	return tx_end(st, rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "settle"));
}

void items_sweep(struct store *st, int64_t now_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_ITEM_SWEEP);
	int rc;

	do {
		sqlite3_bind_int64(q, 1, now_ms);
		rc = step_item_write(st, q);
		stmt_done(q);
	} while (rc == SQLITE_DONE && sqlite3_changes(st->conn) > 0);
	if (rc != SQLITE_DONE)
		store_failed(st, rc, "sweep");
}
