/* Namespaces on a network (docs/behaviour.md §5.3). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/edgekv/handlers.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/require.h"
#include "api/state/settings.h"
#include "base/clock.h"

/* Not documented publicly (docs/behaviour.md §10); a test fixture of the Go client shows a
 * Retry-After of about 58 hours. */
#define DELETE_DELAY_MS (48LL * 3600 * 1000)
/* "You can't cancel a namespace delete scheduled to occur in five minutes or less." (the 2024 draft
 * of the spec) */
#define CANCEL_CUTOFF_MS (5LL * 60 * 1000)
#define RETENTION_MIN_S  86400
#define RETENTION_MAX_S  315360000

static cJSON *namespace_json(const struct namespace_rec *ns)
{
	cJSON *root = cJSON_CreateObject(), *policy;

	cJSON_AddStringToObject(root, "namespace", ns->name);
	cJSON_AddNumberToObject(root, "retentionInSeconds", (double)ns->retention_s);
	cJSON_AddStringToObject(root, "geoLocation", ns->geo);
	cJSON_AddNumberToObject(root, "groupId", (double)ns->group_id);
	policy = cJSON_AddObjectToObject(root, "dataAccessPolicy");
	cJSON_AddBoolToObject(policy, "restrictDataAccess", ns->restrict_data_access);
	cJSON_AddStringToObject(policy, "policyType",
	                        ns->policy_overridden ? "overridden" : "inherited");
	return root;
}

struct list_ctx {
	struct api_call *c;
	enum network net;
	cJSON *array;
	bool details;
};

static void add_namespace(void *ctx, const struct namespace_rec *ns)
{
	struct list_ctx *l = ctx;

	/* Only the namespaces the caller may view (docs/behaviour.md §5.1, the Akamai page on
	 * managing access to EdgeKV). */
	if (!caller_can(l->c, ns->group_id, capability_on(CAP_VIEW_NAMESPACE, l->net)))
		return;
	if (l->details) {
		cJSON_AddItemToArray(l->array, namespace_json(ns));
	} else {
		cJSON *entry = cJSON_CreateObject();

		cJSON_AddStringToObject(entry, "namespace", ns->name);
		cJSON_AddItemToArray(l->array, entry);
	}
}

