/*
 * Request body and query validators (api/core/json.c, query_param in api/api.c),
 * driven through a hand-built struct api_call + api_response: each refusal
 * must write its catalogue problem.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/core/call.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "tests/unit/unit.h"

struct fake {
	struct api_request req;
	struct api_response res;
	struct api_call c;
};

static struct fake *fake_new(const char *body, size_t len)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->req.method = HTTP_POST;
	f->req.target = "/edgekv/v1/networks/staging/namespaces";
	f->req.body = body;
	f->req.body_len = len;
	f->req.request_id = "00000000deadbeef";
	api_response_init(&f->res);
	f->c.req = &f->req;
	f->c.res = &f->res;
	f->c.query = "";
	return f;
}

static struct fake *fake_body(const char *body)
{
	return fake_new(body, strlen(body));
}

static void fake_free(struct fake *f)
{
	api_response_release(&f->res);
	free(f);
}

/* Nothing was written: the response is still as api_response_init left it. */
static void assert_no_reply(const struct fake *f)
{
	assert_int_equal(f->res.status, 500);
	assert_int_equal(f->res.body.len, 0);
	assert_string_equal(f->res.content_type, "");
}

/* The response is the catalogue problem err, with this detail. */
static void assert_problem(const struct fake *f, enum ekv_error err, const char *detail)
{
	const struct ekv_error_row *row = problem_row(err);
	cJSON *body = cJSON_ParseWithLength(f->res.body.ptr, f->res.body.len);

	assert_non_null(body);
	assert_int_equal(f->res.status, row->status);
	assert_string_equal(f->res.content_type, "application/problem+json");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(body, "status")->valueint, row->status);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "errorCode")->valuestring,
	                    row->code);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "detail")->valuestring, detail);
	assert_string_equal(
	        cJSON_GetObjectItemCaseSensitive(
	                cJSON_GetObjectItemCaseSensitive(body, "additionalDetail"), "requestId")
	                ->valuestring,
	        "00000000deadbeef");
	cJSON_Delete(body);
}

#define SYNTAX     "The JSON request body contained a syntax error or duplicate attributes."
#define NOT_OBJECT "The request body must be a JSON object."

/* require_json_object on body must refuse it with err. */
static void refuse_body(const char *body, size_t len, bool empty_ok, enum ekv_error err)
{
	struct fake *f = fake_new(body, len);

	if (require_json_object(&f->c, empty_ok) != NULL)
		fail_msg("accepted body '%.*s'", (int)len, body);
	assert_problem(f, err, err == EKV_JSON_SYNTAX ? SYNTAX : NOT_OBJECT);
	fake_free(f);
}

static void refuse(const char *body, enum ekv_error err)
{
	refuse_body(body, strlen(body), false, err);
	refuse_body(body, strlen(body), true, err);
}

/* require_json_object on body must give an object of n members. */
static void accept(const char *body, int n)
{
	struct fake *f = fake_body(body);
	cJSON *obj = require_json_object(&f->c, false);

	if (!obj)
		fail_msg("refused body '%s': %s", body, f->res.body.ptr);
	assert_true(cJSON_IsObject(obj));
	assert_int_equal(cJSON_GetArraySize(obj), n);
	assert_no_reply(f);
	cJSON_Delete(obj);
	fake_free(f);
}

static void empty_body_is_an_empty_object_only_when_allowed(void **state)
{
	struct fake *f = fake_new(NULL, 0);
	cJSON *obj;

	(void)state;
	obj = require_json_object(&f->c, true);
	assert_non_null(obj);
	assert_true(cJSON_IsObject(obj));
	assert_int_equal(cJSON_GetArraySize(obj), 0);
	assert_no_reply(f);
	cJSON_Delete(obj);
	fake_free(f);

	refuse_body("", 0, false, EKV_JSON_SYNTAX);
}

static void whitespace_only_is_a_syntax_error(void **state)
{
	(void)state;
	refuse(" ", EKV_JSON_SYNTAX);
	refuse("\r\n\t ", EKV_JSON_SYNTAX);
}

