/* Initialization and the default data access policy (docs/behaviour.md §4). */
#include <cjson/cJSON.h>
#include <stdio.h>

#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/edgekv/handlers.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/state/settings.h"
#include "base/clock.h"

/* The initialize-status object (docs/behaviour.md §4.1): cpcode and dataAccessPolicy are null
 * before. */
static cJSON *status_json(const struct account_rec *acc)
{
	cJSON *root = cJSON_CreateObject(), *policy;
	const char *status = init_status_name(acc->status);
	bool ready = acc->status == INIT_INITIALIZED;

	cJSON_AddStringToObject(root, "accountStatus", status);
	if (ready)
		cJSON_AddStringToObject(root, "cpcode", acc->cpcode);
	else
		cJSON_AddNullToObject(root, "cpcode");
	cJSON_AddStringToObject(root, "productionStatus", status);
	cJSON_AddStringToObject(root, "stagingStatus", status);
	if (ready && acc->has_policy) {
		policy = cJSON_AddObjectToObject(root, "dataAccessPolicy");
		cJSON_AddBoolToObject(policy, "restrictDataAccess", acc->restrict_data_access);
		cJSON_AddBoolToObject(policy, "allowNamespacePolicyOverride",
		                      acc->allow_namespace_policy_override);
	} else {
		cJSON_AddNullToObject(root, "dataAccessPolicy");
	}
	return root;
}

/*
 * Reads {"dataAccessPolicy": {restrictDataAccess, allowNamespacePolicyOverride}}
 * (initialize-put.yaml). The member may be absent or null when optional;
 * otherwise both booleans are required. Leaves the outputs alone when absent.
 */
static bool require_policy(struct api_call *c, const cJSON *body, bool optional,
                           bool *restrict_access, bool *allow_override)
{
	static const char *const top[] = {"dataAccessPolicy", NULL};
	static const char *const inner[] = {"restrictDataAccess", "allowNamespacePolicyOverride",
	                                    NULL};
	const cJSON *policy = cJSON_GetObjectItemCaseSensitive(body, "dataAccessPolicy");
	bool has_restrict = false, has_allow = false, given;

	if (!require_known_fields(c, body, top))
		return false;
	given = policy && !cJSON_IsNull(policy);
	if (!given) {
		if (optional)
			return true;
		reply_problem(c, EKV_POLICY_INVALID);
		return false;
	}
	if (!cJSON_IsObject(policy) || !require_known_fields(c, policy, inner)) {
		if (!cJSON_IsObject(policy))
			reply_problem(c, EKV_POLICY_INVALID);
		return false;
	}
	if (!require_bool(c, policy, "restrictDataAccess", EKV_POLICY_INVALID, restrict_access,
	                  &has_restrict) ||
	    !require_bool(c, policy, "allowNamespacePolicyOverride", EKV_POLICY_INVALID,
	                  allow_override, &has_allow))
		return false;
	if (!has_restrict || !has_allow) {
		reply_problem(c, EKV_POLICY_INVALID);
		return false;
	}
	return true;
}

/* Re-reads the account and replies with its status object. */
static void reply_initialized(struct api_call *c, int status)
{
	if (store_account_get(c->st, c->account.id, &c->account) == STORE_OK)
		reply_json_steal(c, status, status_json(&c->account));
	else
		reply_problem(c, EKV_INTERNAL);
}

void reply_init_status(struct api_call *c, int status, enum init_status as)
{
	struct account_rec acc = c->account;

	acc.status = as;
	reply_json_steal(c, status, status_json(&acc));
}

/*
 * GET /initialize: 200, or 404 whose body is the status object itself (docs/behaviour.md §8
 * quirk 3). While PENDING, 200 with the PENDING body: Terraform polls it
 * until INITIALIZED (docs/clients.md §6.2), and Node never sees a final 102.
 */
void initialize_get(struct api_call *c)
{
	if (c->account.status == INIT_INITIALIZED || c->account.status == INIT_PENDING)
		reply_json_steal(c, 200, status_json(&c->account));
	else
		reply_json_steal_as(c, 404, "application/problem+json", status_json(&c->account));
}

/* PUT /initialize: 201 the first time, 200 once initialized (docs/clients.md §3, CLI logic). */
void initialize_put(struct api_call *c)
{
	bool restrict_access = true, allow_override = false;
	char cpcode[STORE_CPCODE_MAX + 1];
	cJSON *body;

	struct account_settings set;

	if (c->account.status == INIT_INITIALIZED) {
		reply_json_steal(c, 200, status_json(&c->account));
		return;
	}
	/* "102 while an earlier request is processing (body PENDING)" (docs/behaviour.md §4.2). */
	if (c->account.status == INIT_PENDING) {
		reply_init_status(c, 102, INIT_PENDING);
		return;
	}
	/*
	 * Initialization needs a user of the top-level group who can reach the
	 * CP code's group (docs/behaviour.md §8 "Initialization
	 * failure"): otherwise it fails, and the CLI says so on this body.
	 */
	if (!caller_in_top_group(c) || !caller_reaches(c, c->account.cpcode_group)) {
		reply_json_steal(c, 200, status_json(&c->account));
		return;
	}
	body = require_json_object(c, true);
	if (!body)
		return;
	if (!require_policy(c, body, true, &restrict_access, &allow_override))
		goto out;
	if (!restrict_access && !c->account.standard_tls) {
		reply_problem(c, EKV_STANDARD_TLS_INIT);
		goto out;
	}
	ids_cpcode(c->account.id, cpcode, sizeof(cpcode));
	switch (store_account_initialize(c->st, c->account.id, cpcode, restrict_access,
	                                 allow_override, c->now_ms)) {
	case STORE_OK:
		/*
		 * With a pending phase (the account's initPendingSeconds) the
		 * first answer is 200 PENDING, which the CLI reports as "IN
		 * PROGRESS"; the clock decides when it is done.
		 */
		settings_get(c->api->settings, c->account.id, &set);
		if (set.init_pending_ms > 0) {
			settings_set_init_ready_at(c->api->settings, c->account.id,
			                           c->now_ms + set.init_pending_ms);
			reply_init_status(c, 200, INIT_PENDING);
			break;
		}
		reply_initialized(c, 201);
		break;
	case STORE_CONFLICT: /* a concurrent PUT won */
		reply_initialized(c, 200);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
out:
	cJSON_Delete(body);
}

/* PUT /auth/database (docs/behaviour.md §4.3): needs the Standard TLS entitlement; affects new
 * namespaces only. */
void auth_database_put(struct api_call *c)
{
	bool restrict_access = true, allow_override = false;
	cJSON *body;

	if (!require_permission(c, PERM_DATABASE_POLICY))
		return;
	if (!c->account.standard_tls) {
		reply_problem(c, EKV_STANDARD_TLS_REQUIRED);
		return;
	}
	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_policy(c, body, false, &restrict_access, &allow_override))
		goto out;
	if (store_account_set_policy(c->st, c->account.id, restrict_access, allow_override) ==
	    STORE_OK)
		reply_initialized(c, 200);
	else
		reply_problem(c, EKV_INTERNAL);
out:
	cJSON_Delete(body);
}
