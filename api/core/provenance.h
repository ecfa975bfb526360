#ifndef EKV_API_CORE_PROVENANCE_H
#define EKV_API_CORE_PROVENANCE_H

#include <cjson/cJSON.h>

/*
 * Adds "version", "commit" and "libraries" ({"name": "version", ...}) of
 * base/provenance.h to obj, for GET /_emulator/health.
 */
void provenance_add_json(cJSON *obj);

#endif
