#ifndef EKV_API_CONTROL_IMPORT_H
#define EKV_API_CONTROL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/core/problem.h"
#include "storage/store.h"

/*
 * The fixture importer (docs/control-api.md "Fixture format"): what
 * --seed DIR, the built-in world and POST /_emulator/import read.
 */
struct api;

/* Why a fixture was refused: its catalogue row and the name the row's %s takes. */
struct import_error {
	enum ekv_error code; /* an EKV_IMPORT_* row, or EKV_INTERNAL when the store failed */
	char subject[600];   /* the account, client, namespace, item key or token */
};

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

/* The detail text clients see for err, for logs (size bytes). */
void import_error_text(const struct import_error *err, char *out, size_t size);

/* For the importer's own files (import.c, import_token.c). */

/* The member name of o if it has that type, else dflt. */
const char *fixture_str(const cJSON *o, const char *name, const char *dflt);
int64_t fixture_int(const cJSON *o, const char *name, int64_t dflt);
bool fixture_bool(const cJSON *o, const char *name, bool dflt);

/* Sets *err to code about subject; returns -1 for the caller to return. */
int import_fail(struct import_error *err, enum ekv_error code, const char *subject);

/* One access token e of the account acc (api/control/import_token.c). */
int import_token(struct api *api, struct store *st, const struct account_rec *acc, const cJSON *e,
                 int64_t now, struct import_error *err);

#endif
