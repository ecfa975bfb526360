#include "api/dispatch/dispatch.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/auth/caller.h"
#include "api/control/account.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/dispatch/control_access.h"
#include "api/dispatch/routes.h"
#include "api/edgekv/handlers.h"
#include "api/auth/access_token.h"
#include "api/state/faults.h"
#include "api/state/settings.h"
#include "base/clock.h"
#include "base/log.h"

static void reply_no_method(struct api_call *c, unsigned allow)
{
	char list[128] = "";

	for (int m = 0; m < HTTP_OTHER; m++) {
		if (!(allow & (1u << m)))
			continue;
		if (list[0])
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, http_method_name((enum http_method)m),
		        sizeof(list) - strlen(list) - 1);
	}
	reply_problem(c, EKV_METHOD_NOT_ALLOWED, api_request_method(c->req));
	reply_header(c, "Allow", "%s", list);
}

/*
 * The caller's account, as the Known issues page's permission quirks shape it
 * (docs/behaviour.md §8): a role without the CP code view permission
 * gets the 500 "An internal error occurred."; a user without access to the
 * group of the EdgeKV CP code sees the database as not initialized.
 */
static bool load_account(struct api_call *c)
{
	enum store_status status = store_account_get(c->st, c->caller.account, &c->account);

	if (status == STORE_NOT_FOUND) {
		reply_gateway(c, GW_NO_GRANT); /* an account switch key naming no account */
		return false;
	}
	if (status == STORE_OK && (c->route->flags & ROUTE_EDGEWORKERS))
		return true; /* the EdgeWorkers API: EdgeKV's CP code and init do not apply */
	if (status != STORE_OK || !(caller_permissions(c) & PERM_CPCODE_VIEW)) {
		if (status == STORE_OK)
			log_info("auth: client '%s' lacks the CP code view permission",
			         c->caller.client_token);
		reply_problem(c, EKV_INTERNAL);
		return false;
	}
	if (!caller_reaches(c, c->account.cpcode_group))
		c->account.status = INIT_UNINITIALIZED;
	/* An initialization with a pending phase reads PENDING until it is done. */
	if (c->account.status == INIT_INITIALIZED &&
	    c->now_ms < settings_init_ready_at(c->api->settings, c->account.id))
		c->account.status = INIT_PENDING;
	return true;
}

/* The route's {network} as enum network, or FAULT_NETWORK_ANY. */
static int route_network(const struct api_call *c)
{
	enum network net;

	return network_parse(route_param(&c->params, "network"), &net) ? (int)net
	                                                               : FAULT_NETWORK_ANY;
}

/*
 * The account's request-rate limit and the injected faults, after
 * the caller is known. Returns false after writing the injected reply;
 * latency is left in res->delay_ms for the HTTP layer.
 */
