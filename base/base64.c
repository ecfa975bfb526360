#include "base/base64.h"

#include <gnutls/gnutls.h>
#include <string.h>

/* GnuTLS takes input through a non-const pointer that it only reads. */
static unsigned char *readonly_bytes(const void *p)
{
	unsigned char *bytes;

	memcpy(&bytes, &p, sizeof(bytes));
	return bytes;
}

int base64_encode(const void *data, size_t len, struct buf *out)
{
	gnutls_datum_t in = {readonly_bytes(data), (unsigned)len}, text = {NULL, 0};

	buf_add(out, "", 0);
	if (len == 0)
		return 0;
	if (len > 0x3fffffff || gnutls_base64_encode2(&in, &text) < 0)
		return -1;
	buf_add(out, text.data, text.size);
	gnutls_free(text.data);
	return 0;
}

int base64_decode(const char *s, size_t len, struct buf *out)
{
	gnutls_datum_t in = {readonly_bytes(s), (unsigned)len}, bytes = {NULL, 0};

	buf_add(out, "", 0);
	if (len == 0)
		return 0;
	/* GnuTLS skips line breaks inside PEM bodies; a value has none. */
	if (len > 0x3fffffff || len % 4 != 0 || memchr(s, '\n', len) || memchr(s, '\r', len) ||
	    gnutls_base64_decode2(&in, &bytes) < 0)
		return -1;
	buf_add(out, bytes.data, bytes.size);
	gnutls_free(bytes.data);
	return 0;
}

int base64url_encode(const void *data, size_t len, struct buf *out)
{
	size_t start = out->len;

	if (base64_encode(data, len, out) != 0)
		return -1;
	while (out->len > start && out->ptr[out->len - 1] == '=')
		out->ptr[--out->len] = '\0';
	for (size_t i = start; i < out->len; i++)
		out->ptr[i] = (char)(out->ptr[i] == '+'   ? '-'
		                     : out->ptr[i] == '/' ? '_'
		                                          : out->ptr[i]);
	return 0;
}

int base64url_decode(const char *s, size_t len, struct buf *out)
{
	struct buf std = BUF_INIT, again = BUF_INIT;
	size_t start = out->len;
	int rc = -1;

	if (len % 4 == 1)
		goto out;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			goto out;
		buf_addch(&std, (char)(ch == '-' ? '+' : ch == '_' ? '/' : ch));
	}
	while (std.len % 4)
		buf_addch(&std, '=');
	if (base64_decode(std.ptr ? std.ptr : "", std.len, out) != 0)
		goto out;
	/* Canonical only: the unused bits of the last character must be zero. */
	if (base64url_encode(out->ptr + start, out->len - start, &again) == 0 && again.len == len &&
	    memcmp(again.ptr, s, len) == 0)
		rc = 0;
out:
	buf_release(&std);
	buf_release(&again);
	return rc;
}
