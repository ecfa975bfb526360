#include "api/auth/jwt.h"

#include <cjson/cJSON.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base64.h"
#include "base/log.h"
#include "base/xalloc.h"

/* The only header this module writes, byte for byte (docs/behaviour.md §5.6:
 * {"typ":"JWT","alg":"RS256"}). */
#define JWT_HEADER     "{\"typ\":\"JWT\",\"alg\":\"RS256\"}"
#define JWT_PARTS_MAX  16384 /* longer tokens are not ours */
#define JWT_JSON_DEPTH 16

struct jwt_key {
	gnutls_privkey_t priv;
	gnutls_pubkey_t pub;
};

void jwt_key_free(struct jwt_key *key)
{
	if (!key)
		return;
	gnutls_pubkey_deinit(key->pub);
	gnutls_privkey_deinit(key->priv);
	free(key);
}

/* Derives the public half; frees key and returns NULL on failure. */
static struct jwt_key *with_public(struct jwt_key *key)
{
	int rc = gnutls_pubkey_init(&key->pub);

	if (rc == 0)
		rc = gnutls_pubkey_import_privkey(key->pub, key->priv, 0, 0);
	if (rc != 0) {
		log_error("jwt: cannot derive the public key: %s", gnutls_strerror(rc));
		jwt_key_free(key);
		return NULL;
	}
	return key;
}

struct jwt_key *jwt_key_generate(unsigned bits)
{
	struct jwt_key *key = xcalloc(1, sizeof(*key));
	int rc = gnutls_privkey_init(&key->priv);

	if (rc == 0)
		rc = gnutls_privkey_generate2(key->priv, GNUTLS_PK_RSA, bits, 0, NULL, 0);
	if (rc != 0) {
		log_error("jwt: cannot generate an RSA key: %s", gnutls_strerror(rc));
		jwt_key_free(key);
		return NULL;
	}
	return with_public(key);
}

struct jwt_key *jwt_key_import_pem(const char *pem, size_t len)
{
	struct jwt_key *key = xcalloc(1, sizeof(*key));
	char *copy = xmemdupz(pem, len); /* GnuTLS takes a non-const datum */
	gnutls_datum_t d = {(unsigned char *)copy, (unsigned)len};
	int rc = len > 65536 ? GNUTLS_E_INVALID_REQUEST : gnutls_privkey_init(&key->priv);

	if (rc == 0)
		rc = gnutls_privkey_import_x509_raw(key->priv, &d, GNUTLS_X509_FMT_PEM, NULL, 0);
	free(copy);
	if (rc == 0 && gnutls_privkey_get_pk_algorithm(key->priv, NULL) != GNUTLS_PK_RSA)
		rc = GNUTLS_E_INVALID_REQUEST;
	if (rc != 0) {
		log_error("jwt: cannot read the RSA key: %s", gnutls_strerror(rc));
		jwt_key_free(key);
		return NULL;
	}
	return with_public(key);
}

static int add_datum(struct buf *out, gnutls_datum_t *d, int rc)
{
	if (rc == 0)
		buf_add(out, d->data, d->size);
	gnutls_free(d->data);
	return rc == 0 ? 0 : -1;
}

int jwt_key_private_pem(const struct jwt_key *key, struct buf *out)
{
	gnutls_x509_privkey_t x = NULL;
	gnutls_datum_t d = {NULL, 0};
	int rc = gnutls_privkey_export_x509(key->priv, &x);

	if (rc == 0)
		rc = gnutls_x509_privkey_export2_pkcs8(x, GNUTLS_X509_FMT_PEM, NULL,
		                                       GNUTLS_PKCS_PLAIN, &d);
	gnutls_x509_privkey_deinit(x);
	return add_datum(out, &d, rc);
}

int jwt_key_public_pem(const struct jwt_key *key, struct buf *out)
{
	gnutls_datum_t d = {NULL, 0};

	return add_datum(out, &d, gnutls_pubkey_export2(key->pub, GNUTLS_X509_FMT_PEM, &d));
}

int jwt_key_jwk(const struct jwt_key *key, struct buf *n, struct buf *e)
{
	gnutls_datum_t m = {NULL, 0}, x = {NULL, 0};
	int rc = gnutls_pubkey_export_rsa_raw2(key->pub, &m, &x, GNUTLS_EXPORT_FLAG_NO_LZ);

	if (rc == 0 &&
	    (base64url_encode(m.data, m.size, n) != 0 || base64url_encode(x.data, x.size, e) != 0))
		rc = -1;
	gnutls_free(m.data);
	gnutls_free(x.data);
	return rc == 0 ? 0 : -1;
}

int jwt_key_id(const struct jwt_key *key, char out[17])
{
	unsigned char digest[32];
	struct buf der = BUF_INIT, text = BUF_INIT;
	gnutls_datum_t d = {NULL, 0};
	int rc = add_datum(&der, &d, gnutls_pubkey_export2(key->pub, GNUTLS_X509_FMT_DER, &d));

	if (rc == 0 && gnutls_hash_fast(GNUTLS_DIG_SHA256, der.ptr, der.len, digest) != 0)
		rc = -1;
	if (rc == 0 && base64url_encode(digest, sizeof(digest), &text) != 0)
		rc = -1;
	if (rc == 0)
		snprintf(out, 17, "%.16s", text.ptr);
	buf_release(&der);
	buf_release(&text);
	return rc;
}

