#ifndef EKV_API_DISPATCH_CONTROL_ACCESS_H
#define EKV_API_DISPATCH_CONTROL_ACCESS_H

#include <stdbool.h>

struct api_call;

/*
 * Whether a /_emulator request may go on (docs/security.md "Control API").
 * It must come from loopback (or any peer with --control-any-peer), or carry
 * the admin secret; be addressed (Host) to a loopback name or address or the
 * listen address, unless it carries the secret; come from no web page of
 * another origin (Origin, Sec-Fetch-Site); and have an application/json
 * body, if any. On false the refusal is written.
 */
bool control_access(struct api_call *c);

#endif
