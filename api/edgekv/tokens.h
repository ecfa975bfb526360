#ifndef EKV_API_EDGEKV_TOKENS_H
#define EKV_API_EDGEKV_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#include "storage/store.h"

/*
 * Access tokens beyond their management handlers: the emulator's signing
 * key, the per-account settings in force, token authentication for the data
 * plane and the daily expiry check. Used by dispatch (api/api.c), the data
 * plane (api/dataplane.c) and the control API (api/control.c).
 */
struct api;
struct api_call;
struct jwt_key;

/*
 * The RS256 key legacy tokens are signed with: made once per database and
 * kept in it, loaded on first use. Borrowed from c->api; NULL after logging.
 */
const struct jwt_key *tokens_key(struct api_call *c);

/* tokens_key() outside a request (fixture import at start): the same key, loaded with st. */
const struct jwt_key *tokens_key_of(struct api *api, struct store *st, int64_t now_ms);

/*
 * Signs the legacy claims of t (§5.6, all taken from t: sub, cpc, env,
 * ewids, namespaces, iat, exp, jti) with the key into t->value. RS256 is
 * deterministic, so the same token and key always give the same value.
 * False after logging.
 */
bool tokens_sign(struct api *api, struct store *st, int64_t now_ms, struct token_rec *t);

/* The account's token settings with every "server default" filled in from c->api->config. */
bool tokens_settings(struct api_call *c, const char *account, struct token_settings *out);

/* A token uuid as X-Akamai-EdgeDB-Auth-Ref carries it: 36 characters, lowercase or not. */
bool tokens_ref_valid(const char *s, size_t len);

/*
 * Data-plane authentication, run by dispatch for ROUTE_DATA_PLANE routes:
 * reads X-Akamai-EdgeDB-Auth (a legacy JWT, verified) or X-Akamai-EdgeDB-Auth-Ref
 * (an enhanced token's uuid), fills *c->token and c->account, or replies 401
 * (missing, malformed, forged, unknown, revoked, expired or not yet active).
 */
bool require_data_token(struct api_call *c);

/* The permission letters the token holds for namespace ns, or NULL. */
const char *tokens_letters(const struct token_rec *t, const char *ns);

/* "2026-11-23" for a day number. */
void tokens_format_day(int64_t day, char out[16]);

/*
 * Runs every daily expiry check due up to c->now_ms that has not run yet
 * (seeds/edgekv-access-tokens.txt "Expiration notification"). Returns false
 * on a storage failure (logged).
 */
bool tokens_daily_checks(struct api_call *c);

#endif