static void an_object_with_white_space_around_is_accepted(void **state)
{
	(void)state;
	accept("{}", 0);
	accept(" \t\r\n{ \"a\" : 1 } \r\n\t", 1);
	accept("{\"namespace\":\"ns1\",\"retentionInSeconds\":86400,\"groupId\":\"0\"}", 3);
	accept("{\"a\":{\"a\":1},\"b\":{\"a\":2},\"c\":[{\"a\":1},{\"a\":1}]}", 3);
	/* An escaped backslash before "u0000" is no NUL. */
	accept("{\"a\":\"\\\\u0000\"}", 1);
}

static void a_nul_inside_a_string_is_a_syntax_error(void **state)
{
	(void)state;
	/* cJSON would cut "a\u0000b" to the valid name "a". */
	refuse("{\"namespace\":\"a\\u0000b\",\"retentionInSeconds\":0}", EKV_JSON_SYNTAX);
	refuse("{\"a\":\"\\u0000\"}", EKV_JSON_SYNTAX);
	refuse("{\"a\\u0000b\":1}", EKV_JSON_SYNTAX);
	refuse_body("{\"a\":\"x\0y\"}", 11, true, EKV_JSON_SYNTAX);
}

static void trailing_garbage_is_a_syntax_error(void **state)
{
	(void)state;
	refuse("{} x", EKV_JSON_SYNTAX);
	refuse("{\"a\":1}{}", EKV_JSON_SYNTAX);
	refuse("{\"a\":1},", EKV_JSON_SYNTAX);
	refuse("{}\v", EKV_JSON_SYNTAX);
	/* The length, not a NUL, ends the body: a NUL after the object is garbage. */
	refuse_body("{}\0", 3, false, EKV_JSON_SYNTAX);
	refuse_body("{}\0{}", 5, true, EKV_JSON_SYNTAX);
}

static void malformed_json_is_a_syntax_error(void **state)
{
	(void)state;
	refuse("{", EKV_JSON_SYNTAX);
	refuse("}", EKV_JSON_SYNTAX);
	refuse("{'a':1}", EKV_JSON_SYNTAX);
	refuse("{a:1}", EKV_JSON_SYNTAX);
	refuse("{\"a\":1,}", EKV_JSON_SYNTAX);
	refuse("{\"a\" 1}", EKV_JSON_SYNTAX);
	refuse("{\"a\":tru}", EKV_JSON_SYNTAX);
	refuse("{\"a\":\"unterminated}", EKV_JSON_SYNTAX);
	/* A body cut short (its length ends before the closing brace). */
	refuse_body("{\"a\":1}", 6, false, EKV_JSON_SYNTAX);
}

static void duplicate_member_names_at_any_depth_are_a_syntax_error(void **state)
{
	(void)state;
	refuse("{\"a\":1,\"a\":1}", EKV_JSON_SYNTAX);
	refuse("{\"a\":1,\"b\":2,\"a\":3}", EKV_JSON_SYNTAX);
	refuse("{\"x\":{\"b\":1,\"b\":2}}", EKV_JSON_SYNTAX);
	refuse("{\"x\":[1,{\"c\":1,\"c\":true}]}", EKV_JSON_SYNTAX);
	refuse("{\"x\":{\"y\":{\"z\":{\"d\":null,\"d\":null}}}}", EKV_JSON_SYNTAX);
	/* Names are compared byte for byte. */
	accept("{\"a\":1,\"A\":1}", 2);
}

