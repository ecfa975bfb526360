#ifndef EKV_API_CORE_JSON_H
#define EKV_API_CORE_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/core/problem.h"

/*
 * Reading request bodies. Every require_* returns false after writing the
 * problem to the caller, so handlers just return. Values borrowed from a
 * cJSON tree live until cJSON_Delete of its root.
 */
struct api_call;

/*
 * Parses the request body as one JSON object; caller frees with cJSON_Delete.
 * An empty body gives an empty object when empty_ok, else the syntax error.
 * Syntax errors and duplicate member names: 422 JSON_SYNTAX (docs/behaviour.md §2.2);
 * a value that is not an object: 400 BODY_NOT_OBJECT. NULL after replying.
 */
cJSON *require_json_object(struct api_call *c, bool empty_ok);

/*
 * Rejects members of obj not named in allowed (NULL-terminated), as the
 * spec's additionalProperties: false does.
 */
bool require_known_fields(struct api_call *c, const cJSON *obj, const char *const *allowed);

/*
 * An integer member: a JSON number without fraction, or a string of decimal
 * digits (the CLI sends groupId as "4284", docs/clients.md §2). Absent: *present
 * false and true returned. Wrong type or out of [min, max]: err.
 */
bool require_int(struct api_call *c, const cJSON *obj, const char *name, int64_t min, int64_t max,
                 enum ekv_error err, int64_t *out, bool *present);

/* A boolean member, or the string "true"/"false" (Postman, docs/clients.md §6.3). */
bool require_bool(struct api_call *c, const cJSON *obj, const char *name, enum ekv_error err,
                  bool *out, bool *present);

/* A string member; *out borrows from obj. */
bool require_string(struct api_call *c, const cJSON *obj, const char *name, enum ekv_error err,
                    const char **out, bool *present);

#endif
