/*
 * Access tokens as the data plane sees them: the RS256 key that signs legacy
 * tokens (made once per database and kept in it), their claim set, and the
 * check of a data-plane request's token (a legacy JWT, verified, or an
 * enhanced token's uuid). Token rules are in docs/behaviour.md "Access tokens".
 */
#include "api/auth/access_token.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth/jwt.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "base/buf.h"
#include "base/log.h"

#define SIGNING_KEY_SECRET "token-signing-key"
#define SIGNING_KEY_BITS   2048
#define EWID_MAX_LEN       32
/* The legacy JWT's issuer, as in the real service's example token. */
#define JWT_ISSUER "akamai.com/EdgeDB/Pulsar/v0.11.0"

/* Loads the key kept in the database, or makes and keeps one; NULL after logging. */
static struct jwt_key *load_key(struct store *st, int64_t now_ms)
{
	struct buf pem = BUF_INIT;
	struct jwt_key *key = NULL;
	enum store_status status = store_secret_get(st, SIGNING_KEY_SECRET, &pem);

	if (status == STORE_NOT_FOUND) {
		key = jwt_key_generate(SIGNING_KEY_BITS);
		if (key && jwt_key_private_pem(key, &pem) != 0) {
			jwt_key_free(key);
			key = NULL;
		}
		if (key) {
			status = store_secret_put(st, SIGNING_KEY_SECRET, pem.ptr, now_ms);
			if (status != STORE_OK) {
				jwt_key_free(key);
				key = NULL;
			}
		}
		/* Another process sharing the database stored its key first: use that one. */
		if (status == STORE_CONFLICT) {
			buf_reset(&pem);
			status = store_secret_get(st, SIGNING_KEY_SECRET, &pem);
		}
	}
	if (!key && status == STORE_OK) {
		key = jwt_key_import_pem(pem.ptr, pem.len);
	}
	if (!key)
		log_error("tokens: no signing key");
	buf_release(&pem);
	return key;
}

const struct jwt_key *access_token_key_of(struct api *api, struct store *st, int64_t now_ms)
{
	struct jwt_key *key;

	/* api->key_lock guards the first load, and signing (GnuTLS keys are not shared writers). */
	pthread_mutex_lock(&api->key_lock);
	if (!api->jwt_key)
		api->jwt_key = load_key(st, now_ms);
	key = api->jwt_key;
	pthread_mutex_unlock(&api->key_lock);
	return key;
}

const struct jwt_key *access_token_key(struct api_call *c)
{
	return access_token_key_of(c->api, c->st, c->now_ms);
}

bool access_token_settings(struct api_call *c, const char *account, struct token_settings *out)
{
	if (store_token_settings_get(c->st, account, out) != STORE_OK)
		return false;
	if (!out->has_workflow)
		out->workflow = c->api->config.token_workflow;
	if (out->limit < 0)
		out->limit = c->api->config.token_limit;
	if (out->activation_delay_ms < 0)
		out->activation_delay_ms = c->api->config.token_activation_ms;
	return true;
}

cJSON *access_token_ewids_json(const char *ewids)
{
	cJSON *list = cJSON_CreateArray();
	const char *p = ewids;

	if (!*p) {
		cJSON_AddItemToArray(list, cJSON_CreateString("all"));
		return list;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		char id[EWID_MAX_LEN + 1];

		snprintf(id, sizeof(id), "%.*s", (int)n, p);
		cJSON_AddItemToArray(list, cJSON_CreateString(id));
		p += n + (p[n] == ',');
	}
	return list;
}

cJSON *access_token_letters_json(const char *letters)
{
	cJSON *list = cJSON_CreateArray();

	for (const char *l = letters; *l; l++) {
		char one[2] = {*l, '\0'};

		cJSON_AddItemToArray(list, cJSON_CreateString(one));
	}
	return list;
}

const char *access_token_letters(const struct token_rec *t, const char *ns)
{
	for (size_t i = 0; i < t->perm_count; i++)
		if (strcmp(t->perms[i].namespace, ns) == 0)
			return t->perms[i].letters;
	return NULL;
}

bool access_token_ref_valid(const char *s, size_t len)
{
	if (len != STORE_UUID_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? ch != '-'
		         : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		             (ch >= 'A' && ch <= 'F')))
			return false;
	}
	return true;
}

/* The legacy claim set of docs/behaviour.md §5.6, in the order of the pre-2024 token test of the Go
 * client. Caller frees. */