/* {"a": [[[…]]]} with depth arrays. */
static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 16);
	size_t n = 0;

	assert_non_null(s);
	n += (size_t)sprintf(s, "{\"a\":");
	for (int i = 0; i < depth; i++)
		s[n++] = '[';
	for (int i = 0; i < depth; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

static void deep_nesting_is_bounded(void **state)
{
	char *s;

	(void)state;
	s = nested(50);
	accept(s, 1);
	free(s);
	s = nested(200);
	refuse(s, EKV_JSON_SYNTAX);
	free(s);
	s = nested(5000); /* past cJSON's own nesting limit */
	refuse(s, EKV_JSON_SYNTAX);
	free(s);
}

static void a_value_that_is_not_an_object_is_a_bad_request(void **state)
{
	(void)state;
	refuse("[]", EKV_BODY_NOT_OBJECT);
	refuse("[{}]", EKV_BODY_NOT_OBJECT);
	refuse("\"\"", EKV_BODY_NOT_OBJECT); /* what the CLI sends with GET and DELETE */
	refuse("1", EKV_BODY_NOT_OBJECT);
	refuse("null", EKV_BODY_NOT_OBJECT);
	refuse("true", EKV_BODY_NOT_OBJECT);
	refuse(" \"x\" ", EKV_BODY_NOT_OBJECT);
	/* Duplicates are found first, even inside an array. */
	refuse("[{\"a\":1,\"a\":2}]", EKV_JSON_SYNTAX);
}

/* Parses a known-good object for the member validators. */
static cJSON *parse_obj(const char *json)
{
	cJSON *o = cJSON_Parse(json);

	assert_non_null(o);
	return o;
}

static void unknown_fields_are_refused_by_name(void **state)
{
	static const char *const allowed[] = {"namespace", "retentionInSeconds", NULL};
	static const char *const none[] = {NULL};
	struct fake *f = fake_body("");
	cJSON *o = parse_obj("{\"namespace\":\"a\",\"retentionInSeconds\":1}");

	(void)state;
	assert_true(require_known_fields(&f->c, o, allowed));
	assert_no_reply(f);
	cJSON_Delete(o);
	o = parse_obj("{}");
	assert_true(require_known_fields(&f->c, o, none));
	cJSON_Delete(o);

	o = parse_obj("{\"namespace\":\"a\",\"Namespace\":\"b\"}");
	assert_false(require_known_fields(&f->c, o, allowed));
	assert_problem(f, EKV_FIELD_UNKNOWN, "Unrecognized field 'Namespace'.");
	cJSON_Delete(o);
	fake_free(f);
}

/* require_int on member "n" of json with [min, max]; *ok tells whether it was accepted. */
static int64_t int_of(const char *json, int64_t min, int64_t max, bool *ok, bool *present)
{
	struct fake *f = fake_body("");
	cJSON *o = parse_obj(json);
	int64_t out = -12345;

	*ok = require_int(&f->c, o, "n", min, max, EKV_FIELD_INVALID, &out, present);
	if (*ok)
		assert_no_reply(f);
	else
		assert_problem(f, EKV_FIELD_INVALID, "The value of 'n' is not valid.");
	cJSON_Delete(o);
	fake_free(f);
	return out;
}

static int64_t int_ok(const char *json)
{
	bool ok = false, present = false;
	int64_t v = int_of(json, INT64_MIN, INT64_MAX, &ok, &present);

	if (!ok || !present)
		fail_msg("require_int refused %s", json);
	return v;
}

static void int_bad(const char *json, int64_t min, int64_t max)
{
	bool ok = true, present = false;

	int_of(json, min, max, &ok, &present);
	if (ok)
		fail_msg("require_int accepted %s", json);
	assert_true(present);
}

static void integers_as_numbers_or_digit_strings(void **state)
{
	bool ok = false, present = true;

	(void)state;
	assert_int_equal(int_ok("{\"n\":86400}"), 86400);
	assert_int_equal(int_ok("{\"n\":0}"), 0);
	assert_int_equal(int_ok("{\"n\":-7}"), -7);
	assert_int_equal(int_ok("{\"n\":1e3}"), 1000);
	assert_int_equal(int_ok("{\"n\":2.0}"), 2);
	assert_int_equal(int_ok("{\"n\":\"4284\"}"), 4284); /* the CLI's groupId */
	assert_int_equal(int_ok("{\"n\":\"0\"}"), 0);
	assert_int_equal(int_ok("{\"n\":\"-15\"}"), -15);
	assert_int_equal(int_ok("{\"n\":\"007\"}"), 7);
	assert_int_equal(int_ok("{\"n\":9000000000000000}"), 9000000000000000LL);
	assert_int_equal(int_ok("{\"n\":\"9223372036854775807\"}"), INT64_MAX);

	/* Absent and null: accepted, not present, out untouched. */
	assert_int_equal(int_of("{}", 0, 10, &ok, &present), -12345);
	assert_true(ok);
	assert_false(present);
	present = true;
	assert_int_equal(int_of("{\"n\":null}", 0, 10, &ok, &present), -12345);
	assert_true(ok);
	assert_false(present);
	assert_int_equal(int_of("{\"m\":1}", 0, 10, &ok, NULL), -12345);
	assert_true(ok);
}

static void integers_refuse_fractions_types_and_junk(void **state)
{
	(void)state;
	int_bad("{\"n\":1.5}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":-0.001}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":1e300}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":-1e300}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":9007199254740993}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":true}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":[1]}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":{}}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\" 1\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"1 \"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"+1\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"-\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"1.0\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"1e3\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"0x10\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"12abc\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"99999999999999999999\"}", INT64_MIN, INT64_MAX);
	int_bad("{\"n\":\"-99999999999999999999\"}", INT64_MIN, INT64_MAX);
}

