#ifndef EKV_API_CORE_IDS_H
#define EKV_API_CORE_IDS_H

#include <stdbool.h>
#include <stddef.h>

/* Identifier rules of docs/behaviour.md §1.2, and generated ids. */

/* 1-32 of [A-Za-z0-9_-], not starting with '-'. */
bool ids_namespace_valid(const char *s, size_t len);
/* 1-128 of [A-Za-z0-9_-]. */
bool ids_group_valid(const char *s, size_t len);
/* 1-512 of [A-Za-z0-9_-]. */
bool ids_key_valid(const char *s, size_t len);
/* 1-max of [A-Za-z0-9_-]. */
bool ids_charset_valid(const char *s, size_t len, size_t max);

#define IDS_UUID_LEN 36

/* Writes a random (version 4) UUID and a NUL into out (IDS_UUID_LEN + 1 bytes). */
void ids_uuid_v4(char *out);

/* A 7-digit CP code derived from the account id: stable across restarts. */
void ids_cpcode(const char *account, char *out, size_t size);

/* "akab-" and 32 random hex digits in two halves, like a real client or access token. */
void ids_random_token(char *out, size_t size);

/* 32 random bytes in base64 (44 characters), like a real client secret. */
void ids_random_secret(char *out, size_t size);

#endif
