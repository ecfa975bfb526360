/*
 * The management API's access-token handlers: create, list, get, revoke and
 * refresh (docs/behaviour.md "Access tokens"). The body's rules are in
 * token_body.c, how a token is shown in token_view.c, signing and data-plane
 * authentication in api/auth/access_token.c.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <uuid/uuid.h>

#include "api/auth/access_token.h"
#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/handlers.h"
#include "api/edgekv/notifications.h"
#include "api/edgekv/token_body.h"
#include "api/edgekv/token_view.h"

/*
 * A version 5 (name-based) uuid like the real service's (docs/behaviour.md §5.6 "…-568e-…"),
 * over the account, the name and a random uuid so that a reused name gets
 * a new one.
 */
static void new_token_uuid(const char *account, const char *name, char *out)
{
	static const uuid_t space = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
	                             0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
	char seed[STORE_ACCOUNT_MAX + STORE_TOKEN_NAME_MAX + IDS_UUID_LEN + 8];
	char nonce[IDS_UUID_LEN + 1];
	uuid_t u;

	ids_uuid_v4(nonce);
	snprintf(seed, sizeof(seed), "%s/%s/%s", account, name, nonce);
	uuid_generate_sha1(u, space, seed, strlen(seed));
	uuid_unparse_lower(u, out);
}

