/*
 * The file system calls (lab 5): opening and closing, descriptors, pipes, paths and
 * directories. Everything goes through the open-file interface (kern/fs/file.h) and the
 * process's descriptor table (kern/fs/fdtable.h), so these functions never know whether a
 * descriptor is a file, a pipe or a device.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stat.h>
#include <string.h>
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sys/files.h"
#include "sys/syscall.h"

/* A path argument, copied into path (PATH_MAX bytes, on the caller's stack: a call
 * that frees memory, unlink say, must work when there is none). */
static long get_path(uintptr_t upath, char *path)
{
	long r = strncpy_from_user(path, upath, PATH_MAX);
	return r < 0 ? r : 0;
}

/* The directory a *at() call starts from: the working directory, or -EBADF / -ENOTDIR. */
static long at_dir(int dirfd, const char *path, struct inode **dir)
{
	*dir = myproc()->cwd;
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
		r = file_open(dir, path, flags, mode & 07777, &f);
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

long sys_close(const long a[6])
{
	struct file *f = fd_remove(myproc()->files, (int)a[0]);
	if (!f)
		return -EBADF;
	file_close(f);
	return 0;
}

long sys_lseek(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	return file_seek(f, (off_t)a[1], (int)a[2]);
}

long sys_dup(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	long fd = fd_alloc(myproc()->files, f, 0, false);
	if (fd >= 0)
		file_dup(f);
	return fd;
}

/* dup2 and dup3. */
static long do_dup3(int oldfd, int newfd, int flags, bool is_dup3)
{
	// LAB 5: Make newfd refer to oldfd's open file, closing what newfd had first:
	// fd_set(table, newfd, file_dup(f), cloexec) does both. dup2 with newfd == oldfd
	// returns newfd (if oldfd is valid); dup3 refuses that with -EINVAL and takes
	// O_CLOEXEC in its flags (any other flag: -EINVAL, checked first). A bad oldfd, or a
	// newfd outside [0, FD_MAX): -EBADF. Returns newfd.
	//= BEGIN LAB 5
	struct fdtable *t = myproc()->files;
	if (is_dup3 && (flags & ~O_CLOEXEC))
		return -EINVAL;
	struct file *f = fd_get(t, oldfd);
	if (!f || newfd < 0 || newfd >= FD_MAX)
		return -EBADF;
	if (oldfd == newfd)
		return is_dup3 ? -EINVAL : newfd;
	long r = fd_set(t, newfd, file_dup(f), (flags & O_CLOEXEC) != 0);
	if (r < 0)
		file_close(f); /* the reference file_dup took */
	return r;
	//= STUB
	//= (void)oldfd, (void)newfd, (void)flags, (void)is_dup3;
	//= return -ENOSYS;
	//= END
}

long sys_dup2(const long a[6])
{
	return do_dup3((int)a[0], (int)a[1], 0, false);
}

long sys_dup3(const long a[6])
{
	return do_dup3((int)a[0], (int)a[1], (int)a[2], true);
}

long sys_fcntl(const long a[6])
{
	struct fdtable *t = myproc()->files;
	int fd = (int)a[0];
	struct file *f = fd_get(t, fd);
	long r;

	if (!f)
		return -EBADF;
	switch ((unsigned int)a[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* The argument is an int (Linux reads the low 32 bits). */
		if ((int)a[2] < 0 || (int)a[2] >= FD_MAX)
			return -EINVAL;
		r = fd_alloc(t, f, (int)a[2], a[1] == F_DUPFD_CLOEXEC);
		if (r >= 0)
			file_dup(f);
		return r;
	case F_GETFD:
		return fd_cloexec(t, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(t, fd, a[2] & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	default:
		return -EINVAL;
	}
}

static long do_pipe(uintptr_t ufds, int flags)
{
	struct fdtable *t = myproc()->files;
	struct file *rf, *wf;
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	long r = pipe_create(&rf, &wf, flags & O_NONBLOCK);
	if (r < 0)
		return r;
	fds[0] = fd_alloc(t, rf, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? fds[0] : fd_alloc(t, wf, 0, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds)) < 0) {
		r = fds[1] < 0 ? fds[1] : -EFAULT;
		if (fds[0] >= 0)
			fd_remove(t, fds[0]);
		if (fds[1] >= 0)
			fd_remove(t, fds[1]);
		file_close(rf);
		file_close(wf);
		return r;
	}
	return 0;
}

long sys_pipe(const long a[6])
{
	return do_pipe((uintptr_t)a[0], 0);
}

long sys_pipe2(const long a[6])
{
	return do_pipe((uintptr_t)a[0], (int)a[1]);
}

/* Linux's struct stat (inc/stat.h) of what stat found. */
static long stat_out(const struct kstat *ks, uintptr_t ubuf)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = 1;
	st.st_ino = ks->ino;
	st.st_nlink = ks->nlink;
	st.st_mode = ks->mode;
	st.st_size = (int64_t)ks->size;
	st.st_blksize = 4096;
	st.st_blocks = (int64_t)ks->blocks;
	return copy_to_user(ubuf, &st, sizeof(st));
}

long sys_fstat(const long a[6])
{
	struct kstat ks;
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	long r = file_stat(f, &ks);
	return r < 0 ? r : stat_out(&ks, (uintptr_t)a[1]);
}

long sys_stat(const long a[6])
{
	char path[PATH_MAX];
	struct inode *node;
	struct kstat ks;
	long r = get_path((uintptr_t)a[0], path);
	if (r < 0)
		return r;
	r = ramfs_lookup(myproc()->cwd, path, &node);
	if (r < 0)
		return r;
	ramfs_stat(node, &ks);
	return stat_out(&ks, (uintptr_t)a[1]);
}

long sys_mkdir(const long a[6])
{
	char path[PATH_MAX];
	long r = get_path((uintptr_t)a[0], path);
	if (r < 0)
		return r;
	r = ramfs_mkdir(myproc()->cwd, path, (uint32_t)a[1] & 07777);
	return r;
}

long sys_unlink(const long a[6])
{
	char path[PATH_MAX];
	long r = get_path((uintptr_t)a[0], path);
	if (r < 0)
		return r;
	r = ramfs_unlink(myproc()->cwd, path);
	return r;
}

long sys_rmdir(const long a[6])
{
	char path[PATH_MAX];
	long r = get_path((uintptr_t)a[0], path);
	if (r < 0)
		return r;
	r = ramfs_rmdir(myproc()->cwd, path);
	return r;
}

long sys_chdir(const long a[6])
{
	struct proc *p = myproc();
	struct inode *node;
	char path[PATH_MAX];
	long r = get_path((uintptr_t)a[0], path);
	if (r < 0)
		return r;
	r = ramfs_lookup(p->cwd, path, &node);
	if (r < 0)
		return r;
	if (!S_ISDIR(node->mode))
		return -ENOTDIR;
	inode_get(node);
	if (p->cwd)
		inode_put(p->cwd);
	p->cwd = node;
	return 0;
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

/* getdents64: as many whole entries as fit in the buffer. */
long sys_getdents64(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	uintptr_t ubuf = (uintptr_t)a[1];
	size_t size = (size_t)a[2], used = 0;
	struct linux_dirent64 hdr;
	const size_t hlen = offsetof(struct linux_dirent64, d_name); /* 19: the name follows */
	long r = 0;

	if (!f)
		return -EBADF;
	struct fs_dirent *de = kmalloc(sizeof(*de));
	if (!de)
		return -ENOMEM;
	while ((r = file_readdir(f, de)) == 1) {
		size_t namelen = strlen(de->name) + 1;
		size_t reclen = ROUNDUP(hlen + namelen, 8);
		if (used + reclen > size) {
			r = used ? 0 : -EINVAL;
			break;
		}
		hdr.d_ino = de->ino;
		hdr.d_off = f->off + 1;
		hdr.d_reclen = (uint16_t)reclen;
		hdr.d_type = de->type;
		char pad[8] = { 0 };
		if (copy_to_user(ubuf + used, &hdr, hlen) < 0 ||
		    copy_to_user(ubuf + used + hlen, de->name, namelen) < 0 ||
		    copy_to_user(ubuf + used + hlen + namelen, pad, reclen - hlen - namelen) < 0) {
			r = -EFAULT;
			break;
		}
		used += reclen;
		f->off++;
	}
	kfree(de);
	return r < 0 && !(r == -EINVAL && used) ? r : (long)used;
}
