/*
 * EdgeKV access tokens (behaviour §5.6, seeds/edgekv-access-tokens.txt): the
 * management handlers, the signing key and data-plane token authentication.
 * Two workflows live side by side: legacy tokens carry an RS256 JWT and an
 * expiry at most six months ahead; enhanced tokens (August 2024 on) carry no
 * value, "expire" on 9999-12-31, refresh every two months and are
 * IN_PROGRESS until their activation completes.
 */
#include "api/edgekv/tokens.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uuid/uuid.h>

#include "api/auth/caller.h"
#include "api/core/call.h"
#include "api/edgekv/handlers.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/auth/jwt.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"

#define SIGNING_KEY_SECRET "token-signing-key"
#define SIGNING_KEY_BITS   2048
#define EWIDS_MAX          8 /* "up to 8" EdgeWorker ids per token (CLI docs, §7) */
#define EWID_MAX_LEN       32
#define LEGACY_MONTHS_MAX  6 /* "a maximum six months from when the token was created" (seed) */
#define REFRESH_MONTHS     2 /* next refresh = issue or last refresh + 2 months (§5.6, inferred) */
/* The legacy JWT's issuer, as in the GO-OLD fixture (§5.6). */
#define JWT_ISSUER "akamai.com/EdgeDB/Pulsar/v0.11.0"

/* Guards api->jwt_key's first load, and signing (GnuTLS keys are not shared writers). */
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

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

const struct jwt_key *tokens_key_of(struct api *api, struct store *st, int64_t now_ms)
{
	struct jwt_key *key;

	pthread_mutex_lock(&key_lock);
	if (!api->jwt_key)
		api->jwt_key = load_key(st, now_ms);
	key = api->jwt_key;
	pthread_mutex_unlock(&key_lock);
	return key;
}

const struct jwt_key *tokens_key(struct api_call *c)
{
	return tokens_key_of(c->api, c->st, c->now_ms);
}

bool tokens_settings(struct api_call *c, const char *account, struct token_settings *out)
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

void tokens_format_day(int64_t day, char out[16])
{
	char text[CLOCK_RFC3339_MAX];

	clock_format_date(day * STORE_DAY_MS, text);
	snprintf(out, 16, "%.15s", text);
}

static int64_t floor_day(int64_t ms)
{
	return ms / STORE_DAY_MS - (ms % STORE_DAY_MS < 0);
}

static unsigned digits_at(const char *s, int n)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

/* The day months calendar months after day, clamped to the end of a shorter month. */
static int64_t add_months(int64_t day, int64_t months)
{
	char text[CLOCK_RFC3339_MAX];
	int64_t total, y;
	unsigned m, d, last;

	clock_format_date(day * STORE_DAY_MS, text); /* "YYYY-MM-DD" */
	total = (int64_t)digits_at(text, 4) * 12 + digits_at(text + 5, 2) - 1 + months;
	d = digits_at(text + 8, 2);
	y = total / 12;
	m = (unsigned)(total % 12) + 1;
	last = (unsigned)(clock_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
	                  clock_days_from_civil(y, m, 1));
	return clock_days_from_civil(y, m, d < last ? d : last);
}

/* latestRefreshDate (-1 for null) and nextScheduledRefreshDate of an enhanced token. */
static void refresh_days(const struct token_rec *t, int64_t now_ms, int64_t *latest, int64_t *next)
{
	int64_t anchor = floor_day(t->refreshed_ms ? t->refreshed_ms : t->issued_ms);
	int64_t today = floor_day(now_ms);

	*latest = t->refreshed_ms ? anchor : -1;
	*next = add_months(anchor, REFRESH_MONTHS);
	for (int64_t k = 2; *next <= today && k < 100000; k++) {
		*latest = *next;
		*next = add_months(anchor, REFRESH_MONTHS * k);
	}
}

static const char *activation_status(const struct token_rec *t, int64_t now_ms)
{
	int64_t done = t->busy_until_ms > t->active_ms ? t->busy_until_ms : t->active_ms;

	return now_ms < done ? "IN_PROGRESS" : "COMPLETE";
}

