/* Items of a group (docs/behaviour.md §5.5): values are stored and returned byte for byte. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/core/call.h"
#include "api/edgekv/handlers.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/require.h"
#include "api/state/settings.h"

#define ITEMS_LIST_DEFAULT 100
#define SANDBOX_LIFE_MS                                                                            \
	(2LL * 86400 * 1000) /* the Akamai product limits page: two days, whatever the namespace   \
	                      */

static void add_name(void *ctx, const char *name, size_t len)
{
	(void)len; /* keys are validated identifiers: no NULs */
	cJSON_AddItemToArray(ctx, cJSON_CreateString(name));
}

/* GET …/groups/{group}[?maxItems=N]: keys by name, 100 unless asked (docs/behaviour.md §5.5). */
void items_list(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1], max_text[24], *end;
	struct namespace_rec ns;
	struct item_ref ref = {0};
	long long limit = ITEMS_LIST_DEFAULT;
	cJSON *list;

	if (!require_item(c, &ref, &ns, sandbox))
		return;
	if (query_param(c, "maxItems", max_text, sizeof(max_text))) {
		/* Digits only: strtoll alone takes " 5", "+5" and clamps what overflows. */
		errno = 0;
		limit = strtoll(max_text, &end, 10);
		if (max_text[0] < '0' || max_text[0] > '9' || *end || errno || limit < 1) {
			reply_problem(c, EKV_QUERY_INVALID, "maxItems");
			return;
		}
	}
	list = cJSON_CreateArray();
	if (store_item_list(c->st, &ref, c->now_ms, limit, add_name, list) != STORE_OK) {
		cJSON_Delete(list);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	if (cJSON_GetArraySize(list) == 0) {
		cJSON_Delete(list);
		reply_problem(c, EKV_GROUP_EMPTY);
		return;
	}
	reply_json_steal(c, 200, list);
}

/* GET …/items/{item}: the stored bytes with the content type they were written with. */
void items_get(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct namespace_rec ns;
	struct item_ref ref = {0};

	if (require_item(c, &ref, &ns, sandbox))
		items_read(c, &ref, false);
}

void items_read(struct api_call *c, struct item_ref *ref, bool staging_fallback)
{
	char ctype[STORE_CTYPE_MAX + 1];
	enum store_status status = store_item_get(c->st, ref, c->now_ms, &c->res->body, ctype);

	if (status == STORE_NOT_FOUND && staging_fallback && ref->sandbox[0]) {
		ref->sandbox = "";
		status = store_item_get(c->st, ref, c->now_ms, &c->res->body, ctype);
	}
	switch (status) {
	case STORE_OK:
		c->res->status = 200;
		snprintf(c->res->content_type, sizeof(c->res->content_type), "%s", ctype);
		break;
	case STORE_NOT_FOUND:
		reply_problem(c, EKV_ITEM_NOT_FOUND, ref->key, ref->group);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
}

/* UTF-8 characters: every byte that does not continue a sequence. */
static size_t count_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

bool items_value_fits(const char *value, size_t len)
{
	return count_chars(value, len) <= ITEM_VALUE_MAX_CHARS;
}

int64_t items_expires_at(const struct api_call *c, const struct namespace_rec *ns,
                         const char *sandbox)
{
	/* A retention change applies only to data written after it is in force (docs/behaviour.md
	 * §5.3). */
	int64_t retention_s = namespace_retention_at(ns, c->now_ms);

	if (sandbox[0])
		return c->now_ms + SANDBOX_LIFE_MS;
	return retention_s ? c->now_ms + retention_s * 1000 : 0;
}

int64_t items_visible_at(const struct api_call *c)
{
	struct account_settings set;

	/* Eventual consistency (docs/behaviour.md §5.9): with a delay, reads miss a write, or see a
	 * deleted value. */
	settings_get(c->api->settings, c->account.id, &set);
	return c->now_ms + set.consistency_delay_ms;
}

/* PUT …/items/{item}: upsert; the group comes into being with its first item. */
void items_put(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct namespace_rec ns;
	struct item_ref ref = {0};

	if (require_item(c, &ref, &ns, sandbox))
		items_write(c, &ref, &ns, sandbox);
}

void items_write(struct api_call *c, const struct item_ref *ref, const struct namespace_rec *ns,
                 const char *sandbox)
{
	const char *given = api_request_header(c->req, "Content-Type");
	char ctype[STORE_CTYPE_MAX + 1];

	if (!items_value_fits(c->req->body, c->req->body_len)) {
		reply_problem(c, EKV_VALUE_TOO_LARGE);
		return;
	}
	snprintf(ctype, sizeof(ctype), "%s", given && *given ? given : "text/plain");
	if (store_item_put(c->st, ref, c->req->body, c->req->body_len, ctype, c->now_ms,
	                   items_expires_at(c, ns, sandbox), items_visible_at(c)) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	/* The put-item example of the 2023 spec, verbatim. */
	reply_textf(c, 200, "text/plain;charset=utf-8",
	            "Item was upserted in database, namespace %s, group %s, and key %s.", ns->name,
	            ref->group, ref->key);
}

/* DELETE …/items/{item}: 200 whether or not the item was there (no 404 is documented). */
void items_delete(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct namespace_rec ns;
	struct item_ref ref = {0};

	if (!require_item(c, &ref, &ns, sandbox))
		return;
	/* "stale data may be returned" for the consistency window (docs/behaviour.md §5.5, §5.9).
	 */
	if (store_item_delete(c->st, &ref, c->now_ms, items_visible_at(c)) == STORE_ERROR) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	/* The delete-item description of the 2023 spec, verbatim. */
	reply_textf(c, 200, "text/plain",
	            "Item was deleted in the KV store with database %s namespace %s group %s key "
	            "%s.",
	            c->account.cpcode, ns.name, ref.group, ref.key);
}
