/* Namespaces: reads (through the connection's cache), writes, and scheduled deletes. */
#include "storage/store.h"

#include <stdio.h>
#include <string.h>

#include "storage/internal.h"

static void bind_ns_key(sqlite3_stmt *q, const char *account, enum network net, const char *name)
{
	bind_text(q, 1, account);
	bind_text(q, 2, network_name(net));
	bind_text(q, 3, name);
}

/* Columns as in NS_GET and NS_LIST. */
static void read_namespace(sqlite3_stmt *q, struct namespace_rec *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", (const char *)sqlite3_column_text(q, 0));
	out->retention_s = sqlite3_column_int64(q, 1);
	out->group_id = sqlite3_column_int64(q, 2);
	snprintf(out->geo, sizeof(out->geo), "%s", (const char *)sqlite3_column_text(q, 3));
	out->restrict_data_access = sqlite3_column_int(q, 4) != 0;
	out->policy_overridden = strcmp((const char *)sqlite3_column_text(q, 5), "overridden") == 0;
	out->created_ms = sqlite3_column_int64(q, 6);
	out->delete_at_ms = sqlite3_column_int64(q, 7);
	out->old_retention_s = sqlite3_column_int64(q, 8);
	out->retention_from_ms = sqlite3_column_int64(q, 9);
}

int64_t namespace_retention_at(const struct namespace_rec *ns, int64_t now_ms)
{
	return ns->retention_from_ms > now_ms ? ns->old_retention_s : ns->retention_s;
}

static enum store_status namespace_get(struct store *st, const char *account, enum network net,
                                       const char *name, int64_t now_ms, struct namespace_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NS_GET);
	enum store_status status;
	int rc;

	bind_ns_key(q, account, net, name);
	sqlite3_bind_int64(q, 4, now_ms);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_namespace(q, out);
	status = rc == SQLITE_ROW    ? STORE_OK
	         : rc == SQLITE_DONE ? STORE_NOT_FOUND
	                             : store_failed(st, rc, "namespace get");
	stmt_done(q);
	return status;
}

/*
 * Through the connection's cache (internal.h). Only live namespaces are kept,
 * and a kept one is still checked against now: its scheduled delete may have
 * come, and the clock can move either way.
 */
enum store_status store_namespace_get(struct store *st, const char *account, enum network net,
                                      const char *name, int64_t now_ms, struct namespace_rec *out)
{
	uint64_t gen = meta_generation(st); /* before the read: internal.h */
	struct namespace_cached *slot;
	enum store_status status;

	for (int i = 0; i < STORE_NAMESPACE_CACHE; i++) {
		slot = &st->namespaces[i];
		if (slot->gen == gen && slot->network == net && strcmp(slot->rec.name, name) == 0 &&
		    strcmp(slot->account, account) == 0 &&
		    (slot->rec.delete_at_ms == 0 || slot->rec.delete_at_ms > now_ms)) {
			*out = slot->rec;
			return STORE_OK;
		}
	}
	status = namespace_get(st, account, net, name, now_ms, out);
	if (status == STORE_OK && strlen(account) < sizeof(slot->account) &&
	    strlen(name) < sizeof(out->name)) {
		slot = &st->namespaces[st->namespace_next++ % STORE_NAMESPACE_CACHE];
		slot->gen = gen;
		snprintf(slot->account, sizeof(slot->account), "%s", account);
		slot->network = net;
		slot->rec = *out;
	}
	return status;
}

enum store_status store_namespace_list(struct store *st, const char *account, enum network net,
                                       int64_t now_ms, store_namespace_fn *fn, void *ctx)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NS_LIST);
	struct namespace_rec ns;
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, network_name(net));
	sqlite3_bind_int64(q, 3, now_ms);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_namespace(q, &ns);
		fn(ctx, &ns);
	}
	stmt_done(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "namespace list");
}

static bool same_configuration(const struct namespace_rec *a, const struct namespace_rec *b)
{
	return a->retention_s == b->retention_s && a->group_id == b->group_id &&
	       strcmp(a->geo, b->geo) == 0 && a->restrict_data_access == b->restrict_data_access &&
	       a->policy_overridden == b->policy_overridden;
}

static int count_live(struct store *st, const char *account, enum network net, int64_t now_ms,
                      int64_t *count)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NS_COUNT);
	int rc;

	bind_text(q, 1, account);
	bind_text(q, 2, network_name(net));
	sqlite3_bind_int64(q, 3, now_ms);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(q, 0);
	stmt_done(q);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Removes a namespace whose scheduled delete has passed but the sweeper has not reached. */
static int purge(struct store *st, const char *account, enum network net, const char *name)
{
	int rc = SQLITE_DONE;

	for (int i = 0; i < 2 && rc == SQLITE_DONE; i++) {
		sqlite3_stmt *q = stmt_get(st, i == 0 ? STMT_NS_DELETE_ITEMS : STMT_NS_DELETE);

		bind_ns_key(q, account, net, name);
		rc = step_in_tx(q);
		stmt_done(q);
	}
	return rc;
}

