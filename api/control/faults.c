/*
 * /_emulator/faults: injected latency and statuses (docs/control-api.md
 * "Faults"); the rules themselves and their matching are api/state/faults.c.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/state/faults.h"

static cJSON *rule_json(const struct fault_rule *r)
{
	cJSON *o = cJSON_CreateObject(), *lat;

	cJSON_AddNumberToObject(o, "id", (double)r->id);
	cJSON_AddStringToObject(o, "account", r->account[0] ? r->account : "*");
	if (r->route[0])
		cJSON_AddStringToObject(o, "route", r->route);
	if (r->path_prefix[0])
		cJSON_AddStringToObject(o, "pathPrefix", r->path_prefix);
	if (r->method != HTTP_METHOD_COUNT)
		cJSON_AddStringToObject(o, "method", http_method_name((enum http_method)r->method));
	if (r->network != FAULT_NETWORK_ANY)
		cJSON_AddStringToObject(o, "network", network_name((enum network)r->network));
	if (r->namespace[0])
		cJSON_AddStringToObject(o, "namespace", r->namespace);
	lat = cJSON_AddObjectToObject(o, "latencyMs");
	cJSON_AddNumberToObject(lat, "min", (double)r->latency_min_ms);
	cJSON_AddNumberToObject(lat, "max", (double)r->latency_max_ms);
	cJSON_AddNumberToObject(o, "status", r->status);
	cJSON_AddNumberToObject(o, "failFirst", (double)r->fail_first);
	cJSON_AddNumberToObject(o, "probability", r->probability);
	cJSON_AddNumberToObject(o, "seed", (double)r->seed);
	cJSON_AddNumberToObject(o, "matched", (double)r->matched);
	cJSON_AddNumberToObject(o, "fired", (double)r->fired);
	return o;
}

static void add_rule(void *ctx, const struct fault_rule *r)
{
	cJSON_AddItemToArray(ctx, rule_json(r));
}

/* GET /_emulator/faults */
void control_faults_list(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();

	faults_each(c->api->faults, add_rule, cJSON_AddArrayToObject(root, "faults"));
	reply_json_steal(c, 200, root);
}

static bool copy_field(struct api_call *c, const cJSON *body, const char *name, char *out,
                       size_t size)
{
	const char *v = NULL;
	bool present = false;

	if (!require_string(c, body, name, EKV_FIELD_INVALID, &v, &present))
		return false;
	if (present && strlen(v) >= size) {
		reply_problem(c, EKV_FIELD_INVALID, name);
		return false;
	}
	if (present)
		snprintf(out, size, "%s", v);
	return true;
}

/* "latencyMs": N or {"min": N, "max": N}. */
static bool require_latency(struct api_call *c, const cJSON *body, struct fault_rule *r)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "latencyMs");
	bool ok = true, present = false;

	if (!v)
		return true;
	if (cJSON_IsObject(v))
		ok = require_int(c, v, "min", 0, 600000, EKV_FIELD_INVALID, &r->latency_min_ms,
		                 NULL) &&
		     require_int(c, v, "max", 0, 600000, EKV_FIELD_INVALID, &r->latency_max_ms,
		                 &present);
	else
		ok = require_int(c, body, "latencyMs", 0, 600000, EKV_FIELD_INVALID,
		                 &r->latency_min_ms, NULL);
	if (!ok)
		return false;
	if (!present)
		r->latency_max_ms = r->latency_min_ms;
	if (r->latency_max_ms < r->latency_min_ms) {
		reply_problem(c, EKV_FIELD_INVALID, "latencyMs");
		return false;
	}
	return true;
}

/* The members of a rule's body read before their values are checked. */
struct rule_body {
	const char *method, *network;
	bool has_method, has_network;
	int64_t status, seed;
};

/*
 * Reads a POST body's members into r and *b, checking types and ranges. A
 * rule without "account" is for ?account= (api/control/account.c), else
 * for the default account; "*" is every account.
 */
static bool read_rule(struct api_call *c, const cJSON *body, struct fault_rule *r,
                      struct rule_body *b)
{
	static const char *const fields[] = {"account",   "route",       "pathPrefix", "method",
	                                     "network",   "namespace",   "latencyMs",  "status",
	                                     "failFirst", "probability", "seed",       "hits",
	                                     "limit",     NULL};
	const char *account = NULL;
	bool has_account = false;

