/*
 * The system calls that take paths (lab 5): open, stat, making and removing names, links,
 * rename, permissions, times, the working directory. Each older call (open, stat, mkdir,
 * rename, ...) is its *at version with AT_FDCWD, so there is one implementation of each;
 * the checks come in Linux's order (the hostile-input suite compares every answer).
 */
#include <errno.h>
#include <fcntl.h>
#include <stat.h>
#include <string.h>
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#if LAB >= 7
#include "sys/clone.h"
#endif
#include "sys/files.h"
#include "sys/syscall.h"

#define UTIME_NOW  ((1L << 30) - 1) /* utimensat: this time becomes now */
#define UTIME_OMIT ((1L << 30) - 2) /* utimensat: this time stays */

long get_path(uintptr_t upath, char *path)
{
	long r = strncpy_from_user(path, upath, PATH_MAX);
	return r < 0 ? r : 0;
}

long at_dir(int dirfd, const char *path, struct inode **dir)
{
	*dir = myproc()->cwd;
	if (path[0] == '\0')
		return -ENOENT; /* before dirfd is looked at, as Linux */
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return 0;
	struct file *f = fd_file(dirfd);
	if (!f)
		return -EBADF;
	if (!f->node || !S_ISDIR(f->node->mode))
		return -ENOTDIR;
	*dir = f->node;
	return 0;
}

/* The node a *at call names: path from dirfd, following a last link unless nofollow; with
 * empty_ok, an empty path means dirfd's own file (AT_EMPTY_PATH). *f (may be NULL) gets
 * that file when there is one. */
static long at_node(int dirfd, const char *path, bool nofollow, bool empty_ok, struct inode **node,
                    struct file **f)
{
	struct inode *dir;
	if (f)
		*f = NULL;
	if (path[0] == '\0' && empty_ok) {
		struct file *df = dirfd == AT_FDCWD ? NULL : fd_file(dirfd);
		if (dirfd != AT_FDCWD && !df)
			return -EBADF;
		if (f)
			*f = df;
		*node = df ? df->node : (myproc()->cwd ? myproc()->cwd : ramfs_root());
		return *node || df ? 0 : -EBADF;
	}
	long r = at_dir(dirfd, path, &dir);
	if (r < 0)
		return r;
	return nofollow ? ramfs_lookup_link(dir, path, node) : ramfs_lookup(dir, path, node);
}

long stat_out(const struct kstat *ks, uintptr_t ubuf)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = ks->dev;
	st.st_ino = ks->ino;
	st.st_nlink = ks->nlink;
	st.st_mode = ks->mode;
	st.st_rdev = ks->rdev;
	st.st_size = (int64_t)ks->size;
	st.st_blksize = 4096;
	st.st_blocks = (int64_t)ks->blocks;
	st.st_atime = ks->atime.tv_sec;
	st.st_atime_nsec = ks->atime.tv_nsec;
	st.st_mtime = ks->mtime.tv_sec;
	st.st_mtime_nsec = ks->mtime.tv_nsec;
	st.st_ctime = ks->ctime.tv_sec;
	st.st_ctime_nsec = ks->ctime.tv_nsec;
	return copy_to_user(ubuf, &st, sizeof(st));
}

/* ---- opening ---------------------------------------------------------------------------- */

static long do_openat(int dirfd, uintptr_t upath, int flags, uint32_t mode)
{
	char path[PATH_MAX];
	struct inode *dir;
	struct file *f;
	long r = get_path(upath, path);
	if (r < 0)
		return r;
	r = at_dir(dirfd, path, &dir);
	if (r == 0)
		r = file_open(dir, path, flags, mode & 07777 & ~myproc()->umask, &f);
	if (r < 0)
		return r;
	r = fd_alloc(myproc()->files, f, 0, flags & O_CLOEXEC);
	if (r < 0)
		file_close(f);
	return r;
}

long sys_open(const long a[6])
{
	return do_openat(AT_FDCWD, (uintptr_t)a[0], (int)a[1], (uint32_t)a[2]);
}

long sys_openat(const long a[6])
{
	return do_openat((int)a[0], (uintptr_t)a[1], (int)a[2], (uint32_t)a[3]);
}

/* mknod(path, mode, dev): a regular file, as open would make it; the file system holds no
 * FIFOs, sockets or device nodes that programs make (-EPERM, as where Linux forbids them). */