static void add_day(cJSON *obj, const char *name, int64_t day)
{
	char text[16];

	if (day < 0) {
		cJSON_AddNullToObject(obj, name);
		return;
	}
	tokens_format_day(day, text);
	cJSON_AddStringToObject(obj, name, text);
}

static cJSON *ewids_json(const char *ewids)
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

static cJSON *letters_json(const char *letters)
{
	cJSON *list = cJSON_CreateArray();

	for (const char *l = letters; *l; l++) {
		char one[2] = {*l, '\0'};

		cJSON_AddItemToArray(list, cJSON_CreateString(one));
	}
	return list;
}

/*
 * The token as the API shows it. Legacy: {expiry, name, uuid[, value]}
 * (SPEC23 post-tokens-200.json, list-tokens-200.json). Enhanced: SPEC24
 * token.yaml in full, or list-token.yaml for list entries.
 */
static cJSON *token_json(const struct token_rec *t, int64_t now_ms, bool full)
{
	cJSON *root = cJSON_CreateObject(), *perms;
	int64_t latest, next;

	if (t->legacy) {
		add_day(root, "expiry", t->expiry_day);
		cJSON_AddStringToObject(root, "name", t->name);
		cJSON_AddStringToObject(root, "uuid", t->uuid);
		if (full)
			cJSON_AddStringToObject(root, "value", t->value);
		return root;
	}
	refresh_days(t, now_ms, &latest, &next);
	cJSON_AddStringToObject(root, "name", t->name);
	cJSON_AddStringToObject(root, "uuid", t->uuid);
	add_day(root, "expiry", t->expiry_day);
	cJSON_AddStringToObject(root, "tokenActivationStatus", activation_status(t, now_ms));
	add_day(root, "issueDate", floor_day(t->issued_ms));
	add_day(root, "latestRefreshDate", latest);
	add_day(root, "nextScheduledRefreshDate", next);
	if (!full)
		return root;
	cJSON_AddStringToObject(root, "cpcode", t->cpcode);
	cJSON_AddItemToObject(root, "restrictToEdgeWorkerIds", ewids_json(t->ewids));
	cJSON_AddBoolToObject(root, "allowOnProduction", t->allow_production);
	cJSON_AddBoolToObject(root, "allowOnStaging", t->allow_staging);
	perms = cJSON_AddObjectToObject(root, "namespacePermissions");
	for (size_t i = 0; i < t->perm_count; i++)
		cJSON_AddItemToObject(perms, t->perms[i].namespace,
		                      letters_json(t->perms[i].letters));
	return root;
}

const char *tokens_letters(const struct token_rec *t, const char *ns)
{
	for (size_t i = 0; i < t->perm_count; i++)
		if (strcmp(t->perms[i].namespace, ns) == 0)
			return t->perms[i].letters;
	return NULL;
}

bool tokens_ref_valid(const char *s, size_t len)
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

/*
 * A version 5 (name-based) uuid like the real service's (§5.6 "…-568e-…"),
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

/* 1-32 of [A-Za-z0-9_-], not starting with a dash (seed "Token name"; §1.2). */
static bool token_name_valid(const char *s, size_t len)
{
	return ids_namespace_valid(s, len);
}

static bool require_name(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "name");

	if (!v || cJSON_IsNull(v)) {
		reply_problem(c, EKV_FIELD_MISSING, "name");
		return false;
	}
	if (!cJSON_IsString(v) || !token_name_valid(v->valuestring, strlen(v->valuestring))) {
		reply_problem(c, EKV_NAME_INVALID);
		return false;
	}
	snprintf(t->name, sizeof(t->name), "%s", v->valuestring);
	return true;
}