static bool apply_controls(struct api_call *c, size_t path_len)
{
	struct account_settings set;
	struct fault_request q = {0};
	struct fault_outcome out;
	char a[24], b[24];
	int64_t hits;

	settings_get(c->api->settings, c->account.id, &set);
	if (set.rate_limit > 0 &&
	    !settings_rate_hit(c->api->settings, c->account.id, c->now_ms, set.rate_limit, &hits)) {
		snprintf(a, sizeof(a), "%lld", (long long)hits);
		snprintf(b, sizeof(b), "%lld", (long long)set.rate_limit);
		reply_problem(c, EKV_RATE_LIMITED, a, b);
		return false;
	}
	/* Known issues that fail once per account (docs/known-issues.md). */
	if ((c->route->flags & ROUTE_ISSUE_TIMES_OUT) && (set.issues & ISSUE_NAMESPACE_TIMEOUT) &&
	    settings_issue_first(c->api->settings, c->account.id, ISSUE_NAMESPACE_TIMEOUT)) {
		reply_gateway(c, GW_ORIGIN_TIMEOUT);
		return false;
	}
	if ((c->route->flags & ROUTE_ISSUE_FAILS_ONCE) && (set.issues & ISSUE_INIT_FAILS_ONCE) &&
	    c->account.status != INIT_INITIALIZED &&
	    settings_issue_first(c->api->settings, c->account.id, ISSUE_INIT_FAILS_ONCE)) {
		reply_problem(c, EKV_INTERNAL);
		return false;
	}
	q.account = c->account.id;
	q.route = c->route->pattern;
	q.path = c->req->target;
	q.path_len = path_len;
	q.method = c->req->method;
	q.network = route_network(c);
	q.namespace = route_param(&c->params, "namespace");
	if (!faults_apply(c->api->faults, &q, &out))
		return true;
	c->res->delay_ms = out.latency_ms;
	switch (out.status) {
	case 0:
		return true;
	case 102: /* the initialization's PENDING phase (docs/behaviour.md §4.2) */
		reply_init_status(c, 102, INIT_PENDING);
		break;
	case 429:
		snprintf(a, sizeof(a), "%lld", (long long)(out.hits ? out.hits : 364));
		snprintf(b, sizeof(b), "%lld", (long long)(out.limit ? out.limit : 73));
		reply_problem(c, EKV_RATE_LIMITED, a, b);
		break;
	case 503:
		reply_problem(c, EKV_UNAVAILABLE);
		break;
	case 504:
		reply_gateway(c, GW_ORIGIN_TIMEOUT);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
	c->res->delay_ms = out.latency_ms;
	return false;
}

/* Finds c->req's route; false after replying 400, 404, 405, 413 or 414. */
static bool find_route(struct api_call *c, size_t path_len)
{
	const struct api_request *req = c->req;
	unsigned allow = 0;
	char text[256];

	/* RFC 9112 §6.3: a message with conflicting lengths is refused, never guessed at. */
	if (req->framing_invalid) {
		reply_problem(c, EKV_FRAMING_INVALID);
		return false;
	}
	switch (route_match(c->table, c->table_len, req->method, req->target, path_len, &c->route,
	                    &c->params, &allow)) {
	case ROUTE_FOUND:
		break;
	case ROUTE_NO_METHOD:
		reply_no_method(c, allow);
		return false;
	case ROUTE_TOO_LONG:
		reply_problem(c, EKV_URI_TOO_LONG);
		return false;
	case ROUTE_NO_PATH:
		snprintf(text, sizeof(text), "%.*s", (int)(path_len < 200 ? path_len : 200),
		         req->target);
		reply_problem(c, EKV_ROUTE_NOT_FOUND, text);
		return false;
	}
	if (!req->body_too_large)
		return true;
	snprintf(text, sizeof(text), "%zu",
	         (c->route->flags & ROUTE_SPOOL_BODY) ? c->api->config.max_upload
	                                              : c->api->config.max_body);
	/* The value's own 413 only where every body over the limit holds more characters than a
	 * value may (UTF-8 takes at most 4 bytes a character): under a smaller --max-body the
	 * value may be short enough, and only the body limit was broken. */
	if ((c->route->flags & ROUTE_VALUE_BODY) &&
	    c->api->config.max_body >= 4 * (size_t)ITEM_VALUE_MAX_CHARS)
		reply_problem(c, EKV_VALUE_TOO_LARGE);
	else
		reply_problem(c, EKV_BODY_TOO_LARGE, text);
	return false;
}

/* token: room for the data plane's token, owned by the caller (it outlives the handler). */
void dispatch_request(struct api_call *c, struct token_rec *token)
{
	const char *q = strchr(c->req->target, '?');
	size_t path_len = q ? (size_t)(q - c->req->target) : strlen(c->req->target);

	c->query = q ? q + 1 : "";
	c->table = api_routes;
	c->table_len = api_route_count;
	if (!find_route(c, path_len))
		return;
	c->st = store_db_thread(c->api->db);
	store_fault_clear(c->st); /* a fault of an earlier request is not this one's */
	c->now_ms = clock_now_ms(c->api->clock);
	if (!c->st) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	if (c->route->flags & ROUTE_CONTROL) {
		if (!(c->route->flags & ROUTE_OPEN) && !control_access(c))
			return; /* refused, the answer written */
		if ((c->route->flags & ROUTE_OPEN) || control_account_resolve(c))
			c->route->handler(c);
		return;
	}
	if (c->route->flags & ROUTE_DATA_PLANE) {
		/* The token names the account; require_data_token replies 401 itself. */
		c->token = token;
		if (require_data_token(c) && apply_controls(c, path_len))
			c->route->handler(c);
		return;
	}
	if (!caller_authenticate(c) || !load_account(c) || !apply_controls(c, path_len))
		return;
	if ((c->route->flags & ROUTE_NEEDS_INIT) && c->account.status != INIT_INITIALIZED) {
		reply_problem(c, EKV_NOT_INITIALIZED);
		return;
	}
	c->route->handler(c);
}
