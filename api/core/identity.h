#ifndef EKV_API_CORE_IDENTITY_H
#define EKV_API_CORE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/store.h"

/*
 * Who is calling, as a value every request carries (struct api_call's
 * caller); api/auth/caller.c finds it and answers questions about it.
 */
enum auth_mode { AUTH_STRICT, AUTH_SOFT, AUTH_OFF };

#define CALLER_ROLES_MAX 32

struct caller_role {
	int64_t group_id; /* 0: the account group, every group */
	uint32_t caps;    /* 1 << enum capability */
	uint32_t perms;   /* enum permission bits */
};

struct caller {
	bool unrestricted; /* auth off, a soft-mode pass, or a switched account */
	char account[STORE_ACCOUNT_MAX + 1];
	char client_token[STORE_TOKEN_MAX + 1];
	size_t role_count;
	struct caller_role roles[CALLER_ROLES_MAX];
};

#endif
