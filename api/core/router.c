#include "api/core/router.h"

#include <string.h>

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes src[0..len) into dst (which has room for len + 1); returns the length. */
static size_t decode_segment(char *dst, const char *src, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (src[i] == '%' && i + 2 < len && (hi = hex(src[i + 1])) >= 0 &&
		    (lo = hex(src[i + 2])) >= 0) {
			dst[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			dst[n++] = src[i];
		}
	}
	dst[n] = '\0';
	return n;
}

/* The end of the segment at s: the next '/' or the end (pattern: its NUL, path: end). */
static const char *pattern_segment_end(const char *p)
{
	while (*p && *p != '/')
		p++;
	return p;
}

static const char *path_segment_end(const char *s, const char *end)
{
	while (s < end && *s != '/')
		s++;
	return s;
}

/*
 * Does the path match pattern? Fills params, partly when it does not. Walks
 * both byte by byte and stops at the first difference: a request tries every
 * row before its own, and most differ within a few bytes.
 */
static bool match_row(const char *pattern, const char *path, size_t path_len,
                      struct route_params *params)
{
	const char *p = pattern, *s = path, *end = path + path_len;
	const char *raw[ROUTE_PARAMS];
	size_t used = 0;

	params->count = 0;
	while (*p && s < end) {
		const char *pseg_end;

		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		pseg_end = *p == '{' ? pattern_segment_end(p) : NULL;
		if (pseg_end && pseg_end - p >= 2 && pseg_end[-1] == '}') {
			const char *sseg_end = path_segment_end(s, end);

			if (sseg_end == s || params->count == ROUTE_PARAMS)
				return false;
			params->name[params->count] = p + 1;
			params->name_len[params->count] = (size_t)(pseg_end - p) - 2;
			raw[params->count] = s;
			params->value_len[params->count++] = (size_t)(sseg_end - s);
			p = pseg_end;
			s = sseg_end;
			continue;
		}
		while (*p && *p != '/' && s < end && *s == *p) {
			p++;
			s++;
		}
		if ((*p && *p != '/') || (s < end && *s != '/'))
			return false; /* the segments differ */
	}
	if (*p != '\0' || s != end)
		return false;
	/* Decoded only once the whole path matched: most rows tried do not. */
	for (size_t i = 0; i < params->count; i++) {
		if (used + params->value_len[i] + 1 > sizeof(params->buf))
			return false;
		params->value[i] = params->buf + used;
		params->value_len[i] =
		        decode_segment(params->buf + used, raw[i], params->value_len[i]);
		used += params->value_len[i] + 1;
	}
	return true;
}

/* Does the path match pattern? Fills params; on false, params->count is 0. */
static bool match(const char *pattern, const char *path, size_t path_len,
                  struct route_params *params)
{
	if (match_row(pattern, path, path_len, params))
		return true;
	params->count = 0; /* nothing of a row that did not match */
	return false;
}

enum route_result route_match(const struct route *table, size_t n, enum http_method method,
                              const char *path, size_t path_len, const struct route **out,
                              struct route_params *params, unsigned *allow)
{
	enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;

	*allow = 0;
	if (path_len >= ROUTE_PATH_MAX)
		return ROUTE_TOO_LONG;
	/* The rows of the request's method first: comparing a method is cheaper than a path. */
	for (size_t i = 0; i < n; i++) {
		if (table[i].method == want && match(table[i].pattern, path, path_len, params)) {
			*out = &table[i];
			return ROUTE_FOUND;
		}
	}
	/* None: the methods the path does accept, for a 405's Allow, or none: a 404 (both rare). */
	for (size_t i = 0; i < n; i++) {
		if (!match(table[i].pattern, path, path_len, params))
			continue;
		*allow |= 1u << table[i].method;
		if (table[i].method == HTTP_GET)
			*allow |= 1u << HTTP_HEAD;
	}
	params->count = 0;
	return *allow ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}

static size_t param_index(const struct route_params *params, const char *name)
{
	size_t len = strlen(name), i;

	for (i = 0; i < params->count; i++)
		if (params->name_len[i] == len && memcmp(params->name[i], name, len) == 0)
			break;
	return i;
}

const char *route_param(const struct route_params *params, const char *name)
{
	size_t i = param_index(params, name);

	return i < params->count ? params->value[i] : NULL;
}

size_t route_param_len(const struct route_params *params, const char *name)
{
	size_t i = param_index(params, name);

	return i < params->count ? params->value_len[i] : 0;
}
