#ifndef EKV_API_EDGEKV_TOKEN_BODY_H
#define EKV_API_EDGEKV_TOKEN_BODY_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "storage/store.h"

struct api_call;

/*
 * Reads the name, networks, EdgeWorker ids and namespace permissions of a
 * POST /tokens body into t; false after replying with the field's error.
 */
bool token_body_require(struct api_call *c, const cJSON *body, struct token_rec *t);

/*
 * Reads "expiry" for workflow: the legacy workflow needs a day at most six
 * months ahead, the enhanced one none; "auto" picks by whether it is given.
 * False after replying.
 */
bool token_body_require_expiry(struct api_call *c, const cJSON *body, enum token_workflow workflow,
                               struct token_rec *t);

#endif
