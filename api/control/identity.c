/*
 * The control API for identities: accounts, access groups, users with
 * roles, API clients. JSON in and out under /_emulator; dispatch lets only
 * loopback callers, or holders of the admin secret, reach it, and has found
 * the {account} of the path (api/control/account.c) before a handler runs.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/world.h"
#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/control/handlers.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "base/clock.h"
#include "base/xalloc.h"

static bool account_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > STORE_ACCOUNT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ids_charset_valid(&s[i], 1, 1) && s[i] != ':' && s[i] != '.')
			return false;
	return true;
}

/* Validates a roles array and prints it compactly into *text (caller frees). */
static bool require_roles(struct api_call *c, const cJSON *body, char **text)
{
	const cJSON *roles = cJSON_GetObjectItemCaseSensitive(body, "roles");
	struct caller probe = {0};
	char err[128];

	*text = NULL;
	if (!roles) {
		*text = xstrdup("[]");
		return true;
	}
	*text = cJSON_PrintUnformatted(roles);
	if (!*text || caller_roles_parse(*text, strlen(*text), &probe, err, sizeof(err)) != 0) {
		free(*text);
		*text = NULL;
		reply_problem(c, EKV_FIELD_INVALID, "roles");
		return false;
	}
	return true;
}

static cJSON *account_json(const struct account_rec *acc)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "id", acc->id);
	cJSON_AddStringToObject(root, "status", init_status_name(acc->status));
	cJSON_AddStringToObject(root, "cpcode", acc->cpcode);
	cJSON_AddBoolToObject(root, "standardTls", acc->standard_tls);
	cJSON_AddNumberToObject(root, "cpcodeGroupId", (double)acc->cpcode_group);
	return root;
}

/*
 * POST /_emulator/accounts {"id", "initialized" (true), "standardTls" (true),
 * "groupId" (10000), "groupName"}: a new account with its top-level group,
 * which owns the account's EdgeKV CP code.
 */
void control_accounts_create(struct api_call *c)
{
	static const char *const fields[] = {"id",      "initialized", "standardTls",
	                                     "groupId", "groupName",   NULL};
	const char *id = NULL, *group_name = WORLD_TOP_GROUP_NAME;
	bool initialized = true, standard_tls = true, present = false;
	int64_t group_id = WORLD_TOP_GROUP;
	struct account_rec acc;
	cJSON *body = require_json_object(c, false);

	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "id", EKV_FIELD_INVALID, &id, &present) ||
	    !require_bool(c, body, "initialized", EKV_FIELD_INVALID, &initialized, NULL) ||
	    !require_bool(c, body, "standardTls", EKV_FIELD_INVALID, &standard_tls, NULL) ||
	    !require_int(c, body, "groupId", 1, INT64_MAX, EKV_GROUP_ID_INVALID, &group_id, NULL) ||
	    !require_string(c, body, "groupName", EKV_FIELD_INVALID, &group_name, NULL))
		goto out;
	if (!present || !account_id_valid(id)) {
		reply_problem(c, EKV_FIELD_INVALID, "id");
		goto out;
	}
	if (store_account_get(c->st, id, &acc) == STORE_OK) {
		reply_problem(c, EKV_ACCOUNT_EXISTS, id);
		goto out;
	}
	if (world_account_create(c->st, c->now_ms, id, initialized, standard_tls, group_id,
	                         group_name) != 0 ||
	    store_account_get(c->st, id, &acc) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	reply_json_steal(c, 201, account_json(&acc));
out:
	cJSON_Delete(body);
}

struct list_ctx {
	cJSON *list;
};

static void add_access_group(void *ctx, const struct access_group_rec *g)
{
	struct list_ctx *l = ctx;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "groupId", (double)g->group_id);
	cJSON_AddStringToObject(o, "groupName", g->name);
	if (g->parent_id)
		cJSON_AddNumberToObject(o, "parentGroupId", (double)g->parent_id);
	else
		cJSON_AddNullToObject(o, "parentGroupId");
	cJSON_AddItemToArray(l->list, o);
}

