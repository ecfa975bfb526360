#ifndef EKV_API_CORE_PROBLEM_H
#define EKV_API_CORE_PROBLEM_H

struct api_call;

/* One enumerator per row of api/core/errors.def. */
enum ekv_error {
#define EKV_ERROR(name, status, code, type, detail) EKV_##name,
#include "api/core/errors.def"
#undef EKV_ERROR
	EKV_ERROR_COUNT
};

struct ekv_error_row {
	int status;
	const char *code;
	const char *type;   /* the kind, e.g. "bad-request" */
	const char *detail; /* may hold %s placeholders */
};

/* One enumerator per GATEWAY_ERROR row of api/core/errors.def. */
enum gateway_error {
#define GATEWAY_ERROR(name, status, kind, title, detail) GW_##name,
#include "api/core/errors.def"
#undef GATEWAY_ERROR
	GW_ERROR_COUNT
};

/* The catalogue row of err. */
const struct ekv_error_row *problem_row(enum ekv_error err);

/* "Bad Request", …; 410 is "Not Found" (docs/behaviour.md §2.1, example token-410 of the 2023
 * spec). */
const char *status_title(int status);

/*
 * Writes the whole application/problem+json body (type, title, status,
 * detail, instance, errorCode, additionalDetail.requestId) into c->res. The
 * detail is the row's text with each %s replaced by the next argument, which
 * must be a const char *.
 */
void reply_problem(struct api_call *c, enum ekv_error err, ...);

/*
 * Writes the API gateway's problem (docs/behaviour.md §2.3): type, title, status, detail,
 * instance, method, serverIp, clientIp, requestId, requestTime.
 */
void reply_gateway(struct api_call *c, enum gateway_error err);

#endif
