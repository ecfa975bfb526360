/*
 * Per-account settings, known issues, injected faults and the request
 * journal (issue 4). JSON in and out under /_emulator; "?account=ID" picks
 * the account (default: the default account).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/core/call.h"
#include "api/state/faults.h"
#include "api/control/handlers.h"
#include "api/state/journal.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/state/settings.h"
#include "base/clock.h"

/* The real service's documented window: "10 seconds or less in the majority of cases" (§5.9). */
#define EVENTUAL_DELAY_S 10LL
#define DELAY_MAX_S      (366LL * 86400)

/* ?account=ID, which must exist; the default account when absent. Replies 404 otherwise. */
static bool require_account_param(struct api_call *c, char *out)
{
	struct account_rec acc;

	if (!query_param(c, "account", out, STORE_ACCOUNT_MAX + 1))
		snprintf(out, STORE_ACCOUNT_MAX + 1, "%s", c->api->config.default_account);
	if (store_account_get(c->st, out, &acc) == STORE_OK)
		return true;
	reply_problem(c, EKV_CONTROL_NOT_FOUND, "Account", out);
	return false;
}

static cJSON *settings_json(const char *account, const struct account_settings *s)
{
	cJSON *root = cJSON_CreateObject(), *issues;

	cJSON_AddStringToObject(root, "account", account);
	cJSON_AddStringToObject(root, "consistency",
	                        s->consistency_delay_ms ? "eventual" : "immediate");
	cJSON_AddNumberToObject(root, "consistencyDelaySeconds",
	                        (double)s->consistency_delay_ms / 1000.0);
	cJSON_AddNumberToObject(root, "retentionDelaySeconds",
	                        (double)s->retention_delay_ms / 1000.0);
	cJSON_AddNumberToObject(root, "rateLimit", (double)s->rate_limit);
	cJSON_AddNumberToObject(root, "initPendingSeconds", (double)s->init_pending_ms / 1000.0);
	issues = cJSON_AddObjectToObject(root, "knownIssues");
	for (unsigned i = 0; i < ISSUE_COUNT; i++)
		cJSON_AddBoolToObject(issues, known_issue_name(1u << i),
		                      (s->issues & (1u << i)) != 0);
	return root;
}

/* GET /_emulator/settings?account=ID */
void control_settings_get(struct api_call *c)
{
	char account[STORE_ACCOUNT_MAX + 1];
	struct account_settings s;

	if (!require_account_param(c, account))
		return;
	settings_get(account, &s);
	reply_json_steal(c, 200, settings_json(account, &s));
}

/* Reads {"name": bool, ...} of known issues into *bits; NULL obj changes nothing. */
static bool require_issue_map(struct api_call *c, const cJSON *obj, unsigned *bits)
{
	const cJSON *e;

	if (!obj)
		return true;
	if (!cJSON_IsObject(obj)) {
		reply_problem(c, EKV_FIELD_INVALID, "knownIssues");
		return false;
	}
	cJSON_ArrayForEach(e, obj)
	{
		unsigned bit = known_issue_parse(e->string);

		if (!bit) {
			reply_problem(c, EKV_FIELD_UNKNOWN, e->string);
			return false;
		}
		if (!cJSON_IsBool(e)) {
			reply_problem(c, EKV_FIELD_INVALID, e->string);
			return false;
		}
		*bits = cJSON_IsTrue(e) ? *bits | bit : *bits & ~bit;
	}
	return true;
}

/* A number of seconds into milliseconds; leaves *ms alone when absent. */
static bool require_seconds(struct api_call *c, const cJSON *body, const char *name, int64_t *ms)
{
	int64_t s = 0;
	bool present = false;

	if (!require_int(c, body, name, 0, DELAY_MAX_S, EKV_FIELD_INVALID, &s, &present))
		return false;
	if (present)
		*ms = s * 1000;
	return true;
}

/*
 * PUT /_emulator/settings?account=ID {"consistency": "immediate"|"eventual",
 * "consistencyDelaySeconds", "retentionDelaySeconds", "rateLimit",
 * "initPendingSeconds", "knownIssues": {name: bool}}: only what is given changes.
 */
