/*
 * State controls (issue 4): health and readiness, reset, settle, snapshots,
 * and export/import in the fixture format that --seed DIR loads at start
 * (docs/control-api.md "Fixture format").
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/control/world.h"
#include "api/core/call.h"
#include "api/control/default_world.h"
#include "api/state/faults.h"
#include "api/control/handlers.h"
#include "api/core/ids.h"
#include "api/state/journal.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/state/settings.h"
#include "api/auth/access_token.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

#define FIXTURE_MAX_BYTES (64u << 20)

static atomic_bool ready;

void api_set_ready(bool is_ready)
{
	atomic_store(&ready, is_ready);
}

/* GET /_emulator/health: alive, whatever the state (the Docker HEALTHCHECK's probe). */
void control_health(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "status", "ok");
	reply_json_steal(c, 200, root);
}

/* GET /_emulator/ready: 200 once seeded and accepting, 503 before. */
void control_ready(struct api_call *c)
{
	bool is_ready = atomic_load(&ready);
	cJSON *root = cJSON_CreateObject();

	cJSON_AddBoolToObject(root, "ready", is_ready);
	reply_json_steal(c, is_ready ? 200 : 503, root);
}

/* POST /_emulator/settle[?account=ID]: every delayed write visible, every delayed delete done. */
void control_settle(struct api_call *c)
{
	char account[STORE_ACCOUNT_MAX + 1];
	bool one = query_param(c, "account", account, sizeof(account));
	cJSON *root;

	if (store_settle(c->st, one ? account : NULL) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddBoolToObject(root, "settled", true);
	if (one)
		cJSON_AddStringToObject(root, "account", account);
	reply_json_steal(c, 200, root);
}

static int seed_dir(struct api *api, const char *dir, const char *only);

/*
 * The start world again (with only set, just that account of it): the seed
 * directory when one was given, otherwise the built-in default world.
 */
static int restart_world(struct api *api, const char *only)
{
	if (api->config.seed_dir)
		return seed_dir(api, api->config.seed_dir, only);
	if (only && strcmp(only, api->config.default_account) != 0)
		return 0;
	return api_default_world(api, !api->config.start_uninitialized,
	                         !api->config.start_no_standard_tls);
}

/*
 * POST /_emulator/reset {"account": ID, "identities": bool}: without an
 * account, everything goes back to the start world (seeded or bare), with
 * the clock, settings, faults and journal. With one, only that account:
 * its data (namespaces, items, tokens) goes, its identities stay unless
 * "identities" is true; its settings and faults go back to the defaults.
 */
void control_reset(struct api_call *c)
{
	static const char *const fields[] = {"account", "identities", NULL};
	const char *account = NULL;
	bool has_account = false, identities = false;
	struct account_rec acc;
	cJSON *body = require_json_object(c, true), *root;

	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "account", EKV_FIELD_INVALID, &account, &has_account) ||
	    !require_bool(c, body, "identities", EKV_FIELD_INVALID, &identities, NULL))
		goto out;
	if (has_account && store_account_get(c->st, account, &acc) != STORE_OK) {
		reply_problem(c, EKV_CONTROL_NOT_FOUND, "Account", account);
		goto out;
	}
	if (!has_account) {
		clock_reset();
		settings_reset(NULL);
		faults_clear(NULL);
		journal_clear();
		if (store_reset(c->st, NULL, false, 0) != STORE_OK ||
		    restart_world(c->api, NULL) != 0) {
			reply_problem(c, EKV_INTERNAL);
			goto out;
		}
	} else {
		settings_reset(account);
		faults_clear(account);
		if (store_reset(c->st, account, !identities, clock_now_ms()) != STORE_OK ||
		    (identities && restart_world(c->api, account) != 0)) {
			reply_problem(c, EKV_INTERNAL);
			goto out;
		}
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "reset", has_account ? account : "all");
	reply_json_steal(c, 200, root);
out:
	cJSON_Delete(body);
}

static bool snapshot_name_valid(const char *s)
{
	return ids_charset_valid(s, strlen(s), STORE_SNAPSHOT_NAME_MAX);
}

static void add_name(void *ctx, const char *name, size_t len)
{
	(void)len;
	cJSON_AddItemToArray(ctx, cJSON_CreateString(name));
}

