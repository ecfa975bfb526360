#ifndef EKV_API_CORE_REPLY_H
#define EKV_API_CORE_REPLY_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* The only ways a handler writes its response. */
struct api_call;

/* Prints root unformatted as application/json and frees it (owns root). */
void reply_json_steal(struct api_call *c, int status, cJSON *root);
void reply_json_steal_as(struct api_call *c, int status, const char *content_type, cJSON *root);

/* Copies len bytes of body with the given content type. */
void reply_bytes(struct api_call *c, int status, const char *content_type, const void *body,
                 size_t len);

/* A text/plain reply built from a printf format. */
void reply_textf(struct api_call *c, int status, const char *content_type, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* A status with no body (204). */
void reply_empty(struct api_call *c, int status);

/* Adds a response header; name must be a string literal. Extra headers past the cap are dropped. */
void reply_header(struct api_call *c, const char *name, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