/* GET …/namespaces[?details=on|true] (the CLI sends true, Go sends on: docs/clients.md §6.1). */
void namespaces_list(struct api_call *c)
{
	struct list_ctx l = {0};
	enum network net;
	char details[8];
	cJSON *root;

	if (!require_network(c, &net))
		return;
	l.c = c;
	l.net = net;
	l.details = query_param(c, "details", details, sizeof(details)) &&
	            (strcmp(details, "on") == 0 || strcmp(details, "true") == 0);
	root = cJSON_CreateObject();
	l.array = cJSON_AddArrayToObject(root, "namespaces");
	if (store_namespace_list(c->st, c->account.id, net, c->now_ms, add_namespace, &l) !=
	    STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

static bool retention_valid(int64_t s)
{
	return s == 0 || (s >= RETENTION_MIN_S && s <= RETENTION_MAX_S);
}

static bool require_retention(struct api_call *c, const cJSON *body, int64_t *out)
{
	bool present = false;

	if (!require_int(c, body, "retentionInSeconds", INT64_MIN, INT64_MAX, EKV_RETENTION_INVALID,
	                 out, &present))
		return false;
	if (!present) {
		reply_problem(c, EKV_RETENTION_MISSING);
		return false;
	}
	if (!retention_valid(*out)) {
		reply_problem(c, EKV_RETENTION_INVALID);
		return false;
	}
	return true;
}

/* geoLocation: US (default), EU, JP, GLOBAL; staging has US only (docs/behaviour.md §5.3). */
static bool require_geo(struct api_call *c, const cJSON *body, enum network net, char *geo)
{
	static const char *const known[] = {"US", "EU", "JP", "GLOBAL"};
	const char *value = "US";
	bool present = false, ok = false;

	if (!require_string(c, body, "geoLocation", EKV_GEO_INVALID, &value, &present))
		return false;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok = ok || strcmp(value, known[i]) == 0;
	if (!ok) {
		reply_problem(c, EKV_GEO_INVALID);
		return false;
	}
	if (net == NETWORK_STAGING && strcmp(value, "US") != 0) {
		reply_problem(c, EKV_STAGING_GEO);
		return false;
	}
	snprintf(geo, STORE_GEO_MAX + 1, "%s", value);
	return true;
}

/*
 * dataAccessPolicy on create: {restrictDataAccess} overrides the database
 * default only where allowNamespacePolicyOverride is set (docs/behaviour.md §4.4).
 */
static bool require_namespace_policy(struct api_call *c, const cJSON *body,
                                     struct namespace_rec *ns)
{
	static const char *const fields[] = {"restrictDataAccess", "policyType", NULL};
	const cJSON *policy = cJSON_GetObjectItemCaseSensitive(body, "dataAccessPolicy");
	bool restrict_access = c->account.restrict_data_access, present = false;

	ns->restrict_data_access = c->account.restrict_data_access;
	ns->policy_overridden = false;
	if (!policy || cJSON_IsNull(policy))
		return true;
	if (!cJSON_IsObject(policy)) {
		reply_problem(c, EKV_FIELD_INVALID, "dataAccessPolicy");
		return false;
	}
	if (!require_known_fields(c, policy, fields) ||
	    !require_bool(c, policy, "restrictDataAccess", EKV_FIELD_INVALID, &restrict_access,
	                  &present))
		return false;
	if (!present)
		return true;
	if (!c->account.allow_namespace_policy_override) {
		if (restrict_access == c->account.restrict_data_access)
			return true;
		reply_problem(c, EKV_POLICY_OVERRIDE_DENIED);
		return false;
	}
	if (!restrict_access && !c->account.standard_tls) {
		reply_problem(c, EKV_STANDARD_TLS_INIT);
		return false;
	}
	ns->restrict_data_access = restrict_access;
	ns->policy_overridden = true;
	return true;
}

/* The namespace name of a create body; PowerShell sends "name" (docs/behaviour.md §8 item 18). */
static bool require_body_name(struct api_call *c, const cJSON *body, const char **name)
{
	bool present = false;

	*name = NULL;
	if (!require_string(c, body, "namespace", EKV_NAME_INVALID, name, &present))
		return false;
	if (!present && !require_string(c, body, "name", EKV_NAME_INVALID, name, &present))
		return false;
	if (!present || !ids_namespace_valid(*name, strlen(*name))) {
		reply_problem(c, EKV_NAME_INVALID);
		return false;
	}
	return true;
}

/* POST …/namespaces: 200, not 201 (docs/behaviour.md §8 quirk 2). */
void namespaces_create(struct api_call *c)
{
	static const char *const fields[] = {"namespace",   "name",    "retentionInSeconds",
	                                     "geoLocation", "groupId", "dataAccessPolicy",
	                                     NULL};
	struct namespace_rec ns = {0}, out;
	const char *name;
	enum network net;
	cJSON *body;

	if (!require_network(c, &net))
		return;
	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) || !require_body_name(c, body, &name) ||
	    !require_retention(c, body, &ns.retention_s) ||
	    !require_int(c, body, "groupId", 0, INT64_MAX, EKV_GROUP_ID_INVALID, &ns.group_id,
	                 NULL) ||
	    !require_geo(c, body, net, ns.geo) || !require_namespace_policy(c, body, &ns) ||
	    !require_capability(c, net, ns.group_id))
		goto out;
	snprintf(ns.name, sizeof(ns.name), "%s", name);
	switch (store_namespace_create(c->st, c->account.id, net, &ns, c->now_ms, &out)) {
	case STORE_OK:
		reply_json_steal(c, 200, namespace_json(&out));
		break;
	case STORE_CONFLICT:
		reply_problem(c, EKV_NAMESPACE_EXISTS, ns.name);
		break;
	case STORE_FULL:
		reply_problem(c, EKV_NAMESPACE_LIMIT);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
out:
	cJSON_Delete(body);
}

/* GET …/namespaces/{namespace}: a missing one is 400 (docs/behaviour.md §8 quirk 1). */
void namespaces_get(struct api_call *c)
{
	struct namespace_rec ns;
	enum network net;

	if (require_network(c, &net) && require_namespace(c, net, &ns))
		reply_json_steal(c, 200, namespace_json(&ns));
}

/* Unchangeable members of an update must repeat the namespace's own values. */
static bool require_unchanged(struct api_call *c, const cJSON *body, const struct namespace_rec *ns)
{
	const char *name = NULL, *geo = NULL;
	bool has_name = false, has_group = false, has_geo = false;
	int64_t group_id = 0;

	if (!require_string(c, body, "namespace", EKV_FIELD_INVALID, &name, &has_name) ||
	    !require_int(c, body, "groupId", 0, INT64_MAX, EKV_GROUP_ID_INVALID, &group_id,
	                 &has_group) ||
	    !require_string(c, body, "geoLocation", EKV_GEO_INVALID, &geo, &has_geo))
		return false;
	if (!has_name || strcmp(name, ns->name) != 0) {
		reply_problem(c, EKV_NAMESPACE_MISMATCH);
		return false;
	}
	if (has_group && group_id != ns->group_id) {
		reply_problem(c, EKV_GROUP_ID_CHANGE);
		return false;
	}
	if (has_geo && strcmp(geo, ns->geo) != 0) {
		reply_problem(c, EKV_GEO_CHANGE);
		return false;
	}
	return true;
}

/*
 * PUT …/namespaces/{namespace}: only the retention changes, never for
 * default; it applies to data written from now on (docs/behaviour.md §5.3).
 */
void namespaces_update(struct api_call *c)
{
	static const char *const fields[] = {"namespace", "retentionInSeconds", "geoLocation",
	                                     "groupId",   "dataAccessPolicy",   NULL};
	struct namespace_rec ns;
	struct account_settings set;
	int64_t retention = 0;
	enum network net;
	cJSON *body;

	if (!require_network(c, &net) || !require_namespace(c, net, &ns))
		return;
	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) || !require_unchanged(c, body, &ns) ||
	    !require_retention(c, body, &retention))
		goto out;
	if (strcmp(ns.name, "default") == 0) {
		reply_problem(c, EKV_DEFAULT_NAMESPACE_FIXED);
		goto out;
	}
	/* "New retention applies after up to 5 minutes" (docs/behaviour.md §5.3): the account's
	 * delay, 0 by default.
	 */
	settings_get(c->api->settings, c->account.id, &set);
	if (store_namespace_set_retention(c->st, c->account.id, net, ns.name, retention, c->now_ms,
	                                  c->now_ms + set.retention_delay_ms) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	ns.retention_s = retention;
	reply_json_steal(c, 200, namespace_json(&ns));
out:
	cJSON_Delete(body);
}

