#ifndef EKV_TESTS_UNIT_VFS_SHIM_H
#define EKV_TESTS_UNIT_VFS_SHIM_H

/*
 * A SQLite VFS for tests, registered as the default in front of the real one:
 * it counts the writes, syncs and truncations of every file, and can make
 * writes fail as a full disk (SQLITE_FULL, what SQLite returns for ENOSPC)
 * or an I/O error would. Header-only so each test binary that needs it
 * includes it. Call vfs_shim_install() before opening a store.
 */
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>

struct vfs_shim_counts {
	atomic_int writes, syncs, truncates;
	atomic_int fail_writes; /* 0, or the SQLite code every write returns */
};

static struct vfs_shim_counts vfs_shim;
static sqlite3_vfs *vfs_shim_real;

struct vfs_shim_file {
	sqlite3_file base;
	sqlite3_file *real; /* follows this struct in the same allocation */
};

#define VFS_SHIM_REAL(f) (((struct vfs_shim_file *)(f))->real)

static int shim_close(sqlite3_file *f)
{
	return VFS_SHIM_REAL(f)->pMethods->xClose(VFS_SHIM_REAL(f));
}

static int shim_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return VFS_SHIM_REAL(f)->pMethods->xRead(VFS_SHIM_REAL(f), p, n, off);
}

static int shim_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	int fail = atomic_load(&vfs_shim.fail_writes);

	if (fail)
		return fail;
	atomic_fetch_add(&vfs_shim.writes, 1);
	return VFS_SHIM_REAL(f)->pMethods->xWrite(VFS_SHIM_REAL(f), p, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	atomic_fetch_add(&vfs_shim.truncates, 1);
	return VFS_SHIM_REAL(f)->pMethods->xTruncate(VFS_SHIM_REAL(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
	atomic_fetch_add(&vfs_shim.syncs, 1);
	return VFS_SHIM_REAL(f)->pMethods->xSync(VFS_SHIM_REAL(f), flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return VFS_SHIM_REAL(f)->pMethods->xFileSize(VFS_SHIM_REAL(f), size);
}

static int shim_lock(sqlite3_file *f, int level)
{
	return VFS_SHIM_REAL(f)->pMethods->xLock(VFS_SHIM_REAL(f), level);
}

static int shim_unlock(sqlite3_file *f, int level)
{
	return VFS_SHIM_REAL(f)->pMethods->xUnlock(VFS_SHIM_REAL(f), level);
}

static int shim_check_reserved(sqlite3_file *f, int *out)
{
	return VFS_SHIM_REAL(f)->pMethods->xCheckReservedLock(VFS_SHIM_REAL(f), out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
	return VFS_SHIM_REAL(f)->pMethods->xFileControl(VFS_SHIM_REAL(f), op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
	return VFS_SHIM_REAL(f)->pMethods->xSectorSize(VFS_SHIM_REAL(f));
}

static int shim_device(sqlite3_file *f)
{
	return VFS_SHIM_REAL(f)->pMethods->xDeviceCharacteristics(VFS_SHIM_REAL(f));
}

static int shim_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return VFS_SHIM_REAL(f)->pMethods->xShmMap(VFS_SHIM_REAL(f), page, size, extend, out);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return VFS_SHIM_REAL(f)->pMethods->xShmLock(VFS_SHIM_REAL(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
	VFS_SHIM_REAL(f)->pMethods->xShmBarrier(VFS_SHIM_REAL(f));
}

static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return VFS_SHIM_REAL(f)->pMethods->xShmUnmap(VFS_SHIM_REAL(f), delete_flag);
}

/* Version 2: no memory-mapped I/O (mmap would write behind the counters' back). */
static const sqlite3_io_methods shim_methods = {
        .iVersion = 2,
        .xClose = shim_close,
        .xRead = shim_read,
        .xWrite = shim_write,
        .xTruncate = shim_truncate,
        .xSync = shim_sync,
        .xFileSize = shim_file_size,
        .xLock = shim_lock,
        .xUnlock = shim_unlock,
        .xCheckReservedLock = shim_check_reserved,
        .xFileControl = shim_file_control,
        .xSectorSize = shim_sector_size,
        .xDeviceCharacteristics = shim_device,
        .xShmMap = shim_shm_map,
        .xShmLock = shim_shm_lock,
        .xShmBarrier = shim_shm_barrier,
        .xShmUnmap = shim_shm_unmap,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct vfs_shim_file *file = (struct vfs_shim_file *)f;
	int rc;

	(void)vfs;
	file->real = (sqlite3_file *)(file + 1);
	rc = vfs_shim_real->xOpen(vfs_shim_real, name, file->real, flags, out);
	file->base.pMethods = file->real->pMethods ? &shim_methods : NULL;
	return rc;
}

static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return vfs_shim_real->xDelete(vfs_shim_real, name, sync_dir);
}

static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return vfs_shim_real->xAccess(vfs_shim_real, name, flags, out);
}

static int shim_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return vfs_shim_real->xFullPathname(vfs_shim_real, name, n, out);
}

static int shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return vfs_shim_real->xRandomness(vfs_shim_real, n, out);
}

static int shim_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return vfs_shim_real->xSleep(vfs_shim_real, us);
}

static int shim_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return vfs_shim_real->xCurrentTime(vfs_shim_real, out);
}

static int shim_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return vfs_shim_real->xGetLastError(vfs_shim_real, n, out);
}

static sqlite3_vfs shim_vfs = {
        .iVersion = 1,
        .zName = "unix-excl", /* the name storage/ opens with: found before the real one */
        .xOpen = shim_open,
        .xDelete = shim_delete,
        .xAccess = shim_access,
        .xFullPathname = shim_full_pathname,
        .xRandomness = shim_randomness,
        .xSleep = shim_sleep,
        .xCurrentTime = shim_current_time,
        .xGetLastError = shim_last_error,
};

/*
 * Registers the shim in front of SQLite's "unix-excl" VFS, the one storage/ names when it
 * opens a file, under the same name and as the default: sqlite3_vfs_find() returns the
 * newest registration first. Once per process.
 */
static inline int vfs_shim_install(void)
{
	if (vfs_shim_real)
		return SQLITE_OK;
	vfs_shim_real = sqlite3_vfs_find("unix-excl");
	if (!vfs_shim_real)
		return SQLITE_ERROR;
	shim_vfs.szOsFile = (int)sizeof(struct vfs_shim_file) + vfs_shim_real->szOsFile;
	shim_vfs.mxPathname = vfs_shim_real->mxPathname;
	return sqlite3_vfs_register(&shim_vfs, 1);
}

#endif
