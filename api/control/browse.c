/*
 * What the web console shows of the items beyond the API's own listings
 * (docs/console.md, docs/control-api.md "The console's view of the items"):
 * which groups live in a sandbox, pages of a group's items filtered over all
 * its keys, and an item's expiry. Read-only; the names, the namespace and
 * sandboxId are checked as the API checks them (api/edgekv/require.h).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/require.h"
#include "base/clock.h"

#define BROWSE_GROUPS_MAX 10000 /* as many as the API lists */
#define BROWSE_LIMIT      100
#define BROWSE_LIMIT_MAX  1000
#define BROWSE_OFFSET_MAX 1000000000LL

static void add_group(void *ctx, const char *group, const char *sandbox)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "group", group);
	if (sandbox[0])
		cJSON_AddStringToObject(o, "sandboxId", sandbox);
	else
		cJSON_AddNullToObject(o, "sandboxId");
	cJSON_AddItemToArray(ctx, o);
}

/* GET /_emulator/accounts/{account}/networks/{network}/namespaces/{namespace}/groups */
void control_browse_groups(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct namespace_rec ns;
	struct item_ref ref = {0};
	cJSON *root;

	if (!require_item(c, &ref, &ns, sandbox))
		return;
	root = cJSON_CreateObject();
	if (store_browse_groups(c->st, &ref, c->now_ms, BROWSE_GROUPS_MAX, add_group,
	                        cJSON_AddArrayToObject(root, "groups")) != STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

static cJSON *item_json(const struct item_meta *m)
{
	cJSON *o = cJSON_CreateObject();
	char when[CLOCK_RFC3339_MAX];

	cJSON_AddStringToObject(o, "key", m->key);
	cJSON_AddStringToObject(o, "contentType", m->ctype);
	cJSON_AddNumberToObject(o, "bytes", (double)m->bytes);
	if (m->expires_at_ms) {
		clock_format_rfc3339(m->expires_at_ms, true, when);
		cJSON_AddStringToObject(o, "expiresAt", when);
	} else {
		cJSON_AddNullToObject(o, "expiresAt");
	}
	return o;
}

static void add_item(void *ctx, const struct item_meta *m)
{
	cJSON_AddItemToArray(ctx, item_json(m));
}

/* ?name=N, digits only, from 0 (or 1 when positive) to max; def when absent. */
static bool query_count(struct api_call *c, const char *name, bool positive, long long def,
                        long long max, int64_t *out)
{
	char text[24], *end;
	long long n = def;

	if (query_param(c, name, text, sizeof(text))) {
		errno = 0;
		n = strtoll(text, &end, 10);
		if (text[0] < '0' || text[0] > '9' || *end || errno || n > max ||
		    (positive && !n)) {
			reply_problem(c, EKV_QUERY_INVALID, name);
			return false;
		}
	}
	*out = n;
	return true;
}

/* The page that ?contains=, ?offset= and ?limit= ask for; false after replying. */
static bool require_page(struct api_call *c, char *contains, struct browse_page *page)
{
	contains[0] = '\0';
	/* One byte more than a key: a longer text cannot be in one, and is refused, not cut. */
	if (query_param(c, "contains", contains, STORE_KEY_MAX + 2) &&
	    strlen(contains) > STORE_KEY_MAX) {
		reply_problem(c, EKV_QUERY_INVALID, "contains");
		return false;
	}
	page->contains = contains;
	return query_count(c, "offset", false, 0, BROWSE_OFFSET_MAX, &page->offset) &&
	       query_count(c, "limit", true, BROWSE_LIMIT, BROWSE_LIMIT_MAX, &page->limit);
}

/* GET …/groups/{group}/items[?sandboxId=][&contains=][&offset=][&limit=] */
void control_browse_items(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1], contains[STORE_KEY_MAX + 2];
	struct browse_page page = {0};
	struct namespace_rec ns;
	struct item_ref ref = {0};
	cJSON *root, *list;

	if (!require_item(c, &ref, &ns, sandbox) || !require_page(c, contains, &page))
		return;
	root = cJSON_CreateObject();
	list = cJSON_CreateArray();
	if (store_browse_items(c->st, &ref, c->now_ms, &page, add_item, list) != STORE_OK) {
		cJSON_Delete(list);
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	cJSON_AddNumberToObject(root, "total", (double)page.total);
	cJSON_AddNumberToObject(root, "offset", (double)page.offset);
	cJSON_AddNumberToObject(root, "limit", (double)page.limit);
	cJSON_AddItemToObject(root, "items", list);
	reply_json_steal(c, 200, root);
}

static void keep_item(void *ctx, const struct item_meta *m)
{
	*(cJSON **)ctx = item_json(m);
}

/* GET …/groups/{group}/items/{item}[?sandboxId=]: one item's record, as in the list. */
void control_browse_item(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct browse_page page = {.limit = 1};
	struct namespace_rec ns;
	struct item_ref ref = {0};
	cJSON *item = NULL;

	if (!require_item(c, &ref, &ns, sandbox))
		return;
	if (store_browse_items(c->st, &ref, c->now_ms, &page, keep_item, &item) != STORE_OK) {
		cJSON_Delete(item);
		reply_problem(c, EKV_INTERNAL);
	} else if (!item) {
		reply_problem(c, EKV_ITEM_NOT_FOUND, ref.key, ref.group);
	} else {
		reply_json_steal(c, 200, item);
	}
}
