#include "api/dispatch/routes.h"

#include <string.h>

#include "api/control/handlers.h"
#include "api/dataplane/handlers.h"
#include "api/edgekv/handlers.h"

#define NSS "/edgekv/v1/networks/{network}/namespaces"
#define NS  NSS "/{namespace}"
#define G   NS "/groups/{group}"
#define DP  "/api/v1/namespaces/{namespace}/groups/{group}/items/{item}"

#define INIT ROUTE_NEEDS_INIT
#define CTL  ROUTE_CONTROL, CAP_NONE
/* A control of one account: ?account=ID, else the default account (api/control/account.c). */
#define CTL1 ROUTE_CONTROL | ROUTE_ACCOUNT, CAP_NONE
#define E    "/_emulator"
#define ENS  E "/accounts/{account}/networks/{network}/namespaces/{namespace}"

/* One row per method and path, in the order of docs/behaviour.md §3: the table is the API surface.
 */
const struct route api_routes[] = {
        {HTTP_GET, "/edgekv/v1/initialize", initialize_get, 0, CAP_NONE},
        {HTTP_PUT, "/edgekv/v1/initialize", initialize_put, ROUTE_ISSUE_FAILS_ONCE, CAP_NONE},
        {HTTP_PUT, "/edgekv/v1/auth/database", auth_database_put, INIT, CAP_NONE},
        {HTTP_GET, "/edgekv/v1/auth/groups", auth_groups_list, INIT, CAP_NONE},
        {HTTP_GET, "/edgekv/v1/auth/groups/{groupId}", auth_groups_get, INIT, CAP_NONE},
        {HTTP_PUT, "/edgekv/v1/auth/namespaces/{namespace}", auth_namespaces_put, INIT,
         CAP_AUTHORIZE_NAMESPACE},
        {HTTP_GET, NSS, namespaces_list, INIT, CAP_VIEW_NAMESPACE},
        {HTTP_POST, NSS, namespaces_create, INIT | ROUTE_ISSUE_TIMES_OUT, CAP_CREATE_NAMESPACE},
        {HTTP_GET, NS, namespaces_get, INIT, CAP_VIEW_NAMESPACE},
        {HTTP_PUT, NS, namespaces_update, INIT, CAP_MODIFY_NAMESPACE},
        {HTTP_DELETE, NS, namespaces_delete, INIT, CAP_DELETE_NAMESPACE},
        {HTTP_GET, NS "/status/scheduled-delete", namespaces_delete_status, INIT,
         CAP_DELETE_NAMESPACE},
        {HTTP_PUT, NS "/status/scheduled-delete", namespaces_delete_reschedule, INIT,
         CAP_DELETE_NAMESPACE},
        {HTTP_DELETE, NS "/status/scheduled-delete", namespaces_delete_cancel, INIT,
         CAP_DELETE_NAMESPACE},
        {HTTP_GET, NS "/groups", groups_list, INIT, CAP_READ_DATA},
        {HTTP_GET, G, items_list, INIT, CAP_READ_DATA},
        {HTTP_GET, G "/items/{item}", items_get, INIT, CAP_READ_DATA},
        {HTTP_PUT, G "/items/{item}", items_put, INIT | ROUTE_VALUE_BODY | ROUTE_BATCH,
         CAP_WRITE_DATA},
        {HTTP_DELETE, G "/items/{item}", items_delete, INIT | ROUTE_BATCH, CAP_DELETE_DATA},

        {HTTP_POST, "/edgekv/v1/tokens", tokens_create, INIT, CAP_NONE},
        {HTTP_GET, "/edgekv/v1/tokens", tokens_list, INIT, CAP_NONE},
        {HTTP_GET, "/edgekv/v1/tokens/{token}", tokens_get, INIT, CAP_NONE},
        {HTTP_DELETE, "/edgekv/v1/tokens/{token}", tokens_revoke, INIT, CAP_NONE},
        {HTTP_POST, "/edgekv/v1/tokens/{token}/refresh", tokens_refresh, INIT, CAP_NONE},

        /* Bulk data: CSV upload jobs and downloads (docs/known-issues.md "Bulk data"). */
        {HTTP_POST, NS "/upload", bulk_upload, INIT | ROUTE_SPOOL_BODY, CAP_WRITE_DATA},
        {HTTP_GET, NS "/upload", bulk_jobs_list, INIT, CAP_WRITE_DATA},
        {HTTP_GET, NS "/jobs/{jobId}", bulk_jobs_get, INIT, CAP_WRITE_DATA},
        {HTTP_GET, NS "/download", bulk_download, INIT, CAP_READ_DATA},
        {HTTP_GET, G "/download", bulk_download, INIT, CAP_READ_DATA},

        /* The EdgeWorkers API's group list, which the CLI's list auth-groups -incewg calls. */
        {HTTP_GET, "/edgeworkers/v1/groups", edgeworkers_groups_list, ROUTE_EDGEWORKERS, CAP_NONE},
        {HTTP_GET, "/edgeworkers/v1/groups/{groupId}", edgeworkers_groups_get, ROUTE_EDGEWORKERS,
         CAP_NONE},

        /* The data plane that edgekv.js calls (docs/behaviour.md §6). */
        {HTTP_GET, DP, dataplane_get, ROUTE_DATA_PLANE | INIT, CAP_NONE},
        {HTTP_PUT, DP, dataplane_put, ROUTE_DATA_PLANE | INIT | ROUTE_VALUE_BODY | ROUTE_BATCH,
         CAP_NONE},
        {HTTP_DELETE, DP, dataplane_delete, ROUTE_DATA_PLANE | INIT | ROUTE_BATCH, CAP_NONE},

        /* The emulator's control API (docs/control-api.md) */
        {HTTP_POST, E "/accounts", control_accounts_create, CTL},
        {HTTP_GET, E "/accounts", control_accounts_list, CTL},
        {HTTP_GET, E "/accounts/{account}", control_accounts_get, CTL},
        {HTTP_POST, E "/accounts/{account}/groups", control_groups_put, CTL},
        {HTTP_POST, E "/accounts/{account}/users", control_users_put, CTL},
        {HTTP_PUT, E "/accounts/{account}/users/{user}/roles", control_users_roles, CTL},
        {HTTP_POST, E "/accounts/{account}/clients", control_clients_create, CTL},
        {HTTP_POST, E "/clients/{client}/deactivate", control_clients_deactivate, CTL},

        /* Testing controls */
        {HTTP_GET, E "/health", control_health, ROUTE_CONTROL | ROUTE_OPEN, CAP_NONE},
        {HTTP_GET, E "/ready", control_ready, ROUTE_CONTROL | ROUTE_OPEN, CAP_NONE},
        {HTTP_GET, E "/clock", control_clock_get, CTL},
        {HTTP_POST, E "/clock", control_clock_post, CTL},
        {HTTP_GET, E "/settings", control_settings_get, CTL1},
        {HTTP_PUT, E "/settings", control_settings_put, CTL1},
        {HTTP_GET, E "/known-issues", control_known_issues_get, CTL1},
        {HTTP_PUT, E "/known-issues", control_known_issues_put, CTL1},
        {HTTP_POST, E "/settle", control_settle, CTL},
        {HTTP_GET, E "/faults", control_faults_list, CTL},
        {HTTP_POST, E "/faults", control_faults_add, CTL},
        {HTTP_DELETE, E "/faults", control_faults_clear, CTL},
        {HTTP_DELETE, E "/faults/{id}", control_faults_delete, CTL},
        {HTTP_POST, E "/reset", control_reset, CTL},
        {HTTP_GET, E "/snapshots", control_snapshots_list, CTL},
        {HTTP_POST, E "/snapshots", control_snapshots_save, CTL},
        {HTTP_POST, E "/snapshots/{name}/restore", control_snapshots_restore, CTL},
        {HTTP_DELETE, E "/snapshots/{name}", control_snapshots_delete, CTL},
        {HTTP_GET, E "/export", control_export, CTL},
        {HTTP_POST, E "/import", control_import, CTL},
        {HTTP_GET, E "/requests", control_requests, CTL},
        {HTTP_DELETE, E "/requests", control_requests_clear, CTL},

        /* Tokens */
        {HTTP_GET, E "/tokens/settings", control_token_settings_get, CTL1},
        {HTTP_PUT, E "/tokens/settings", control_token_settings_put, CTL1},
        {HTTP_GET, E "/tokens/jwks", control_token_jwks, CTL},
        {HTTP_GET, E "/tokens/public-key.pem", control_token_public_key, CTL},
        {HTTP_GET, E "/tokens/edgekv_tokens.js", control_token_bundle, CTL1},
        {HTTP_GET, E "/notifications", control_notifications_list, CTL1},

        /* The web console (docs/console.md), and its view of the items */
        {HTTP_GET, ENS "/groups", control_browse_groups, CTL},
        {HTTP_GET, ENS "/groups/{group}/items", control_browse_items, CTL},
        {HTTP_GET, ENS "/groups/{group}/items/{item}", control_browse_item, CTL},
        {HTTP_GET, E "/ui", control_ui_redirect, CTL},
        {HTTP_GET, E "/ui/", control_ui_index, CTL},
        {HTTP_GET, E "/ui/{asset}", control_ui_asset, CTL},
};

const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);
