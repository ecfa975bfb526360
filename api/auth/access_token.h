#ifndef EKV_API_AUTH_ACCESS_TOKEN_H
#define EKV_API_AUTH_ACCESS_TOKEN_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/store.h"

/*
 * EdgeKV access tokens beyond their management handlers (api/edgekv/tokens.c):
 * the signing key, the settings in force, and token authentication for the
 * data plane. Used by the dispatcher, the data plane and the control API.
 */
struct api;
struct api_call;
struct jwt_key;

/*
 * The RS256 key legacy tokens are signed with: made once per database and
 * kept in it, loaded on first use. Borrowed from c->api; NULL after logging.
 */
const struct jwt_key *access_token_key(struct api_call *c);

/* access_token_key() outside a request (fixture import at start): the same key, loaded with st. */
const struct jwt_key *access_token_key_of(struct api *api, struct store *st, int64_t now_ms);

/*
 * Signs the legacy claims of t (sub, cpc, env, ewids, namespaces, iat, exp,
 * jti, all taken from t) with the key into t->value. RS256 is
 * deterministic, so the same token and key always give the same value.
 * False after logging.
 */
bool access_token_sign(struct api *api, struct store *st, int64_t now_ms, struct token_rec *t);

/* The account's token settings with every "server default" filled in from c->api->config. */
bool access_token_settings(struct api_call *c, const char *account, struct token_settings *out);

/* A token uuid as X-Akamai-EdgeDB-Auth-Ref carries it: 36 characters, lowercase or not. */
bool access_token_ref_valid(const char *s, size_t len);

/* The permission letters the token holds for namespace ns, or NULL. */
const char *access_token_letters(const struct token_rec *t, const char *ns);

/* ["id", ...] of a comma-separated id list, or ["all"] for ""; caller deletes. */
cJSON *access_token_ewids_json(const char *ewids);

/* ["r", "w", ...] of a letters string; caller deletes. */
cJSON *access_token_letters_json(const char *letters);

/*
 * Data-plane authentication, run by the dispatcher for ROUTE_DATA_PLANE
 * routes: reads X-Akamai-EdgeDB-Auth (a legacy JWT, verified) or
 * X-Akamai-EdgeDB-Auth-Ref (an enhanced token's uuid), fills *c->token and
 * c->account, or replies 401 (missing, malformed, forged, unknown, revoked,
 * expired or not yet active).
 */
bool require_data_token(struct api_call *c);

#endif
