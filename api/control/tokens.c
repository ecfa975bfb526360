/*
 * The token part of the control API under /_emulator (docs/control-api.md):
 * the token settings of the account, the key legacy tokens are signed with,
 * and the edgekv_tokens.js bundle file. The clock is api/control/clock.c.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/core/call.h"
#include "api/control/handlers.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/auth/jwt.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/auth/access_token.h"
#include "base/clock.h"
#include "base/xalloc.h"

#define DELAY_MAX_S (30LL * 86400)

static void reply_settings(struct api_call *c)
{
	struct token_settings s;
	cJSON *root, *contact;

	if (!access_token_settings(c, c->account.id, &s)) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "account", c->account.id);
	cJSON_AddStringToObject(root, "workflow", token_workflow_name(s.workflow));
	cJSON_AddNumberToObject(root, "tokenLimit", (double)s.limit);
	cJSON_AddNumberToObject(root, "activationDelaySeconds",
	                        (double)s.activation_delay_ms / 1000.0);
	contact = cJSON_AddObjectToObject(root, "contact");
	cJSON_AddStringToObject(contact, "email", s.contact_email);
	cJSON_AddBoolToObject(contact, "registeredAccount", s.contact_registered);
	cJSON_AddBoolToObject(contact, "active", s.contact_active);
	reply_json_steal(c, 200, root);
}

/* GET /_emulator/tokens/settings: the settings in force for the account. */
void control_token_settings_get(struct api_call *c)
{
	reply_settings(c);
}

static bool require_workflow(struct api_call *c, const cJSON *body, struct token_settings *s)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "workflow");

	if (!v)
		return true;
	if (cJSON_IsNull(v)) {
		s->has_workflow = false;
		return true;
	}
	for (int w = TOKEN_WORKFLOW_AUTO; cJSON_IsString(v) && w <= TOKEN_WORKFLOW_ENHANCED; w++) {
		if (strcmp(v->valuestring, token_workflow_name((enum token_workflow)w)) == 0) {
			s->has_workflow = true;
			s->workflow = (enum token_workflow)w;
			return true;
		}
	}
	reply_problem(c, EKV_FIELD_INVALID, "workflow");
	return false;
}

/* An integer member, or null for "the server default" (-1). */
static bool require_default_int(struct api_call *c, const cJSON *body, const char *name,
                                int64_t max, int64_t scale, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
	int64_t n = 0;
	bool present = false;

	if (v && cJSON_IsNull(v)) {
		*out = -1;
		return true;
	}
	if (!require_int(c, body, name, 0, max, EKV_FIELD_INVALID, &n, &present))
		return false;
	if (present)
		*out = n * scale;
	return true;
}

static bool require_contact(struct api_call *c, const cJSON *body, struct token_settings *s)
{
	static const char *const fields[] = {"email", "registeredAccount", "active", NULL};
	const cJSON *contact = cJSON_GetObjectItemCaseSensitive(body, "contact");
	const char *email = NULL;
	bool has_email = false;

	if (!contact || cJSON_IsNull(contact))
		return true;
	if (!cJSON_IsObject(contact)) {
		reply_problem(c, EKV_FIELD_INVALID, "contact");
		return false;
	}
	if (!require_known_fields(c, contact, fields) ||
	    !require_string(c, contact, "email", EKV_FIELD_INVALID, &email, &has_email) ||
	    !require_bool(c, contact, "registeredAccount", EKV_FIELD_INVALID,
	                  &s->contact_registered, NULL) ||
	    !require_bool(c, contact, "active", EKV_FIELD_INVALID, &s->contact_active, NULL))
		return false;
	if (has_email) {
		if (strlen(email) > STORE_EMAIL_MAX) {
			reply_problem(c, EKV_FIELD_INVALID, "email");
			return false;
		}
		snprintf(s->contact_email, sizeof(s->contact_email), "%s", email);
	}
	return true;
}

/*
 * PUT /_emulator/tokens/settings: any of {"workflow": "auto"|"legacy"|
 * "enhanced"|null, "tokenLimit": N|null, "activationDelaySeconds": N|null,
 * "contact": {"email", "registeredAccount", "active"}}; null restores the
 * server default. Fields left out keep their value.
 */
