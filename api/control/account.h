#ifndef EKV_API_CONTROL_ACCOUNT_H
#define EKV_API_CONTROL_ACCOUNT_H

#include <stdbool.h>

#include "storage/store.h"

/*
 * Which account a control acts on: one answer for every /_emulator route
 * (docs/control-api.md "Accounts"). An account a request names that does
 * not exist is always 404 EKV_9000 "Account 'ID' does not exist.".
 */
struct api_call;

/*
 * Looks up the account id into *out. Replies 404 ACCOUNT_NOT_FOUND for an
 * id that names no account (empty or too long ones included), 500 when the
 * store fails, and returns false then.
 */
bool control_account_find(struct api_call *c, const char *id, struct account_rec *out);

/*
 * Sets c->account for a control route (the dispatcher calls it before the
 * handler): the {account} of the path, else ?account=ID, else, on a route
 * flagged ROUTE_ACCOUNT, the default account; each must exist
 * (control_account_find). Other routes without either get a zeroed
 * c->account (id ""): they act on every account, or on none.
 */
bool control_account_resolve(struct api_call *c);

#endif