void control_settings_put(struct api_call *c)
{
	static const char *const fields[] = {
	        "consistency", "consistencyDelaySeconds", "retentionDelaySeconds",
	        "rateLimit",   "initPendingSeconds",      "knownIssues",
	        NULL};
	char account[STORE_ACCOUNT_MAX + 1];
	const char *mode = NULL;
	bool has_mode = false;
	struct account_settings s;
	cJSON *body;

	if (!require_account_param(c, account))
		return;
	body = require_json_object(c, false);
	if (!body)
		return;
	settings_get(account, &s);
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "consistency", EKV_FIELD_INVALID, &mode, &has_mode))
		goto out;
	if (has_mode) {
		if (strcmp(mode, "immediate") == 0) {
			s.consistency_delay_ms = 0;
		} else if (strcmp(mode, "eventual") == 0) {
			if (!s.consistency_delay_ms)
				s.consistency_delay_ms = EVENTUAL_DELAY_S * 1000;
		} else {
			reply_problem(c, EKV_FIELD_INVALID, "consistency");
			goto out;
		}
	}
	if (!require_seconds(c, body, "consistencyDelaySeconds", &s.consistency_delay_ms) ||
	    !require_seconds(c, body, "retentionDelaySeconds", &s.retention_delay_ms) ||
	    !require_int(c, body, "rateLimit", 0, 1000000000, EKV_FIELD_INVALID, &s.rate_limit,
	                 NULL) ||
	    !require_seconds(c, body, "initPendingSeconds", &s.init_pending_ms) ||
	    !require_issue_map(c, cJSON_GetObjectItemCaseSensitive(body, "knownIssues"), &s.issues))
		goto out;
	settings_put(account, &s);
	reply_json_steal(c, 200, settings_json(account, &s));
out:
	cJSON_Delete(body);
}

static cJSON *issues_json(const char *account, unsigned bits)
{
	cJSON *root = cJSON_CreateObject(), *list;

	cJSON_AddStringToObject(root, "account", account);
	list = cJSON_AddArrayToObject(root, "issues");
	for (unsigned i = 0; i < ISSUE_COUNT; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", known_issue_name(1u << i));
		cJSON_AddStringToObject(o, "seedSection", known_issue_section(1u << i));
		cJSON_AddBoolToObject(o, "enabled", (bits & (1u << i)) != 0);
		cJSON_AddItemToArray(list, o);
	}
	return root;
}

/* GET /_emulator/known-issues?account=ID */
void control_known_issues_get(struct api_call *c)
{
	char account[STORE_ACCOUNT_MAX + 1];
	struct account_settings s;

	if (!require_account_param(c, account))
		return;
	settings_get(account, &s);
	reply_json_steal(c, 200, issues_json(account, s.issues));
}

/*
 * PUT /_emulator/known-issues?account=ID {"profile": "all"|"none"|"default",
 * name: bool, ...}: the profile first, then each named issue.
 */
void control_known_issues_put(struct api_call *c)
{
	char account[STORE_ACCOUNT_MAX + 1];
	cJSON *profile;
	struct account_settings s;
	cJSON *body;

	if (!require_account_param(c, account))
		return;
	body = require_json_object(c, false);
	if (!body)
		return;
	settings_get(account, &s);
	profile = cJSON_DetachItemFromObjectCaseSensitive(body, "profile");
	if (profile) {
		const char *p = cJSON_IsString(profile) ? profile->valuestring : "";

		if (strcmp(p, "all") == 0)
			s.issues = (1u << ISSUE_COUNT) - 1;
		else if (strcmp(p, "none") == 0)
			s.issues = 0;
		else if (strcmp(p, "default") == 0)
			s.issues = ISSUES_DEFAULT;
		else
			s.issues = ~0u;
		cJSON_Delete(profile);
		if (s.issues == ~0u) {
			reply_problem(c, EKV_FIELD_INVALID, "profile");
			goto out;
		}
	}
	if (!require_issue_map(c, body, &s.issues))
		goto out;
	settings_put(account, &s);
	reply_json_steal(c, 200, issues_json(account, s.issues));
out:
	cJSON_Delete(body);
}

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

	faults_each(add_rule, cJSON_AddArrayToObject(root, "faults"));
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

