#ifndef EKV_API_HANDLERS_H
#define EKV_API_HANDLERS_H

/* Every handler of the route table (api/routes.c), one file per resource. */
#include "api/routes.h"

/* api/initialize.c */
api_handler_fn initialize_get;
api_handler_fn initialize_put;
api_handler_fn auth_database_put;

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
/* At most 262144 characters (§5.5 item-413). */
bool items_value_fits(const char *value, size_t len);
/* When a value written now expires: the sandbox's two days, else the retention; 0 for never. */
int64_t items_expires_at(const struct api_call *c, const struct namespace_rec *ns,
                         const char *sandbox);

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
api_handler_fn control_clock_get;
api_handler_fn control_clock_set;
api_handler_fn control_token_settings_get;
api_handler_fn control_token_settings_put;
api_handler_fn control_token_jwks;
api_handler_fn control_token_public_key;
api_handler_fn control_token_bundle;

/* api/notifications.c */
api_handler_fn notifications_list;

#endif
