/*
 * GET /_emulator/health and GET /_emulator/ready: the probes containers and
 * orchestrators use, open to every caller (api/dispatch/routes.c).
 */
#include <cjson/cJSON.h>
#include <stdatomic.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/reply.h"

/* GET /_emulator/health: alive, whatever the state (the Docker HEALTHCHECK's probe). */
void control_health(struct api_call *c)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "status", "ok");
	reply_json_steal(c, 200, root);
}

/* GET /_emulator/ready: 200 once the start world is in place (api_set_ready), 503 before. */
void control_ready(struct api_call *c)
{
	bool is_ready = atomic_load(&c->api->ready);
	cJSON *root = cJSON_CreateObject();

	cJSON_AddBoolToObject(root, "ready", is_ready);
	reply_json_steal(c, is_ready ? 200 : 503, root);
}