/*
 * GET /_emulator/accounts/{account}: the account, its access groups, users and
 * API clients (with their credentials, as export writes them: the console
 * signs its management calls as one of them).
 */
void control_accounts_get(struct api_call *c)
{
	struct list_ctx l;
	cJSON *root;

	root = account_json(&c->account);
	l.list = cJSON_AddArrayToObject(root, "groups");
	if (store_access_group_list(c->st, c->account.id, add_access_group, &l) != STORE_OK ||
	    store_user_all(c->st, c->account.id, control_export_user,
	                   cJSON_AddArrayToObject(root, "users")) != STORE_OK ||
	    store_client_all(c->st, c->account.id, control_export_client,
	                     cJSON_AddArrayToObject(root, "clients")) != STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

struct ids_ctx {
	struct api_call *c;
	cJSON *list;
	bool failed;
};

static void add_account(void *ctx, const char *id, size_t len)
{
	struct ids_ctx *l = ctx;
	struct account_rec acc;

	(void)len; /* account ids are validated names: no NULs */
	if (store_account_get(l->c->st, id, &acc) == STORE_OK)
		cJSON_AddItemToArray(l->list, account_json(&acc));
	else
		l->failed = true;
}

/* GET /_emulator/accounts: every account, by id. */
void control_accounts_list(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();
	struct ids_ctx l = {c, cJSON_AddArrayToObject(root, "accounts"), false};

	if (store_account_ids(c->st, add_account, &l) != STORE_OK || l.failed) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

/* POST /_emulator/accounts/{account}/groups {"groupId", "groupName", "parentGroupId"} */
void control_groups_put(struct api_call *c)
{
	static const char *const fields[] = {"groupId", "groupName", "parentGroupId", NULL};
	struct access_group_rec g = {0}, parent;
	const char *name = NULL;
	bool has_id = false, has_name = false;
	struct list_ctx l;
	cJSON *body;

	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_int(c, body, "groupId", 1, INT64_MAX, EKV_GROUP_ID_INVALID, &g.group_id,
	                 &has_id) ||
	    !require_string(c, body, "groupName", EKV_FIELD_INVALID, &name, &has_name) ||
	    !require_int(c, body, "parentGroupId", 1, INT64_MAX, EKV_GROUP_ID_INVALID, &g.parent_id,
	                 NULL))
		goto out;
	if (!has_id || !has_name || strlen(name) > STORE_GROUP_NAME_MAX) {
		reply_problem(c, EKV_FIELD_INVALID, has_id ? "groupName" : "groupId");
		goto out;
	}
	if (g.parent_id &&
	    store_access_group_get(c->st, c->account.id, g.parent_id, &parent) != STORE_OK) {
		char text[32];

		snprintf(text, sizeof(text), "%lld", (long long)g.parent_id);
		reply_problem(c, EKV_ACCESS_GROUP_NOT_FOUND, text);
		goto out;
	}
	snprintf(g.name, sizeof(g.name), "%s", name);
	if (store_access_group_put(c->st, c->account.id, &g) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	l.list = cJSON_CreateArray();
	add_access_group(&l, &g);
	reply_json_steal(c, 201, cJSON_DetachItemFromArray(l.list, 0));
	cJSON_Delete(l.list);
out:
	cJSON_Delete(body);
}

static void reply_user(struct api_call *c, int status, const char *name, const char *roles)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "name", name);
	cJSON_AddItemToObject(root, "roles", cJSON_Parse(roles));
	reply_json_steal(c, status, root);
}

static bool user_name_valid(const char *s)
{
	return ids_charset_valid(s, strlen(s), STORE_USER_MAX) ||
	       (strchr(s, '@') && strlen(s) <= STORE_USER_MAX);
}

/* POST /_emulator/accounts/{account}/users {"name", "email", "roles": [...]} */
void control_users_put(struct api_call *c)
{
	static const char *const fields[] = {"name", "email", "roles", NULL};
	const char *name = NULL, *email = "";
	bool has_name = false;
	char *roles = NULL;
	cJSON *body;

	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "name", EKV_FIELD_INVALID, &name, &has_name) ||
	    !require_string(c, body, "email", EKV_FIELD_INVALID, &email, NULL) ||
	    !require_roles(c, body, &roles))
		goto out;
	if (!has_name || !user_name_valid(name)) {
		reply_problem(c, EKV_FIELD_INVALID, "name");
		goto out;
	}
	if (store_user_put(c->st, c->account.id, name, email, roles) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	reply_user(c, 201, name, roles);
out:
	free(roles);
	cJSON_Delete(body);
}

