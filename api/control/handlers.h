#ifndef EKV_API_CONTROL_HANDLERS_H
#define EKV_API_CONTROL_HANDLERS_H

/* The control API's handlers (/_emulator rows of api/dispatch/routes.c). */
#include "api/core/router.h"

/* api/control/identity.c */
api_handler_fn control_accounts_create;
api_handler_fn control_accounts_list;
api_handler_fn control_accounts_get;
api_handler_fn control_groups_put;
api_handler_fn control_users_put;
api_handler_fn control_users_roles;
api_handler_fn control_clients_create;
api_handler_fn control_clients_deactivate;

/* api/control/tokens.c */
api_handler_fn control_token_settings_get;
api_handler_fn control_token_settings_put;
api_handler_fn control_token_jwks;
api_handler_fn control_token_public_key;
api_handler_fn control_token_bundle;

/* api/control/notifications.c */
api_handler_fn control_notifications_list;

/* api/control/clock.c */
api_handler_fn control_clock_get;
api_handler_fn control_clock_post;

/* api/control/health.c */
api_handler_fn control_health;
api_handler_fn control_ready;

/* api/control/reset.c */
api_handler_fn control_reset;

/* api/control/settle.c */
api_handler_fn control_settle;

/* api/control/snapshots.c */
api_handler_fn control_snapshots_list;
api_handler_fn control_snapshots_save;
api_handler_fn control_snapshots_restore;
api_handler_fn control_snapshots_delete;

/* api/control/export.c */
api_handler_fn control_export;

/* api/control/import.c */
api_handler_fn control_import;

/* api/control/settings.c */
api_handler_fn control_settings_get;
api_handler_fn control_settings_put;

/* api/control/known_issues.c */
api_handler_fn control_known_issues_get;
api_handler_fn control_known_issues_put;

/* api/control/faults.c */
api_handler_fn control_faults_list;
api_handler_fn control_faults_add;
api_handler_fn control_faults_delete;
api_handler_fn control_faults_clear;

/* api/control/export.c */
struct user_rec;
struct client_rec;
/* Fixture-format JSON of a user and of an API client, appended to the cJSON array ctx. */
void control_export_user(void *ctx, const struct user_rec *u);
void control_export_client(void *ctx, const struct client_rec *cl, const char *roles);

/* api/control/requests.c */
api_handler_fn control_requests;
api_handler_fn control_requests_clear;

/* api/control/browse.c */
api_handler_fn control_browse_groups;
api_handler_fn control_browse_items;
api_handler_fn control_browse_item;

/* api/control/ui.c */
api_handler_fn control_ui_redirect;
api_handler_fn control_ui_index;
api_handler_fn control_ui_asset;

#endif