	if (!require_known_fields(c, body, fields) ||
	    !copy_field(c, body, "route", r->route, sizeof(r->route)) ||
	    !copy_field(c, body, "pathPrefix", r->path_prefix, sizeof(r->path_prefix)) ||
	    !copy_field(c, body, "namespace", r->namespace, sizeof(r->namespace)) ||
	    !require_string(c, body, "account", EKV_FIELD_INVALID, &account, &has_account))
		return false;
	if (has_account && strcmp(account, "*") != 0 &&
	    !copy_field(c, body, "account", r->account, sizeof(r->account)))
		return false;
	if (!has_account)
		snprintf(r->account, sizeof(r->account), "%s",
		         c->account.id[0] ? c->account.id : c->api->config.default_account);
	if (strcmp(r->account, "*") == 0)
		r->account[0] = '\0';
	return require_string(c, body, "method", EKV_FIELD_INVALID, &b->method, &b->has_method) &&
	       require_string(c, body, "network", EKV_FIELD_INVALID, &b->network,
	                      &b->has_network) &&
	       require_latency(c, body, r) &&
	       require_int(c, body, "status", 0, 599, EKV_FIELD_INVALID, &b->status, NULL) &&
	       require_int(c, body, "failFirst", 0, INT64_MAX, EKV_FIELD_INVALID, &r->fail_first,
	                   NULL) &&
	       require_int(c, body, "seed", 0, INT64_MAX, EKV_FIELD_INVALID, &b->seed, NULL) &&
	       require_int(c, body, "hits", 0, INT64_MAX, EKV_FIELD_INVALID, &r->hits, NULL) &&
	       require_int(c, body, "limit", 0, INT64_MAX, EKV_FIELD_INVALID, &r->limit, NULL);
}

/* Whether pattern is a route of the table the call was matched in. */
static bool route_known(const struct api_call *c, const char *pattern)
{
	for (size_t i = 0; i < c->table_len; i++)
		if (strcmp(c->table[i].pattern, pattern) == 0)
			return true;
	return false;
}

/* Names the first member of a rule whose value is not one the rule can take, or NULL. */
static const char *rule_invalid(const struct api_call *c, const cJSON *body, struct fault_rule *r,
                                const struct rule_body *b)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, "probability");

	if (b->has_method) {
		r->method = (int)http_method_parse(b->method);
		if (r->method == HTTP_OTHER)
			return "method";
	}
	if (b->has_network) {
		enum network net;

		if (!network_parse(b->network, &net))
			return "network";
		r->network = (int)net;
	}
	/* The statuses with a real body: apply_controls of api/dispatch/dispatch.c. */
	if (b->status != 0 && b->status != 102 && b->status != 429 && b->status != 500 &&
	    b->status != 503 && b->status != 504)
		return "status";
	r->status = (int)b->status;
	r->seed = (uint64_t)b->seed;
	if (p && (!cJSON_IsNumber(p) || p->valuedouble < 0 || p->valuedouble > 1))
		return "probability";
	if (p)
		r->probability = p->valuedouble;
	if (r->route[0] && !route_known(c, r->route))
		return "route";
	return NULL;
}

/* POST /_emulator/faults: a rule (docs/control-api.md); 201 with its id. */
void control_faults_add(struct api_call *c)
{
	struct fault_rule r;
	struct rule_body b = {0};
	const char *invalid = NULL;
	cJSON *body = require_json_object(c, false);

	if (!body)
		return;
	fault_rule_init(&r);
	if (!read_rule(c, body, &r, &b))
		goto out;
	invalid = rule_invalid(c, body, &r, &b);
	if (invalid) {
		reply_problem(c, EKV_FIELD_INVALID, invalid);
		goto out;
	}
	r.id = faults_add(c->api->faults, &r);
	if (r.id < 0)
		reply_problem(c, EKV_FAULT_LIMIT);
	else
		reply_json_steal(c, 201, rule_json(&r));
out:
	cJSON_Delete(body);
}

/* DELETE /_emulator/faults/{id} */
void control_faults_delete(struct api_call *c)
{
	const char *id = route_param(&c->params, "id");
	char *end;
	long long n = strtoll(id, &end, 10);

	if (*end || !faults_remove(c->api->faults, n)) {
		reply_problem(c, EKV_FAULT_NOT_FOUND, id);
		return;
	}
	reply_empty(c, 204);
}

/* DELETE /_emulator/faults[?account=ID]: that account's rules, or all. */
void control_faults_clear(struct api_call *c)
{
	faults_clear(c->api->faults, c->account.id[0] ? c->account.id : NULL);
	reply_empty(c, 204);
}
