#ifndef EKV_API_HANDLERS_H
#define EKV_API_HANDLERS_H

/* Every handler of the route table (api/routes.c), one file per resource. */
#include "api/routes.h"
#include "storage/store.h"

/* api/initialize.c */
api_handler_fn initialize_get;
api_handler_fn initialize_put;
api_handler_fn auth_database_put;
/* The initialize-status object of the caller's account, as if its status were as. */
void reply_init_status(struct api_call *c, int status, enum init_status as);

/* api/authgroups.c */
api_handler_fn auth_groups_list;
api_handler_fn auth_groups_get;
api_handler_fn auth_namespaces_put;

/* api/namespaces.c */
api_handler_fn namespaces_list;
api_handler_fn namespaces_create;
api_handler_fn namespaces_get;
api_handler_fn namespaces_update;
api_handler_fn namespaces_delete;
api_handler_fn namespaces_delete_status;
api_handler_fn namespaces_delete_reschedule;
api_handler_fn namespaces_delete_cancel;

/* api/groups.c */
api_handler_fn groups_list;

/* api/items.c */
api_handler_fn items_list;
api_handler_fn items_get;
api_handler_fn items_put;
api_handler_fn items_delete;

/* api/control_identity.c */
api_handler_fn control_accounts_create;
api_handler_fn control_accounts_list;
api_handler_fn control_accounts_get;
api_handler_fn control_groups_put;
api_handler_fn control_users_put;
api_handler_fn control_users_roles;
api_handler_fn control_clients_create;
api_handler_fn control_clients_deactivate;
/* api/items.c: value rules the data plane shares */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct api_call;
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
/* At most 262144 characters (§5.5 item-413). */
bool items_value_fits(const char *value, size_t len);
/* When a value written now expires: the sandbox's two days, else the retention; 0 for never. */
int64_t items_expires_at(const struct api_call *c, const struct namespace_rec *ns,
                         const char *sandbox);
/* When a write (or delete) made now becomes visible: now plus the account's consistency delay. */
int64_t items_visible_at(const struct api_call *c);

/* api/tokens.c */
api_handler_fn tokens_create;
api_handler_fn tokens_list;
api_handler_fn tokens_get;
api_handler_fn tokens_revoke;
api_handler_fn tokens_refresh;

/* api/dataplane.c */
api_handler_fn dataplane_get;
api_handler_fn dataplane_put;
api_handler_fn dataplane_delete;

/* api/control.c */
api_handler_fn control_token_settings_get;
api_handler_fn control_token_settings_put;
api_handler_fn control_token_jwks;
api_handler_fn control_token_public_key;
api_handler_fn control_token_bundle;

/* api/notifications.c */
api_handler_fn notifications_list;

/* api/control_clock.c */
api_handler_fn control_clock_get;
api_handler_fn control_clock_post;

/* api/control_state.c */
/* Fixture-format JSON of a user and of an API client, appended to the cJSON array ctx. */
void control_export_user(void *ctx, const struct user_rec *u);
void control_export_client(void *ctx, const struct client_rec *cl, const char *roles);
api_handler_fn control_health;
api_handler_fn control_ready;
api_handler_fn control_reset;
api_handler_fn control_settle;
api_handler_fn control_snapshots_list;
api_handler_fn control_snapshots_save;
api_handler_fn control_snapshots_restore;
api_handler_fn control_snapshots_delete;
api_handler_fn control_export;
api_handler_fn control_import;

/* api/control_faults.c */
api_handler_fn control_settings_get;
api_handler_fn control_settings_put;
api_handler_fn control_known_issues_get;
api_handler_fn control_known_issues_put;
api_handler_fn control_faults_list;
api_handler_fn control_faults_add;
api_handler_fn control_faults_delete;
api_handler_fn control_faults_clear;
api_handler_fn control_requests;
api_handler_fn control_requests_clear;

/* api/control/ui.c */
api_handler_fn control_ui_redirect;
api_handler_fn control_ui_index;
api_handler_fn control_ui_asset;

#endif
