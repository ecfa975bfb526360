/*
 * The web console's view of the items (docs/console.md): groups with their
 * sandbox, and pages of a group's items with their expiry. The statements
 * are statements.def's LAZY rows, prepared on each call: nothing of this is
 * set up at start.
 */
#include "storage/store.h"

#include "storage/internal.h"

enum store_status store_browse_groups(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                      int64_t limit, store_group_sandbox_fn *fn, void *ctx)
{
	sqlite3_stmt *q = lazy_prepare(st, LAZY_BROWSE_GROUPS);
	int rc;

	if (!q)
		return STORE_ERROR;
	bind_text(q, 1, ref->account);
	bind_text(q, 2, network_name(ref->network));
	bind_text(q, 3, ref->namespace);
	sqlite3_bind_int64(q, 4, now_ms);
	sqlite3_bind_int64(q, 5, limit);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(q, 0),
		   (const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "browse groups");
}

/* Binds ?1-?8 of BROWSE_COUNT and BROWSE_ITEMS. */
static void bind_browse(sqlite3_stmt *q, const struct item_ref *ref, int64_t now_ms,
                        const char *contains)
{
	bind_text(q, 1, ref->account);
	bind_text(q, 2, network_name(ref->network));
	bind_text(q, 3, ref->namespace);
	bind_text(q, 4, ref->sandbox ? ref->sandbox : "");
	bind_text(q, 5, ref->group);
	if (ref->key)
		bind_text(q, 6, ref->key);
	bind_text(q, 7, contains ? contains : "");
	sqlite3_bind_int64(q, 8, now_ms);
}

static enum store_status browse_count(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                      struct browse_page *page)
{
	sqlite3_stmt *q = lazy_prepare(st, LAZY_BROWSE_COUNT);
	int rc;

	if (!q)
		return STORE_ERROR;
	bind_browse(q, ref, now_ms, page->contains);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		page->total = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? STORE_OK : store_failed(st, rc, "browse count");
}

enum store_status store_browse_items(struct store *st, const struct item_ref *ref, int64_t now_ms,
                                     struct browse_page *page, store_meta_fn *fn, void *ctx)
{
	enum store_status status = browse_count(st, ref, now_ms, page);
	sqlite3_stmt *q;
	int rc;

	if (status != STORE_OK)
		return status;
	q = lazy_prepare(st, LAZY_BROWSE_ITEMS);
	if (!q)
		return STORE_ERROR;
	bind_browse(q, ref, now_ms, page->contains);
	sqlite3_bind_int64(q, 9, page->offset);
	sqlite3_bind_int64(q, 10, page->limit);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct item_meta m = {
		        .key = (const char *)sqlite3_column_text(q, 0),
		        .ctype = (const char *)sqlite3_column_text(q, 1),
		        .bytes = sqlite3_column_int64(q, 2),
		        .expires_at_ms = sqlite3_column_int64(q, 3), /* NULL reads 0: never */
		};

		fn(ctx, &m);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : store_failed(st, rc, "browse items");
}
