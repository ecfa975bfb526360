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

#endif
