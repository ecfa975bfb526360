/* api/auth/jwt.c: RS256 signing and verification of legacy access tokens (docs/behaviour.md §5.6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "api/auth/jwt.h"
#include "base/base64.h"
#include "base/buf.h"

#define NOW 1795433810LL

static struct jwt_key *key, *other;

static int setup(void **state)
{
	(void)state;
	key = jwt_key_generate(2048);
	other = jwt_key_generate(2048);
	return key && other ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	jwt_key_free(key);
	jwt_key_free(other);
	return 0;
}

/* A signed token with exp = NOW + ttl; caller releases *out. */
static void make_token(const struct jwt_key *k, int64_t ttl, struct buf *out)
{
	char claims[256];

	snprintf(claims, sizeof(claims),
	         "{\"ewids\":\"all\",\"namespace-default\":[\"r\",\"w\"],\"cpc\":\"3128820\","
	         "\"exp\":%lld,\"env\":[\"s\"],\"iat\":%lld,"
	         "\"jti\":\"202add84-7d75-5010-8e50-97ad440aa71c\"}",
	         (long long)(NOW + ttl), (long long)NOW);
	assert_int_equal(jwt_sign(k, claims, strlen(claims), out), 0);
}

static enum jwt_result verify_text(const struct jwt_key *k, const char *token,
                                   struct jwt_claims *claims)
{
	return jwt_verify(k, token, strlen(token), NOW, claims);
}

/* Replaces part index (0 header, 1 payload, 2 signature) of token with part. */
static void replace_part(const char *token, int index, const char *part, struct buf *out)
{
	const char *p = token;

	for (int i = 0; i < 3; i++) {
		size_t n = strcspn(p, ".");

		if (i)
			buf_addch(out, '.');
		if (i == index)
			buf_addstr(out, part);
		else
			buf_add(out, p, n);
		p += n + (p[n] == '.');
	}
}

static void encode_text(const char *text, struct buf *out)
{
	assert_int_equal(base64url_encode(text, strlen(text), out), 0);
}

static void test_signed_token_verifies_and_yields_its_claims(void **state)
{
	struct buf token = BUF_INIT;
	struct jwt_claims claims;

	(void)state;
	make_token(key, 3600, &token);
	assert_int_equal(verify_text(key, token.ptr, &claims), JWT_OK);
	assert_string_equal(claims.jti, "202add84-7d75-5010-8e50-97ad440aa71c");
	assert_int_equal(claims.exp, NOW + 3600);
	assert_int_equal(claims.iat, NOW);
	/* The header is exactly the one of docs/behaviour.md §5.6. */
	assert_memory_equal(token.ptr, "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.", 37);
	buf_release(&token);
}

static void test_tampered_payload_fails(void **state)
{
	struct buf token = BUF_INIT, payload = BUF_INIT, forged = BUF_INIT;
	struct jwt_claims claims;

	(void)state;
	make_token(key, 3600, &token);
	/* Grant 'd' as well, keeping the original signature. */
	encode_text("{\"ewids\":\"all\",\"namespace-default\":[\"r\",\"w\",\"d\"],"
	            "\"exp\":1895433810,\"iat\":1795433810,"
	            "\"jti\":\"202add84-7d75-5010-8e50-97ad440aa71c\"}",
	            &payload);
	replace_part(token.ptr, 1, payload.ptr, &forged);
	assert_int_equal(verify_text(key, forged.ptr, &claims), JWT_BAD_SIGNATURE);
	buf_release(&token);
	buf_release(&payload);
	buf_release(&forged);
}

static void test_every_flipped_signature_character_fails(void **state)
{
	struct buf token = BUF_INIT;
	struct jwt_claims claims;
	size_t sig;

	(void)state;
	make_token(key, 3600, &token);
	sig = (size_t)(strrchr(token.ptr, '.') - token.ptr) + 1;
	for (size_t i = sig; i < token.len; i += 17) {
		char saved = token.ptr[i];

		token.ptr[i] = saved == 'A' ? 'B' : 'A';
		assert_int_not_equal(verify_text(key, token.ptr, &claims), JWT_OK);
		token.ptr[i] = saved;
	}
	assert_int_equal(verify_text(key, token.ptr, &claims), JWT_OK);
	buf_release(&token);
}

static void test_token_of_another_key_fails(void **state)
{
	struct buf token = BUF_INIT;
	struct jwt_claims claims;

	(void)state;
	make_token(other, 3600, &token);
	assert_int_equal(verify_text(key, token.ptr, &claims), JWT_BAD_SIGNATURE);
	buf_release(&token);
}

static void test_other_algorithms_are_refused(void **state)
{
	static const char *const headers[] = {
	        "{\"alg\":\"none\",\"typ\":\"JWT\"}",
	        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	        "{\"alg\":\"RS512\"}",
	        "{\"alg\":\"rs256\"}",
	        "{\"typ\":\"JWT\"}",
	        "{\"alg\":\"RS256\",\"crit\":[\"x\"]}",
	};
	struct buf token = BUF_INIT;
	struct jwt_claims claims;

	(void)state;
	make_token(key, 3600, &token);
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		struct buf header = BUF_INIT, forged = BUF_INIT, none = BUF_INIT;

		encode_text(headers[i], &header);
		/* With the valid RS256 signature of another header... */
		replace_part(token.ptr, 0, header.ptr, &forged);
		assert_int_equal(verify_text(key, forged.ptr, &claims), JWT_BAD_ALG);
		/* ...and with an empty one, the classic "alg":"none" token. */
		replace_part(token.ptr, 0, header.ptr, &none);
		none.len = (size_t)(strrchr(none.ptr, '.') - none.ptr) + 1;
		none.ptr[none.len] = '\0';
		assert_int_equal(verify_text(key, none.ptr, &claims), JWT_BAD_ALG);
		buf_release(&header);
		buf_release(&forged);
		buf_release(&none);
	}
	buf_release(&token);
}