static bool require_networks(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	bool prod = false, staging = false;

	if (!require_bool(c, body, "allowOnProduction", EKV_FIELD_INVALID, &t->allow_production,
	                  &prod) ||
	    !require_bool(c, body, "allowOnStaging", EKV_FIELD_INVALID, &t->allow_staging,
	                  &staging))
		return false;
	if (!prod || !staging) {
		reply_problem(c, EKV_FIELD_MISSING, prod ? "allowOnStaging" : "allowOnProduction");
		return false;
	}
	if (!t->allow_production && !t->allow_staging) {
		reply_problem(c, EKV_TOKEN_NETWORK_REQUIRED);
		return false;
	}
	return true;
}

/*
 * restrictToEdgeWorkerIds (SPEC23), or restrictToEwids as the CLI sends it
 * (clients.md §3): ["all"], an empty list or no list at all mean every id.
 */
static bool require_ewids(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	const char *field = "restrictToEdgeWorkerIds";
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, field), *v;
	struct buf joined = BUF_INIT;
	int n = 0;
	bool all = false;

	if (!list || cJSON_IsNull(list)) {
		field = "restrictToEwids";
		list = cJSON_GetObjectItemCaseSensitive(body, field);
	}
	t->ewids[0] = '\0';
	if (!list || cJSON_IsNull(list))
		return true;
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > EWIDS_MAX)
		goto bad;
	cJSON_ArrayForEach(v, list)
	{
		char id[EWID_MAX_LEN + 2];

		if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15 &&
		    v->valuedouble == (double)(long long)v->valuedouble)
			snprintf(id, sizeof(id), "%lld", (long long)v->valuedouble);
		else if (cJSON_IsString(v) && strlen(v->valuestring) <= EWID_MAX_LEN)
			snprintf(id, sizeof(id), "%s", v->valuestring);
		else
			goto bad;
		if (strcasecmp(id, "all") == 0) {
			all = true;
			continue;
		}
		if (!ids_charset_valid(id, strlen(id), EWID_MAX_LEN))
			goto bad;
		if (n++)
			buf_addch(&joined, ',');
		buf_addstr(&joined, id);
	}
	if (!all && joined.ptr)
		snprintf(t->ewids, sizeof(t->ewids), "%s", joined.ptr);
	buf_release(&joined);
	return true;
bad:
	buf_release(&joined);
	reply_problem(c, EKV_FIELD_INVALID, field);
	return false;
}

/* One namespace's letters: 1-3 unique of r, w, d (token-namespace.yaml). */
static bool parse_letters(const cJSON *list, char *out)
{
	const cJSON *v;
	size_t n = 0;

	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1 || cJSON_GetArraySize(list) > 3)
		return false;
	cJSON_ArrayForEach(v, list)
	{
		if (!cJSON_IsString(v) || strlen(v->valuestring) != 1 ||
		    !strchr("rwd", v->valuestring[0]) || memchr(out, v->valuestring[0], n))
			return false;
		out[n++] = v->valuestring[0];
	}
	out[n] = '\0';
	return true;
}

/*
 * namespacePermissions: 1-20 namespaces that exist on a network the token
 * is for, all with the same data access policy (SPEC23 token.yaml).
 */
static bool require_permissions(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	const cJSON *perms = cJSON_GetObjectItemCaseSensitive(body, "namespacePermissions"), *v;
	int policy = -1;

	if (!perms || cJSON_IsNull(perms)) {
		reply_problem(c, EKV_FIELD_MISSING, "namespacePermissions");
		return false;
	}
	if (!cJSON_IsObject(perms) || cJSON_GetArraySize(perms) < 1 ||
	    cJSON_GetArraySize(perms) > STORE_TOKEN_NAMESPACES) {
		reply_problem(c, EKV_FIELD_INVALID, "namespacePermissions");
		return false;
	}
	t->perm_count = 0;
	cJSON_ArrayForEach(v, perms)
	{
		struct token_perm *p = &t->perms[t->perm_count];
		struct namespace_rec ns;
		enum store_status status = STORE_NOT_FOUND;

		if (!ids_namespace_valid(v->string, strlen(v->string))) {
			reply_problem(c, EKV_NAME_INVALID);
			return false;
		}
		if (!parse_letters(v, p->letters)) {
			reply_problem(c, EKV_PERMISSION_INVALID);
			return false;
		}
		if (t->allow_staging)
			status = store_namespace_get(c->st, c->account.id, NETWORK_STAGING,
			                             v->string, c->now_ms, &ns);
		if (status == STORE_NOT_FOUND && t->allow_production)
			status = store_namespace_get(c->st, c->account.id, NETWORK_PRODUCTION,
			                             v->string, c->now_ms, &ns);
		if (status != STORE_OK) {
			reply_problem(c, status == STORE_NOT_FOUND ? EKV_NAMESPACE_NOT_FOUND
			                                           : EKV_INTERNAL);
			return false;
		}
		if (policy >= 0 && policy != ns.restrict_data_access) {
			reply_problem(c, EKV_TOKEN_POLICY_MIXED);
			return false;
		}
		policy = ns.restrict_data_access;
		snprintf(p->namespace, sizeof(p->namespace), "%s", v->string);
		t->perm_count++;
	}
	return true;
}

