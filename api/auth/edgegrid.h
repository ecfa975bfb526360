#ifndef EKV_API_AUTH_EDGEGRID_H
#define EKV_API_AUTH_EDGEGRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * EG1-HMAC-SHA256, exactly as docs/clients.md §4 writes it
 * out: pure functions over strings, HMAC and SHA-256 from GnuTLS. Unit
 * tests reproduce every public test vector with them.
 */
#define EDGEGRID_FIELD_MAX 256
#define EDGEGRID_B64_MAX   48 /* base64 of a SHA-256 digest is 44 characters */

struct edgegrid_header {
	char client_token[EDGEGRID_FIELD_MAX];
	char access_token[EDGEGRID_FIELD_MAX];
	char timestamp[EDGEGRID_FIELD_MAX];
	char nonce[EDGEGRID_FIELD_MAX];
	char signature[EDGEGRID_FIELD_MAX];
	size_t unsigned_len; /* the signed prefix: up to and including the ';' before signature= */
};

/*
 * Parses "EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;signature=…".
 * Field order is free, but signature must come last (what is signed is the
 * literal text before it). Returns 0, or -1 for anything malformed.
 */
int edgegrid_parse(const char *value, struct edgegrid_header *out);

/* "20140321T19:34:21+0000" to milliseconds since the epoch; -1 if malformed. */
int edgegrid_timestamp_ms(const char *timestamp, int64_t *ms);

/* What one request contributes to its signature. Strings are borrowed. */
struct edgegrid_request {
	const char *method;             /* upper case */
	const char *scheme;             /* "https" or "http" */
	const char *host;               /* the Host header as received */
	const char *target;             /* raw path and query */
	const char *const *sign_names;  /* headers_to_sign, in that order */
	const char *const *sign_values; /* their values, NULL where absent */
	size_t sign_count;
	const void *body;
	size_t body_len;
	size_t max_body; /* 131072 for every current client */
	const char *auth_unsigned;
	size_t auth_unsigned_len;
};

/* Base64(HMAC-SHA256(secret as text, timestamp)) into out (EDGEGRID_B64_MAX). */
int edgegrid_signing_key(const char *secret, const char *timestamp, char *out);

/* The request's signature into out (EDGEGRID_B64_MAX); 0 or -1. */
int edgegrid_sign(const char *secret, const char *timestamp, const struct edgegrid_request *req,
                  char *out);

/* Compares two signatures in time independent of where they differ. */
bool edgegrid_signature_equal(const char *a, const char *b);

#endif