/* GET /_emulator/snapshots: {"snapshots": [names]} */
void control_snapshots_list(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();

	store_snapshot_list(c->st, add_name, cJSON_AddArrayToObject(root, "snapshots"));
	reply_json_steal(c, 200, root);
}

static void reply_snapshot(struct api_call *c, int status, const char *name, const char *what)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "name", name);
	cJSON_AddStringToObject(root, "state", what);
	reply_json_steal(c, status, root);
}

/* POST /_emulator/snapshots {"name"}: the whole store as it is now (storage only). */
void control_snapshots_save(struct api_call *c)
{
	static const char *const fields[] = {"name", NULL};
	const char *name = NULL;
	bool present = false;
	cJSON *body = require_json_object(c, false);

	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "name", EKV_FIELD_INVALID, &name, &present))
		goto out;
	if (!present || !snapshot_name_valid(name)) {
		reply_problem(c, EKV_FIELD_INVALID, "name");
		goto out;
	}
	if (store_snapshot_save(c->st, name) == STORE_OK)
		reply_snapshot(c, 201, name, "saved");
	else
		reply_problem(c, EKV_INTERNAL);
out:
	cJSON_Delete(body);
}

/* POST /_emulator/snapshots/{name}/restore */
void control_snapshots_restore(struct api_call *c)
{
	const char *name = route_param(&c->params, "name");

	switch (store_snapshot_restore(c->st, name)) {
	case STORE_OK:
		reply_snapshot(c, 200, name, "restored");
		break;
	case STORE_NOT_FOUND:
		reply_problem(c, EKV_CONTROL_NOT_FOUND, "Snapshot", name);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
}

/* DELETE /_emulator/snapshots/{name} */
void control_snapshots_delete(struct api_call *c)
{
	const char *name = route_param(&c->params, "name");

	if (store_snapshot_delete(c->st, name) == STORE_OK)
		reply_empty(c, 204);
	else
		reply_problem(c, EKV_CONTROL_NOT_FOUND, "Snapshot", name);
}

/* ---------------------------------------------------------------- export */

/* The 64 digits, then the pad at index 64. */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

static void base64_encode(struct buf *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addch(out, b64[v >> 18 & 63]);
		buf_addch(out, b64[v >> 12 & 63]);
		buf_addch(out, b64[i + 1 < n ? v >> 6 & 63 : 64]);
		buf_addch(out, b64[i + 2 < n ? v & 63 : 64]);
	}
}

/* Returns 0, or -1 for text that is not base64. */
static int base64_decode(struct buf *out, const char *s)
{
	uint32_t v = 0;
	int bits = 0;

	for (; *s && *s != '='; s++) {
		const char *pos = strchr(b64, *s);

		if (!pos || !*s)
			return -1;
		v = v << 6 | (uint32_t)(pos - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addch(out, (char)(v >> bits & 0xff));
		}
	}
	return 0;
}

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

/* Appends the user to the JSON array ctx, as a fixture writes it (also the account view). */
void control_export_user(void *ctx, const struct user_rec *u)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", u->name);
	cJSON_AddStringToObject(o, "email", u->email);
	cJSON_AddItemToObject(o, "roles", cJSON_Parse(u->roles));
	cJSON_AddItemToArray(ctx, o);
}

/* Appends the client, credentials included, to the JSON array ctx (also the account view). */
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
		base64_encode(&text, it->value, it->len);
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
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->ids = xrealloc(l->ids, l->cap * sizeof(*l->ids));
	}
	snprintf(l->ids[l->n++], STORE_ACCOUNT_MAX + 1, "%s", name);
}

/* GET /_emulator/export[?account=ID]: {"accounts": [...]} in the fixture format. */
void control_export(struct api_call *c)
{
	char one[STORE_ACCOUNT_MAX + 1];
	struct id_list ids = {0};
	cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "accounts");
	bool ok = true;

	if (query_param(c, "account", one, sizeof(one)))
		add_id(&ids, one, strlen(one));
	else
		ok = store_account_ids(c->st, add_id, &ids) == STORE_OK;
	for (size_t i = 0; ok && i < ids.n; i++) {
		cJSON *acc = export_account(c->st, ids.ids[i], c->now_ms);

		if (!acc && ids.n == 1 && strcmp(ids.ids[0], one) == 0) {
			reply_problem(c, EKV_CONTROL_NOT_FOUND, "Account", one);
			goto out;
		}
		ok = acc != NULL;
		cJSON_AddItemToArray(list, acc);
	}
	if (!ok) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	reply_json_steal(c, 200, root);
	root = NULL;