/*
 * Which workflow the token follows, and its expiry. "auto" (the default)
 * makes a legacy token when the request has a non-empty expiry and an
 * enhanced one otherwise, so today's CLI (expiry "") and the seed's expiring
 * tokens both work. The CLI sends a date-time, others a bare date (§5.6).
 */
static bool require_expiry(struct api_call *c, const cJSON *body, enum token_workflow workflow,
                           struct token_rec *t)
{
	const char *expiry = "";
	bool present = false, given;
	int64_t ms, day, today = floor_day(c->now_ms);

	if (!require_string(c, body, "expiry", EKV_TOKEN_EXPIRY_INVALID, &expiry, &present))
		return false;
	given = present && expiry[0];
	t->legacy = workflow == TOKEN_WORKFLOW_LEGACY || (workflow == TOKEN_WORKFLOW_AUTO && given);
	if (!t->legacy) {
		t->expiry_day = STORE_ENHANCED_EXPIRY_DAY;
		return true;
	}
	if (!given) {
		reply_problem(c, EKV_FIELD_MISSING, "expiry");
		return false;
	}
	if (clock_parse_rfc3339(expiry, true, &ms) != 0) {
		reply_problem(c, EKV_TOKEN_EXPIRY_INVALID);
		return false;
	}
	day = floor_day(ms);
	if (day <= today || day > add_months(today, LEGACY_MONTHS_MAX)) {
		reply_problem(c, EKV_TOKEN_EXPIRY_INVALID);
		return false;
	}
	t->expiry_day = day;
	return true;
}

