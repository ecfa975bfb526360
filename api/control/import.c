/*
 * The fixture importer (docs/control-api.md "Fixture format"): accounts
 * with their identities, namespaces and items (tokens: import_token.c), in
 * one transaction, and POST /_emulator/import on top of it.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/control/import.h"
#include "api/control/import_token.h"
#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/bulk_files.h"
#include "api/state/settings.h"
#include "base/base64.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

static int import_groups(struct store *st, const char *id, const cJSON *a, struct import_error *err)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "groups"))
	{
		struct access_group_rec g = {0};

		g.group_id = fixture_int(e, "groupId", 0);
		g.parent_id = fixture_int(e, "parentGroupId", 0);
		snprintf(g.name, sizeof(g.name), "%s", fixture_str(e, "groupName", ""));
		if (g.group_id <= 0 || store_access_group_put(st, id, &g) != STORE_OK)
			return import_fail(err, EKV_IMPORT_GROUP, id);
	}
	return 0;
}

static int import_users(struct store *st, const char *id, const cJSON *a, struct import_error *err)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "users"))
	{
		char *roles = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(e, "roles"));
		enum store_status s =
		        store_user_put(st, id, fixture_str(e, "name", ""),
		                       fixture_str(e, "email", ""), roles ? roles : "[]");

		free(roles);
		if (s != STORE_OK)
			return import_fail(err, EKV_IMPORT_USER, id);
	}
	return 0;
}

/* "accountSwitch": "*" or a list of account ids, as the store keeps it: comma-separated. */
static void switch_accounts(const cJSON *e, struct client_rec *cl)
{
	const cJSON *sw = cJSON_GetObjectItemCaseSensitive(e, "accountSwitch"), *x;
	const cJSON *sw_list = cJSON_IsArray(sw) ? sw : NULL;
	struct buf list = BUF_INIT;

	if (cJSON_IsString(sw))
		buf_addstr(&list, sw->valuestring);
	cJSON_ArrayForEach(x, sw_list)
	{
		if (list.len)
			buf_addch(&list, ',');
		buf_addstr(&list, cJSON_IsString(x) ? x->valuestring : "");
	}
	snprintf(cl->switch_accounts, sizeof(cl->switch_accounts), "%s", list.ptr ? list.ptr : "");
	buf_release(&list);
}

static int import_client(struct store *st, const char *id, const cJSON *e, int64_t now,
                         struct import_error *err)
{
	const char *grant = fixture_str(e, "grant", "READ-WRITE");
	struct client_rec cl = {0};
	struct buf user_roles = BUF_INIT;
	char *roles = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(e, "roles"));
	enum store_status s;

	snprintf(cl.client_token, sizeof(cl.client_token), "%s", fixture_str(e, "clientToken", ""));
	snprintf(cl.access_token, sizeof(cl.access_token), "%s", fixture_str(e, "accessToken", ""));
	snprintf(cl.secret, sizeof(cl.secret), "%s", fixture_str(e, "clientSecret", ""));
	snprintf(cl.account, sizeof(cl.account), "%s", id);
	snprintf(cl.user, sizeof(cl.user), "%s", fixture_str(e, "user", ""));
	cl.grant = strcmp(grant, "READ-WRITE") == 0  ? GRANT_READ_WRITE
	           : strcmp(grant, "READ-ONLY") == 0 ? GRANT_READ_ONLY
	                                             : GRANT_NONE;
	switch_accounts(e, &cl);
	/* A client without its own roles gets its user's, as the control API does. */
	if (!roles && store_user_get(st, id, cl.user, &user_roles) == STORE_OK)
		roles = xstrdup(user_roles.ptr ? user_roles.ptr : "[]");
	buf_release(&user_roles);
	s = !cl.client_token[0] || !cl.secret[0]
	            ? STORE_ERROR
	            : store_client_create(st, &cl, roles ? roles : "[]", now);
	free(roles);
	if (s == STORE_OK && !fixture_bool(e, "active", true))
		s = store_client_set_active(st, cl.client_token, false);
	return s == STORE_OK ? 0 : import_fail(err, EKV_IMPORT_CLIENT, cl.client_token);
}

static int import_identities(struct store *st, const char *id, const cJSON *a, int64_t now,
                             struct import_error *err)
{
	const cJSON *e;

	if (import_groups(st, id, a, err) != 0 || import_users(st, id, a, err) != 0)
		return -1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "clients"))
	{
		if (import_client(st, id, e, now, err) != 0)
			return -1;
	}
	return 0;
}