/* POST /tokens (docs/behaviour.md §3 row 20): 200 with the token. */
void tokens_create(struct api_call *c)
{
	struct token_settings settings;
	struct token_rec t;
	char limit[24];
	cJSON *body;

	/* docs/behaviour.md §5.6: "EdgeKV Access Token - Create" */
	if (!require_permission(c, PERM_TOKEN_CREATE))
		return;
	memset(&t, 0, sizeof(t));
	body = require_json_object(c, false);
	if (!body)
		return;
	if (!token_body_require(c, body, &t))
		goto out;
	if (!access_token_settings(c, c->account.id, &settings)) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	if (!token_body_require_expiry(c, body, settings.workflow, &t))
		goto out;
	/* Checks due before this token existed run first: it must not count in them. */
	if (!tokens_daily_checks(c)) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	snprintf(t.account, sizeof(t.account), "%s", c->account.id);
	snprintf(t.cpcode, sizeof(t.cpcode), "%s", c->account.cpcode);
	new_token_uuid(t.account, t.name, t.uuid);
	t.issued_ms = c->now_ms;
	t.active_ms = t.legacy ? c->now_ms : c->now_ms + settings.activation_delay_ms;
	t.busy_until_ms = t.active_ms;
	if (t.legacy && !access_token_sign(c->api, c->st, c->now_ms, &t)) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	switch (store_token_create(c->st, &t, c->now_ms, settings.limit)) {
	case STORE_OK:
		reply_json_steal(c, 200, token_view_json(&t, c->now_ms, true));
		break;
	case STORE_CONFLICT:
		reply_problem(c, EKV_TOKEN_EXISTS, t.name);
		break;
	case STORE_FULL:
		snprintf(limit, sizeof(limit), "%lld", (long long)settings.limit);
		reply_problem(c, EKV_TOKEN_LIMIT, limit);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
out:
	cJSON_Delete(body);
}

struct list_ctx {
	cJSON *array;
	int64_t now_ms;
};

static void add_token(void *ctx, const struct token_rec *t)
{
	struct list_ctx *l = ctx;

	cJSON_AddItemToArray(l->array, token_view_json(t, l->now_ms, false));
}

/* GET /tokens[?includeExpired=true] (docs/behaviour.md §3 row 21): 404 "No tokens exist." when
 * empty. */
void tokens_list(struct api_call *c)
{
	struct list_ctx l = {NULL, c->now_ms};
	bool include_expired = false;
	char flag[8];
	cJSON *root;

	/* docs/behaviour.md §5.6: "EdgeKV Access Token - View" lists and retrieves */
	if (!require_permission(c, PERM_TOKEN_VIEW))
		return;
	if (query_param(c, "includeExpired", flag, sizeof(flag))) {
		if (strcasecmp(flag, "true") != 0 && strcasecmp(flag, "false") != 0) {
			reply_problem(c, EKV_QUERY_INVALID, "includeExpired");
			return;
		}
		include_expired = strcasecmp(flag, "true") == 0;
	}
	root = cJSON_CreateObject();
	l.array = cJSON_AddArrayToObject(root, "tokens");
	if (store_token_list(c->st, c->account.id, c->now_ms, include_expired, add_token, &l) !=
	    STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	if (cJSON_GetArraySize(l.array) == 0) {
		cJSON_Delete(root);
		reply_problem(c, EKV_NO_TOKENS);
		return;
	}
	reply_json_steal(c, 200, root);
}

/*
 * The live token named by the path: 400 for a bad name, 404 for none, 410
 * "Token has expired." for one that expired less than 30 days ago.
 */
static bool require_live_token(struct api_call *c, struct token_rec *t)
{
	const char *name = route_param(&c->params, "token");
	int64_t end;

	if (!ids_namespace_valid(name, route_param_len(&c->params, "token"))) {
		reply_problem(c, EKV_NAME_INVALID);
		return false;
	}
	switch (store_token_get(c->st, c->account.id, name, t)) {
	case STORE_OK:
		break;
	case STORE_NOT_FOUND:
		reply_problem(c, EKV_TOKEN_NOT_FOUND, name);
		return false;
	default:
		reply_problem(c, EKV_INTERNAL);
		return false;
	}
	end = store_token_end_ms(t);
	if (end > c->now_ms)
		return true;
	if (end > c->now_ms - STORE_TOKEN_AFTERLIFE_MS)
		reply_problem(c, EKV_TOKEN_EXPIRED);
	else
		reply_problem(c, EKV_TOKEN_NOT_FOUND, name);
	return false;
}

/* GET /tokens/{tokenName} (docs/behaviour.md §3 row 22). */
void tokens_get(struct api_call *c)
{
	struct token_rec t;

	if (require_permission(c, PERM_TOKEN_VIEW) && require_live_token(c, &t))
		reply_json_steal(c, 200, token_view_json(&t, c->now_ms, true));
}

/* DELETE /tokens/{tokenName} (docs/behaviour.md §3 row 23): 200 {name, uuid}; the data plane
 * answers 401 after. */
void tokens_revoke(struct api_call *c)
{
	struct token_rec t;
	cJSON *root;

	if (!require_permission(c, PERM_TOKEN_CREATE) || !require_live_token(c, &t))
		return;
	switch (store_token_revoke(c->st, t.uuid, c->now_ms)) {
	case STORE_OK:
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "name", t.name);
		cJSON_AddStringToObject(root, "uuid", t.uuid);
		reply_json_steal(c, 200, root);
		break;
	case STORE_NOT_FOUND: /* a concurrent revoke won */
		reply_problem(c, EKV_TOKEN_NOT_FOUND, t.name);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
}

/*
 * POST /tokens/{tokenName}/refresh (docs/behaviour.md §3 row 24, the 2024 draft of the spec): an
 * enhanced token refreshes now, shows IN_PROGRESS again for the activation delay (it keeps working
 * meanwhile) and schedules its next refresh two months on. Legacy tokens "can't be renewed" (the
 * tokens schema of the 2023 spec).
 */
void tokens_refresh(struct api_call *c)
{
	struct token_settings settings;
	struct token_rec t;

	if (!require_permission(c, PERM_TOKEN_CREATE) || !require_live_token(c, &t))
		return;
	if (t.legacy) {
		reply_problem(c, EKV_TOKEN_NOT_REFRESHABLE, t.name);
		return;
	}
	if (!access_token_settings(c, c->account.id, &settings) ||
	    store_token_refresh(c->st, t.uuid, c->now_ms,
	                        c->now_ms + settings.activation_delay_ms) != STORE_OK ||
	    store_token_by_uuid(c->st, t.uuid, &t) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, token_view_json(&t, c->now_ms, true));
}