/* The EKV_1002 text names the capability of the network (the namespace tests of the Go client). */
static void reply_delete_denied(struct api_call *c, enum network net)
{
	reply_problem(c, EKV_PERMISSION_OR_MISSING,
	              net == NETWORK_STAGING ? "DELETE_STAGING_NAMESPACE" : "DELETE_NAMESPACE");
}

/* A live namespace; with scheduled, one with a delete pending. Replies EKV_1002 otherwise. */
static bool require_deletable(struct api_call *c, enum network *net, struct namespace_rec *ns,
                              bool scheduled)
{
	const char *name = route_param(&c->params, "namespace");

	if (!require_network(c, net))
		return false;
	if (ids_namespace_valid(name, route_param_len(&c->params, "namespace")) &&
	    store_namespace_get(c->st, c->account.id, *net, name, c->now_ms, ns) == STORE_OK &&
	    (!scheduled || ns->delete_at_ms) &&
	    caller_can(c, ns->group_id, capability_on(CAP_DELETE_NAMESPACE, *net)))
		return true;
	reply_delete_denied(c, *net);
	return false;
}

/* {"scheduledDeleteTime": …} with Retry-After, for GET and PUT of the status. */
static void reply_schedule(struct api_call *c, int status, int64_t delete_at_ms)
{
	char when[CLOCK_RFC3339_MAX];
	cJSON *root = cJSON_CreateObject();
	int64_t wait_s = (delete_at_ms - c->now_ms + 999) / 1000;

	/* Milliseconds when the time has them, as a test fixture of the Go client shows
	 * (2025-05-08T14:16:05.350Z).
	 */
	clock_format_rfc3339(delete_at_ms, delete_at_ms % 1000 != 0, when);
	cJSON_AddStringToObject(root, "scheduledDeleteTime", when);
	reply_json_steal(c, status, root);
	reply_header(c, "Retry-After", "%lld", (long long)(wait_s > 0 ? wait_s : 0));
}