static int import_namespace(struct store *st, const char *id, enum network net, const cJSON *e,
                            int64_t now, struct import_error *err)
{
	const cJSON *policy = cJSON_GetObjectItemCaseSensitive(e, "dataAccessPolicy");
	const char *when = fixture_str(e, "scheduledDeleteTime", NULL);
	struct namespace_rec ns = {0}, out;
	int64_t at = 0;

	snprintf(ns.name, sizeof(ns.name), "%s", fixture_str(e, "namespace", ""));
	ns.retention_s = fixture_int(e, "retentionInSeconds", STORE_DEFAULT_RETENTION_S);
	ns.group_id = fixture_int(e, "groupId", 0);
	snprintf(ns.geo, sizeof(ns.geo), "%s", fixture_str(e, "geoLocation", "US"));
	ns.restrict_data_access = fixture_bool(policy, "restrictDataAccess", true);
	ns.policy_overridden = strcmp(fixture_str(policy, "policyType", ""), "overridden") == 0;
	if (!ids_namespace_valid(ns.name, strlen(ns.name)) ||
	    store_namespace_create(st, id, net, &ns, now, &out) != STORE_OK ||
	    (when && (clock_parse_rfc3339(when, false, &at) != 0 ||
	              store_namespace_schedule_delete(st, id, net, ns.name, at) != STORE_OK)))
		return import_fail(err, EKV_IMPORT_NAMESPACE, ns.name);
	return 0;
}

static int import_item(struct store *st, const char *id, const cJSON *e, int64_t now,
                       struct import_error *err)
{
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(e, "value");
	const char *b64text = fixture_str(e, "valueBase64", NULL),
	           *when = fixture_str(e, "expiresAt", NULL);
	const char *ctype = fixture_str(e, "contentType", NULL);
	struct item_ref ref = {0};
	struct buf bytes = BUF_INIT;
	int64_t expires = 0;
	int rc = 0;

	ref.account = id;
	if (!network_parse(fixture_str(e, "network", "staging"), &ref.network))
		ref.network = NETWORK_STAGING;
	ref.namespace = fixture_str(e, "namespace", "default");
	ref.sandbox = fixture_str(e, "sandboxId", "");
	ref.group = fixture_str(e, "group", "");
	ref.key = fixture_str(e, "key", "");
	if (cJSON_IsString(value)) {
		buf_addstr(&bytes, value->valuestring);
	} else if (value) { /* any other JSON value is stored as its JSON text */
		char *text = cJSON_PrintUnformatted(value);

		buf_addstr(&bytes, text ? text : "null");
		free(text);
		if (!ctype)
			ctype = "application/json";
	} else if (!b64text || base64_decode(b64text, strlen(b64text), &bytes) != 0) {
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
	return rc == 0 ? 0 : import_fail(err, EKV_IMPORT_ITEM, ref.key);
}

/* An account's namespaces of both networks, then its items and tokens. */
static int import_content(struct api *api, struct store *st, const struct account_rec *acc,
                          const cJSON *a, int64_t now, struct import_error *err)
{
	const cJSON *nets = cJSON_GetObjectItemCaseSensitive(a, "namespaces"), *e;

	for (int n = NETWORK_STAGING; n <= NETWORK_PRODUCTION; n++) {
		cJSON_ArrayForEach(
		        e, cJSON_GetObjectItemCaseSensitive(nets, network_name((enum network)n)))
		{
			if (import_namespace(st, acc->id, (enum network)n, e, now, err) != 0)
				return -1;
		}
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "items"))
	{
		if (import_item(st, acc->id, e, now, err) != 0)
			return -1;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "tokens"))
	{
		if (import_token(api, st, acc, e, now, err) != 0)
			return -1;
	}
	return 0;
}

