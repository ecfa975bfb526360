#include "api/auth/caller.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/auth/edgegrid.h"
#include "api/auth/nonces.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "base/clock.h"
#include "base/log.h"

/* Every current client hashes at most this much of a POST body (docs/clients.md §4). */
#define EDGEGRID_MAX_BODY 131072
#define GROUP_DEPTH_MAX   32

int auth_mode_parse(const char *name)
{
	if (strcmp(name, "strict") == 0)
		return AUTH_STRICT;
	if (strcmp(name, "soft") == 0)
		return AUTH_SOFT;
	if (strcmp(name, "off") == 0)
		return AUTH_OFF;
	return -1;
}

enum name_kind { NAMES_CAPS, NAMES_PERMS, NAMES_EW_CAPS };

static uint32_t name_bit(enum name_kind kind, const char *name)
{
	enum capability cap;

	switch (kind) {
	case NAMES_CAPS:
		cap = capability_parse(name);
		return cap == CAP_NONE ? 0 : 1u << cap;
	case NAMES_PERMS:
		return permission_parse(name);
	default:
		return ew_capability_parse(name);
	}
}

static uint32_t parse_names(const cJSON *list, enum name_kind kind, char *err, size_t size,
                            bool *ok)
{
	static const char *const what[] = {"capabilities", "permissions", "edgeworkers"};
	static const char *const one[] = {"capability", "permission", "EdgeWorkers capability"};
	const cJSON *v;
	uint32_t bits = 0;

	if (!list)
		return 0;
	if (!cJSON_IsArray(list)) {
		snprintf(err, size, "%s must be an array", what[kind]);
		*ok = false;
		return 0;
	}
	cJSON_ArrayForEach(v, list)
	{
		uint32_t bit = cJSON_IsString(v) ? name_bit(kind, v->valuestring) : 0;

		if (!bit) {
			snprintf(err, size, "unknown %s '%s'", one[kind],
			         cJSON_IsString(v) ? v->valuestring : "?");
			*ok = false;
			return 0;
		}
		bits |= bit;
	}
	return bits;
}

int caller_roles_parse(const char *json, size_t len, struct caller *out, char *err, size_t size)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *r;
	bool ok = true;

	out->role_count = 0;
	if (!cJSON_IsArray(root)) {
		snprintf(err, size, "roles must be an array");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(r, root)
	{
		const cJSON *gid = cJSON_GetObjectItemCaseSensitive(r, "groupId");
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(r, "role");
		struct caller_role *dst;

		if (out->role_count == CALLER_ROLES_MAX) {
			snprintf(err, size, "at most %d roles", CALLER_ROLES_MAX);
			ok = false;
			break;
		}
		if (!cJSON_IsNumber(gid) || gid->valuedouble < 0 || gid->valuedouble > 9.0e15 ||
		    gid->valuedouble != (double)(int64_t)gid->valuedouble) {
			snprintf(err, size, "each role needs a groupId of 0 or more");
			ok = false;
			break;
		}
		dst = &out->roles[out->role_count++];
		dst->group_id = (int64_t)gid->valuedouble;
		dst->caps = 0;
		dst->perms = 0;
		dst->ew_caps = 0;
		if (role && !(cJSON_IsString(role) && strcmp(role->valuestring, "admin") == 0)) {
			snprintf(err, size, "the only named role is \"admin\"");
			ok = false;
			break;
		}
		if (role) {
			dst->caps = CAP_ALL;
			dst->perms = PERM_ALL;
			dst->ew_caps = EW_CAP_ALL;
		}
		dst->caps |= parse_names(cJSON_GetObjectItemCaseSensitive(r, "capabilities"),
		                         NAMES_CAPS, err, size, &ok);
		dst->perms |= parse_names(cJSON_GetObjectItemCaseSensitive(r, "permissions"),
		                          NAMES_PERMS, err, size, &ok);
		dst->ew_caps |= parse_names(cJSON_GetObjectItemCaseSensitive(r, "edgeworkers"),
		                            NAMES_EW_CAPS, err, size, &ok);
		if (!ok)
			break;
	}
	cJSON_Delete(root);
	return ok ? 0 : -1;
}

/* Whether list (comma-separated account ids, or "*") names account. */
static bool switch_allowed(const char *list, const char *account)
{
	size_t n = strlen(account);

	if (strcmp(list, "*") == 0)
		return true;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, account, n) == 0)
			return true;
		p += len + (end ? 1 : 0);
	}
	return false;
}

static void set_unrestricted(struct api_call *c, const char *account)
{
	c->caller.unrestricted = true;
	snprintf(c->caller.account, sizeof(c->caller.account), "%s", account);
}

/* In soft mode a refusal is logged and the request goes on for the default account. */
static bool refuse(struct api_call *c, enum gateway_error err, const char *why)
{
	if (c->api->config.auth_mode == AUTH_SOFT) {
		log_warn("auth: soft mode lets through what strict mode refuses: %s (trace %s)",
		         why, c->req->request_id);
		if (!c->caller.account[0])
			set_unrestricted(c, c->api->config.default_account);
		return true;
	}
	reply_gateway(c, err);
	return false;
}