out:
	free(ids.ids);
	cJSON_Delete(root);
}

/* ---------------------------------------------------------------- import */

static const char *str_or(const cJSON *o, const char *name, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static int64_t int_or(const cJSON *o, const char *name, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

static bool bool_or(const cJSON *o, const char *name, bool dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

static int import_fail(char *err, size_t size, const char *what, const char *id)
{
	snprintf(err, size, "%s '%s'", what, id);
	return -1;
}

static int import_identities(struct store *st, const char *id, const cJSON *a, int64_t now,
                             char *err, size_t size)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "groups"))
	{
		struct access_group_rec g = {0};

		g.group_id = int_or(e, "groupId", 0);
		g.parent_id = int_or(e, "parentGroupId", 0);
		snprintf(g.name, sizeof(g.name), "%s", str_or(e, "groupName", ""));
		if (g.group_id <= 0 || store_access_group_put(st, id, &g) != STORE_OK)
			return import_fail(err, size, "cannot import a group of account", id);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "users"))
	{
		char *roles = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(e, "roles"));
		enum store_status s = store_user_put(st, id, str_or(e, "name", ""),
		                                     str_or(e, "email", ""), roles ? roles : "[]");

		free(roles);
		if (s != STORE_OK)
			return import_fail(err, size, "cannot import a user of account", id);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "clients"))
	{
		const cJSON *sw = cJSON_GetObjectItemCaseSensitive(e, "accountSwitch"), *x;
		const cJSON *sw_list = cJSON_IsArray(sw) ? sw : NULL;
		const char *grant = str_or(e, "grant", "READ-WRITE");
		struct client_rec cl = {0};
		struct buf list = BUF_INIT;
		char *roles = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(e, "roles"));
		enum store_status s;

		snprintf(cl.client_token, sizeof(cl.client_token), "%s",
		         str_or(e, "clientToken", ""));
		snprintf(cl.access_token, sizeof(cl.access_token), "%s",
		         str_or(e, "accessToken", ""));
		snprintf(cl.secret, sizeof(cl.secret), "%s", str_or(e, "clientSecret", ""));
		snprintf(cl.account, sizeof(cl.account), "%s", id);
		snprintf(cl.user, sizeof(cl.user), "%s", str_or(e, "user", ""));
		cl.grant = strcmp(grant, "READ-WRITE") == 0  ? GRANT_READ_WRITE
		           : strcmp(grant, "READ-ONLY") == 0 ? GRANT_READ_ONLY
		                                             : GRANT_NONE;
		if (cJSON_IsString(sw))
			buf_addstr(&list, sw->valuestring);
		cJSON_ArrayForEach(x, sw_list)
		{
			if (list.len)
				buf_addch(&list, ',');
			buf_addstr(&list, cJSON_IsString(x) ? x->valuestring : "");
		}
		snprintf(cl.switch_accounts, sizeof(cl.switch_accounts), "%s",
		         list.ptr ? list.ptr : "");
		buf_reset(&list);
		/* A client without its own roles gets its user's, as the control API does. */
		if (!roles && store_user_get(st, id, cl.user, &list) == STORE_OK)
			roles = xstrdup(list.ptr ? list.ptr : "[]");
		buf_release(&list);
		s = !cl.client_token[0] || !cl.secret[0]
		            ? STORE_ERROR
		            : store_client_create(st, &cl, roles ? roles : "[]", now);
		free(roles);
		if (s == STORE_OK && !bool_or(e, "active", true))
			s = store_client_set_active(st, cl.client_token, false);
		if (s != STORE_OK)
			return import_fail(err, size, "cannot import client", cl.client_token);
	}
	return 0;
}

