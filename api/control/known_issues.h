#ifndef EKV_API_CONTROL_KNOWN_ISSUES_H
#define EKV_API_CONTROL_KNOWN_ISSUES_H

#include <stdbool.h>

#include <cjson/cJSON.h>

struct api_call;

/*
 * Reads {"name": bool, ...} of known issues (api/state/settings.h) into
 * *bits; NULL obj changes nothing. Replies 400 and returns false on an
 * unknown name or a value that is not a boolean. Settings and known-issues
 * controls both take it.
 */
bool require_issue_map(struct api_call *c, const cJSON *obj, unsigned *bits);

#endif
