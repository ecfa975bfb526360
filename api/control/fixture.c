/* Reading a fixture document: typed members with defaults, and why one was refused. */
#include "api/control/fixture.h"

#include <stdio.h>
#include <string.h>

const char *fixture_str(const cJSON *o, const char *name, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : dflt;
}

int64_t fixture_int(const cJSON *o, const char *name, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

bool fixture_bool(const cJSON *o, const char *name, bool dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

int import_fail(struct import_error *err, enum ekv_error code, const char *subject)
{
	err->code = code;
	snprintf(err->subject, sizeof(err->subject), "%s", subject);
	return -1;
}

void import_error_text(const struct import_error *err, char *out, size_t size)
{
	const char *detail = problem_row(err->code)->detail, *hole = strstr(detail, "%s");

	if (hole)
		snprintf(out, size, "%.*s%s%s", (int)(hole - detail), detail, err->subject,
		         hole + 2);
	else
		snprintf(out, size, "%s", detail);
}
