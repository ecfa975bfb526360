/*
 * Access tokens of a fixture (docs/control-api.md "Fixture format",
 * "Tokens"): everything the token API and the data plane answer from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/control/import_token.h"
#include "api/core/ids.h"
#include "api/auth/access_token.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"

/* An optional RFC 3339 member into *ms (left alone when absent); false when it does not parse. */
static bool time_or(const cJSON *o, const char *name, bool date_only_ok, int64_t *ms)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!v)
		return true;
	return cJSON_IsString(v) && clock_parse_rfc3339(v->valuestring, date_only_ok, ms) == 0;
}

static int64_t floor_day(int64_t ms)
{
	return ms / STORE_DAY_MS - (ms % STORE_DAY_MS < 0);
}

/* restrictToEdgeWorkerIds: ["all"], [] or none mean every id; else up to 8 ids. */
static bool import_ewids(const cJSON *list, struct token_rec *t)
{
	struct buf joined = BUF_INIT;
	const cJSON *v;
	bool all = false, ok = !list || cJSON_IsArray(list);

	cJSON_ArrayForEach(v, list)
	{
		char id[34];

		if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15)
			snprintf(id, sizeof(id), "%lld", (long long)v->valuedouble);
		else if (cJSON_IsString(v) && strlen(v->valuestring) <= 32)
			snprintf(id, sizeof(id), "%s", v->valuestring);
		else
			id[0] = '\0';
		if (strcasecmp(id, "all") == 0) {
			all = true;
			continue;
		}
		ok = ok && ids_charset_valid(id, strlen(id), 32);
		if (joined.len)
			buf_addch(&joined, ',');
		buf_addstr(&joined, id);
	}
	ok = ok && cJSON_GetArraySize(list) <= 8;
	snprintf(t->ewids, sizeof(t->ewids), "%s", !all && joined.ptr ? joined.ptr : "");
	buf_release(&joined);
	return ok;
}

/* namespacePermissions: 1-20 namespaces, each with 1-3 unique letters of r, w, d. */
static bool import_permissions(const cJSON *perms, struct token_rec *t)
{
	const cJSON *v, *l;

	if (!cJSON_IsObject(perms) || cJSON_GetArraySize(perms) < 1 ||
	    cJSON_GetArraySize(perms) > STORE_TOKEN_NAMESPACES)
		return false;
	cJSON_ArrayForEach(v, perms)
	{
		struct token_perm *p = &t->perms[t->perm_count++];
		size_t n = 0;

		if (!ids_namespace_valid(v->string, strlen(v->string)) || !cJSON_IsArray(v) ||
		    cJSON_GetArraySize(v) < 1 || cJSON_GetArraySize(v) > 3)
			return false;
		snprintf(p->namespace, sizeof(p->namespace), "%s", v->string);
		cJSON_ArrayForEach(l, v)
		{
			if (!cJSON_IsString(l) || strlen(l->valuestring) != 1 ||
			    !strchr("rwd", l->valuestring[0]) ||
			    memchr(p->letters, l->valuestring[0], n))
				return false;
			p->letters[n++] = l->valuestring[0];
		}
		p->letters[n] = '\0';
	}
	return true;
}

/*
 * One access token (docs/control-api.md "Fixture format"). A legacy token's
 * JWT is signed again with this emulator's key from the token's own fields:
 * the same claims, and the same value byte for byte when the key is the one
 * that signed it (RS256 is deterministic); "value" is not read.
 */
int import_token(struct api *api, struct store *st, const struct account_rec *acc, const cJSON *e,
                 int64_t now, struct import_error *err)
{
	const char *workflow = fixture_str(e, "workflow", NULL),
	           *uuid = fixture_str(e, "uuid", NULL);
	const cJSON *expiry = cJSON_GetObjectItemCaseSensitive(e, "expiry");
	struct token_rec *t = xmalloc(sizeof(*t));
	int64_t expiry_ms = 0;
	bool ok;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->account, sizeof(t->account), "%s", acc->id);
	snprintf(t->name, sizeof(t->name), "%s", fixture_str(e, "name", ""));
	ok = ids_namespace_valid(fixture_str(e, "name", ""), strlen(fixture_str(e, "name", "")));
	if (uuid && access_token_ref_valid(uuid, strlen(uuid))) {
		for (size_t i = 0; i <= STORE_UUID_LEN; i++)
			t->uuid[i] = (char)(uuid[i] >= 'A' && uuid[i] <= 'F' ? uuid[i] - 'A' + 'a'
			                                                     : uuid[i]);
	} else {
		ok = ok && !uuid;
		ids_uuid_v4(t->uuid);
	}
	ok = ok && time_or(e, "expiry", true, &expiry_ms);
	/* Without a workflow, an expiry other than 9999-12-31 makes a legacy token, as "auto" does.
	 */
	t->legacy = workflow ? strcmp(workflow, "legacy") == 0
	                     : expiry && floor_day(expiry_ms) != STORE_ENHANCED_EXPIRY_DAY;
	ok = ok && (!workflow || t->legacy || strcmp(workflow, "enhanced") == 0);
	t->expiry_day = t->legacy ? floor_day(expiry_ms) : STORE_ENHANCED_EXPIRY_DAY;
	ok = ok && (t->legacy ? expiry != NULL : !expiry || floor_day(expiry_ms) == t->expiry_day);
	t->issued_ms = now;
	ok = ok && time_or(e, "issuedAt", false, &t->issued_ms);
	t->active_ms = t->issued_ms;
	ok = ok && time_or(e, "activeAt", false, &t->active_ms);
	t->busy_until_ms = t->active_ms;
	ok = ok && time_or(e, "inProgressUntil", false, &t->busy_until_ms) &&
	     time_or(e, "refreshedAt", false, &t->refreshed_ms) &&
	     time_or(e, "revokedAt", false, &t->revoked_ms);
	t->allow_production = fixture_bool(e, "allowOnProduction", true);
	t->allow_staging = fixture_bool(e, "allowOnStaging", true);
	ok = ok && (t->allow_production || t->allow_staging);
	snprintf(t->cpcode, sizeof(t->cpcode), "%s", fixture_str(e, "cpcode", acc->cpcode));
	ok = ok &&
	     import_ewids(cJSON_GetObjectItemCaseSensitive(e, "restrictToEdgeWorkerIds"), t) &&
	     import_permissions(cJSON_GetObjectItemCaseSensitive(e, "namespacePermissions"), t);
	if (!ok || (t->legacy && !access_token_sign(api, st, now, t)) ||
	    store_token_import(st, t) != STORE_OK)
		rc = import_fail(err, EKV_IMPORT_TOKEN, t->name);
	free(t);
	return rc;
}