/* The legacy claim set of §5.6, in the order of the GO-OLD fixture. Caller frees. */
static char *legacy_claims(const struct token_rec *t)
{
	/* NumericDate: whole seconds (RFC 7519 §2). */
	int64_t exp_s = store_token_end_ms(t) / 1000 - 1, iat_s = t->issued_ms / 1000;
	cJSON *root = cJSON_CreateObject(), *env;
	char *text;

	if (t->ewids[0])
		cJSON_AddItemToObject(root, "ewids", ewids_json(t->ewids));
	else
		cJSON_AddStringToObject(root, "ewids", "all");
	cJSON_AddStringToObject(root, "sub", t->account);
	for (size_t i = 0; i < t->perm_count; i++) {
		char claim[16 + STORE_NAMESPACE_MAX];

		snprintf(claim, sizeof(claim), "namespace-%s", t->perms[i].namespace);
		cJSON_AddItemToObject(root, claim, letters_json(t->perms[i].letters));
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

bool tokens_sign(struct api *api, struct store *st, int64_t now_ms, struct token_rec *t)
{
	const struct jwt_key *key = tokens_key_of(api, st, now_ms);
	char *claims = key ? legacy_claims(t) : NULL;
	struct buf jwt = BUF_INIT;
	bool ok = false;

	if (claims) {
		pthread_mutex_lock(&key_lock);
		ok = jwt_sign(key, claims, strlen(claims), &jwt) == 0;
		pthread_mutex_unlock(&key_lock);
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

/* POST /tokens (§3 row 20): 200 with the token. */
void tokens_create(struct api_call *c)
{
	static const char *const fields[] = {
	        "name",   "allowOnProduction",       "allowOnStaging",  "namespacePermissions",
	        "expiry", "restrictToEdgeWorkerIds", "restrictToEwids", NULL};
	struct token_settings settings;
	struct token_rec t;
	char limit[24];
	cJSON *body;

	/* seeds/edgekv-access-tokens.txt: "EdgeKV Access Token - Create" */
	if (!require_permission(c, PERM_TOKEN_CREATE))
		return;
	memset(&t, 0, sizeof(t));
	body = require_json_object(c, false);
	if (!body)
		return;
	if (!require_known_fields(c, body, fields) || !require_name(c, body, &t) ||
	    !require_networks(c, body, &t) || !require_ewids(c, body, &t) ||
	    !require_permissions(c, body, &t))
		goto out;
	if (!tokens_settings(c, c->account.id, &settings)) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	if (!require_expiry(c, body, settings.workflow, &t))
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
	if (t.legacy && !tokens_sign(c->api, c->st, c->now_ms, &t)) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	switch (store_token_create(c->st, &t, c->now_ms, settings.limit)) {
	case STORE_OK:
		reply_json_steal(c, 200, token_json(&t, c->now_ms, true));
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

	cJSON_AddItemToArray(l->array, token_json(t, l->now_ms, false));
}

/* GET /tokens[?includeExpired=true] (§3 row 21): 404 "No tokens exist." when empty. */
void tokens_list(struct api_call *c)
{
	struct list_ctx l = {NULL, c->now_ms};
	bool include_expired = false;
	char flag[8];
	cJSON *root;

	/* seeds/edgekv-access-tokens.txt: "EdgeKV Access Token - View" lists and retrieves */
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

	if (!token_name_valid(name, route_param_len(&c->params, "token"))) {
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

/* GET /tokens/{tokenName} (§3 row 22). */
void tokens_get(struct api_call *c)
{
	struct token_rec t;

	if (require_permission(c, PERM_TOKEN_VIEW) && require_live_token(c, &t))
		reply_json_steal(c, 200, token_json(&t, c->now_ms, true));
}

/* DELETE /tokens/{tokenName} (§3 row 23): 200 {name, uuid}; the data plane answers 401 after. */
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
 * POST /tokens/{tokenName}/refresh (§3 row 24, SPEC24): an enhanced token
 * refreshes now, shows IN_PROGRESS again for the activation delay (it keeps
 * working meanwhile) and schedules its next refresh two months on. Legacy
 * tokens "can't be renewed" (SPEC23 tokens.yaml).
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
	if (!tokens_settings(c, c->account.id, &settings) ||
	    store_token_refresh(c->st, t.uuid, c->now_ms,
	                        c->now_ms + settings.activation_delay_ms) != STORE_OK ||
	    store_token_by_uuid(c->st, t.uuid, &t) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, token_json(&t, c->now_ms, true));
}

/* Identifies the token of a data-plane request; replies 401 and returns false when it can't. */
static bool identify(struct api_call *c, struct token_rec *t)
{
	const char *jwt = api_request_header(c->req, "X-Akamai-EdgeDB-Auth");
	const char *ref = api_request_header(c->req, "X-Akamai-EdgeDB-Auth-Ref");
	char uuid[STORE_UUID_LEN + 1];
	enum store_status status;

	if (jwt && *jwt) {
		const struct jwt_key *key = tokens_key(c);
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
		if (!tokens_ref_valid(claims.jti, strlen(claims.jti))) {
			reply_problem(c, EKV_DP_TOKEN_INVALID);
			return false;
		}
		memcpy(uuid, claims.jti, STORE_UUID_LEN + 1); /* valid: 36 characters and a NUL */
	} else if (ref && *ref) {
		if (!tokens_ref_valid(ref, strlen(ref))) {
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
	/* A legacy token is used by its value, an enhanced one by its reference (§6). */
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
	/* "EdgeKV requests with this token fail until activation completes" (SPEC24). */
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