void control_token_settings_put(struct api_call *c)
{
	static const char *const fields[] = {"workflow", "tokenLimit", "activationDelaySeconds",
	                                     "contact", NULL};
	struct token_settings s;
	cJSON *body = require_json_object(c, false);

	if (!body)
		return;
	if (store_token_settings_get(c->st, c->account.id, &s) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	if (!require_known_fields(c, body, fields) || !require_workflow(c, body, &s) ||
	    !require_default_int(c, body, "tokenLimit", 1000000, 1, &s.limit) ||
	    !require_default_int(c, body, "activationDelaySeconds", DELAY_MAX_S, 1000,
	                         &s.activation_delay_ms) ||
	    !require_contact(c, body, &s))
		goto out;
	if (store_token_settings_put(c->st, c->account.id, &s) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	reply_settings(c);
out:
	cJSON_Delete(body);
}

/* GET /_emulator/tokens/jwks: the public key legacy tokens are signed with (RFC 7517). */
void control_token_jwks(struct api_call *c)
{
	const struct jwt_key *key = access_token_key(c);
	struct buf n = BUF_INIT, e = BUF_INIT;
	cJSON *root, *jwk;
	char kid[17];

	if (!key || jwt_key_jwk(key, &n, &e) != 0 || jwt_key_id(key, kid) != 0) {
		buf_release(&n);
		buf_release(&e);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	root = cJSON_CreateObject();
	jwk = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "keys"), jwk);
	cJSON_AddStringToObject(jwk, "kty", "RSA");
	cJSON_AddStringToObject(jwk, "use", "sig");
	cJSON_AddStringToObject(jwk, "alg", "RS256");
	cJSON_AddStringToObject(jwk, "kid", kid);
	cJSON_AddStringToObject(jwk, "n", n.ptr);
	cJSON_AddStringToObject(jwk, "e", e.ptr);
	buf_release(&n);
	buf_release(&e);
	reply_json_steal(c, 200, root);
}

/* GET /_emulator/tokens/public-key.pem: the same key as PEM (SubjectPublicKeyInfo). */
void control_token_public_key(struct api_call *c)
{
	const struct jwt_key *key = access_token_key(c);
	struct buf pem = BUF_INIT;

	if (!key || jwt_key_public_pem(key, &pem) != 0) {
		buf_release(&pem);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_bytes(c, 200, "application/x-pem-file", pem.ptr, pem.len);
	buf_release(&pem);
}

/* One namespace of the bundle and the newest live token that grants it. */
struct bundle_entry {
	char namespace[STORE_NAMESPACE_MAX + 1];
	char name[STORE_TOKEN_NAME_MAX + 1];
	char *value; /* the JWT, or NULL for an enhanced token (then uuid) */
	char uuid[STORE_UUID_LEN + 1];
	bool found;
};

struct bundle {
	struct bundle_entry entries[64];
	size_t count;
	bool any_namespace; /* no namespace asked: every one a chosen token grants */
	const char *only;   /* comma-separated token names, or NULL for all */
};

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && memcmp(p, name, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static struct bundle_entry *entry_for(struct bundle *b, const char *ns)
{
	for (size_t i = 0; i < b->count; i++)
		if (strcmp(b->entries[i].namespace, ns) == 0)
			return &b->entries[i];
	if (!b->any_namespace || b->count == sizeof(b->entries) / sizeof(b->entries[0]))
		return NULL;
	snprintf(b->entries[b->count].namespace, sizeof(b->entries[0].namespace), "%s", ns);
	return &b->entries[b->count++];
}

/* Tokens come oldest first, so the last one that grants a namespace wins. */
static void bundle_token(void *ctx, const struct token_rec *t)
{
	struct bundle *b = ctx;

	if (b->only && !in_list(b->only, t->name))
		return;
	for (size_t i = 0; i < t->perm_count; i++) {
		struct bundle_entry *e = entry_for(b, t->perms[i].namespace);

		if (!e)
			continue;
		free(e->value);
		e->value = t->legacy ? xstrdup(t->value) : NULL;
		snprintf(e->name, sizeof(e->name), "%s", t->name);
		snprintf(e->uuid, sizeof(e->uuid), "%s", t->uuid);
		e->found = true;
	}
}

static int by_namespace(const void *a, const void *b)
{
	return strcmp(((const struct bundle_entry *)a)->namespace,
	              ((const struct bundle_entry *)b)->namespace);
}

/*
 * GET /_emulator/tokens/edgekv_tokens.js[?namespace=a,b][&token=t1,t2]: the
 * bundle file in the form edgekv.js reads: "namespace-<ns>" keys,
 * {"name", "value"} for legacy tokens and {"name", "reference"} for
 * enhanced ones, from the newest live token granting each namespace.
 */
void control_token_bundle(struct api_call *c)
{
	struct bundle *b = xcalloc(1, sizeof(*b));
	char namespaces[1024], only[1024];
	struct buf js = BUF_INIT;
	const struct bundle_entry *missing = NULL;

	b->any_namespace =
	        !query_param(c, "namespace", namespaces, sizeof(namespaces)) || !namespaces[0];
	if (query_param(c, "token", only, sizeof(only)) && only[0])
		b->only = only;
	for (const char *p = b->any_namespace ? "" : namespaces; *p;) {
		size_t len = strcspn(p, ",");

		if (!ids_namespace_valid(p, len) ||
		    b->count == sizeof(b->entries) / sizeof(b->entries[0])) {
			reply_problem(c, EKV_QUERY_INVALID, "namespace");
			goto out;
		}
		snprintf(b->entries[b->count++].namespace, STORE_NAMESPACE_MAX + 1, "%.*s",
		         (int)len, p);
		p += len + (p[len] == ',');
	}
	if (store_token_list(c->st, c->account.id, c->now_ms, false, bundle_token, b) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	for (size_t i = 0; i < b->count && !missing; i++)
		if (!b->entries[i].found)
			missing = &b->entries[i];
	if (missing || b->count == 0) {
		reply_problem(c, EKV_BUNDLE_NO_TOKEN, missing ? missing->namespace : "(any)");
		goto out;
	}
	if (b->any_namespace)
		qsort(b->entries, b->count, sizeof(b->entries[0]), by_namespace);
	buf_addstr(&js, "var edgekv_access_tokens = {\n");
	for (size_t i = 0; i < b->count; i++) {
		const struct bundle_entry *e = &b->entries[i];

		buf_addf(&js, "  \"namespace-%s\": {\n    \"name\": \"%s\",\n", e->namespace,
		         e->name);
		if (e->value)
			buf_addf(&js, "    \"value\": \"%s\"\n", e->value);
		else
			buf_addf(&js, "    \"reference\": \"%s\"\n", e->uuid);
		buf_addf(&js, "  }%s\n", i + 1 < b->count ? "," : "");
	}
	buf_addstr(&js, "};\nexport { edgekv_access_tokens };\n");
	reply_bytes(c, 200, "text/javascript;charset=utf-8", js.ptr, js.len);
	reply_header(c, "Content-Disposition", "attachment; filename=\"edgekv_tokens.js\"");
out:
	for (size_t i = 0; i < b->count; i++)
		free(b->entries[i].value);
	buf_release(&js);
	free(b);
}