static long do_mknodat(int dirfd, uintptr_t upath, uint32_t mode)
{
	char path[PATH_MAX];
	struct inode *dir, *node;
	uint32_t type = mode & S_IFMT;

	if (type == S_IFDIR)
		return -EPERM;
	if (type != 0 && type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	long r = get_path(upath, path);
	if (r == 0)
		r = at_dir(dirfd, path, &dir);
	if (r < 0)
		return r;
	if (type == 0 || type == S_IFREG)
		return ramfs_create(dir, path, mode & 07777 & ~myproc()->umask, &node);
	r = ramfs_lookup_link(dir, path, &node);
	return r == 0 ? -EEXIST : r == -ENOENT ? -EPERM : r;
}

long sys_mknod(const long a[6])
{
	return do_mknodat(AT_FDCWD, (uintptr_t)a[0], (uint32_t)a[1]);
}

long sys_mknodat(const long a[6])
{
	return do_mknodat((int)a[0], (uintptr_t)a[1], (uint32_t)a[2]);
}

long sys_creat(const long a[6])
{
	return do_openat(AT_FDCWD, (uintptr_t)a[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a[1]);
}

/* ---- stat ------------------------------------------------------------------------------- */

#define AT_STATX_SYNC_TYPE 0x6000 /* statx's sync hints: accepted, nothing to sync */

static long do_fstatat(int dirfd, uintptr_t upath, uintptr_t ubuf, int flags)
{
	char path[PATH_MAX];
	struct inode *node;
	struct file *f;
	struct kstat ks;
	long r = get_path(upath, path);

	/* As Linux 6.11 on: AT_EMPTY_PATH with a NULL path is fstat of dirfd. */
	if (r == -EFAULT && !upath && (flags & AT_EMPTY_PATH)) {
		path[0] = '\0';
		r = 0;
	}
	if (r < 0)
		return r;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	r = at_node(dirfd, path, flags & AT_SYMLINK_NOFOLLOW, flags & AT_EMPTY_PATH, &node, &f);
	if (r < 0)
		return r;
	if (f)
		r = file_stat(f, &ks);
	else
		ramfs_stat(node, &ks);
	return r < 0 ? r : stat_out(&ks, ubuf);
}

long sys_stat(const long a[6])
{
	return do_fstatat(AT_FDCWD, (uintptr_t)a[0], (uintptr_t)a[1], 0);
}

long sys_lstat(const long a[6])
{
	return do_fstatat(AT_FDCWD, (uintptr_t)a[0], (uintptr_t)a[1], AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(const long a[6])
{
	return do_fstatat((int)a[0], (uintptr_t)a[1], (uintptr_t)a[2], (int)a[3]);
}

/* statfs and fstatfs: Linux's struct statfs (x86-64, 120 bytes). The tree is kept in
 * memory: its blocks are pages, those free are the free memory. */
struct statfs {
	long f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen, f_frsize, f_flags, f_spare[4];
};

#define RAMFS_MAGIC      0x858458f6
#define PROC_SUPER_MAGIC 0x9fa0
#define ANON_INODE_MAGIC 0x09041934
#define ST_VALID         0x20 /* f_flags is meaningful */

long statfs_out(struct inode *node, uintptr_t ubuf)
{
	struct statfs sf;
	memset(&sf, 0, sizeof(sf));
	sf.f_type = !node                      ? ANON_INODE_MAGIC
	            : node->dev == FS_DEV_PROC ? PROC_SUPER_MAGIC
	                                       : RAMFS_MAGIC;
	sf.f_bsize = sf.f_frsize = 4096;
	if (node && node->dev == FS_DEV_ROOT) {
		sf.f_blocks = (long)page_usable_count();
		sf.f_bfree = sf.f_bavail = (long)page_free_count();
	}
	sf.f_fsid[0] = node ? (int)node->dev : 0;
	sf.f_namelen = NAME_MAX;
	sf.f_flags = ST_VALID;
	return copy_to_user(ubuf, &sf, sizeof(sf));
}

long sys_statfs(const long a[6])
{
	char path[PATH_MAX];
	struct inode *node;
	long r = get_path((uintptr_t)a[0], path);
	if (r == 0)
		r = ramfs_lookup(myproc()->cwd, path, &node);
	return r < 0 ? r : statfs_out(node, (uintptr_t)a[1]);
}

/* ---- making and removing names ---------------------------------------------------------- */

static long do_mkdirat(int dirfd, uintptr_t upath, uint32_t mode)
{
	char path[PATH_MAX];
	struct inode *dir;
	long r = get_path(upath, path);
	if (r == 0)
		r = at_dir(dirfd, path, &dir);
	if (r == 0)
		r = ramfs_mkdir(dir, path, mode & 01777 & ~myproc()->umask);
	return r;
}

long sys_mkdir(const long a[6])
{
	return do_mkdirat(AT_FDCWD, (uintptr_t)a[0], (uint32_t)a[1]);
}

long sys_mkdirat(const long a[6])
{
	return do_mkdirat((int)a[0], (uintptr_t)a[1], (uint32_t)a[2]);
}

static long do_unlinkat(int dirfd, uintptr_t upath, int flags)
{
	char path[PATH_MAX];
	struct inode *dir;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	long r = get_path(upath, path);
	if (r == 0)
		r = at_dir(dirfd, path, &dir);
	if (r == 0)
		r = flags & AT_REMOVEDIR ? ramfs_rmdir(dir, path) : ramfs_unlink(dir, path);
	return r;
}

long sys_unlink(const long a[6])
{
	return do_unlinkat(AT_FDCWD, (uintptr_t)a[0], 0);
}

long sys_rmdir(const long a[6])
{
	return do_unlinkat(AT_FDCWD, (uintptr_t)a[0], AT_REMOVEDIR);
}

long sys_unlinkat(const long a[6])
{
	return do_unlinkat((int)a[0], (uintptr_t)a[1], (int)a[2]);
}

/* rename and link name two paths: the first is kept on the kernel stack (which has room
 * for one), the second in the heap. As Linux, a bad flag is seen before either path, and
 * the first path's errors before the second's. */
static long get_two_paths(char *old, struct inode **olddir, int olddirfd, uintptr_t uold, char *new,
                          struct inode **newdir, int newdirfd, uintptr_t unew, bool flags_ok)
{
	long r1 = get_path(uold, old), r2 = get_path(unew, new);
	if (!flags_ok)
		return -EINVAL;
	if (r1 == 0)
		r1 = at_dir(olddirfd, old, olddir);
	if (r1 < 0)
		return r1;
	if (r2 == 0)
		r2 = at_dir(newdirfd, new, newdir);
	return r2;
}

static long do_renameat2(int olddirfd, uintptr_t uold, int newdirfd, uintptr_t unew,
                         unsigned int flags)
{
	char old[PATH_MAX];
	struct inode *olddir, *newdir;
	char *new = kmalloc(PATH_MAX);
	bool flags_ok =
	        !(flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) &&
	        !((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) && (flags & RENAME_EXCHANGE));
	if (!new)
		return -ENOMEM;
	long r =
	        get_two_paths(old, &olddir, olddirfd, uold, new, &newdir, newdirfd, unew, flags_ok);
	if (r == 0)
		r = ramfs_rename(olddir, old, newdir, new, flags);
	kfree(new);
	return r;
}

long sys_rename(const long a[6])
{
	return do_renameat2(AT_FDCWD, (uintptr_t)a[0], AT_FDCWD, (uintptr_t)a[1], 0);
}

long sys_renameat(const long a[6])
{
	return do_renameat2((int)a[0], (uintptr_t)a[1], (int)a[2], (uintptr_t)a[3], 0);
}

long sys_renameat2(const long a[6])
{
	return do_renameat2((int)a[0], (uintptr_t)a[1], (int)a[2], (uintptr_t)a[3],
	                    (unsigned int)a[4]);
}

static long do_linkat(int olddirfd, uintptr_t uold, int newdirfd, uintptr_t unew, int flags)
{
	char old[PATH_MAX];
	struct inode *node, *newdir;
	char *new = kmalloc(PATH_MAX);
	if (!new)
		return -ENOMEM;
	long r = get_path(uold, old), r2 = get_path(unew, new);
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		r = -EINVAL;
	if (r == 0)
		r = at_node(olddirfd, old, !(flags & AT_SYMLINK_FOLLOW), flags & AT_EMPTY_PATH,
		            &node, NULL);
	if (r == 0)
		r = r2;
	if (r == 0)
		r = at_dir(newdirfd, new, &newdir);
	if (r == 0)
		r = ramfs_link(node, newdir, new);
	kfree(new);
	return r;
}

long sys_link(const long a[6])
{
	return do_linkat(AT_FDCWD, (uintptr_t)a[0], AT_FDCWD, (uintptr_t)a[1], 0);
}

long sys_linkat(const long a[6])
{
	return do_linkat((int)a[0], (uintptr_t)a[1], (int)a[2], (uintptr_t)a[3], (int)a[4]);
}

static long do_symlinkat(uintptr_t utarget, int newdirfd, uintptr_t upath)
{
	char path[PATH_MAX];
	struct inode *dir;
	char *target = kmalloc(PATH_MAX);
	if (!target)
		return -ENOMEM;
	long r = get_path(utarget, target);
	if (r == 0 && target[0] == '\0')
		r = -ENOENT;
	if (r == 0)
		r = get_path(upath, path);
	if (r == 0)
		r = at_dir(newdirfd, path, &dir);
	if (r == 0)
		r = ramfs_symlink(dir, path, target);
	kfree(target);
	return r;
}

long sys_symlink(const long a[6])
{
	return do_symlinkat((uintptr_t)a[0], AT_FDCWD, (uintptr_t)a[1]);
}

long sys_symlinkat(const long a[6])
{
	return do_symlinkat((uintptr_t)a[0], (int)a[1], (uintptr_t)a[2]);
}

static long do_readlinkat(int dirfd, uintptr_t upath, uintptr_t ubuf, int size)
{
	char path[PATH_MAX];
	struct inode *node;
	if (size <= 0)
		return -EINVAL;
	long r = get_path(upath, path);
	if (r == 0)
		r = at_node(dirfd, path, true, true, &node, NULL);
	if (r < 0)
		return r;
	/* The target goes into path's room, which is no longer needed. */
	r = ramfs_readlink(node, path, MIN((size_t)size, sizeof(path)));
	if (r > 0 && copy_to_user(ubuf, path, (size_t)r) < 0)
		r = -EFAULT;
	return r;
}

long sys_readlink(const long a[6])
{
	return do_readlinkat(AT_FDCWD, (uintptr_t)a[0], (uintptr_t)a[1], (int)a[2]);
}

long sys_readlinkat(const long a[6])
{
	return do_readlinkat((int)a[0], (uintptr_t)a[1], (uintptr_t)a[2], (int)a[3]);
}

/* ---- permissions, times and sizes ------------------------------------------------------- */

#define R_OK 4
#define W_OK 2
#define X_OK 1

/* access and faccessat: every process is root (uid 0) and permissions are not enforced, so
 * only existence counts, and X_OK wants an execute bit (or a directory), as for Linux's
 * root. */
static long do_faccessat(int dirfd, uintptr_t upath, int mode, int flags)
{
	char path[PATH_MAX];
	struct inode *node;
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	long r = get_path(upath, path);
	if (r == 0)
		r = at_node(dirfd, path, flags & AT_SYMLINK_NOFOLLOW, flags & AT_EMPTY_PATH, &node,
		            NULL);
	if (r < 0)
		return r;
	if ((mode & X_OK) && !S_ISDIR(node->mode) && !(node->mode & 0111))
		return -EACCES;
	return 0;
}

long sys_access(const long a[6])
{
	return do_faccessat(AT_FDCWD, (uintptr_t)a[0], (int)a[1], 0);
}

long sys_faccessat(const long a[6])
{
	return do_faccessat((int)a[0], (uintptr_t)a[1], (int)a[2], 0);
}

long sys_faccessat2(const long a[6])
{
	return do_faccessat((int)a[0], (uintptr_t)a[1], (int)a[2], (int)a[3]);
}

static long do_fchmodat(int dirfd, uintptr_t upath, uint32_t mode)
{
	char path[PATH_MAX];
	struct inode *node;
	long r = get_path(upath, path);
	if (r == 0)
		r = at_node(dirfd, path, false, false, &node, NULL);
	return r < 0 ? r : ramfs_chmod(node, mode);
}

long sys_chmod(const long a[6])
{
	return do_fchmodat(AT_FDCWD, (uintptr_t)a[0], (uint32_t)a[1]);
}

long sys_fchmodat(const long a[6])
{
	return do_fchmodat((int)a[0], (uintptr_t)a[1], (uint32_t)a[2]);
}

long sys_fchmod(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	/* A pipe or the console the kernel opened has no node: accepted, nothing kept. */
	return f->node ? ramfs_chmod(f->node, (uint32_t)a[1]) : 0;
}

long sys_umask(const long a[6])
{
	struct proc *p = myproc();
	uint32_t old = p->umask;
	p->umask = (uint32_t)a[0] & 0777;
#if LAB >= 7
	clone_fs_changed(p);
#endif
	return old;
}

long sys_truncate(const long a[6])
{
	char path[PATH_MAX];
	struct inode *node;
	if (a[1] < 0)
		return -EINVAL;
	long r = get_path((uintptr_t)a[0], path);
	if (r == 0)
		r = ramfs_lookup(myproc()->cwd, path, &node);
	return r < 0 ? r : ramfs_truncate(node, (off_t)a[1]);
}

long sys_ftruncate(const long a[6])
{
	if (a[1] < 0)
		return -EINVAL;
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	int acc = f->flags & O_ACCMODE;
	if (!f->node || !S_ISREG(f->node->mode) || (acc != O_WRONLY && acc != O_RDWR))
		return -EINVAL;
	return ramfs_truncate(f->node, (off_t)a[1]);
}

static bool utime_ok(long nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec < 1000000000L);
}

/* utimensat(dirfd, path, times[2], flags); path NULL means dirfd's file (futimens). */
long sys_utimensat(const long a[6])
{
	int dirfd = (int)a[0], flags = (int)a[3];
	uintptr_t upath = (uintptr_t)a[1], utimes = (uintptr_t)a[2];
	struct timespec t[2], now;
	struct inode *node;
	char path[PATH_MAX];
	long r;

	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)) < 0)
			return -EFAULT;
		if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	if (!upath && dirfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		struct file *f = fd_file(dirfd);
		if (!f)
			return -EBADF;
		node = f->node;
	} else {
		if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		if ((r = get_path(upath, path)) < 0)
			return r;
		r = at_node(dirfd, path, flags & AT_SYMLINK_NOFOLLOW, flags & AT_EMPTY_PATH, &node,
		            NULL);
		if (r < 0)
			return r;
	}
	if (utimes && (!utime_ok(t[0].tv_nsec) || !utime_ok(t[1].tv_nsec)))
		return -EINVAL;
	if (!node)
		return 0; /* a pipe or the console the kernel opened: nothing kept */
	ramfs_now(&now);
	for (int i = 0; i < 2; i++)
		if (!utimes || t[i].tv_nsec == UTIME_NOW)
			t[i] = now;
	ramfs_set_times(node, utimes && t[0].tv_nsec == UTIME_OMIT ? NULL : &t[0],
	                utimes && t[1].tv_nsec == UTIME_OMIT ? NULL : &t[1]);
	return 0;
}