enum store_status store_namespace_create(struct store *st, const char *account, enum network net,
                                         const struct namespace_rec *ns, int64_t now_ms,
                                         struct namespace_rec *out)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NS_INSERT);
	enum store_status status = tx_begin(st);
	int64_t count = 0;
	int rc;

	if (status != STORE_OK)
		return status;
	status = namespace_get(st, account, net, ns->name, now_ms, out);
	if (status == STORE_OK)
		return tx_end(st, same_configuration(ns, out) ? STORE_OK : STORE_CONFLICT);
	if (status != STORE_NOT_FOUND)
		return tx_end(st, status);
	rc = count_live(st, account, net, now_ms, &count);
	if (rc != SQLITE_OK)
		return tx_end(st, store_failed(st, rc, "namespace count"));
	if (count >= STORE_NAMESPACES_PER_NETWORK)
		return tx_end(st, STORE_FULL);
	rc = purge(st, account, net, ns->name);
	if (rc != SQLITE_DONE)
		return tx_end(st, store_failed(st, rc, "namespace purge"));
	bind_ns_key(q, account, net, ns->name);
	sqlite3_bind_int64(q, 4, ns->retention_s);
	sqlite3_bind_int64(q, 5, ns->group_id);
	bind_text(q, 6, ns->geo);
	sqlite3_bind_int(q, 7, ns->restrict_data_access);
	bind_text(q, 8, ns->policy_overridden ? "overridden" : "inherited");
	sqlite3_bind_int64(q, 9, now_ms);
	rc = step_in_tx(q);
	stmt_done(q);
	if (rc != SQLITE_DONE)
		return tx_end(st, store_failed(st, rc, "namespace create"));
	*out = *ns;
	out->created_ms = now_ms;
	out->delete_at_ms = 0;
	return tx_end(st, STORE_OK);
}

static enum store_status set_column(struct store *st, enum stmt_id id, const char *account,
                                    enum network net, const char *name, int64_t value,
                                    bool null_if_zero)
{
	sqlite3_stmt *q = stmt_get(st, id);
	int rc;

	bind_ns_key(q, account, net, name);
	if (value || !null_if_zero)
		sqlite3_bind_int64(q, 4, value);
	rc = step_write(st, q);
	stmt_done(q);
	if (rc != SQLITE_DONE)
		return store_failed(st, rc, "namespace update");
	return sqlite3_changes(st->conn) ? STORE_OK : STORE_NOT_FOUND;
}

enum store_status store_namespace_set_retention(struct store *st, const char *account,
                                                enum network net, const char *name,
                                                int64_t retention_s, int64_t now_ms,
                                                int64_t from_ms)
{
	sqlite3_stmt *q = stmt_get(st, STMT_NS_SET_RETENTION);
	int rc;

	bind_ns_key(q, account, net, name);
	sqlite3_bind_int64(q, 4, retention_s);
	sqlite3_bind_int64(q, 5, now_ms);
	if (from_ms > now_ms)
		sqlite3_bind_int64(q, 6, from_ms);
	rc = step_write(st, q);
	stmt_done(q);
	if (rc != SQLITE_DONE)
		return store_failed(st, rc, "namespace set retention");
	return sqlite3_changes(st->conn) ? STORE_OK : STORE_NOT_FOUND;
}

enum store_status store_namespace_schedule_delete(struct store *st, const char *account,
                                                  enum network net, const char *name,
                                                  int64_t delete_at_ms)
{
	return set_column(st, STMT_NS_SET_DELETE_AT, account, net, name, delete_at_ms, true);
}

enum store_status store_namespace_delete(struct store *st, const char *account, enum network net,
                                         const char *name)
{
	enum store_status status = tx_begin(st);
	int rc;

	if (status != STORE_OK)
		return status;
	rc = purge(st, account, net, name);
	if (rc != SQLITE_DONE)
		return tx_end(st, store_failed(st, rc, "namespace delete"));
	return tx_end(st, sqlite3_changes(st->conn) ? STORE_OK : STORE_NOT_FOUND);
}

/* One scheduled delete that has come, copied out of the statement; false when none is left. */
static bool next_due(struct store *st, int64_t now_ms, char *account, enum network *net, char *name)
{
	sqlite3_stmt *due = stmt_get(st, STMT_NS_NEXT_DUE);
	int rc;

	sqlite3_bind_int64(due, 1, now_ms);
	rc = sqlite3_step(due);
	if (rc == SQLITE_ROW) {
		snprintf(account, STORE_ACCOUNT_MAX + 1, "%s",
		         (const char *)sqlite3_column_text(due, 0));
		if (!network_parse((const char *)sqlite3_column_text(due, 1), net))
			*net = NETWORK_STAGING;
		snprintf(name, STORE_NAMESPACE_MAX + 1, "%s",
		         (const char *)sqlite3_column_text(due, 2));
	} else if (rc != SQLITE_DONE) {
		store_failed(st, rc, "namespace sweep");
	}
	stmt_done(due);
	return rc == SQLITE_ROW;
}

void namespaces_sweep(struct store *st, int64_t now_ms, int max)
{
	for (int n = 0; n < max; n++) {
		char account[STORE_ACCOUNT_MAX + 1], name[STORE_NAMESPACE_MAX + 1];
		enum network net;

		if (!next_due(st, now_ms, account, &net, name) ||
		    store_namespace_delete(st, account, net, name) != STORE_OK)
			return;
	}
}
