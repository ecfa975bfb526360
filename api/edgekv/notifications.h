#ifndef EKV_API_EDGEKV_NOTIFICATIONS_H
#define EKV_API_EDGEKV_NOTIFICATIONS_H

#include <stdbool.h>

struct api_call;

/*
 * Runs every daily token expiry check due up to c->now_ms that has not run
 * yet (docs/behaviour.md "Expiration notifications"). Returns false on a
 * storage failure (logged).
 */
bool tokens_daily_checks(struct api_call *c);

#endif