/* ---- the working directory -------------------------------------------------------------- */

static long change_dir(struct inode *node)
{
	struct proc *p = myproc();
	if (!S_ISDIR(node->mode))
		return -ENOTDIR;
	inode_get(node);
	if (p->cwd)
		inode_put(p->cwd);
	p->cwd = node;
#if LAB >= 7
	clone_fs_changed(p); /* lab 7: the tasks sharing p's (CLONE_FS) move too */
#endif
	return 0;
}

long sys_chdir(const long a[6])
{
	struct inode *node;
	char path[PATH_MAX];
	long r = get_path((uintptr_t)a[0], path);
	if (r == 0)
		r = ramfs_lookup(myproc()->cwd, path, &node);
	return r < 0 ? r : change_dir(node);
}

long sys_fchdir(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	return f->node ? change_dir(f->node) : -ENOTDIR;
}

long sys_getcwd(const long a[6])
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	struct inode *cwd = myproc()->cwd ? myproc()->cwd : ramfs_root();
	long r = ramfs_path(cwd, buf, MIN((size_t)a[1], (size_t)PATH_MAX));
	if (r >= 0)
		r = copy_to_user((uintptr_t)a[0], buf, (size_t)r + 1) < 0 ? -EFAULT : r + 1;
	kfree(buf);
	return r;
}