static int import_namespace(struct store *st, const char *id, enum network net, const cJSON *e,
                            int64_t now, char *err, size_t size)
{
	const cJSON *policy = cJSON_GetObjectItemCaseSensitive(e, "dataAccessPolicy");
	const char *when = str_or(e, "scheduledDeleteTime", NULL);
	struct namespace_rec ns = {0}, out;
	int64_t at = 0;

	snprintf(ns.name, sizeof(ns.name), "%s", str_or(e, "namespace", ""));
	ns.retention_s = int_or(e, "retentionInSeconds", STORE_DEFAULT_RETENTION_S);
	ns.group_id = int_or(e, "groupId", 0);
	snprintf(ns.geo, sizeof(ns.geo), "%s", str_or(e, "geoLocation", "US"));
	ns.restrict_data_access = bool_or(policy, "restrictDataAccess", true);
	ns.policy_overridden = strcmp(str_or(policy, "policyType", ""), "overridden") == 0;
	if (!ids_namespace_valid(ns.name, strlen(ns.name)) ||
	    store_namespace_create(st, id, net, &ns, now, &out) != STORE_OK ||
	    (when && (clock_parse_rfc3339(when, false, &at) != 0 ||
	              store_namespace_schedule_delete(st, id, net, ns.name, at) != STORE_OK)))
		return import_fail(err, size, "cannot import namespace", ns.name);
	return 0;
}

static int import_item(struct store *st, const char *id, const cJSON *e, int64_t now, char *err,
                       size_t size)
{
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(e, "value");
	const char *b64text = str_or(e, "valueBase64", NULL), *when = str_or(e, "expiresAt", NULL);
	const char *ctype = str_or(e, "contentType", NULL);
	struct item_ref ref = {0};
	struct buf bytes = BUF_INIT;
	int64_t expires = 0;
	int rc = 0;

	ref.account = id;
	ref.network = strcmp(str_or(e, "network", "staging"), "production") == 0
	                      ? NETWORK_PRODUCTION
	                      : NETWORK_STAGING;
	ref.namespace = str_or(e, "namespace", "default");
	ref.sandbox = str_or(e, "sandboxId", "");
	ref.group = str_or(e, "group", "");
	ref.key = str_or(e, "key", "");
	if (cJSON_IsString(value)) {
		buf_addstr(&bytes, value->valuestring);
	} else if (value) { /* any other JSON value is stored as its JSON text */
		char *text = cJSON_PrintUnformatted(value);

		buf_addstr(&bytes, text ? text : "null");
		free(text);
		if (!ctype)
			ctype = "application/json";
	} else if (!b64text || base64_decode(&bytes, b64text) != 0) {
		rc = -1;
	}
	if (when && clock_parse_rfc3339(when, false, &expires) != 0)
		rc = -1;
	if (rc == 0 && (!ids_group_valid(ref.group, strlen(ref.group)) ||
	                !ids_key_valid(ref.key, strlen(ref.key)) ||
	                store_item_put(st, &ref, bytes.ptr ? bytes.ptr : "", bytes.len,
	                               ctype ? ctype : "text/plain", now, expires, 0) != STORE_OK))
		rc = -1;
	buf_release(&bytes);
	return rc == 0 ? 0 : import_fail(err, size, "cannot import item", ref.key);
}

/* An optional RFC 3339 member into *ms (left alone when absent); false when it does not parse. */
static bool time_or(const cJSON *o, const char *name, bool date_only_ok, int64_t *ms)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!v)
		return true;
	return cJSON_IsString(v) && clock_parse_rfc3339(v->valuestring, date_only_ok, ms) == 0;
}

static int64_t floor_day(int64_t ms)
{
	return ms / STORE_DAY_MS - (ms % STORE_DAY_MS < 0);
}

/* restrictToEdgeWorkerIds: ["all"], [] or none mean every id; else up to 8 ids. */
static bool import_ewids(const cJSON *list, struct token_rec *t)
{
	struct buf joined = BUF_INIT;
	const cJSON *v;
	bool all = false, ok = !list || cJSON_IsArray(list);

	cJSON_ArrayForEach(v, list)
	{
		char id[34];

		if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15)
			snprintf(id, sizeof(id), "%lld", (long long)v->valuedouble);
		else if (cJSON_IsString(v) && strlen(v->valuestring) <= 32)
			snprintf(id, sizeof(id), "%s", v->valuestring);
		else
			id[0] = '\0';
		if (strcasecmp(id, "all") == 0) {
			all = true;
			continue;
		}
		ok = ok && ids_charset_valid(id, strlen(id), 32);
		if (joined.len)
			buf_addch(&joined, ',');
		buf_addstr(&joined, id);
	}
	ok = ok && cJSON_GetArraySize(list) <= 8;
	snprintf(t->ewids, sizeof(t->ewids), "%s", !all && joined.ptr ? joined.ptr : "");
	buf_release(&joined);
	return ok;
}