static void integers_are_checked_against_the_range(void **state)
{
	bool ok = false;

	(void)state;
	assert_int_equal(int_of("{\"n\":0}", 0, 10, &ok, NULL), 0);
	assert_true(ok);
	assert_int_equal(int_of("{\"n\":10}", 0, 10, &ok, NULL), 10);
	assert_true(ok);
	int_bad("{\"n\":-1}", 0, 10);
	int_bad("{\"n\":11}", 0, 10);
	int_bad("{\"n\":\"-1\"}", 0, INT64_MAX); /* groupId must be 0 or more */
	int_bad("{\"n\":\"11\"}", 0, 10);
}

/* require_bool on member "b" of json. */
static void bool_of(const char *json, bool want_ok, bool want_value, bool want_present)
{
	struct fake *f = fake_body("");
	cJSON *o = parse_obj(json);
	bool out = !want_value, present = !want_present;
	bool ok = require_bool(&f->c, o, "b", EKV_POLICY_INVALID, &out, &present);

	if (ok != want_ok)
		fail_msg("require_bool %s %s", ok ? "accepted" : "refused", json);
	if (ok) {
		assert_no_reply(f);
		assert_int_equal(present, want_present);
		if (present)
			assert_int_equal(out, want_value);
	} else {
		assert_problem(f, EKV_POLICY_INVALID, problem_row(EKV_POLICY_INVALID)->detail);
	}
	cJSON_Delete(o);
	fake_free(f);
}

static void booleans_as_literals_or_strings(void **state)
{
	(void)state;
	bool_of("{\"b\":true}", true, true, true);
	bool_of("{\"b\":false}", true, false, true);
	bool_of("{\"b\":\"true\"}", true, true, true); /* Postman, docs/clients.md §6.3 */
	bool_of("{\"b\":\"false\"}", true, false, true);
	bool_of("{}", true, false, false);
	bool_of("{\"b\":null}", true, false, false);
	bool_of("{\"b\":\"TRUE\"}", false, false, true);
	bool_of("{\"b\":\"True\"}", false, false, true);
	bool_of("{\"b\":\"yes\"}", false, false, true);
	bool_of("{\"b\":\"\"}", false, false, true);
	bool_of("{\"b\":\"true \"}", false, false, true);
	bool_of("{\"b\":1}", false, false, true);
	bool_of("{\"b\":0}", false, false, true);
	bool_of("{\"b\":[]}", false, false, true);
	bool_of("{\"b\":{}}", false, false, true);
}

static void strings_are_borrowed_from_the_tree(void **state)
{
	struct fake *f = fake_body("");
	cJSON *o = parse_obj("{\"s\":\"hello\",\"n\":1,\"z\":null}");
	const char *out = NULL;
	bool present = false;

	(void)state;
	assert_true(require_string(&f->c, o, "s", EKV_NAME_INVALID, &out, &present));
	assert_true(present);
	assert_ptr_equal(out, cJSON_GetObjectItemCaseSensitive(o, "s")->valuestring);
	assert_true(require_string(&f->c, o, "z", EKV_NAME_INVALID, &out, &present));
	assert_false(present);
	assert_true(require_string(&f->c, o, "absent", EKV_NAME_INVALID, &out, NULL));
	assert_no_reply(f);
	assert_false(require_string(&f->c, o, "n", EKV_NAME_INVALID, &out, &present));
	assert_true(present);
	assert_problem(f, EKV_NAME_INVALID, "Name contains invalid characters.");
	cJSON_Delete(o);
	fake_free(f);
}

/* query_param on c->query. */
static const char *query(const char *q, const char *name, size_t size)
{
	static char out[256];
	struct fake *f = fake_body("");
	bool found;

	assert_true(size <= sizeof(out));
	f->c.query = q;
	memset(out, '#', sizeof(out));
	found = query_param(&f->c, name, out, size);
	assert_no_reply(f);
	fake_free(f);
	return found ? out : NULL;
}

