#ifndef EKV_API_DISPATCH_ROUTES_H
#define EKV_API_DISPATCH_ROUTES_H

#include <stddef.h>

#include "api/core/router.h"

/* The server's route table: one row per method and path, the API surface. */
extern const struct route api_routes[];
extern const size_t api_route_count;

#endif
