#ifndef EKV_API_EDGEKV_HANDLERS_H
#define EKV_API_EDGEKV_HANDLERS_H

/*
 * The management API's handlers (rows of api/dispatch/routes.c), one file per resource;
 * require.c, token_body.c and token_view.c hold what several of them share.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/core/router.h"
#include "storage/store.h"

/* api/edgekv/initialize.c */
api_handler_fn initialize_get;
api_handler_fn initialize_put;
api_handler_fn auth_database_put;
/* The initialize-status object of the caller's account, as if its status were as. */
void reply_init_status(struct api_call *c, int status, enum init_status as);

/* api/edgekv/authgroups.c */
api_handler_fn auth_groups_list;
api_handler_fn auth_groups_get;
api_handler_fn auth_namespaces_put;

/* api/edgekv/namespaces.c */
api_handler_fn namespaces_list;
api_handler_fn namespaces_create;
api_handler_fn namespaces_get;
api_handler_fn namespaces_update;
api_handler_fn namespaces_delete;
api_handler_fn namespaces_delete_status;
api_handler_fn namespaces_delete_reschedule;
api_handler_fn namespaces_delete_cancel;

/* api/edgekv/groups.c */
api_handler_fn groups_list;

/* api/edgekv/items.c */
api_handler_fn items_list;
api_handler_fn items_get;
api_handler_fn items_put;
api_handler_fn items_delete;

/* api/edgekv/items.c: value rules the data plane shares */
struct namespace_rec;
struct item_ref;

/*
 * Replies with ref's stored bytes and content type, or the real 404; with
 * staging_fallback a sandbox miss reads staging.
 */
void items_read(struct api_call *c, struct item_ref *ref, bool staging_fallback);
/* Stores the request body as ref's value and replies 200 with the real message (or 413). */
void items_write(struct api_call *c, const struct item_ref *ref, const struct namespace_rec *ns,
                 const char *sandbox);
/* At most ITEM_VALUE_MAX_CHARS characters (docs/behaviour.md §5.5 item-413). */
#define ITEM_VALUE_MAX_CHARS 262144
bool items_value_fits(const char *value, size_t len);
/* When a value written now expires: the sandbox's two days, else the retention; 0 for never. */
int64_t items_expires_at(const struct api_call *c, const struct namespace_rec *ns,
                         const char *sandbox);
/* When a write (or delete) made now becomes visible: now plus the account's consistency delay. */
int64_t items_visible_at(const struct api_call *c);

/* api/edgekv/tokens.c */
api_handler_fn tokens_create;
api_handler_fn tokens_list;
api_handler_fn tokens_get;
api_handler_fn tokens_revoke;
api_handler_fn tokens_refresh;

#endif
