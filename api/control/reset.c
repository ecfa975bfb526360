/*
 * POST /_emulator/reset: everything back to the start world, or one account
 * back to its start (docs/control-api.md "State").
 */
#include <cjson/cJSON.h>

#include "api/control/account.h"
#include "api/control/handlers.h"
#include "api/control/world.h"
#include "api/core/call.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/bulk_files.h"
#include "api/state/faults.h"
#include "api/state/journal.h"
#include "api/state/settings.h"
#include "base/clock.h"

/* Everything back to the start world, with the clock, settings, faults and journal. */
static bool reset_all(struct api_call *c)
{
	clock_reset(c->api->clock);
	settings_reset(c->api->settings, NULL);
	faults_clear(c->api->faults, NULL);
	journal_clear(c->api->journal);
	return store_reset(c->st, NULL, false, 0) == STORE_OK && world_restart(c->api, NULL) == 0;
}

/* One account: its data, its identities too when asked, its settings and faults. */
static bool reset_account(struct api_call *c, const char *account, bool identities)
{
	settings_reset(c->api->settings, account);
	faults_clear(c->api->faults, account);
	return store_reset(c->st, account, !identities, clock_now_ms(c->api->clock)) == STORE_OK &&
	       (!identities || world_restart(c->api, account) == 0);
}

/*
 * POST /_emulator/reset {"account": ID, "identities": bool}: without an
 * account, everything goes back to the start world (seeded or bare), with
 * the clock, settings, faults and journal. With one, only that account:
 * its data (namespaces, items, tokens, bulk jobs) goes, its identities stay unless
 * "identities" is true; its settings and faults go back to the defaults.
 */
void control_reset(struct api_call *c)
{
	static const char *const fields[] = {"account", "identities", NULL};
	const char *account = NULL;
	bool has_account = false, identities = false, done;
	struct account_rec acc;
	struct bulk_files files = BULK_FILES_INIT;
	cJSON *body = require_json_object(c, true), *root;

	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "account", EKV_FIELD_INVALID, &account, &has_account) ||
	    !require_bool(c, body, "identities", EKV_FIELD_INVALID, &identities, NULL) ||
	    (has_account && !control_account_find(c, account, &acc)))
		goto out;
	/* The jobs go with the data: so do the files they would have read. */
	bulk_files_list(c->st, &files);
	done = has_account ? reset_account(c, account, identities) : reset_all(c);
	bulk_files_prune(c->st, &files);
	if (!done) {
		reply_problem(c, EKV_INTERNAL);
		goto out;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "reset", has_account ? account : "all");
	reply_json_steal(c, 200, root);
out:
	cJSON_Delete(body);
}
