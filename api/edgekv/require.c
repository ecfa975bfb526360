#include "api/edgekv/require.h"

#include <string.h>
#include <strings.h>

#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/problem.h"

bool require_network(struct api_call *c, enum network *out)
{
	const char *name = route_param(&c->params, "network");
	/* A %00 inside would end the comparison early: "staging%00x" is no network. */
	bool whole = strlen(name) == route_param_len(&c->params, "network");

	if (whole && network_parse(name, out))
		return true;
	reply_problem(c, EKV_NETWORK_INVALID, name);
	return false;
}

bool require_namespace(struct api_call *c, enum network net, struct namespace_rec *out)
{
	const char *name = route_param(&c->params, "namespace");
	enum store_status status = STORE_NOT_FOUND;

	/* A name that cannot exist is simply not there (docs/behaviour.md §8 quirk 1: 400, not
	 * 404). */
	if (ids_namespace_valid(name, route_param_len(&c->params, "namespace")))
		status = store_namespace_get(c->st, c->account.id, net, name, c->now_ms, out);
	if (status == STORE_OK)
		return require_capability(c, net, out->group_id);
	reply_problem(c, status == STORE_NOT_FOUND ? EKV_NAMESPACE_NOT_FOUND : EKV_INTERNAL);
	return false;
}

bool require_capability(struct api_call *c, enum network net, int64_t group_id)
{
	enum capability cap = capability_on(c->route->cap, net);

	if (caller_can(c, group_id, cap))
		return true;
	/* The real service's text for a missing capability (the namespace tests of the Go client,
	 * docs/behaviour.md §5.2). */
	reply_problem(c, EKV_PERMISSION_OR_MISSING, capability_name(cap));
	return false;
}

bool require_group_and_key(struct api_call *c, struct item_ref *ref)
{
	ref->group = route_param(&c->params, "group");
	ref->key = route_param(&c->params, "item");
	if (!ids_group_valid(ref->group, route_param_len(&c->params, "group"))) {
		reply_problem(c, EKV_GROUP_INVALID);
		return false;
	}
	if (ref->key && !ids_key_valid(ref->key, route_param_len(&c->params, "item"))) {
		reply_problem(c, EKV_KEY_INVALID);
		return false;
	}
	return true;
}

bool require_sandbox(struct api_call *c, enum network net, char *sandbox)
{
	/* One byte more than a sandbox id: a longer value must not be cut into a valid one. */
	char value[STORE_SANDBOX_MAX + 2];

	sandbox[0] = '\0';
	if (!query_param(c, "sandboxId", value, sizeof(value)))
		return true;
	if (net != NETWORK_STAGING) {
		reply_problem(c, EKV_SANDBOX_STAGING_ONLY);
		return false;
	}
	if (!ids_charset_valid(value, strlen(value), STORE_SANDBOX_MAX)) {
		reply_problem(c, EKV_SANDBOX_INVALID);
		return false;
	}
	memcpy(sandbox, value, strlen(value) + 1);
	return true;
}

bool require_item(struct api_call *c, struct item_ref *ref, struct namespace_rec *ns, char *sandbox)
{
	enum network net;

	if (!require_network(c, &net) || !require_namespace(c, net, ns) ||
	    (route_param(&c->params, "group") && !require_group_and_key(c, ref)) ||
	    !require_sandbox(c, net, sandbox))
		return false;
	ref->account = c->account.id;
	ref->network = net;
	ref->namespace = ns->name;
	ref->sandbox = sandbox;
	return true;
}
