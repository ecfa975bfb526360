#include "api/auth/edgegrid.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <string.h>

#include "base/base64.h"
#include "base/buf.h"
#include "base/clock.h"

#define MONIKER "EG1-HMAC-SHA256 "

/* Copies the value of "name=" at *p up to ';' (or the end) into out. */
static int take_field(const char **p, char *out)
{
	const char *end = strchr(*p, ';');
	size_t len = end ? (size_t)(end - *p) : strlen(*p);

	if (len == 0 || len >= EDGEGRID_FIELD_MAX)
		return -1;
	memcpy(out, *p, len);
	out[len] = '\0';
	*p += len + (end ? 1 : 0);
	return 0;
}

int edgegrid_parse(const char *value, struct edgegrid_header *out)
{
	static const char *const names[] = {
	        "client_token=", "access_token=", "timestamp=", "nonce=", "signature="};
	char *fields[5];
	const char *p;
	unsigned seen = 0;

	memset(out, 0, sizeof(*out));
	fields[0] = out->client_token;
	fields[1] = out->access_token;
	fields[2] = out->timestamp;
	fields[3] = out->nonce;
	fields[4] = out->signature;
	if (!value || strncmp(value, MONIKER, strlen(MONIKER)) != 0)
		return -1;
	p = value + strlen(MONIKER);
	while (*p) {
		const char *start = p;
		int i;

		for (i = 0; i < 5; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0)
				break;
		if (i == 5)
			return -1; /* unknown or empty field */
		if (seen & (1u << i))
			return -1; /* repeated field */
		p += strlen(names[i]);
		if (take_field(&p, fields[i]) != 0)
			return -1;
		seen |= 1u << i;
		if (i == 4) {
			out->unsigned_len = (size_t)(start - value);
			if (*p)
				return -1; /* nothing may follow the signature */
		}
	}
	return seen == 0x1f ? 0 : -1;
}

int edgegrid_timestamp_ms(const char *ts, int64_t *ms)
{
	char iso[32];

	/* yyyyMMddTHH:mm:ss+0000, always UTC */
	if (strlen(ts) != 22 || ts[8] != 'T' || strcmp(ts + 17, "+0000") != 0)
		return -1;
	snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%.8sZ", ts, ts + 4, ts + 6, ts + 9);
	return clock_parse_rfc3339(iso, false, ms);
}

/* base64 of a digest into out (EDGEGRID_B64_MAX bytes). */
static int base64(unsigned char *data, size_t len, char *out)
{
	struct buf text = BUF_INIT;
	int rc = base64_encode(data, len, &text);

	if (rc == 0 && text.len >= EDGEGRID_B64_MAX)
		rc = -1;
	if (rc == 0)
		memcpy(out, text.ptr, text.len + 1);
	buf_release(&text);
	return rc;
}

static int hmac_b64(const char *key, size_t key_len, const void *msg, size_t msg_len, char *out)
{
	unsigned char digest[32];

	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, key_len, msg, msg_len, digest) < 0)
		return -1;
	return base64(digest, sizeof(digest), out);
}

int edgegrid_signing_key(const char *secret, const char *timestamp, char *out)
{
	return hmac_b64(secret, strlen(secret), timestamp, strlen(timestamp), out);
}

/* lowercase(name):value, trimmed, inner runs of white space folded to one space. */
static void add_canonical_header(struct buf *b, const char *name, const char *value)
{
	bool pending_space = false, started = false;

	for (const char *p = name; *p; p++)
		buf_addch(b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	buf_addch(b, ':');
	for (const char *p = value; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			pending_space = started;
			continue;
		}
		if (pending_space)
			buf_addch(b, ' ');
		pending_space = false;
		started = true;
		buf_addch(b, *p);
	}
}

int edgegrid_sign(const char *secret, const char *timestamp, const struct edgegrid_request *req,
                  char *out)
{
	struct buf data = BUF_INIT;
	char key[EDGEGRID_B64_MAX], hash[EDGEGRID_B64_MAX] = "";
	bool first = true;
	int rc;

	if (edgegrid_signing_key(secret, timestamp, key) != 0)
		return -1;
	/* Only a POST with a body is hashed, and only its first max_body bytes. */
	if (strcmp(req->method, "POST") == 0 && req->body_len > 0) {
		unsigned char digest[32];
		size_t n = req->body_len < req->max_body ? req->body_len : req->max_body;

		if (gnutls_hash_fast(GNUTLS_DIG_SHA256, req->body, n, digest) < 0 ||
		    base64(digest, sizeof(digest), hash) != 0)
			return -1;
	}
	buf_addf(&data, "%s\t%s\t%s\t%s\t", req->method, req->scheme, req->host, req->target);
	for (size_t i = 0; i < req->sign_count; i++) {
		if (!req->sign_values[i])
			continue;
		if (!first)
			buf_addch(&data, '\t');
		add_canonical_header(&data, req->sign_names[i], req->sign_values[i]);
		first = false;
	}
	buf_addf(&data, "\t%s\t", hash);
	buf_add(&data, req->auth_unsigned, req->auth_unsigned_len);
	rc = hmac_b64(key, strlen(key), data.ptr, data.len, out);
	buf_release(&data);
	return rc;
}

bool edgegrid_signature_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}
