#ifndef EKV_API_EDGEKV_TOKEN_VIEW_H
#define EKV_API_EDGEKV_TOKEN_VIEW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "storage/store.h"

/*
 * The token as the API shows it at now_ms; caller deletes. Legacy:
 * {expiry, name, uuid[, value]}; enhanced: every field of the newer spec's
 * token, or with full false the fields of a list entry.
 */
cJSON *token_view_json(const struct token_rec *t, int64_t now_ms, bool full);

#endif
