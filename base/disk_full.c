#include "base/disk_full.h"

#include <errno.h>

bool disk_full(int err)
{
	return err == ENOSPC || err == EFBIG || err == EDQUOT;
}