int jwt_sign(const struct jwt_key *key, const char *claims_json, size_t len, struct buf *out)
{
	struct buf input = BUF_INIT;
	gnutls_datum_t data, sig = {NULL, 0};
	int rc;

	rc = base64url_encode(JWT_HEADER, strlen(JWT_HEADER), &input);
	buf_addch(&input, '.');
	if (rc == 0)
		rc = base64url_encode(claims_json, len, &input);
	data.data = (unsigned char *)input.ptr;
	data.size = (unsigned)input.len;
	if (rc == 0)
		rc = gnutls_privkey_sign_data2(key->priv, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig);
	if (rc == 0) {
		buf_add(out, input.ptr, input.len);
		buf_addch(out, '.');
		rc = base64url_encode(sig.data, sig.size, out);
	} else {
		log_error("jwt: cannot sign: %s", gnutls_strerror(rc));
	}
	gnutls_free(sig.data);
	buf_release(&input);
	return rc == 0 ? 0 : -1;
}

/* Decodes one part and parses it as one JSON object, nothing after it. NULL if it is not. */
static cJSON *decode_json_part(const char *s, size_t len)
{
	struct buf text = BUF_INIT;
	const char *end = NULL;
	cJSON *root = NULL;

	if (base64url_decode(s, len, &text) == 0 && text.len > 0 &&
	    memchr(text.ptr, '\0', text.len) == NULL) {
		root = cJSON_ParseWithLengthOpts(text.ptr, text.len, &end, 0);
		while (root && end < text.ptr + text.len &&
		       (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
			end++;
		if (root && (!cJSON_IsObject(root) || end != text.ptr + text.len)) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	buf_release(&text);
	return root;
}

/* An integral JSON number within ±2^53, as NumericDate (RFC 7519 §2). */
static bool numeric_date(const cJSON *v, int64_t *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    fabs(v->valuedouble) > 9007199254740992.0)
		return false;
	*out = (int64_t)v->valuedouble;
	return true;
}

static enum jwt_result read_claims(const cJSON *payload, struct jwt_claims *claims)
{
	const cJSON *jti = cJSON_GetObjectItemCaseSensitive(payload, "jti");
	const cJSON *iat = cJSON_GetObjectItemCaseSensitive(payload, "iat");

	memset(claims, 0, sizeof(*claims));
	if (!cJSON_IsString(jti) || strlen(jti->valuestring) >= sizeof(claims->jti) ||
	    !numeric_date(cJSON_GetObjectItemCaseSensitive(payload, "exp"), &claims->exp) ||
	    (iat && !numeric_date(iat, &claims->iat)))
		return JWT_MALFORMED;
	snprintf(claims->jti, sizeof(claims->jti), "%s", jti->valuestring);
	return JWT_OK;
}

enum jwt_result jwt_verify(const struct jwt_key *key, const char *token, size_t len, int64_t now_s,
                           struct jwt_claims *claims)
{
	const char *dot1, *dot2, *end = token + len;
	cJSON *header = NULL, *payload = NULL;
	char *signed_part = NULL;
	const cJSON *alg;
	struct buf sig = BUF_INIT;
	gnutls_datum_t data, signature;
	enum jwt_result result = JWT_MALFORMED;

	if (len == 0 || len > JWT_PARTS_MAX || memchr(token, '\0', len))
		return JWT_MALFORMED;
	dot1 = memchr(token, '.', len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1)) : NULL;
	if (!dot2 || memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)))
		return JWT_MALFORMED;
	header = decode_json_part(token, (size_t)(dot1 - token));
	if (!header)
		goto out;
	/* Only RS256: "none", HS256 (an RSA key used as an HMAC secret) and the rest fail. */
	alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
	if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "RS256") != 0 ||
	    cJSON_GetObjectItemCaseSensitive(header, "crit")) {
		result = JWT_BAD_ALG;
		goto out;
	}
	if (dot2 + 1 == end || base64url_decode(dot2 + 1, (size_t)(end - dot2 - 1), &sig) != 0)
		goto out;
	signed_part = xmemdupz(token, (size_t)(dot2 - token));
	data.data = (unsigned char *)signed_part;
	data.size = (unsigned)(dot2 - token);
	signature.data = (unsigned char *)sig.ptr;
	signature.size = (unsigned)sig.len;
	if (gnutls_pubkey_verify_data2(key->pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &signature) <
	    0) {
		result = JWT_BAD_SIGNATURE;
		goto out;
	}
	payload = decode_json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (!payload || read_claims(payload, claims) != JWT_OK)
		goto out;
	result = claims->exp > now_s ? JWT_OK : JWT_EXPIRED;
out:
	cJSON_Delete(header);
	cJSON_Delete(payload);
	free(signed_part);
	buf_release(&sig);
	return result;
}
