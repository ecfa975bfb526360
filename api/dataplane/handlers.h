#ifndef EKV_API_DATAPLANE_HANDLERS_H
#define EKV_API_DATAPLANE_HANDLERS_H

/* The data plane's handlers (/api/v1 rows of api/dispatch/routes.c). */
#include "api/core/router.h"

/* api/dataplane/dataplane.c */
api_handler_fn dataplane_get;
api_handler_fn dataplane_put;
api_handler_fn dataplane_delete;

#endif
