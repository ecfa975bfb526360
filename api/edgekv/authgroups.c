/* Access groups and namespace reauthorization (docs/behaviour.md §5.1, §5.2). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/edgekv/handlers.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/require.h"

/* The 2023 spec example's name for groupId 0, the whole account. */
#define ACCOUNT_GROUP_NAME "Account Group"

static cJSON *group_json(int64_t group_id, const char *name, uint32_t caps)
{
	cJSON *g = cJSON_CreateObject(), *list;

	cJSON_AddNumberToObject(g, "groupId", (double)group_id);
	cJSON_AddStringToObject(g, "groupName", name);
	list = cJSON_AddArrayToObject(g, "capabilities");
	for (int i = 0; i < CAP_COUNT; i++)
		if (caps & (1u << i))
			cJSON_AddItemToArray(list, cJSON_CreateString(capability_name(i)));
	return g;
}

struct groups_ctx {
	struct api_call *c;
	cJSON *list;
};

static void add_group(void *ctx, const struct access_group_rec *g)
{
	struct groups_ctx *l = ctx;
	uint32_t caps = caller_capabilities(l->c, g->group_id);

	if (caps)
		cJSON_AddItemToArray(l->list, group_json(g->group_id, g->name, caps));
}

/* GET /auth/groups: the access groups where the caller has EdgeKV capabilities. */
void auth_groups_list(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();
	struct groups_ctx l = {c, cJSON_AddArrayToObject(root, "groups")};

	if (store_access_group_list(c->st, c->account.id, add_group, &l) != STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

/* GET /auth/groups/{groupId}: 403 EKV_1000 for a group the caller cannot see. */
void auth_groups_get(struct api_call *c)
{
	const char *text = route_param(&c->params, "groupId");
	struct access_group_rec g = {0};
	uint32_t caps = 0;
	char *end;
	long long id = strtoll(text, &end, 10);

	if (!*text || *end || id < 0) {
		reply_problem(c, EKV_GROUP_ID_INVALID);
		return;
	}
	if (id == 0) {
		caps = caller_capabilities(c, 0);
		snprintf(g.name, sizeof(g.name), "%s", ACCOUNT_GROUP_NAME);
	} else if (store_access_group_get(c->st, c->account.id, id, &g) == STORE_OK) {
		caps = caller_capabilities(c, id);
	}
	if (!caps) {
		reply_problem(c, EKV_GROUP_FORBIDDEN, text);
		return;
	}
	reply_json_steal(c, 200, group_json(id, g.name, caps));
}

/*
 * PUT /auth/namespaces/{namespace} {"groupId": N}: moves the namespace, on
 * both networks, to another access group. The caller needs the AUTHORIZE
 * capability of each network where the namespace exists, in its group now
 * and in the new one (docs/behaviour.md §5.2; the body is the spec's, groupId as string too).
 */
void auth_namespaces_put(struct api_call *c)
{
	static const char *const fields[] = {"groupId", NULL};
	const char *name = route_param(&c->params, "namespace");
	struct namespace_rec ns;
	int64_t group_id = 0;
	bool present = false, found = false;
	cJSON *body, *root;

	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_int(c, body, "groupId", 0, INT64_MAX, EKV_GROUP_ID_INVALID, &group_id,
	                 &present))
		goto out;
	if (!present) {
		reply_problem(c, EKV_GROUP_ID_INVALID);
		goto out;
	}
	for (int net = NETWORK_STAGING; net <= NETWORK_PRODUCTION; net++) {
		enum capability cap = capability_on(CAP_AUTHORIZE_NAMESPACE, (enum network)net);

		if (!ids_namespace_valid(name, route_param_len(&c->params, "namespace")) ||
		    store_namespace_get(c->st, c->account.id, (enum network)net, name, c->now_ms,
		                        &ns) != STORE_OK)
			continue;
		found = true;
		if (!caller_can(c, ns.group_id, cap) || !caller_can(c, group_id, cap)) {
			reply_problem(c, EKV_PERMISSION_OR_MISSING, capability_name(cap));
			goto out;
		}
	}
	if (!found) {
		reply_problem(c, EKV_PERMISSION_OR_MISSING,
		              capability_name(CAP_AUTHORIZE_NAMESPACE));
		goto out;
	}
	if (store_namespace_set_group(c->st, c->account.id, name, group_id) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "groupId", (double)group_id);
	reply_json_steal(c, 200, root);
out:
	cJSON_Delete(body);
}