/*
 * PUT /_emulator/accounts/{account}/users/{user}/roles {"roles": [...]}:
 * clients made earlier keep the roles they were made with (docs/behaviour.md §8).
 */
void control_users_roles(struct api_call *c)
{
	static const char *const fields[] = {"roles", NULL};
	const char *name = route_param(&c->params, "user");
	enum store_status status;
	char *roles = NULL;
	cJSON *body;

	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) || !require_roles(c, body, &roles))
		goto out;
	status = store_user_set_roles(c->st, c->account.id, name, roles);
	if (status == STORE_OK)
		reply_user(c, 200, name, roles);
	else if (status == STORE_NOT_FOUND)
		reply_problem(c, EKV_USER_NOT_FOUND, name);
	else
		reply_problem(c, EKV_INTERNAL);
out:
	free(roles);
	cJSON_Delete(body);
}

/* Reads "accountSwitch": ["1-ABC", ...] or "*" into a comma-separated list. */
static bool require_switch_list(struct api_call *c, const cJSON *body, char *out, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "accountSwitch"), *e;
	struct buf list = BUF_INIT;
	bool ok = true;

	out[0] = '\0';
	if (!v || cJSON_IsNull(v))
		return true;
	if (cJSON_IsString(v) && strcmp(v->valuestring, "*") == 0) {
		snprintf(out, size, "*");
		return true;
	}
	if (!cJSON_IsArray(v))
		ok = false;
	cJSON_ArrayForEach(e, v)
	{
		if (!ok || !cJSON_IsString(e) || !account_id_valid(e->valuestring)) {
			ok = false;
			break;
		}
		if (list.len)
			buf_addch(&list, ',');
		buf_addstr(&list, e->valuestring);
	}
	if (ok && list.len >= size)
		ok = false;
	if (ok)
		snprintf(out, size, "%s", list.ptr ? list.ptr : "");
	else
		reply_problem(c, EKV_FIELD_INVALID, "accountSwitch");
	buf_release(&list);
	return ok;
}

static bool parse_grant_name(const char *s, enum grant *out)
{
	for (int g = GRANT_NONE; g <= GRANT_READ_WRITE; g++) {
		if (strcmp(s, grant_name((enum grant)g)) == 0) {
			*out = (enum grant)g;
			return true;
		}
	}
	return false;
}

/* Copies an optional credential string member, or makes one. */
static bool credential(struct api_call *c, const cJSON *body, const char *name, char *out,
                       size_t size, void (*make)(char *, size_t))
{
	const char *given = NULL;
	bool present = false;

	if (!require_string(c, body, name, EKV_FIELD_INVALID, &given, &present))
		return false;
	if (!present) {
		make(out, size);
		return true;
	}
	if (!*given || strlen(given) >= size || strpbrk(given, "; \t\r\n")) {
		reply_problem(c, EKV_FIELD_INVALID, name);
		return false;
	}
	snprintf(out, size, "%s", given);
	return true;
}