/* Fills the matchers and actions of a rule from a POST body. */
static bool require_rule(struct api_call *c, const cJSON *body, struct fault_rule *r)
{
	static const char *const fields[] = {"account",   "route",       "pathPrefix", "method",
	                                     "network",   "namespace",   "latencyMs",  "status",
	                                     "failFirst", "probability", "seed",       "hits",
	                                     "limit",     NULL};
	const char *method = NULL, *net = NULL;
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, "probability");
	int64_t status = 0, seed = 0;
	bool has_method = false, has_net = false, has_account = false;

	if (!require_known_fields(c, body, fields) ||
	    !copy_field(c, body, "route", r->route, sizeof(r->route)) ||
	    !copy_field(c, body, "pathPrefix", r->path_prefix, sizeof(r->path_prefix)) ||
	    !copy_field(c, body, "namespace", r->namespace, sizeof(r->namespace)) ||
	    !require_string(c, body, "account", EKV_FIELD_INVALID, &method, &has_account))
		return false;
	if (has_account && strcmp(method, "*") != 0 &&
	    !copy_field(c, body, "account", r->account, sizeof(r->account)))
		return false;
	if (!has_account && !query_param(c, "account", r->account, sizeof(r->account)))
		snprintf(r->account, sizeof(r->account), "%s", c->api->config.default_account);
	if (strcmp(r->account, "*") == 0)
		r->account[0] = '\0';
	if (!require_string(c, body, "method", EKV_FIELD_INVALID, &method, &has_method) ||
	    !require_string(c, body, "network", EKV_FIELD_INVALID, &net, &has_net) ||
	    !require_latency(c, body, r) ||
	    !require_int(c, body, "status", 0, 599, EKV_FIELD_INVALID, &status, NULL) ||
	    !require_int(c, body, "failFirst", 0, INT64_MAX, EKV_FIELD_INVALID, &r->fail_first,
	                 NULL) ||
	    !require_int(c, body, "seed", 0, INT64_MAX, EKV_FIELD_INVALID, &seed, NULL) ||
	    !require_int(c, body, "hits", 0, INT64_MAX, EKV_FIELD_INVALID, &r->hits, NULL) ||
	    !require_int(c, body, "limit", 0, INT64_MAX, EKV_FIELD_INVALID, &r->limit, NULL))
		return false;
	if (has_method) {
		r->method = (int)http_method_parse(method);
		if (r->method == HTTP_OTHER) {
			reply_problem(c, EKV_FIELD_INVALID, "method");
			return false;
		}
	}
	if (has_net) {
		if (strcasecmp(net, "staging") == 0) {
			r->network = NETWORK_STAGING;
		} else if (strcasecmp(net, "production") == 0) {
			r->network = NETWORK_PRODUCTION;
		} else {
			reply_problem(c, EKV_FIELD_INVALID, "network");
			return false;
		}
	}
	/* The statuses with a real body: api/api.c apply_controls. */
	if (status != 0 && status != 102 && status != 429 && status != 500 && status != 503 &&
	    status != 504) {
		reply_problem(c, EKV_FIELD_INVALID, "status");
		return false;
	}
	r->status = (int)status;
	r->seed = (uint64_t)seed;
	if (p && (!cJSON_IsNumber(p) || p->valuedouble < 0 || p->valuedouble > 1)) {
		reply_problem(c, EKV_FIELD_INVALID, "probability");
		return false;
	}
	if (p)
		r->probability = p->valuedouble;
	if (r->route[0]) {
		bool known = false;

		for (size_t i = 0; i < c->table_len && !known; i++)
			known = strcmp(c->table[i].pattern, r->route) == 0;
		if (!known) {
			reply_problem(c, EKV_FIELD_INVALID, "route");
			return false;
		}
	}
	return true;
}

/* POST /_emulator/faults: a rule (docs/control-api.md); 201 with its id. */
void control_faults_add(struct api_call *c)
{
	struct fault_rule r;
	cJSON *body = require_json_object(c, false);

	if (!body)
		return;
	fault_rule_init(&r);
	if (require_rule(c, body, &r)) {
		r.id = faults_add(&r);
		if (r.id < 0)
			reply_problem(c, EKV_FIELD_INVALID, "faults (at most 64 rules)");
		else
			reply_json_steal(c, 201, rule_json(&r));
	}
	cJSON_Delete(body);
}