static char *legacy_claims(const struct token_rec *t)
{
	/* NumericDate: whole seconds (RFC 7519 §2). */
	int64_t exp_s = store_token_end_ms(t) / 1000 - 1, iat_s = t->issued_ms / 1000;
	cJSON *root = cJSON_CreateObject(), *env;
	char *text;

	if (t->ewids[0])
		cJSON_AddItemToObject(root, "ewids", access_token_ewids_json(t->ewids));
	else
		cJSON_AddStringToObject(root, "ewids", "all");
	cJSON_AddStringToObject(root, "sub", t->account);
	for (size_t i = 0; i < t->perm_count; i++) {
		char claim[16 + STORE_NAMESPACE_MAX];

		snprintf(claim, sizeof(claim), "namespace-%s", t->perms[i].namespace);
		cJSON_AddItemToObject(root, claim, access_token_letters_json(t->perms[i].letters));
	}
	cJSON_AddStringToObject(root, "cpc", t->cpcode);
	cJSON_AddStringToObject(root, "iss", JWT_ISSUER);
	/* The end of the expiry day, 23:59:59 UTC (2022-03-30 → 1648684799). */
	cJSON_AddNumberToObject(root, "exp", (double)exp_s);
	env = cJSON_AddArrayToObject(root, "env");
	if (t->allow_production)
		cJSON_AddItemToArray(env, cJSON_CreateString("p"));
	if (t->allow_staging)
		cJSON_AddItemToArray(env, cJSON_CreateString("s"));
	cJSON_AddNumberToObject(root, "iat", (double)iat_s);
	cJSON_AddStringToObject(root, "jti", t->uuid);
	cJSON_AddStringToObject(root, "reqid", "akamai");
	cJSON_AddBoolToObject(root, "noecl", true);
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}

bool access_token_sign(struct api *api, struct store *st, int64_t now_ms, struct token_rec *t)
{
	const struct jwt_key *key = access_token_key_of(api, st, now_ms);
	char *claims = key ? legacy_claims(t) : NULL;
	struct buf jwt = BUF_INIT;
	bool ok = false;

	if (claims) {
		pthread_mutex_lock(&api->key_lock);
		ok = jwt_sign(key, claims, strlen(claims), &jwt) == 0;
		pthread_mutex_unlock(&api->key_lock);
	}
	if (ok && jwt.len > STORE_TOKEN_VALUE_MAX) {
		log_error("tokens: a JWT of %zu bytes is too long", jwt.len);
		ok = false;
	}
	if (ok)
		memcpy(t->value, jwt.ptr, jwt.len + 1);
	free(claims);
	buf_release(&jwt);
	return ok;
}

/* Identifies the token of a data-plane request; replies 401 and returns false when it can't. */
static bool identify(struct api_call *c, struct token_rec *t)
{
	const char *jwt = api_request_header(c->req, "X-Akamai-EdgeDB-Auth");
	const char *ref = api_request_header(c->req, "X-Akamai-EdgeDB-Auth-Ref");
	char uuid[STORE_UUID_LEN + 1];
	enum store_status status;

	if (jwt && *jwt) {
		const struct jwt_key *key = access_token_key(c);
		struct jwt_claims claims;
		enum jwt_result r;

		if (!key) {
			reply_problem(c, EKV_INTERNAL);
			return false;
		}
		r = jwt_verify(key, jwt, strlen(jwt), c->now_ms / 1000, &claims);
		if (r != JWT_OK) {
			reply_problem(c, r == JWT_EXPIRED ? EKV_DP_TOKEN_EXPIRED
			                                  : EKV_DP_TOKEN_INVALID);
			return false;
		}
		if (!access_token_ref_valid(claims.jti, strlen(claims.jti))) {
			reply_problem(c, EKV_DP_TOKEN_INVALID);
			return false;
		}
		memcpy(uuid, claims.jti, STORE_UUID_LEN + 1); /* valid: 36 characters and a NUL */
	} else if (ref && *ref) {
		if (!access_token_ref_valid(ref, strlen(ref))) {
			reply_problem(c, EKV_DP_TOKEN_INVALID);
			return false;
		}
		memcpy(uuid, ref, STORE_UUID_LEN + 1);
	} else {
		reply_problem(c, EKV_DP_TOKEN_MISSING);
		return false;
	}
	for (char *p = uuid; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	status = store_token_by_uuid(c->st, uuid, t);
	/* A legacy token is used by its value, an enhanced one by its reference (docs/behaviour.md
	 * §6). */
	if (status == STORE_OK && t->legacy != (jwt && *jwt))
		status = STORE_NOT_FOUND;
	if (status != STORE_OK) {
		reply_problem(c, status == STORE_NOT_FOUND ? EKV_DP_TOKEN_INVALID : EKV_INTERNAL);
		return false;
	}
	return true;
}

bool require_data_token(struct api_call *c)
{
	struct token_rec *t = c->token;

	if (!identify(c, t))
		return false;
	if (t->revoked_ms && t->revoked_ms <= c->now_ms) {
		reply_problem(c, EKV_DP_TOKEN_REVOKED);
		return false;
	}
	if (store_token_end_ms(t) <= c->now_ms) {
		reply_problem(c, EKV_DP_TOKEN_EXPIRED);
		return false;
	}
	/* "EdgeKV requests with this token fail until activation completes" (the 2024 draft of the
	 * spec). */
	if (c->now_ms < t->active_ms) {
		reply_problem(c, EKV_DP_TOKEN_INACTIVE);
		return false;
	}
	if (store_account_get(c->st, t->account, &c->account) != STORE_OK) {
		reply_problem(c, EKV_DP_TOKEN_INVALID);
		return false;
	}
	return true;
}
