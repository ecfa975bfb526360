#include "api/ids.h"

#include <stdint.h>
#include <stdio.h>
#include <uuid/uuid.h>

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