/* namespacePermissions: 1-20 namespaces, each with 1-3 unique letters of r, w, d. */
static bool import_permissions(const cJSON *perms, struct token_rec *t)
{
	const cJSON *v, *l;

	if (!cJSON_IsObject(perms) || cJSON_GetArraySize(perms) < 1 ||
	    cJSON_GetArraySize(perms) > STORE_TOKEN_NAMESPACES)
		return false;
	cJSON_ArrayForEach(v, perms)
	{
		struct token_perm *p = &t->perms[t->perm_count++];
		size_t n = 0;

		if (!ids_namespace_valid(v->string, strlen(v->string)) || !cJSON_IsArray(v) ||
		    cJSON_GetArraySize(v) < 1 || cJSON_GetArraySize(v) > 3)
			return false;
		snprintf(p->namespace, sizeof(p->namespace), "%s", v->string);
		cJSON_ArrayForEach(l, v)
		{
			if (!cJSON_IsString(l) || strlen(l->valuestring) != 1 ||
			    !strchr("rwd", l->valuestring[0]) ||
			    memchr(p->letters, l->valuestring[0], n))
				return false;
			p->letters[n++] = l->valuestring[0];
		}
		p->letters[n] = '\0';
	}
	return true;
}

/*
 * One access token (docs/control-api.md "Fixture format"). A legacy token's
 * JWT is signed again with this emulator's key from the token's own fields:
 * the same claims, and the same value byte for byte when the key is the one
 * that signed it (RS256 is deterministic); "value" is not read.
 */
static int import_token(struct api *api, struct store *st, const struct account_rec *acc,
                        const cJSON *e, int64_t now, char *err, size_t size)
{
	const char *workflow = str_or(e, "workflow", NULL), *uuid = str_or(e, "uuid", NULL);
	const cJSON *expiry = cJSON_GetObjectItemCaseSensitive(e, "expiry");
	struct token_rec *t = xmalloc(sizeof(*t));
	int64_t expiry_ms = 0;
	bool ok;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->account, sizeof(t->account), "%s", acc->id);
	snprintf(t->name, sizeof(t->name), "%s", str_or(e, "name", ""));
	ok = ids_namespace_valid(str_or(e, "name", ""), strlen(str_or(e, "name", "")));
	if (uuid && access_token_ref_valid(uuid, strlen(uuid))) {
		for (size_t i = 0; i <= STORE_UUID_LEN; i++)
			t->uuid[i] = (char)(uuid[i] >= 'A' && uuid[i] <= 'F' ? uuid[i] - 'A' + 'a'
			                                                     : uuid[i]);
	} else {
		ok = ok && !uuid;
		ids_uuid_v4(t->uuid);
	}
	ok = ok && time_or(e, "expiry", true, &expiry_ms);
	/* Without a workflow, an expiry other than 9999-12-31 makes a legacy token, as "auto" does.
	 */
	t->legacy = workflow ? strcmp(workflow, "legacy") == 0
	                     : expiry && floor_day(expiry_ms) != STORE_ENHANCED_EXPIRY_DAY;
	ok = ok && (!workflow || t->legacy || strcmp(workflow, "enhanced") == 0);
	t->expiry_day = t->legacy ? floor_day(expiry_ms) : STORE_ENHANCED_EXPIRY_DAY;
	ok = ok && (t->legacy ? expiry != NULL : !expiry || floor_day(expiry_ms) == t->expiry_day);
	t->issued_ms = now;
	ok = ok && time_or(e, "issuedAt", false, &t->issued_ms);
	t->active_ms = t->issued_ms;
	ok = ok && time_or(e, "activeAt", false, &t->active_ms);
	t->busy_until_ms = t->active_ms;
	ok = ok && time_or(e, "inProgressUntil", false, &t->busy_until_ms) &&
	     time_or(e, "refreshedAt", false, &t->refreshed_ms) &&
	     time_or(e, "revokedAt", false, &t->revoked_ms);
	t->allow_production = bool_or(e, "allowOnProduction", true);
	t->allow_staging = bool_or(e, "allowOnStaging", true);
	ok = ok && (t->allow_production || t->allow_staging);
	snprintf(t->cpcode, sizeof(t->cpcode), "%s", str_or(e, "cpcode", acc->cpcode));
	ok = ok &&
	     import_ewids(cJSON_GetObjectItemCaseSensitive(e, "restrictToEdgeWorkerIds"), t) &&
	     import_permissions(cJSON_GetObjectItemCaseSensitive(e, "namespacePermissions"), t);
	if (!ok || (t->legacy && !access_token_sign(api, st, now, t)) ||
	    store_token_import(st, t) != STORE_OK)
		rc = import_fail(err, size, "cannot import token", t->name);
	free(t);
	return rc;
}

