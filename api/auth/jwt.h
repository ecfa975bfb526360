#ifndef EKV_API_AUTH_JWT_H
#define EKV_API_AUTH_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * RS256 JSON Web Tokens for legacy EdgeKV access tokens (docs/behaviour.md §5.6),
 * signed and verified with GnuTLS; nothing here is hand-written crypto. Only
 * the compact serialization with the header {"typ":"JWT","alg":"RS256"} is
 * produced, and only RS256 is ever accepted: "none", HMAC and every other
 * algorithm fail verification, whatever the signature says.
 */
struct jwt_key; /* an RSA key pair; opaque */

/* A new RSA key of bits bits; NULL after logging on failure. Free with jwt_key_free(). */
struct jwt_key *jwt_key_generate(unsigned bits);

/* The key in a PEM private key (PKCS#1 or PKCS#8); NULL if it is not one. */
struct jwt_key *jwt_key_import_pem(const char *pem, size_t len);

void jwt_key_free(struct jwt_key *key);

/* Appends the private key as PEM (PKCS#8) to out; 0 or -1. */
int jwt_key_private_pem(const struct jwt_key *key, struct buf *out);

/* Appends the public key as PEM (SubjectPublicKeyInfo) to out; 0 or -1. */
int jwt_key_public_pem(const struct jwt_key *key, struct buf *out);

/* Appends the modulus and exponent in base64url without padding (JWK n and e); 0 or -1. */
int jwt_key_jwk(const struct jwt_key *key, struct buf *n, struct buf *e);

/* A key id for the JWKS: the base64url SHA-256 of the public key, cut to 16 characters. */
int jwt_key_id(const struct jwt_key *key, char out[17]);

/* Appends the compact JWT whose payload is the claim set claims_json to out; 0 or -1. */
int jwt_sign(const struct jwt_key *key, const char *claims_json, size_t len, struct buf *out);

enum jwt_result {
	JWT_OK,
	JWT_MALFORMED,     /* not three base64url parts, or a part is not the JSON it should be */
	JWT_BAD_ALG,       /* a header other than RS256 */
	JWT_BAD_SIGNATURE, /* not signed by key */
	JWT_EXPIRED,       /* exp is not after now */
};

/* The claims the data plane needs; strings are NUL-terminated copies. */
struct jwt_claims {
	char jti[64];
	int64_t exp; /* seconds since the epoch */
	int64_t iat;
};

/*
 * Verifies the compact JWT token[0..len) against key and then its exp
 * against now_s (the emulator's clock). Fills *claims on JWT_OK; on
 * JWT_EXPIRED too, because the signature was good.
 */
enum jwt_result jwt_verify(const struct jwt_key *key, const char *token, size_t len, int64_t now_s,
                           struct jwt_claims *claims);

#endif
