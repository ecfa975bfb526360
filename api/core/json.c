#include "api/core/json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/core/call.h"

/* Recursion is bounded: past depth 64 the body counts as malformed. */
static bool has_duplicate_members(const cJSON *node, int depth) /* NOLINT(misc-no-recursion) */
{
	if (depth > 64)
		return true;
	for (const cJSON *a = node ? node->child : NULL; a; a = a->next) {
		if (cJSON_IsObject(node) && a->string)
			for (const cJSON *b = a->next; b; b = b->next)
				if (b->string && strcmp(a->string, b->string) == 0)
					return true;
		if (has_duplicate_members(a, depth + 1))
			return true;
	}
	return false;
}

/*
 * cJSON strings end at their first NUL, so a string holding one (raw or
 * written \u0000) would be read cut short: "a\u0000b" as the valid name "a".
 * Such bodies count as malformed. A backslash outside a string is a syntax
 * error anyway, so escapes need no string tracking.
 */
static bool has_nul(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0')
			return true;
		if (s[i] == '\\' && i + 1 < len) {
			if (s[i + 1] == 'u' && len - i >= 6 && memcmp(s + i + 2, "0000", 4) == 0)
				return true;
			i++;
		}
	}
	return false;
}

cJSON *require_json_object(struct api_call *c, bool empty_ok)
{
	const struct api_request *req = c->req;
	const char *end = NULL;
	cJSON *root;

	if (req->body_len == 0 && empty_ok)
		return cJSON_CreateObject();
	root = has_nul(req->body, req->body_len)
	               ? NULL
	               : cJSON_ParseWithLengthOpts(req->body, req->body_len, &end, 0);
	if (root) {
		/* Only white space may follow the value. */
		for (; end < req->body + req->body_len; end++) {
			if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
				cJSON_Delete(root);
				root = NULL;
				break;
			}
		}
	}
	if (!root || has_duplicate_members(root, 0)) {
		cJSON_Delete(root);
		reply_problem(c, EKV_JSON_SYNTAX);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		reply_problem(c, EKV_BODY_NOT_OBJECT);
		return NULL;
	}
	return root;
}

bool require_known_fields(struct api_call *c, const cJSON *obj, const char *const *allowed)
{
	for (const cJSON *m = obj->child; m; m = m->next) {
		const char *const *a = allowed;

		while (*a && strcmp(*a, m->string) != 0)
			a++;
		if (!*a) {
			reply_problem(c, EKV_FIELD_UNKNOWN, m->string);
			return false;
		}
	}
	return true;
}

static void set_present(bool *present, bool value)
{
	if (present)
		*present = value;
}

/* Parses an optionally signed run of decimal digits into *out; false on anything else. */
static bool parse_decimal(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool require_int(struct api_call *c, const cJSON *obj, const char *name, int64_t min, int64_t max,
                 enum ekv_error err, int64_t *out, bool *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	int64_t n;

	set_present(present, v != NULL && !cJSON_IsNull(v));
	if (!v || cJSON_IsNull(v))
		return true;
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d != floor(d) || d < -9.0e15 || d > 9.0e15)
			goto bad;
		n = (int64_t)d;
	} else if (!cJSON_IsString(v) || !parse_decimal(v->valuestring, &n)) {
		goto bad;
	}
	if (n < min || n > max)
		goto bad;
	*out = n;
	return true;
bad:
	reply_problem(c, err, name);
	return false;
}

bool require_bool(struct api_call *c, const cJSON *obj, const char *name, enum ekv_error err,
                  bool *out, bool *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	set_present(present, v != NULL && !cJSON_IsNull(v));
	if (!v || cJSON_IsNull(v))
		return true;
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v);
		return true;
	}
	if (cJSON_IsString(v) &&
	    (strcmp(v->valuestring, "true") == 0 || strcmp(v->valuestring, "false") == 0)) {
		*out = v->valuestring[0] == 't';
		return true;
	}
	reply_problem(c, err, name);
	return false;
}

bool require_string(struct api_call *c, const cJSON *obj, const char *name, enum ekv_error err,
                    const char **out, bool *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	set_present(present, v != NULL && !cJSON_IsNull(v));
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsString(v)) {
		reply_problem(c, err, name);
		return false;
	}
	*out = v->valuestring;
	return true;
}
