#include "api/core/ids.h"

#include <stdint.h>
#include <stdio.h>
#include <uuid/uuid.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

static bool id_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

bool ids_charset_valid(const char *s, size_t len, size_t max)
{
	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!id_char(s[i]))
			return false;
	return true;
}

bool ids_namespace_valid(const char *s, size_t len)
{
	return ids_charset_valid(s, len, 32) && s[0] != '-';
}

bool ids_group_valid(const char *s, size_t len)
{
	return ids_charset_valid(s, len, 128);
}

bool ids_key_valid(const char *s, size_t len)
{
	return ids_charset_valid(s, len, 512);
}

void ids_uuid_v4(char *out)
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

void ids_cpcode(const char *account, char *out, size_t size)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const char *p = account; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	snprintf(out, size, "%u", 1000000u + h % 9000000u);
}

void ids_random_token(char *out, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[16];
	char hex[33];

	gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[32] = '\0';
	snprintf(out, size, "akab-%.16s-%.16s", hex, hex + 16);
}

void ids_random_secret(char *out, size_t size)
{
	unsigned char raw[32];
	gnutls_datum_t in = {raw, sizeof(raw)}, b64 = {NULL, 0};

	gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof(raw));
	out[0] = '\0';
	if (gnutls_base64_encode2(&in, &b64) == 0 && b64.size < size) {
		memcpy(out, b64.data, b64.size);
		out[b64.size] = '\0';
	}
	gnutls_free(b64.data);
}