static bool verify_signature(struct api_call *c, const struct edgegrid_header *h,
                             const char *secret, const char *header, bool other_scheme)
{
	struct edgegrid_request r = {0};
	const char *host = api_request_header(c->req, "Host");
	char sig[EDGEGRID_B64_MAX];
	bool tls = c->req->tls != other_scheme;

	r.method = api_request_method(c->req);
	r.scheme = tls ? "https" : "http";
	r.host = host ? host : "";
	r.target = c->req->target;
	r.body = c->req->body;
	r.body_len = c->req->body_len;
	r.max_body = EDGEGRID_MAX_BODY;
	r.auth_unsigned = header;
	r.auth_unsigned_len = h->unsigned_len;
	return edgegrid_sign(secret, h->timestamp, &r, sig) == 0 &&
	       edgegrid_signature_equal(sig, h->signature);
}

/*
 * After the signature: the nonce is new (api/auth/nonces.c) and a client
 * that may become any account calls from loopback, its credentials being
 * published. False, with *ok as refuse() left it, when refused.
 */
static bool admissible(struct api_call *c, const struct edgegrid_header *h,
                       const struct client_rec *client, int64_t stamp, bool *ok)
{
	const struct api_config *cfg = &c->api->config;
	int64_t window_ms = cfg->auth_window_s * 1000;

	switch (nonce_store_check(c->api->nonces, h->client_token, h->nonce, stamp, clock_wall_ms(),
	                          window_ms)) {
	case NONCE_FRESH:
		break;
	case NONCE_SEEN:
		*ok = refuse(c, GW_NONCE_REUSED, "nonce reused");
		return false;
	case NONCE_STALE:
		*ok = refuse(c, GW_BAD_TIMESTAMP, "timestamp older than the nonces kept");
		return false;
	case NONCE_FULL:
		log_warn("auth: %d signed requests within the timestamp window: refusing more",
		         NONCE_STORE_MAX);
		*ok = refuse(c, GW_NONCES_FULL, "the nonce store is full");
		return false;
	}
	if (strcmp(client->switch_accounts, "*") == 0 && !cfg->remote_dev_client && c->req->peer &&
	    !api_address_is_loopback(c->req->peer)) {
		*ok = refuse(c, GW_LOOPBACK_CLIENT, "a switch-any-account client beyond loopback");
		return false;
	}
	return true;
}

/*
 * Checks the EdgeGrid header h (and the raw header it came from) against
 * the client that status and client describe. True when the request may go
 * on as that client; false when its answer is decided, with *ok saying
 * whether it goes on anyway (a soft-mode pass) or was refused.
 */
static bool client_verified(struct api_call *c, const struct edgegrid_header *h, const char *header,
                            enum store_status status, const struct client_rec *client, bool *ok)
{
	const struct api_config *cfg = &c->api->config;
	int64_t stamp = 0, wall = clock_wall_ms(), window_ms = cfg->auth_window_s * 1000;

	*ok = false;
	if (status == STORE_ERROR) {
		reply_problem(c, EKV_INTERNAL);
		return false;
	}
	if (status == STORE_NOT_FOUND || !client->active) {
		*ok = refuse(c, GW_INACTIVE_CLIENT, "unknown or inactive client token");
		return false;
	}
	if (strcmp(client->access_token, h->access_token) != 0) {
		*ok = refuse(c, GW_BAD_ACCESS_TOKEN, "access token does not match");
		return false;
	}
	if (edgegrid_timestamp_ms(h->timestamp, &stamp) != 0 || stamp < wall - window_ms ||
	    stamp > wall + window_ms) {
		*ok = refuse(c, GW_BAD_TIMESTAMP, "timestamp outside the window");
		return false;
	}
	/* The connection's scheme; the other one too behind a TLS-terminating proxy. */
	if (!verify_signature(c, h, client->secret, header, false) &&
	    !(cfg->auth_any_scheme && verify_signature(c, h, client->secret, header, true))) {
		*ok = refuse(c, GW_BAD_SIGNATURE, "signature does not match");
		return false;
	}
	if (!admissible(c, h, client, stamp, ok))
		return false;
	if (client->grant == GRANT_NONE ||
	    (client->grant == GRANT_READ_ONLY && c->req->method != HTTP_GET &&
	     c->req->method != HTTP_HEAD)) {
		*ok = refuse(c, GW_NO_GRANT, "the client lacks the EdgeKV grant");
		return false;
	}
	return true;
}

/*
 * Makes the verified client the caller: its account and roles, or with
 * accountSwitchKey the account it may switch to. False after replying.
 */
