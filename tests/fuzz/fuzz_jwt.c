/*
 * libFuzzer target for the data plane's token headers: X-Akamai-EdgeDB-Auth
 * (a compact JWT, verified by api/auth/jwt.c) and X-Akamai-EdgeDB-Auth-Ref (a
 * token uuid). Whatever the bytes, verification must never succeed for a
 * token this key did not sign, and nothing may crash or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth/jwt.h"
#include "base/base64.h"
#include "api/auth/access_token.h"
#include "base/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct jwt_key *key;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct jwt_claims claims;
	struct buf decoded = BUF_INIT;
	enum jwt_result r;

	if (!key) {
		key = jwt_key_generate(2048);
		if (!key)
			abort();
	}
	r = jwt_verify(key, text, size, 1795433810, &claims);
	/* Only a token signed with key could pass, and the fuzzer cannot forge one. */
	if (r == JWT_OK || r == JWT_EXPIRED)
		abort();
	(void)access_token_ref_valid(text, size);
	if (base64url_decode(text, size, &decoded) == 0) {
		struct buf again = BUF_INIT;

		/* Strict decoding is canonical: encoding gives back the input. */
		if (base64url_encode(decoded.ptr, decoded.len, &again) != 0)
			abort();
		if (again.len != size || memcmp(again.ptr, text, size) != 0)
			abort();
		buf_release(&again);
	}
	buf_release(&decoded);
	return 0;
}