/* The account record a describes, with the defaults of the fixture format. */
static void account_of(const cJSON *a, struct account_rec *acc)
{
	const char *id = fixture_str(a, "id", ""),
	           *status = fixture_str(a, "status", "INITIALIZED");
	const cJSON *policy = cJSON_GetObjectItemCaseSensitive(a, "dataAccessPolicy");

	memset(acc, 0, sizeof(*acc));
	snprintf(acc->id, sizeof(acc->id), "%s", id);
	acc->status = strcmp(status, "INITIALIZED") == 0 ? INIT_INITIALIZED
	              : strcmp(status, "PENDING") == 0   ? INIT_PENDING
	                                                 : INIT_UNINITIALIZED;
	snprintf(acc->cpcode, sizeof(acc->cpcode), "%s", fixture_str(a, "cpcode", ""));
	if (acc->status == INIT_INITIALIZED && !acc->cpcode[0])
		ids_cpcode(id, acc->cpcode, sizeof(acc->cpcode));
	acc->has_policy = policy != NULL || acc->status == INIT_INITIALIZED;
	acc->restrict_data_access = fixture_bool(policy, "restrictDataAccess", true);
	acc->allow_namespace_policy_override =
	        fixture_bool(policy, "allowNamespacePolicyOverride", false);
	acc->standard_tls = fixture_bool(a, "standardTls", true);
	acc->cpcode_group = fixture_int(a, "cpcodeGroupId", 0);
}

/* Replaces the account a describes with its content. */
static int import_account(struct api *api, struct store *st, const cJSON *a, int64_t now,
                          struct import_error *err)
{
	const char *id = fixture_str(a, "id", "");
	struct account_rec acc;

	if (!*id || strlen(id) > STORE_ACCOUNT_MAX)
		return import_fail(err, EKV_IMPORT_ACCOUNT_ID, id);
	account_of(a, &acc);
	if (store_reset(st, id, false, now) != STORE_OK ||
	    store_account_create(st, &acc, now) != STORE_OK)
		return import_fail(err, EKV_IMPORT_ACCOUNT, id);
	settings_reset(api->settings, id);
	if (import_identities(st, id, a, now, err) != 0)
		return -1;
	/* Initialized without namespaces: the default namespaces, as initialization makes them. */
	if (!cJSON_GetObjectItemCaseSensitive(a, "namespaces") && acc.status == INIT_INITIALIZED &&
	    store_reset(st, id, true, now) != STORE_OK)
		return import_fail(err, EKV_IMPORT_DEFAULT_NAMESPACES, id);
	return import_content(api, st, &acc, a, now, err);
}

/* Imports the accounts of the fixture document root (with only set, just that one). */
static int import_doc(struct api *api, struct store *st, const cJSON *root, const char *only,
                      struct import_error *err)
{
	const cJSON *accounts = cJSON_GetObjectItemCaseSensitive(root, "accounts"), *a;
	int64_t now = clock_now_ms(api->clock);
	int rc = 0;

	if (!cJSON_IsArray(accounts))
		return import_fail(err, EKV_IMPORT_NOT_FIXTURE, "");
	cJSON_ArrayForEach(a, accounts)
	{
		if (rc == 0 && (!only || strcmp(fixture_str(a, "id", ""), only) == 0))
			rc = import_account(api, st, a, now, err);
	}
	return rc;
}

int fixture_import_tree(struct api *api, const cJSON *root, const char *only,
                        struct import_error *err)
{
	struct store *st = store_db_thread(api->db);
	struct bulk_files files = BULK_FILES_INIT;
	int rc;

	if (!st) {
		log_error("import: the store cannot start a transaction");
		return import_fail(err, EKV_INTERNAL, "");
	}
	/*
	 * A replaced account's jobs go, and their files after. Listed before the
	 * transaction, which holds the write mutex the list takes.
	 */
	bulk_files_list(st, &files);
	/*
	 * One transaction: a fixture refused halfway must not leave an account
	 * half replaced (bad input never loses data).
	 */
	if (store_batch_begin(st) != STORE_OK) {
		log_error("import: the store cannot start a transaction");
		bulk_files_prune(st, &files);
		return import_fail(err, EKV_INTERNAL, "");
	}
	rc = import_doc(api, st, root, only, err);
	if (store_batch_end(st, rc == 0) != STORE_OK && rc == 0) {
		log_error("import: the store cannot commit");
		rc = import_fail(err, EKV_INTERNAL, "");
	}
	bulk_files_prune(st, &files);
	return rc;
}

int fixture_import(struct api *api, const char *text, size_t len, const char *only,
                   struct import_error *err)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	int rc = fixture_import_tree(api, root, only, err);

	cJSON_Delete(root);
	return rc;
}

/* POST /_emulator/import: a fixture document; each account in it is replaced. */
void control_import(struct api_call *c)
{
	struct import_error err;
	cJSON *root;

	if (fixture_import(c->api, c->req->body, c->req->body_len, NULL, &err) != 0) {
		reply_problem(c, err.code, err.subject);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddBoolToObject(root, "imported", true);
	reply_json_steal(c, 200, root);
}