static bool take_identity(struct api_call *c, const struct client_rec *client,
                          const struct buf *roles)
{
	char err[128], target[STORE_ACCOUNT_MAX + 1];

	snprintf(c->caller.client_token, sizeof(c->caller.client_token), "%s",
	         client->client_token);
	snprintf(c->caller.account, sizeof(c->caller.account), "%s", client->account);
	if (query_param(c, "accountSwitchKey", target, sizeof(target)) &&
	    strcmp(target, client->account) != 0) {
		if (!switch_allowed(client->switch_accounts, target))
			return refuse(c, GW_NO_GRANT, "account switch not allowed");
		/* A switched-to account is managed with full rights, as its administrators have. */
		set_unrestricted(c, target);
		return true;
	}
	if (caller_roles_parse(roles->ptr ? roles->ptr : "[]", roles->len, &c->caller, err,
	                       sizeof(err)) != 0) {
		log_error("auth: client '%s' has unreadable roles: %s", client->client_token, err);
		reply_problem(c, EKV_INTERNAL);
		return false;
	}
	return true;
}

bool caller_authenticate(struct api_call *c)
{
	const char *header = api_request_header(c->req, "Authorization");
	struct edgegrid_header h;
	struct client_rec client;
	struct buf roles = BUF_INIT;
	enum store_status status;
	bool ok;

	memset(&c->caller, 0, sizeof(c->caller));
	if (c->api->config.auth_mode == AUTH_OFF) {
		set_unrestricted(c, c->api->config.default_account);
		return true;
	}
	if (edgegrid_parse(header, &h) != 0)
		return refuse(c, GW_MALFORMED_AUTH, "no well-formed EdgeGrid header");
	status = store_client_get(c->st, h.client_token, &client, &roles);
	if (client_verified(c, &h, header, status, &client, &ok))
		ok = take_identity(c, &client, &roles);
	buf_release(&roles);
	return ok;
}

uint32_t caller_permissions(const struct api_call *c)
{
	uint32_t perms = 0;

	if (c->caller.unrestricted)
		return PERM_ALL;
	for (size_t i = 0; i < c->caller.role_count; i++)
		perms |= c->caller.roles[i].perms;
	return perms;
}

bool require_permission(struct api_call *c, uint32_t perm)
{
	if (caller_permissions(c) & perm)
		return true;
	reply_problem(c, EKV_PERMISSION_DENIED, permission_title(perm));
	return false;
}

/* Fills chain with group_id and the groups above it; returns how many. */
static size_t ancestry(struct api_call *c, int64_t group_id, int64_t *chain)
{
	struct access_group_rec g;
	size_t n = 0;

	while (group_id > 0 && n < GROUP_DEPTH_MAX) {
		chain[n++] = group_id;
		if (store_access_group_get(c->st, c->caller.account, group_id, &g) != STORE_OK)
			break;
		group_id = g.parent_id;
	}
	return n;
}

enum reach { REACH_CAPS, REACH_PRESENCE, REACH_EW_CAPS };

/* Capabilities, the mere presence of a role, or EdgeWorkers capabilities in group_id and above. */
static uint32_t roles_reaching(struct api_call *c, int64_t group_id, enum reach what)
{
	int64_t chain[GROUP_DEPTH_MAX];
	size_t n = ancestry(c, group_id, chain);
	uint32_t caps = 0;

	for (size_t i = 0; i < c->caller.role_count; i++) {
		const struct caller_role *r = &c->caller.roles[i];
		bool applies = r->group_id == 0;

		for (size_t k = 0; k < n && !applies; k++)
			applies = r->group_id == chain[k];
		if (applies)
			caps |= what == REACH_PRESENCE  ? 1u
			        : what == REACH_EW_CAPS ? r->ew_caps
			                                : r->caps;
	}
	return caps;
}

uint32_t caller_capabilities(struct api_call *c, int64_t group_id)
{
	uint32_t caps = 0;

	if (c->caller.unrestricted)
		return CAP_ALL;
	if (group_id != 0)
		return roles_reaching(c, group_id, REACH_CAPS);
	for (size_t i = 0; i < c->caller.role_count; i++)
		caps |= c->caller.roles[i].caps;
	return caps;
}

bool caller_can(struct api_call *c, int64_t group_id, enum capability cap)
{
	return cap == CAP_NONE || (caller_capabilities(c, group_id) & (1u << cap)) != 0;
}

uint32_t caller_ew_capabilities(struct api_call *c, int64_t group_id)
{
	return c->caller.unrestricted ? EW_CAP_ALL : roles_reaching(c, group_id, REACH_EW_CAPS);
}

bool caller_reaches(struct api_call *c, int64_t group_id)
{
	return c->caller.unrestricted || group_id <= 0 ||
	       roles_reaching(c, group_id, REACH_PRESENCE) != 0;
}

bool caller_in_top_group(struct api_call *c)
{
	struct access_group_rec g;

	if (c->caller.unrestricted)
		return true;
	for (size_t i = 0; i < c->caller.role_count; i++) {
		int64_t id = c->caller.roles[i].group_id;

		if (id == 0 ||
		    (store_access_group_get(c->st, c->caller.account, id, &g) == STORE_OK &&
		     g.parent_id == 0))
			return true;
	}
	return false;
}
