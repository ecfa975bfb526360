#include "server/gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
/* next_in is then const: no cast drops the qualifier of the caller's bytes. */
#define ZLIB_CONST
#include <zlib.h>

#include "api/api.h"
#include "base/log.h"
#include "base/xalloc.h"

/* zlib's windowBits: 15 for the largest window, +16 for the gzip wrapper. */
#define GZIP_WINDOW (15 + 16)

/* Whether the q parameter of one list entry (params: from just after its token) is above zero. */
static bool q_positive(const char *params, const char *end)
{
	for (const char *q = params; q + 1 < end; q++) {
		if ((q[0] != 'q' && q[0] != 'Q') || q[1] != '=' || q == params ||
		    (q[-1] != ';' && q[-1] != ' ' && q[-1] != '\t'))
			continue;
		/* "0", "0.", "0.000": zero; anything else is positive. */
		for (q += 2; q < end && (*q == '0' || *q == '.'); q++)
			;
		return q < end && *q >= '1' && *q <= '9';
	}
	return true;
}

static bool token_is(const char *s, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(s, want, len) == 0;
}

bool gzip_accepted(const char *accept_encoding)
{
	int gzip = -1, any = -1; /* -1: not listed, else whether its q is above 0 */
	const char *p = accept_encoding;

	while (p && *p) {
		const char *end = strchr(p, ','), *tok, *tok_end;

		if (!end)
			end = p + strlen(p);
		for (tok = p; tok < end && (*tok == ' ' || *tok == '\t'); tok++)
			;
		for (tok_end = tok;
		     tok_end < end && *tok_end != ';' && *tok_end != ' ' && *tok_end != '\t';
		     tok_end++)
			;
		if (token_is(tok, (size_t)(tok_end - tok), "gzip") ||
		    token_is(tok, (size_t)(tok_end - tok), "x-gzip"))
			gzip = q_positive(tok_end, end);
		else if (token_is(tok, (size_t)(tok_end - tok), "*"))
			any = q_positive(tok_end, end);
		p = *end ? end + 1 : end;
	}
	return gzip >= 0 ? gzip == 1 : any == 1;
}

int gzip_encode(const void *in, size_t len, struct buf *out)
{
	z_stream zs;
	unsigned char *coded;
	uLong bound;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (len > (size_t)UINT32_MAX || deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	                                             GZIP_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		log_error("gzip: cannot start a %zu-byte body", len);
		return -1;
	}
	/* deflateBound() is an upper bound: one call codes the whole member. */
	bound = deflateBound(&zs, (uLong)len);
	coded = xmalloc(bound);
	zs.next_in = (const Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = coded;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	if (rc == Z_STREAM_END)
		buf_add(out, coded, zs.total_out);
	else
		log_error("gzip: deflate failed (%d)", rc);
	deflateEnd(&zs);
	free(coded);
	return rc == Z_STREAM_END ? 0 : -1;
}

struct gunzip {
	z_stream zs;
	bool failed;
	bool at_end; /* the last byte fed ended a member */
};

struct gunzip *gunzip_new(void)
{
	struct gunzip *z = xcalloc(1, sizeof(*z));

	if (inflateInit2(&z->zs, GZIP_WINDOW) != Z_OK) {
		log_error("gzip: cannot start a decoder");
		z->failed = true;
	}
	return z;
}

void gunzip_free(struct gunzip *z)
{
	if (!z)
		return;
	inflateEnd(&z->zs);
	free(z);
}

int gunzip_feed(struct gunzip *z, const void *in, size_t len, struct buf *out)
{
	unsigned char chunk[16384];

	if (z->failed || len > (size_t)UINT32_MAX)
		return -1;
	z->zs.next_in = (const Bytef *)in;
	z->zs.avail_in = (uInt)len;
	/* Until the input is used up and the last call did not fill the chunk. */
	do {
		int rc;

		z->zs.next_out = chunk;
		z->zs.avail_out = sizeof(chunk);
		rc = inflate(&z->zs, Z_NO_FLUSH);
		buf_add(out, chunk, sizeof(chunk) - z->zs.avail_out);
		if (rc == Z_STREAM_END) {
			z->at_end = true;
			/* Another member follows (gzip -c a b > ab). */
			if (z->zs.avail_in > 0 && inflateReset(&z->zs) != Z_OK)
				z->failed = true;
		} else if (rc == Z_OK) {
			z->at_end = false;
		} else if (rc == Z_BUF_ERROR) {
			break; /* no progress possible: needs more input */
		} else {
			z->failed = true;
		}
		if (z->failed)
			return -1;
	} while (z->zs.avail_in > 0 || z->zs.avail_out == 0);
	return 0;
}

bool gunzip_done(const struct gunzip *z)
{
	return !z->failed && z->at_end;
}

bool gzip_reply(const struct api_request *req, struct api_response *out)
{
	struct buf coded = BUF_INIT;

	if (!out->compressible || !gzip_accepted(api_request_header(req, "Accept-Encoding")))
		return false;
	if (gzip_encode(out->body.ptr, out->body.len, &coded) != 0) {
		buf_release(&coded);
		return false; /* logged; the plain body goes out */
	}
	buf_release(&out->body);
	out->body = coded;
	return true;
}
