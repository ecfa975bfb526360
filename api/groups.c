/* Groups of a namespace (behaviour §5.4): they exist while they hold items. */
#include <cjson/cJSON.h>

#include "api/call.h"
#include "api/handlers.h"
#include "api/problem.h"
#include "api/reply.h"
#include "api/require.h"

/* "returns up to 10,000 groups" (CLI docs, TD-LIMITS). */
#define GROUPS_LIST_MAX 10000

static void add_name(void *ctx, const char *name, size_t len)
{
	(void)len; /* group names are validated identifiers: no NULs */
	cJSON_AddItemToArray(ctx, cJSON_CreateString(name));
}

/* GET …/namespaces/{namespace}/groups: a JSON array, or 404 when there are none (§8 quirk 6). */
void groups_list(struct api_call *c)
{
	struct namespace_rec ns;
	struct item_ref ref = {0};
	enum network net;
	cJSON *list;

	if (!require_network(c, &net) || !require_namespace(c, net, &ns))
		return;
	ref.account = c->account.id;
	ref.network = net;
	ref.namespace = ns.name;
	ref.sandbox = "";
	list = cJSON_CreateArray();
	if (store_group_list(c->st, &ref, c->now_ms, GROUPS_LIST_MAX, add_name, list) != STORE_OK) {
		cJSON_Delete(list);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	if (cJSON_GetArraySize(list) == 0) {
		cJSON_Delete(list);
		reply_problem(c, EKV_NO_GROUPS);
		return;
	}
	reply_json_steal(c, 200, list);
}