/*
 * DELETE …/namespaces/{namespace}: 202 and a scheduled delete, or with
 * sync=true 200 and gone now, with a body of another shape (docs/behaviour.md §5.3, the Go client).
 */
void namespaces_delete(struct api_call *c)
{
	struct namespace_rec ns;
	enum network net;
	char sync[8], text[96];
	cJSON *root;

	if (!require_deletable(c, &net, &ns, false))
		return;
	if (query_param(c, "sync", sync, sizeof(sync)) && strcmp(sync, "true") == 0) {
		if (store_namespace_delete(c->st, c->account.id, net, ns.name) != STORE_OK) {
			reply_problem(c, EKV_INTERNAL);
			return;
		}
		snprintf(text, sizeof(text), "Namespace '%s' was successfully deleted.", ns.name);
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "operationPerformed", "DELETED");
		cJSON_AddStringToObject(root, "description", text);
		cJSON_AddStringToObject(root, "id", c->account.cpcode);
		reply_json_steal(c, 200, root);
		return;
	}
	if (!ns.delete_at_ms) {
		ns.delete_at_ms = c->now_ms + DELETE_DELAY_MS;
		if (store_namespace_schedule_delete(c->st, c->account.id, net, ns.name,
		                                    ns.delete_at_ms) != STORE_OK) {
			reply_problem(c, EKV_INTERNAL);
			return;
		}
	}
	reply_schedule(c, 202, ns.delete_at_ms);
	reply_header(c, "Location", "/edgekv/v1/networks/%s/namespaces/%s/status/scheduled-delete",
	             network_name(net), ns.name);
}

/* GET …/status/scheduled-delete */
void namespaces_delete_status(struct api_call *c)
{
	struct namespace_rec ns;
	enum network net;

	if (require_deletable(c, &net, &ns, true))
		reply_schedule(c, 200, ns.delete_at_ms);
}

/* PUT …/status/scheduled-delete {"scheduledDeleteTime": date-time} */
void namespaces_delete_reschedule(struct api_call *c)
{
	static const char *const fields[] = {"scheduledDeleteTime", NULL};
	struct namespace_rec ns;
	const char *when = NULL;
	bool present = false;
	int64_t at = 0;
	enum network net;
	cJSON *body;

	if (!require_deletable(c, &net, &ns, true))
		return;
	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "scheduledDeleteTime", EKV_DELETE_TIME_INVALID, &when,
	                    &present))
		goto out;
	if (!present || clock_parse_rfc3339(when, false, &at) != 0 ||
	    at <= c->now_ms + CANCEL_CUTOFF_MS) {
		reply_problem(c, EKV_DELETE_TIME_INVALID);
		goto out;
	}
	if (store_namespace_schedule_delete(c->st, c->account.id, net, ns.name, at) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	reply_schedule(c, 200, at);
out:
	cJSON_Delete(body);
}

/* DELETE …/status/scheduled-delete: 204, unless the delete is five minutes away or less. */
void namespaces_delete_cancel(struct api_call *c)
{
	struct namespace_rec ns;
	enum network net;

	if (!require_deletable(c, &net, &ns, true))
		return;
	if (ns.delete_at_ms - c->now_ms <= CANCEL_CUTOFF_MS) {
		reply_problem(c, EKV_DELETE_CANCEL_TOO_LATE);
		return;
	}
	if (store_namespace_schedule_delete(c->st, c->account.id, net, ns.name, 0) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_empty(c, 204);
}