static void query_parameters_by_exact_name(void **state)
{
	(void)state;
	assert_string_equal(query("details=on", "details", 64), "on");
	assert_string_equal(query("a=1&details=true&b=2", "details", 64), "true");
	assert_string_equal(query("a=1&b=2", "b", 64), "2");
	assert_string_equal(query("sync=true&sync=false", "sync", 64), "true"); /* first wins */
	assert_string_equal(query("details", "details", 64), "");
	assert_string_equal(query("details=", "details", 64), "");
	assert_string_equal(query("x=a=b", "x", 64), "a=b");
	assert_string_equal(query("&&x=1&", "x", 64), "1");
	assert_null(query("", "details", 64));
	assert_null(query("detail=on", "details", 64));
	assert_null(query("detailsx=on", "details", 64));
	assert_null(query("Details=on", "details", 64));
	assert_null(query("=on", "details", 64));
	/* accountSwitchKey arrives unencoded (docs/clients.md §2). */
	assert_string_equal(
	        query("details=true&accountSwitchKey=1-ABCDE:1-FGHIJ", "accountSwitchKey", 64),
	        "1-ABCDE:1-FGHIJ");
}

static void query_values_are_percent_decoded_and_cut_to_size(void **state)
{
	(void)state;
	assert_string_equal(query("sandboxId=a%2Db%5fc", "sandboxId", 64), "a-b_c");
	assert_string_equal(query("q=a+b%20c", "q", 64), "a b c");
	assert_string_equal(query("q=%2B", "q", 64), "+");
	assert_string_equal(query("q=%26x%3D", "q", 64), "&x=");
	assert_string_equal(query("q=%zz%4", "q", 64), "%zz%4");
	assert_string_equal(query("q=%", "q", 64), "%");
	assert_string_equal(query("q=%4", "q", 64), "%4");
	assert_string_equal(query("q=%41&r=1", "q", 64), "A");
	/* %00 stays as it is: a NUL would cut the value into another. */
	assert_string_equal(query("sync=true%00x", "sync", 64), "true%00x");
	assert_string_equal(query("q=%00", "q", 64), "%00");
	/* The name itself is not decoded. */
	assert_null(query("%71=1", "q", 64));
	/* size counts the NUL. */
	assert_string_equal(query("maxItems=123456", "maxItems", 4), "123");
	assert_string_equal(query("maxItems=123456", "maxItems", 1), "");
	assert_string_equal(query("q=%41%42%43", "q", 3), "AB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("an empty body is an empty object only where empty bodies are allowed",
	             empty_body_is_an_empty_object_only_when_allowed),
	        TEST("a body of white space only is a 422 syntax error",
	             whitespace_only_is_a_syntax_error),
	        TEST("an object with white space around it is accepted",
	             an_object_with_white_space_around_is_accepted),
	        TEST("a NUL inside a string, raw or escaped, is a 422 syntax error",
	             a_nul_inside_a_string_is_a_syntax_error),
	        TEST("anything but white space after the object is a 422 syntax error",
	             trailing_garbage_is_a_syntax_error),
	        TEST("malformed JSON is a 422 syntax error", malformed_json_is_a_syntax_error),
	        TEST("duplicate member names at any depth are a 422 syntax error",
	             duplicate_member_names_at_any_depth_are_a_syntax_error),
	        TEST("deep nesting is bounded", deep_nesting_is_bounded),
	        TEST("a JSON value that is not an object is a 400 bad request",
	             a_value_that_is_not_an_object_is_a_bad_request),
	        TEST("unknown fields are refused by name", unknown_fields_are_refused_by_name),
	        TEST("integers come as numbers or strings of digits",
	             integers_as_numbers_or_digit_strings),
	        TEST("integers refuse fractions, other types and junk",
	             integers_refuse_fractions_types_and_junk),
	        TEST("integers are checked against the range",
	             integers_are_checked_against_the_range),
	        TEST("booleans come as true/false or the strings \"true\"/\"false\"",
	             booleans_as_literals_or_strings),
	        TEST("strings are borrowed from the tree; other types are refused",
	             strings_are_borrowed_from_the_tree),
	        TEST("query parameters are found by exact name, the first one winning",
	             query_parameters_by_exact_name),
	        TEST("query values are percent-decoded and cut to the buffer",
	             query_values_are_percent_decoded_and_cut_to_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
