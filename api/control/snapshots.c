/*
 * Named snapshots of the whole store (storage only: not settings, faults or
 * the clock), kept in memory until the process exits.
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/bulk_files.h"
#include "api/edgekv/bulk_runner.h"

static bool snapshot_name_valid(const char *s)
{
	return ids_charset_valid(s, strlen(s), STORE_SNAPSHOT_NAME_MAX);
}

static void add_name(void *ctx, const char *name, size_t len)
{
	(void)len;
	cJSON_AddItemToArray(ctx, cJSON_CreateString(name));
}

/* GET /_emulator/snapshots: {"snapshots": [names]} */
void control_snapshots_list(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();

	store_snapshot_list(c->st, add_name, cJSON_AddArrayToObject(root, "snapshots"));
	reply_json_steal(c, 200, root);
}

static void reply_snapshot(struct api_call *c, int status, const char *name, const char *what)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "name", name);
	cJSON_AddStringToObject(root, "state", what);
	reply_json_steal(c, status, root);
}

/* POST /_emulator/snapshots {"name"}: the whole store as it is now (storage only). */
void control_snapshots_save(struct api_call *c)
{
	static const char *const fields[] = {"name", NULL};
	const char *name = NULL;
	bool present = false;
	struct bulk_files files = BULK_FILES_INIT;
	enum store_status status;
	cJSON *body = require_json_object(c, false);

	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "name", EKV_FIELD_INVALID, &name, &present))
		goto out;
	if (!present || !snapshot_name_valid(name)) {
		reply_problem(c, EKV_FIELD_INVALID, "name");
		goto out;
	}
	/* A save under a name in use drops the old copy: the jobs only it held go. */
	bulk_files_list(c->st, &files);
	status = store_snapshot_save(c->st, name);
	bulk_files_prune(c->st, &files);
	if (status == STORE_OK)
		reply_snapshot(c, 201, name, "saved");
	else
		reply_problem(c, EKV_INTERNAL);
out:
	cJSON_Delete(body);
}

/* POST /_emulator/snapshots/{name}/restore */
void control_snapshots_restore(struct api_call *c)
{
	const char *name = route_param(&c->params, "name");
	struct bulk_files files = BULK_FILES_INIT;
	enum store_status status;

	/* Jobs not in the snapshot go: so do the files they would have read. */
	bulk_files_list(c->st, &files);
	status = store_snapshot_restore(c->st, name);
	bulk_files_prune(c->st, &files);
	switch (status) {
	case STORE_OK:
		/* The snapshot's unfinished jobs run again, from where it holds them. */
		bulk_runner_wake_for_jobs(c->api->bulk);
		reply_snapshot(c, 200, name, "restored");
		break;
	case STORE_NOT_FOUND:
		reply_problem(c, EKV_SNAPSHOT_NOT_FOUND, name);
		break;
	default:
		reply_problem(c, EKV_INTERNAL);
		break;
	}
}

/* DELETE /_emulator/snapshots/{name} */
void control_snapshots_delete(struct api_call *c)
{
	const char *name = route_param(&c->params, "name");
	struct bulk_files files = BULK_FILES_INIT;
	enum store_status status;

	/* The files only its unfinished jobs named go with it. */
	bulk_files_list(c->st, &files);
	status = store_snapshot_delete(c->st, name);
	bulk_files_prune(c->st, &files);
	if (status == STORE_OK)
		reply_empty(c, 204);
	else
		reply_problem(c, EKV_SNAPSHOT_NOT_FOUND, name);
}