/* A new client's reply: its credentials, roles and a ready .edgerc section for the Host used. */
static cJSON *client_json(struct api_call *c, const struct client_rec *client, const char *roles)
{
	const char *host = api_request_header(c->req, "Host");
	struct buf edgerc = BUF_INIT;
	cJSON *root = cJSON_CreateObject();

	buf_addf(&edgerc,
	         "[default]\nclient_secret = %s\nhost = %s\naccess_token = %s\n"
	         "client_token = %s\nmax-body = 131072\n",
	         client->secret, host ? host : "127.0.0.1:8443", client->access_token,
	         client->client_token);
	cJSON_AddStringToObject(root, "clientToken", client->client_token);
	cJSON_AddStringToObject(root, "accessToken", client->access_token);
	cJSON_AddStringToObject(root, "clientSecret", client->secret);
	cJSON_AddStringToObject(root, "account", client->account);
	cJSON_AddStringToObject(root, "user", client->user);
	cJSON_AddStringToObject(root, "grant", grant_name(client->grant));
	cJSON_AddItemToObject(root, "roles", cJSON_Parse(roles));
	cJSON_AddStringToObject(root, "edgerc", edgerc.ptr);
	buf_release(&edgerc);
	return root;
}

/*
 * POST /_emulator/accounts/{account}/clients {"user", "grant" ("READ-WRITE"),
 * "accountSwitch", "clientToken", "accessToken", "clientSecret"}: a new API
 * client with a copy of its user's roles; the reply holds its credentials
 * and a ready .edgerc section.
 */
void control_clients_create(struct api_call *c)
{
	static const char *const fields[] = {"user",        "grant",       "accountSwitch",
	                                     "clientToken", "accessToken", "clientSecret",
	                                     NULL};
	const char *user = NULL, *grant = "READ-WRITE";
	struct client_rec client = {0};
	struct buf roles = BUF_INIT;
	bool has_user = false;
	enum store_status status;
	cJSON *body;

	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "user", EKV_FIELD_INVALID, &user, &has_user) ||
	    !require_string(c, body, "grant", EKV_FIELD_INVALID, &grant, NULL) ||
	    !require_switch_list(c, body, client.switch_accounts, sizeof(client.switch_accounts)) ||
	    !credential(c, body, "clientToken", client.client_token, sizeof(client.client_token),
	                ids_random_token) ||
	    !credential(c, body, "accessToken", client.access_token, sizeof(client.access_token),
	                ids_random_token) ||
	    !credential(c, body, "clientSecret", client.secret, sizeof(client.secret),
	                ids_random_secret))
		goto out;
	if (!parse_grant_name(grant, &client.grant)) {
		reply_problem(c, EKV_FIELD_INVALID, "grant");
		goto out;
	}
	if (!has_user || store_user_get(c->st, c->account.id, user, &roles) != STORE_OK) {
		reply_problem(c, EKV_USER_NOT_FOUND, has_user ? user : "");
		goto out;
	}
	snprintf(client.account, sizeof(client.account), "%s", c->account.id);
	snprintf(client.user, sizeof(client.user), "%s", user);
	status = store_client_create(c->st, &client, roles.ptr, c->now_ms);
	if (status == STORE_CONFLICT) {
		reply_problem(c, EKV_CLIENT_EXISTS, client.client_token);
		goto out;
	}
	if (status != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	reply_json_steal(c, 201, client_json(c, &client, roles.ptr));
out:
	buf_release(&roles);
	cJSON_Delete(body);
}

/* POST /_emulator/clients/{client}/deactivate: its requests get 401 Inactive client token. */
void control_clients_deactivate(struct api_call *c)
{
	const char *token = route_param(&c->params, "client");
	enum store_status status = store_client_set_active(c->st, token, false);
	cJSON *root;

	if (status == STORE_NOT_FOUND) {
		reply_problem(c, EKV_CLIENT_NOT_FOUND, token);
		return;
	}
	if (status != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "clientToken", token);
	cJSON_AddBoolToObject(root, "active", false);
	reply_json_steal(c, 200, root);
}
