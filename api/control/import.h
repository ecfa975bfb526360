#ifndef EKV_API_CONTROL_IMPORT_H
#define EKV_API_CONTROL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/control/fixture.h"
#include "storage/store.h"

/*
 * The fixture importer (docs/control-api.md "Fixture format"): what
 * --seed DIR, the built-in world and POST /_emulator/import read.
 */
struct api;

/*
 * Imports one fixture document in one transaction (a refused one changes
 * nothing), or with only set just the account of that id in it. Each
 * account named replaces the one of that id. Returns 0, or -1 with *err set.
 */
int fixture_import(struct api *api, const char *text, size_t len, const char *only,
                   struct import_error *err);

/* The same for a parsed document (NULL is refused as not a fixture). */
int fixture_import_tree(struct api *api, const cJSON *root, const char *only,
                        struct import_error *err);

#endif