/* DELETE /_emulator/faults/{id} */
void control_faults_delete(struct api_call *c)
{
	const char *id = route_param(&c->params, "id");
	char *end;
	long long n = strtoll(id, &end, 10);

	if (*end || !faults_remove(n)) {
		reply_problem(c, EKV_CONTROL_NOT_FOUND, "Fault", id);
		return;
	}
	reply_empty(c, 204);
}

/* DELETE /_emulator/faults[?account=ID]: that account's rules, or all. */
void control_faults_clear(struct api_call *c)
{
	char account[STORE_ACCOUNT_MAX + 1];

	faults_clear(query_param(c, "account", account, sizeof(account)) ? account : NULL);
	reply_empty(c, 204);
}

struct journal_filter {
	char path[JOURNAL_TARGET_MAX];
	char account[STORE_ACCOUNT_MAX + 1];
	long status;
	cJSON *list;
};

static void add_entry(void *ctx, const struct journal_entry *e)
{
	struct journal_filter *f = ctx;
	char when[CLOCK_RFC3339_MAX];
	cJSON *o, *headers;

	if ((f->path[0] && strncmp(e->target, f->path, strlen(f->path)) != 0) ||
	    (f->account[0] && strcmp(e->account, f->account) != 0) ||
	    (f->status && e->status != f->status))
		return;
	o = cJSON_CreateObject();
	clock_format_rfc3339(e->at_ms, true, when);
	cJSON_AddNumberToObject(o, "seq", (double)e->seq);
	cJSON_AddStringToObject(o, "time", when);
	cJSON_AddStringToObject(o, "method", e->method);
	cJSON_AddStringToObject(o, "target", e->target);
	cJSON_AddNumberToObject(o, "status", e->status);
	cJSON_AddStringToObject(o, "account", e->account);
	cJSON_AddStringToObject(o, "requestId", e->request_id);
	cJSON_AddNumberToObject(o, "latencyMs", (double)e->latency_ms);
	headers = cJSON_AddObjectToObject(o, "headers");
	for (size_t i = 0; i < e->header_count; i++)
		cJSON_AddStringToObject(headers, e->headers[i].name, e->headers[i].value);
	cJSON_AddNumberToObject(o, "requestBodyBytes", (double)e->request_len);
	cJSON_AddStringToObject(o, "requestBody", e->request_body);
	cJSON_AddStringToObject(o, "responseContentType", e->response_type);
	cJSON_AddNumberToObject(o, "responseBodyBytes", (double)e->response_len);
	cJSON_AddStringToObject(o, "responseBody", e->response_body);
	cJSON_AddItemToArray(f->list, o);
}

/*
 * GET /_emulator/requests[?path=PREFIX][&status=N][&account=ID][&since=SEQ]:
 * oldest first; since= gives only the entries after that sequence number, so a
 * poller reads each entry once.
 */
void control_requests(struct api_call *c)
{
	struct journal_filter f = {0};
	char status[8], since_text[24], *end;
	long long since = 0;
	cJSON *root;

	if (query_param(c, "since", since_text, sizeof(since_text))) {
		errno = 0;
		since = strtoll(since_text, &end, 10);
		if (since_text[0] < '0' || since_text[0] > '9' || *end || errno) {
			reply_problem(c, EKV_QUERY_INVALID, "since");
			return;
		}
	}
	root = cJSON_CreateObject();
	query_param(c, "path", f.path, sizeof(f.path));
	query_param(c, "account", f.account, sizeof(f.account));
	if (query_param(c, "status", status, sizeof(status)))
		f.status = strtol(status, NULL, 10);
	f.list = cJSON_AddArrayToObject(root, "requests");
	journal_each(since, add_entry, &f);
	reply_json_steal(c, 200, root);
}

/* DELETE /_emulator/requests */
void control_requests_clear(struct api_call *c)
{
	journal_clear();
	reply_empty(c, 204);
}
