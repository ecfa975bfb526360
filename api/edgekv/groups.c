/* Groups of a namespace (docs/behaviour.md §5.4): they exist while they hold items. */
#include <cjson/cJSON.h>

#include "api/core/call.h"
#include "api/edgekv/handlers.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/require.h"
#include "api/state/settings.h"

/* "returns up to 10,000 groups" (CLI docs, the Akamai product limits page). */
#define GROUPS_LIST_MAX 10000

static void add_name(void *ctx, const char *name, size_t len)
{
	(void)len; /* group names are validated identifiers: no NULs */
	cJSON_AddItemToArray(ctx, cJSON_CreateString(name));
}

/*
 * GET …/namespaces/{namespace}/groups: a JSON array, or 404 when there are
 * none (docs/behaviour.md §8 quirk 6). Two known issues of the Known issues page's "Sandbox
 * limitations", both on unless the account switches them off (docs/known-issues.md): sandboxId gets
 * 400 EKV_2000, and staging lists sandbox groups as <group>_<sandboxId>. With the first off,
 * sandboxId lists that sandbox.
 */
void groups_list(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct account_settings set;
	struct namespace_rec ns;
	struct item_ref ref = {0};
	enum network net;
	enum store_status status;
	cJSON *list;

	if (!require_network(c, &net) || !require_namespace(c, net, &ns))
		return;
	settings_get(c->api->settings, c->account.id, &set);
	if ((set.issues & ISSUE_SANDBOX_LIST_GROUPS) && query_param(c, "sandboxId", sandbox, 2)) {
		reply_problem(c, EKV_SANDBOX_NOT_SUPPORTED);
		return;
	}
	if (!require_sandbox(c, net, sandbox))
		return;
	ref.account = c->account.id;
	ref.network = net;
	ref.namespace = ns.name;
	ref.sandbox = sandbox;
	list = cJSON_CreateArray();
	if (net == NETWORK_STAGING && !sandbox[0] && (set.issues & ISSUE_SANDBOX_GROUPS_LISTED))
		status = store_group_list_sandboxes(c->st, &ref, c->now_ms, GROUPS_LIST_MAX,
		                                    add_name, list);
	else
		status = store_group_list(c->st, &ref, c->now_ms, GROUPS_LIST_MAX, add_name, list);
	if (status != STORE_OK) {
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
