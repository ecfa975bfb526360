/*
 * The EdgeWorkers API's group list, GET /edgeworkers/v1/groups[/{groupId}]:
 * the EdgeKV CLI's "list auth-groups -incewg" calls it beside the EdgeKV
 * list and fails without it. Same EdgeGrid identities as the EdgeKV API:
 * the account's access groups, and the EdgeWorkers capabilities the caller's
 * roles give in each (docs/control-api.md "Identities").
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/handlers.h"

/* {"groupId": N, "groupName": "…", "capabilities": [...]}: the spec's group, nothing more. */
static cJSON *ew_group_json(const struct access_group_rec *g, uint32_t caps)
{
	cJSON *root = cJSON_CreateObject(), *list;

	cJSON_AddNumberToObject(root, "groupId", (double)g->group_id);
	cJSON_AddStringToObject(root, "groupName", g->name);
	list = cJSON_AddArrayToObject(root, "capabilities");
	for (int i = 0; i < EW_CAP_COUNT; i++)
		if (caps & (1u << i))
			cJSON_AddItemToArray(list, cJSON_CreateString(ew_capability_name(i)));
	return root;
}

struct ew_list {
	struct api_call *c;
	cJSON *groups;
};

static void add_ew_group(void *ctx, const struct access_group_rec *g)
{
	struct ew_list *l = ctx;
	uint32_t caps = caller_ew_capabilities(l->c, g->group_id);

	if (caps)
		cJSON_AddItemToArray(l->groups, ew_group_json(g, caps));
}

/*
 * GET /edgeworkers/v1/groups: the groups where the caller has an EdgeWorkers
 * capability. A caller with none gets {"groups": []} (the spec asks for at
 * least one; an empty list is what a client iterating it survives).
 */
void edgeworkers_groups_list(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();
	struct ew_list l = {c, cJSON_AddArrayToObject(root, "groups")};

	if (store_access_group_list(c->st, c->account.id, add_ew_group, &l) != STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

/* "123" or "grp_123" (the spec takes both) to 123; 0 when it is neither. */
static int64_t ew_group_id(const char *text)
{
	long long id;
	char *end;

	if (strncmp(text, "grp_", 4) == 0)
		text += 4;
	if (*text < '0' || *text > '9')
		return 0;
	errno = 0;
	id = strtoll(text, &end, 10);
	return *end || errno || id < 1 ? 0 : (int64_t)id;
}

/*
 * GET /edgeworkers/v1/groups/{groupId}: one group; a group that does not
 * exist, or where the caller has no EdgeWorkers capability, is the gateway's
 * 403 (the shape Akamai's Go client tests show for this API).
 */
void edgeworkers_groups_get(struct api_call *c)
{
	int64_t id = ew_group_id(route_param(&c->params, "groupId"));
	struct access_group_rec g;
	uint32_t caps = 0;

	if (id > 0 && store_access_group_get(c->st, c->account.id, id, &g) == STORE_OK)
		caps = caller_ew_capabilities(c, id);
	if (!caps) {
		reply_gateway(c, GW_EW_GROUP_FORBIDDEN);
		return;
	}
	reply_json_steal(c, 200, ew_group_json(&g, caps));
}
