#ifndef EKV_API_CONTROL_FIXTURE_H
#define EKV_API_CONTROL_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/core/problem.h"

/* What the fixture importer's files share: typed members, and why a fixture was refused. */

/* Why a fixture was refused: its catalogue row and the name the row's %s takes. */
struct import_error {
	enum ekv_error code; /* an EKV_IMPORT_* row, or EKV_INTERNAL when the store failed */
	char subject[600];   /* the account, client, namespace, item key or token */
};

/* The detail text clients see for err, for logs (size bytes). */
void import_error_text(const struct import_error *err, char *out, size_t size);

/* The member name of o if it has that type, else dflt. */
const char *fixture_str(const cJSON *o, const char *name, const char *dflt);
int64_t fixture_int(const cJSON *o, const char *name, int64_t dflt);
bool fixture_bool(const cJSON *o, const char *name, bool dflt);

/* Sets *err to code about subject; returns -1 for the caller to return. */
int import_fail(struct import_error *err, enum ekv_error code, const char *subject);

#endif
