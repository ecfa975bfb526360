#include "server/trace.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

void trace_id_new(char out[17])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[8];

	gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof(raw));
	for (size_t i = 0; i < 8; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[16] = '\0';
}

void trace_library_message(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("http: %s", line);
}
