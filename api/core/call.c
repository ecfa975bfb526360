#include "api/core/call.h"

#include <string.h>

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

bool query_param(const struct api_call *c, const char *name, char *out, size_t size)
{
	size_t name_len = strlen(name);

	for (const char *p = c->query; *p;) {
		const char *end = strchr(p, '&'), *eq;
		size_t n = 0;

		if (!end)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if ((size_t)((eq ? eq : end) - p) == name_len && memcmp(p, name, name_len) == 0) {
			for (const char *v = eq ? eq + 1 : end; v < end && n + 1 < size; v++) {
				int hi, lo;

				/* %00 stays: a NUL would cut the value into another one. */
				if (*v == '%' && end - v > 2 && (hi = hexval(v[1])) >= 0 &&
				    (lo = hexval(v[2])) >= 0 && (hi | lo) != 0) {
					out[n++] = (char)(hi << 4 | lo);
					v += 2;
				} else {
					out[n++] = (char)(*v == '+' ? ' ' : *v);
				}
			}
			out[n] = '\0';
			return true;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}