/* Replaces the account a describes with its content. */
static int import_account(struct api *api, struct store *st, const cJSON *a, int64_t now, char *err,
                          size_t size)
{
	const char *id = str_or(a, "id", ""), *status = str_or(a, "status", "INITIALIZED");
	const cJSON *policy = cJSON_GetObjectItemCaseSensitive(a, "dataAccessPolicy");
	const cJSON *nets = cJSON_GetObjectItemCaseSensitive(a, "namespaces"), *e, *items;
	struct account_rec acc = {0};

	if (!*id || strlen(id) > STORE_ACCOUNT_MAX)
		return import_fail(err, size, "an account needs an id, not", id);
	snprintf(acc.id, sizeof(acc.id), "%s", id);
	acc.status = strcmp(status, "INITIALIZED") == 0 ? INIT_INITIALIZED
	             : strcmp(status, "PENDING") == 0   ? INIT_PENDING
	                                                : INIT_UNINITIALIZED;
	snprintf(acc.cpcode, sizeof(acc.cpcode), "%s", str_or(a, "cpcode", ""));
	if (acc.status == INIT_INITIALIZED && !acc.cpcode[0])
		ids_cpcode(id, acc.cpcode, sizeof(acc.cpcode));
	acc.has_policy = policy != NULL || acc.status == INIT_INITIALIZED;
	acc.restrict_data_access = bool_or(policy, "restrictDataAccess", true);
	acc.allow_namespace_policy_override =
	        bool_or(policy, "allowNamespacePolicyOverride", false);
	acc.standard_tls = bool_or(a, "standardTls", true);
	acc.cpcode_group = int_or(a, "cpcodeGroupId", 0);
	if (store_reset(st, id, false, now) != STORE_OK ||
	    store_account_create(st, &acc, now) != STORE_OK)
		return import_fail(err, size, "cannot import account", id);
	settings_reset(id);
	if (import_identities(st, id, a, now, err, size) != 0)
		return -1;
	/* Initialized without namespaces: the default namespaces, as initialization makes them. */
	if (!nets && acc.status == INIT_INITIALIZED && store_reset(st, id, true, now) != STORE_OK)
		return import_fail(err, size, "cannot create the default namespaces of", id);
	for (int n = NETWORK_STAGING; n <= NETWORK_PRODUCTION; n++) {
		const cJSON *list =
		        cJSON_GetObjectItemCaseSensitive(nets, network_name((enum network)n));

		cJSON_ArrayForEach(e, list)
		{
			if (import_namespace(st, id, (enum network)n, e, now, err, size) != 0)
				return -1;
		}
	}
	items = cJSON_GetObjectItemCaseSensitive(a, "items");
	cJSON_ArrayForEach(e, items)
	{
		if (import_item(st, id, e, now, err, size) != 0)
			return -1;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "tokens"))
	{
		if (import_token(api, st, &acc, e, now, err, size) != 0)
			return -1;
	}
	return 0;
}

/* Imports the accounts of the fixture document root (with only set, just that one). */
static int import_doc(struct api *api, const cJSON *root, const char *only, char *err, size_t size)
{
	struct store *st = store_db_thread(api->db);
	const cJSON *accounts = cJSON_GetObjectItemCaseSensitive(root, "accounts"), *a;
	int64_t now = clock_now_ms();
	int rc = 0;

	if (!st || !cJSON_IsArray(accounts)) {
		snprintf(err, size, "a fixture is a JSON object with an \"accounts\" array");
		return -1;
	}
	cJSON_ArrayForEach(a, accounts)
	{
		if (rc == 0 && (!only || strcmp(str_or(a, "id", ""), only) == 0))
			rc = import_account(api, st, a, now, err, size);
	}
	return rc;
}

