#ifndef EKV_API_HANDLERS_H
#define EKV_API_HANDLERS_H

/* Every handler of the route table (api/routes.c), one file per resource. */
#include "api/routes.h"

/* api/initialize.c */
api_handler_fn initialize_get;
api_handler_fn initialize_put;
api_handler_fn auth_database_put;

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

#endif
