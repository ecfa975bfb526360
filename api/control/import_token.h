#ifndef EKV_API_CONTROL_IMPORT_TOKEN_H
#define EKV_API_CONTROL_IMPORT_TOKEN_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/control/fixture.h"
#include "storage/store.h"

struct api;

/* One access token e of the account acc (api/control/import_token.c). */
int import_token(struct api *api, struct store *st, const struct account_rec *acc, const cJSON *e,
                 int64_t now, struct import_error *err);

#endif