int api_import(struct api *api, const char *text, size_t len, const char *only, char *err,
               size_t size)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	struct store *st = store_db_thread(api->db);
	int rc;

	/*
	 * One transaction: a fixture refused halfway must not leave an account
	 * half replaced (bad input never loses data).
	 */
	if (!st || store_batch_begin(st) != STORE_OK) {
		snprintf(err, size, "the store cannot start a transaction");
		cJSON_Delete(root);
		return -1;
	}
	rc = import_doc(api, root, only, err, size);
	if (store_batch_end(st, rc == 0) != STORE_OK && rc == 0) {
		snprintf(err, size, "the store cannot commit the import");
		rc = -1;
	}
	cJSON_Delete(root);
	return rc;
}

/*
 * The default account of fixtures/default/world.json (compiled in, see the
 * Makefile) through the importer, shaped by --uninitialized (no CP code,
 * policy, namespaces, items or tokens: what PUT /initialize makes) and
 * --no-standard-tls. An existing default account is left as it is.
 */
int api_default_world(struct api *api, bool initialized, bool standard_tls)
{
	const char *id = api->config.default_account;
	struct store *st = store_db_thread(api->db);
	cJSON *root, *a, *found = NULL;
	struct account_rec acc;
	enum store_status status;
	char err[256];
	int rc;

	if (!st)
		return -1;
	status = store_account_get(st, id, &acc);
	if (status != STORE_NOT_FOUND)
		return status == STORE_OK ? 0 : -1;
	root = cJSON_ParseWithLength((const char *)default_world_json, default_world_json_len);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(root, "accounts"))
	{
		if (strcmp(str_or(a, "id", ""), id) == 0)
			found = a;
	}
	if (!found) {
		log_error("fixtures/default/world.json has no account '%s'", id);
		cJSON_Delete(root);
		return -1;
	}
	if (!initialized) {
		static const char *const init_only[] = {"cpcode", "dataAccessPolicy", "namespaces",
		                                        "items",  "tokens",           NULL};

		for (const char *const *f = init_only; *f; f++)
			cJSON_DeleteItemFromObjectCaseSensitive(found, *f);
		cJSON_DeleteItemFromObjectCaseSensitive(found, "status");
		cJSON_AddStringToObject(found, "status", "UNINITIALIZED");
	}
	if (!standard_tls) {
		cJSON_DeleteItemFromObjectCaseSensitive(found, "standardTls");
		cJSON_AddFalseToObject(found, "standardTls");
	}
	rc = import_doc(api, root, id, err, sizeof(err));
	if (rc != 0)
		log_error("the default world: %s", err);
	cJSON_Delete(root);
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int api_seed_dir(struct api *api, const char *dir)
{
	return seed_dir(api, dir, NULL);
}

static int seed_dir(struct api *api, const char *dir, const char *only)
{
	char *names[256], path[4096], err[256];
	size_t n = 0;
	struct dirent *e;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		log_error("seed: cannot open '%s'", dir);
		return -1;
	}
	while ((e = readdir(d)) && n < sizeof(names) / sizeof(names[0])) {
		size_t len = strlen(e->d_name);

		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), compare_names);
	for (size_t i = 0; i < n; i++) {
		struct buf text = BUF_INIT;
		char chunk[65536];
		size_t got;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = rc == 0 ? fopen(path, "rb") : NULL;
		while (f && (got = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
		       text.len < FIXTURE_MAX_BYTES)
			buf_add(&text, chunk, got);
		if (f)
			fclose(f);
		if (rc == 0 && (!f || api_import(api, text.ptr ? text.ptr : "", text.len, only, err,
		                                 sizeof(err)) != 0)) {
			log_error("seed: '%s': %s", path, f ? err : "cannot read");
			rc = -1;
		}
		buf_release(&text);
		free(names[i]);
	}
	return rc;
}

/* POST /_emulator/import: a fixture document; each account in it is replaced. */
void control_import(struct api_call *c)
{
	char err[256];
	cJSON *root;

	if (api_import(c->api, c->req->body, c->req->body_len, NULL, err, sizeof(err)) != 0) {
		reply_problem(c, EKV_IMPORT_INVALID, err);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddBoolToObject(root, "imported", true);
	reply_json_steal(c, 200, root);
}
