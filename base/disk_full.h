#ifndef EKV_BASE_DISK_FULL_H
#define EKV_BASE_DISK_FULL_H

#include <stdbool.h>

/*
 * Whether a failed write's errno means no room: the disk (ENOSPC), the file
 * size limit (EFBIG) or the quota (EDQUOT). Such a write is answered 507;
 * any other failure is an I/O error.
 */
bool disk_full(int err);

#endif
