/*
 * GET /_emulator/export[?account=ID]: every account (or one) in the fixture
 * format that --seed DIR and POST /_emulator/import read
 * (docs/control-api.md "Fixture format").
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "base/array.h"
#include "base/base64.h"
#include "base/buf.h"
#include "base/clock.h"

/* Whether p holds well-formed UTF-8 without NULs (a JSON string can carry it exactly). */
static bool utf8_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b = p[i];
		size_t len = b < 0x80             ? 1
		             : (b & 0xe0) == 0xc0 ? 2
		             : (b & 0xf0) == 0xe0 ? 3
		             : (b & 0xf8) == 0xf0 ? 4
		                                  : 0;

		if (!b || !len || i + len > n || (len == 2 && b < 0xc2))
			return false;
		for (size_t k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

static void add_time(cJSON *o, const char *name, int64_t ms)
{
	char when[CLOCK_RFC3339_MAX];

	clock_format_rfc3339(ms, true, when);
	cJSON_AddStringToObject(o, name, when);
}

static void export_group(void *ctx, const struct access_group_rec *g)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "groupId", (double)g->group_id);
	cJSON_AddStringToObject(o, "groupName", g->name);
	if (g->parent_id)
		cJSON_AddNumberToObject(o, "parentGroupId", (double)g->parent_id);
	cJSON_AddItemToArray(ctx, o);
}

void control_export_user(void *ctx, const struct user_rec *u)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", u->name);
	cJSON_AddStringToObject(o, "email", u->email);
	cJSON_AddItemToObject(o, "roles", cJSON_Parse(u->roles));
	cJSON_AddItemToArray(ctx, o);
}

void control_export_client(void *ctx, const struct client_rec *cl, const char *roles)
{
	cJSON *o = cJSON_CreateObject(), *sw;

	cJSON_AddStringToObject(o, "clientToken", cl->client_token);
	cJSON_AddStringToObject(o, "accessToken", cl->access_token);
	cJSON_AddStringToObject(o, "clientSecret", cl->secret);
	cJSON_AddStringToObject(o, "user", cl->user);
	cJSON_AddStringToObject(o, "grant", grant_name(cl->grant));
	cJSON_AddItemToObject(o, "roles", cJSON_Parse(roles));
	if (strcmp(cl->switch_accounts, "*") == 0) {
		cJSON_AddStringToObject(o, "accountSwitch", "*");
	} else {
		sw = cJSON_AddArrayToObject(o, "accountSwitch");
		for (const char *p = cl->switch_accounts; *p;) {
			size_t n = strcspn(p, ",");
			char id[STORE_ACCOUNT_MAX + 1];

			snprintf(id, sizeof(id), "%.*s", (int)n, p);
			cJSON_AddItemToArray(sw, cJSON_CreateString(id));
			p += n + (p[n] == ',');
		}
	}
	cJSON_AddBoolToObject(o, "active", cl->active);
	cJSON_AddItemToArray(ctx, o);
}

static void export_namespace(void *ctx, const struct namespace_rec *ns)
{
	cJSON *o = cJSON_CreateObject(), *policy;

	cJSON_AddStringToObject(o, "namespace", ns->name);
	cJSON_AddNumberToObject(o, "retentionInSeconds", (double)ns->retention_s);
	cJSON_AddNumberToObject(o, "groupId", (double)ns->group_id);
	cJSON_AddStringToObject(o, "geoLocation", ns->geo);
	policy = cJSON_AddObjectToObject(o, "dataAccessPolicy");
	cJSON_AddBoolToObject(policy, "restrictDataAccess", ns->restrict_data_access);
	cJSON_AddStringToObject(policy, "policyType",
	                        ns->policy_overridden ? "overridden" : "inherited");
	if (ns->delete_at_ms)
		add_time(o, "scheduledDeleteTime", ns->delete_at_ms);
	cJSON_AddItemToArray(ctx, o);
}

static void export_item(void *ctx, const struct item_rec *it)
{
	cJSON *o = cJSON_CreateObject();
	struct buf text = BUF_INIT;

	cJSON_AddStringToObject(o, "network", network_name(it->network));
	cJSON_AddStringToObject(o, "namespace", it->namespace);
	if (it->sandbox[0])
		cJSON_AddStringToObject(o, "sandboxId", it->sandbox);
	cJSON_AddStringToObject(o, "group", it->group);
	cJSON_AddStringToObject(o, "key", it->key);
	if (utf8_text(it->value, it->len)) {
		buf_add(&text, it->value, it->len);
		cJSON_AddStringToObject(o, "value", text.ptr ? text.ptr : "");
	} else {
		if (base64_encode(it->value, it->len, &text) != 0)
			buf_reset(&text); /* GnuTLS fails only without memory */
		cJSON_AddStringToObject(o, "valueBase64", text.ptr ? text.ptr : "");
	}
	buf_release(&text);
	cJSON_AddStringToObject(o, "contentType", it->ctype);
	if (it->expires_at_ms)
		add_time(o, "expiresAt", it->expires_at_ms);
	cJSON_AddItemToArray(ctx, o);
}

static void add_day_text(cJSON *o, const char *name, int64_t day)
{
	char text[CLOCK_RFC3339_MAX];

	clock_format_date(day * STORE_DAY_MS, text);
	cJSON_AddStringToObject(o, name, text);
}

