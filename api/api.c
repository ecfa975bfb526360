#include "api/api.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/call.h"
#include "api/problem.h"
#include "api/jwt.h"
#include "api/reply.h"
#include "api/tokens.h"
#include "base/clock.h"
#include "base/xalloc.h"

static const char *const method_names[HTTP_METHOD_COUNT] = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER",
};

enum http_method http_method_parse(const char *name)
{
	for (int m = 0; m < HTTP_OTHER; m++)
		if (strcmp(name, method_names[m]) == 0)
			return (enum http_method)m;
	return HTTP_OTHER;
}

const char *http_method_name(enum http_method m)
{
	return method_names[m];
}

const char *api_request_header(const struct api_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

void api_response_init(struct api_response *res)
{
	memset(res, 0, sizeof(*res));
	buf_init(&res->body);
	res->status = 500;
}

void api_response_release(struct api_response *res)
{
	buf_release(&res->body);
}

void api_config_defaults(struct api_config *config)
{
	config->max_body = 1048576;
	config->token_workflow = TOKEN_WORKFLOW_AUTO;
	config->token_limit = 100;
	config->token_activation_ms = 5000;
	config->data_plane_network = NETWORK_STAGING;
}

void api_release(struct api *api)
{
	jwt_key_free(api->jwt_key);
	api->jwt_key = NULL;
}

static void *cjson_malloc(size_t size)
{
	return xmalloc(size);
}

void api_init(void)
{
	cJSON_Hooks hooks = {cjson_malloc, free};

	cJSON_InitHooks(&hooks);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

bool query_param(const struct api_call *c, const char *name, char *out, size_t size)
{
	size_t name_len = strlen(name);

	for (const char *p = c->query; *p;) {
		const char *end = strchr(p, '&'), *eq;
		size_t n = 0;

		if (!end)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if ((size_t)((eq ? eq : end) - p) == name_len && memcmp(p, name, name_len) == 0) {
			for (const char *v = eq ? eq + 1 : end; v < end && n + 1 < size; v++) {
				int hi, lo;

				/* %00 stays: a NUL would cut the value into another one. */
				if (*v == '%' && end - v > 2 && (hi = hexval(v[1])) >= 0 &&
				    (lo = hexval(v[2])) >= 0 && (hi | lo) != 0) {
					out[n++] = (char)(hi << 4 | lo);
					v += 2;
				} else {
					out[n++] = (char)(*v == '+' ? ' ' : *v);
				}
			}
			out[n] = '\0';
			return true;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

/*
 * The control API answers loopback peers only (docs/architecture.md). TODO(#4):
 * an admin secret for other peers. A request built in memory has no peer.
 */
static bool peer_is_loopback(const char *peer)
{
	return !peer || strcmp(peer, "::1") == 0 || strncmp(peer, "127.", 4) == 0 ||
	       strncmp(peer, "::ffff:127.", 11) == 0;
}

static void reply_no_method(struct api_call *c, unsigned allow)
{
	char list[128] = "";

	for (int m = 0; m < HTTP_OTHER; m++) {
		if (!(allow & (1u << m)))
			continue;
		if (list[0])
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, method_names[m], sizeof(list) - strlen(list) - 1);
	}
	reply_problem(c, EKV_METHOD_NOT_ALLOWED, http_method_name(c->req->method));
	reply_header(c, "Allow", "%s", list);
}

void api_dispatch(struct api *api, const struct api_request *req, struct api_response *res)
{
	struct api_call c = {.api = api, .req = req, .res = res};
	const char *q = strchr(req->target, '?');
	size_t path_len = q ? (size_t)(q - req->target) : strlen(req->target);
	unsigned allow = 0;
	char limit[32];
	struct token_rec token;

	c.query = q ? q + 1 : "";
	switch (route_match(api_routes, api_route_count, req->method, req->target, path_len,
	                    &c.route, &c.params, &allow)) {
	case ROUTE_FOUND:
		break;
	case ROUTE_NO_METHOD:
		reply_no_method(&c, allow);
		return;
	case ROUTE_TOO_LONG:
		reply_problem(&c, EKV_URI_TOO_LONG);
		return;
	case ROUTE_NO_PATH: {
		char path[256];

		snprintf(path, sizeof(path), "%.*s", (int)(path_len < 200 ? path_len : 200),
		         req->target);
		reply_problem(&c, EKV_ROUTE_NOT_FOUND, path);
		return;
	}
	}
	if (req->body_too_large) {
		snprintf(limit, sizeof(limit), "%zu", api->config.max_body);
		if (c.route->flags & ROUTE_VALUE_BODY)
			reply_problem(&c, EKV_VALUE_TOO_LARGE);
		else
			reply_problem(&c, EKV_BODY_TOO_LARGE, limit);
		return;
	}
	c.st = store_db_thread(api->db);
	c.now_ms = clock_now_ms();
	if (!c.st) {
		reply_problem(&c, EKV_INTERNAL);
		return;
	}
	if (c.route->flags & ROUTE_CONTROL && !peer_is_loopback(req->peer)) {
		reply_problem(&c, EKV_CONTROL_FORBIDDEN);
		return;
	}
	if (c.route->flags & ROUTE_DATA_PLANE) {
		/* The token names the account (behaviour §6); it replies 401 itself. */
		c.token = &token;
		if (!require_data_token(&c))
			return;
	} else if (store_account_get(c.st, api->config.default_account, &c.account) != STORE_OK) {
		/* TODO(#3): the account comes from the caller's EdgeGrid credentials. */
		reply_problem(&c, EKV_INTERNAL);
		return;
	}
	if ((c.route->flags & ROUTE_NEEDS_INIT) && c.account.status != INIT_INITIALIZED) {
		reply_problem(&c, EKV_NOT_INITIALIZED);
		return;
	}
	c.route->handler(&c);
}
