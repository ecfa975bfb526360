/*
 * The EdgeKV data plane that edgekv.js calls from EdgeWorkers (docs/behaviour.md §6,
 * docs/clients.md §5): GET, PUT and DELETE of one item, on the same storage as the
 * management API. Dispatch has authenticated the token (401) before these
 * run; they check what it grants (403), then the data (400, 404, 413).
 * edgekv.js takes only 200 as success and 404 as "default value".
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/core/call.h"
#include "api/dataplane/handlers.h"
#include "api/edgekv/handlers.h"
#include "api/core/ids.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/require.h"
#include "api/auth/access_token.h"

/*
 * The network the EdgeWorker runs on: edgekv.js has no network in its path,
 * so the emulator takes it from X-EdgeKV-Network, or its configured default.
 */
static bool require_dp_network(struct api_call *c, enum network *out)
{
	const char *name = api_request_header(c->req, "X-EdgeKV-Network");

	if (!name || !*name) {
		*out = c->api->config.data_plane_network;
		return true;
	}
	if (network_parse(name, out))
		return true;
	reply_problem(c, EKV_NETWORK_INVALID, name);
	return false;
}

/* 403 unless the token is for this network, this EdgeWorker and this operation (docs/behaviour.md
 * §6). */
static bool require_grant(struct api_call *c, enum network net, const char *ns, char letter)
{
	const struct token_rec *t = c->token;
	const char *ewid = api_request_header(c->req, "X-EdgeKV-EdgeWorker-Id");
	/* A name no namespace can have (a %00 inside, say) is in no token. */
	const char *letters = ids_namespace_valid(ns, route_param_len(&c->params, "namespace"))
	                              ? access_token_letters(t, ns)
	                              : NULL;
	char want[2] = {letter, '\0'};

	if (!(net == NETWORK_STAGING ? t->allow_staging : t->allow_production)) {
		reply_problem(c, EKV_DP_NETWORK_DENIED, network_name(net));
		return false;
	}
	if (t->ewids[0]) {
		size_t n = ewid ? strlen(ewid) : 0;
		const char *p = t->ewids;
		bool found = false;

		while (n && !found && *p) {
			size_t len = strcspn(p, ",");

			found = len == n && memcmp(p, ewid, n) == 0;
			p += len + (p[len] == ',');
		}
		if (!found) {
			reply_problem(c, EKV_DP_EDGEWORKER_DENIED, ewid ? ewid : "");
			return false;
		}
	}
	if (!letters || !strchr(letters, letter)) {
		reply_problem(c, EKV_DP_NAMESPACE_DENIED, want, ns);
		return false;
	}
	return true;
}

/*
 * Everything the three operations share: network, grant, names, sandbox, and
 * the namespace on that network (404 when it is not there).
 */
static bool require_dp_item(struct api_call *c, char letter, struct item_ref *ref,
                            struct namespace_rec *ns, char *sandbox)
{
	const char *name = route_param(&c->params, "namespace");
	enum network net;
	enum store_status status;

	if (!require_dp_network(c, &net) || !require_grant(c, net, name, letter) ||
	    !require_group_and_key(c, ref) || !require_sandbox(c, net, sandbox))
		return false;
	status = store_namespace_get(c->st, c->account.id, net, name, c->now_ms, ns);
	if (status != STORE_OK) {
		reply_problem(c,
		              status == STORE_NOT_FOUND ? EKV_DP_NAMESPACE_NOT_FOUND : EKV_INTERNAL,
		              name);
		return false;
	}
	ref->account = c->account.id;
	ref->network = net;
	ref->namespace = ns->name;
	ref->sandbox = sandbox;
	return true;
}

/* GET: the stored bytes; with sandboxFallback=true a sandbox miss reads staging (docs/behaviour.md
 * §5.8). */
void dataplane_get(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1], fallback[8];
	struct namespace_rec ns;
	struct item_ref ref = {0};

	if (require_dp_item(c, 'r', &ref, &ns, sandbox))
		items_read(c, &ref,
		           query_param(c, "sandboxFallback", fallback, sizeof(fallback)) &&
		                   strcasecmp(fallback, "true") == 0);
}

/* PUT: the body is the value (edgekv.js sets no Content-Type, so text/plain is assumed). */
void dataplane_put(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct namespace_rec ns;
	struct item_ref ref = {0};

	/* The management API's write and text (put-item in the 2023 spec); the data plane's is not
	 * public. */
	if (require_dp_item(c, 'w', &ref, &ns, sandbox))
		items_write(c, &ref, &ns, sandbox);
}

/* DELETE: 200, or 404 (which edgekv.js reads as "nothing there") for a missing item. */
void dataplane_delete(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct namespace_rec ns;
	struct item_ref ref = {0};

	if (!require_dp_item(c, 'd', &ref, &ns, sandbox))
		return;
	switch (store_item_delete(c->st, &ref, c->now_ms, items_visible_at(c))) {
	case STORE_OK:
		reply_textf(c, 200, "text/plain",
		            "Item was deleted in the KV store with database %s namespace %s group "
		            "%s key %s.",
		            c->account.cpcode, ns.name, ref.group, ref.key);
		break;
	case STORE_NOT_FOUND:
		reply_problem(c, EKV_ITEM_NOT_FOUND, ref.key, ref.group);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
}