/* A token with everything its API answers and the data plane depend on. */
static void export_token(void *ctx, const struct token_rec *t)
{
	cJSON *o = cJSON_CreateObject(), *ewids, *perms;

	cJSON_AddStringToObject(o, "name", t->name);
	cJSON_AddStringToObject(o, "uuid", t->uuid);
	cJSON_AddStringToObject(o, "workflow", t->legacy ? "legacy" : "enhanced");
	add_time(o, "issuedAt", t->issued_ms);
	add_day_text(o, "expiry", t->expiry_day);
	cJSON_AddStringToObject(o, "cpcode", t->cpcode);
	cJSON_AddBoolToObject(o, "allowOnProduction", t->allow_production);
	cJSON_AddBoolToObject(o, "allowOnStaging", t->allow_staging);
	ewids = cJSON_AddArrayToObject(o, "restrictToEdgeWorkerIds");
	if (!t->ewids[0])
		cJSON_AddItemToArray(ewids, cJSON_CreateString("all"));
	for (const char *p = t->ewids; *p;) {
		size_t n = strcspn(p, ",");
		char id[STORE_TOKEN_EWIDS_MAX + 1];

		snprintf(id, sizeof(id), "%.*s", (int)n, p);
		cJSON_AddItemToArray(ewids, cJSON_CreateString(id));
		p += n + (p[n] == ',');
	}
	perms = cJSON_AddObjectToObject(o, "namespacePermissions");
	for (size_t i = 0; i < t->perm_count; i++) {
		cJSON *letters = cJSON_AddArrayToObject(perms, t->perms[i].namespace);

		for (const char *l = t->perms[i].letters; *l; l++) {
			char one[2] = {*l, '\0'};

			cJSON_AddItemToArray(letters, cJSON_CreateString(one));
		}
	}
	add_time(o, "activeAt", t->active_ms);
	add_time(o, "inProgressUntil", t->busy_until_ms);
	if (t->refreshed_ms)
		add_time(o, "refreshedAt", t->refreshed_ms);
	if (t->revoked_ms)
		add_time(o, "revokedAt", t->revoked_ms);
	if (t->legacy)
		cJSON_AddStringToObject(o, "value", t->value);
	cJSON_AddItemToArray(ctx, o);
}

/* One account in the fixture format; NULL if it cannot be read (logged). */
static cJSON *export_account(struct store *st, const char *id, int64_t now_ms)
{
	cJSON *o = cJSON_CreateObject(), *nets;
	struct account_rec acc;
	bool ok;

	if (store_account_get(st, id, &acc) != STORE_OK) {
		cJSON_Delete(o);
		return NULL;
	}
	cJSON_AddStringToObject(o, "id", acc.id);
	cJSON_AddStringToObject(o, "status", init_status_name(acc.status));
	cJSON_AddStringToObject(o, "cpcode", acc.cpcode);
	cJSON_AddBoolToObject(o, "standardTls", acc.standard_tls);
	cJSON_AddNumberToObject(o, "cpcodeGroupId", (double)acc.cpcode_group);
	if (acc.has_policy) {
		cJSON *p = cJSON_AddObjectToObject(o, "dataAccessPolicy");

		cJSON_AddBoolToObject(p, "restrictDataAccess", acc.restrict_data_access);
		cJSON_AddBoolToObject(p, "allowNamespacePolicyOverride",
		                      acc.allow_namespace_policy_override);
	}
	ok = store_access_group_list(st, id, export_group, cJSON_AddArrayToObject(o, "groups")) ==
	             STORE_OK &&
	     store_user_all(st, id, control_export_user, cJSON_AddArrayToObject(o, "users")) ==
	             STORE_OK &&
	     store_client_all(st, id, control_export_client,
	                      cJSON_AddArrayToObject(o, "clients")) == STORE_OK;
	nets = cJSON_AddObjectToObject(o, "namespaces");
	for (int n = NETWORK_STAGING; ok && n <= NETWORK_PRODUCTION; n++)
		ok = store_namespace_list(st, id, (enum network)n, now_ms, export_namespace,
		                          cJSON_AddArrayToObject(
		                                  nets, network_name((enum network)n))) == STORE_OK;
	ok = ok && store_item_all(st, id, now_ms, export_item,
	                          cJSON_AddArrayToObject(o, "items")) == STORE_OK;
	ok = ok &&
	     store_token_all(st, id, export_token, cJSON_AddArrayToObject(o, "tokens")) == STORE_OK;
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

struct id_list {
	char (*ids)[STORE_ACCOUNT_MAX + 1];
	size_t n, cap;
};

static void add_id(void *ctx, const char *name, size_t len)
{
	struct id_list *l = ctx;

	(void)len;
	ARRAY_GROW(l->ids, l->n, l->cap);
	snprintf(l->ids[l->n++], STORE_ACCOUNT_MAX + 1, "%s", name);
}

/* GET /_emulator/export[?account=ID]: {"accounts": [...]} in the fixture format. */
void control_export(struct api_call *c)
{
	struct id_list ids = {0};
	cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "accounts");
	bool ok = true;

	/* The dispatcher found the account of ?account= (api/control/account.c); none: all. */
	if (c->account.id[0])
		add_id(&ids, c->account.id, strlen(c->account.id));
	else
		ok = store_account_ids(c->st, add_id, &ids) == STORE_OK;
	for (size_t i = 0; ok && i < ids.n; i++) {
		cJSON *acc = export_account(c->st, ids.ids[i], c->now_ms);

		ok = acc != NULL;
		cJSON_AddItemToArray(list, acc);
	}
	if (ok) {
		reply_json_steal(c, 200, root);
		root = NULL;
	} else {
		reply_problem(c, EKV_INTERNAL);
	}
	free(ids.ids);
	cJSON_Delete(root);
}