static void test_expired_token_is_reported_as_expired(void **state)
{
	struct buf token = BUF_INIT;
	struct jwt_claims claims;

	(void)state;
	make_token(key, 0, &token); /* exp == now: no longer valid (RFC 7519 §4.1.4) */
	assert_int_equal(verify_text(key, token.ptr, &claims), JWT_EXPIRED);
	assert_int_equal(jwt_verify(key, token.ptr, token.len, NOW - 1, &claims), JWT_OK);
	buf_release(&token);
}

static void test_malformed_tokens_are_refused(void **state)
{
	static const struct {
		const char *token;
		enum jwt_result want;
	} bad[] = {
	        {"", JWT_MALFORMED},
	        {"abc", JWT_MALFORMED},
	        {"a.b", JWT_MALFORMED},
	        {"a.b.c.d", JWT_MALFORMED},
	        {"...", JWT_MALFORMED},
	        /* An RS256 header: the signature is checked before the (empty) payload is read. */
	        {"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9..sig", JWT_BAD_SIGNATURE},
	        {"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9=.e30.c2ln", JWT_MALFORMED}, /* padded */
	        {"e30.e30.c2ln", JWT_BAD_ALG},           /* {} header: no alg */
	        {"bm90IGpzb24.e30.c2ln", JWT_MALFORMED}, /* "not json" */
	        {"W10.e30.c2ln", JWT_MALFORMED},         /* [] header */
	};
	struct jwt_claims claims;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(verify_text(key, bad[i].token, &claims), bad[i].want);
	/* A NUL inside is never a token. */
	assert_int_equal(jwt_verify(key, "a\0b.c.d", 7, NOW, &claims), JWT_MALFORMED);
}

static void test_signed_claims_without_jti_or_exp_are_malformed(void **state)
{
	static const char *const claims_text[] = {"{\"exp\":1895433810}", "{\"jti\":\"x\"}",
	                                          "{\"jti\":\"x\",\"exp\":\"soon\"}",
	                                          "{\"jti\":\"x\",\"exp\":1.5}", "[]"};
	struct jwt_claims claims;

	(void)state;
	for (size_t i = 0; i < sizeof(claims_text) / sizeof(claims_text[0]); i++) {
		struct buf token = BUF_INIT;

		assert_int_equal(jwt_sign(key, claims_text[i], strlen(claims_text[i]), &token), 0);
		assert_int_equal(verify_text(key, token.ptr, &claims), JWT_MALFORMED);
		buf_release(&token);
	}
}

static void test_pem_round_trip_keeps_the_key(void **state)
{
	struct buf pem = BUF_INIT, pub = BUF_INIT, token = BUF_INIT;
	struct jwt_claims claims;
	struct jwt_key *copy;

	(void)state;
	assert_int_equal(jwt_key_private_pem(key, &pem), 0);
	assert_non_null(strstr(pem.ptr, "-----BEGIN PRIVATE KEY-----"));
	copy = jwt_key_import_pem(pem.ptr, pem.len);
	assert_non_null(copy);
	make_token(key, 60, &token);
	assert_int_equal(verify_text(copy, token.ptr, &claims), JWT_OK);
	assert_int_equal(jwt_key_public_pem(copy, &pub), 0);
	assert_non_null(strstr(pub.ptr, "-----BEGIN PUBLIC KEY-----"));
	assert_null(jwt_key_import_pem("not a key", 9));
	assert_null(jwt_key_import_pem(pub.ptr, pub.len));
	jwt_key_free(copy);
	buf_release(&pem);
	buf_release(&pub);
	buf_release(&token);
}

static void test_jwk_is_the_rsa_public_key(void **state)
{
	struct buf n = BUF_INIT, e = BUF_INIT, raw = BUF_INIT;
	char kid[17], kid2[17];

	(void)state;
	assert_int_equal(jwt_key_jwk(key, &n, &e), 0);
	assert_string_equal(e.ptr, "AQAB");
	assert_int_equal(base64url_decode(n.ptr, n.len, &raw), 0);
	assert_int_equal(raw.len, 256);
	assert_true((unsigned char)raw.ptr[0] & 0x80); /* no leading zero byte */
	assert_int_equal(jwt_key_id(key, kid), 0);
	assert_int_equal(jwt_key_id(other, kid2), 0);
	assert_int_equal(strlen(kid), 16);
	assert_string_not_equal(kid, kid2);
	buf_release(&n);
	buf_release(&e);
	buf_release(&raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_signed_token_verifies_and_yields_its_claims),
	        cmocka_unit_test(test_tampered_payload_fails),
	        cmocka_unit_test(test_every_flipped_signature_character_fails),
	        cmocka_unit_test(test_token_of_another_key_fails),
	        cmocka_unit_test(test_other_algorithms_are_refused),
	        cmocka_unit_test(test_expired_token_is_reported_as_expired),
	        cmocka_unit_test(test_malformed_tokens_are_refused),
	        cmocka_unit_test(test_signed_claims_without_jti_or_exp_are_malformed),
	        cmocka_unit_test(test_pem_round_trip_keeps_the_key),
	        cmocka_unit_test(test_jwk_is_the_rsa_public_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
