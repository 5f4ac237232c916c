/*
 * The file system calls (lab 5): descriptors, reading and writing, pipes, paths and
 * directories. Everything goes through the open-file interface (kern/fs/file.h), so these
 * functions never know whether a descriptor is a file, a pipe or a device.
 */
#include <errno.h>
#include <string.h>
#include "fs/fd.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"
#include "sched/sched.h"

#define AT_FDCWD        (-100)
#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1
#define IO_CHUNK        1024 /* bytes moved between user and kernel memory at a time */
#define IOV_MAX         1024

struct file *fd_get(int fd)
{
	struct proc *p = myproc();
	return fd >= 0 && fd < NOFILE ? p->files[fd] : NULL;
}

int fd_install(struct file *f, int min, bool cloexec)
{
	struct proc *p = myproc();
	for (int fd = min < 0 ? 0 : min; fd < NOFILE; fd++) {
		if (!p->files[fd]) {
			p->files[fd] = f;
			p->fd_cloexec[fd] = cloexec;
			return fd;
		}
	}
	return -EMFILE;
}

void fd_fork(struct proc *child, struct proc *parent)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (parent->files[fd])
			child->files[fd] = file_dup(parent->files[fd]);
		child->fd_cloexec[fd] = parent->fd_cloexec[fd];
	}
	child->cwd = parent->cwd;
	if (child->cwd)
		inode_get(child->cwd);
}

void fd_exec(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (p->files[fd] && p->fd_cloexec[fd]) {
			file_close(p->files[fd]);
			p->files[fd] = NULL;
		}
		p->fd_cloexec[fd] = 0;
	}
}

void fd_exit(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (p->files[fd]) {
			file_close(p->files[fd]);
			p->files[fd] = NULL;
		}
	}
	if (p->cwd)
		inode_put(p->cwd);
	p->cwd = NULL;
}

/* Run a read or write of f, sleeping while it says -EAGAIN (an empty pipe, a full one, a
 * console without a whole line). */
static ssize_t blocking(ssize_t (*op)(struct file *, void *, size_t), struct file *f, void *buf,
                        size_t n)
{
	for (;;) {
		ssize_t r = op(f, buf, n);
		if (r != -EAGAIN || (f->flags & O_NONBLOCK))
			return r;
		void *chan = file_wait_channel(f);
		if (!chan)
			return r;
		if (myproc()->killed)
			return -EINTR;
		sleep_on(chan);
	}
}

static ssize_t do_read(struct file *f, void *buf, size_t n)
{
	return file_read(f, buf, n);
}

static ssize_t do_write(struct file *f, void *buf, size_t n)
{
	return file_write(f, buf, n);
}

/* read(2) through a kernel bounce buffer, a chunk at a time. Stops early at a short read
 * (end of file, a pipe with less data), as read may. */
static long read_to_user(struct file *f, uintptr_t ubuf, size_t n)
{
	char *chunk = kmalloc(IO_CHUNK);
	size_t done = 0;
	long r = 0;

	if (!chunk)
		return -ENOMEM;
	if (!user_range_ok(ubuf, n, true)) {
		kfree(chunk);
		return -EFAULT;
	}
	while (done < n) {
		size_t k = MIN(n - done, (size_t)IO_CHUNK);
		r = blocking(do_read, f, chunk, k);
		if (r <= 0)
			break;
		if (copy_to_user(ubuf + done, chunk, (size_t)r) < 0) {
			r = -EFAULT;
			break;
		}
		done += (size_t)r;
		if ((size_t)r < k)
			break; /* a short read: do not block again for the rest */
	}
	kfree(chunk);
	return done ? (long)done : r;
}

/* write(2): pipes need a write of up to PIPE_SIZE to go in one piece, so chunks are the
 * pipe size (the file layer keeps each atomic). */
static long write_from_user(struct file *f, uintptr_t ubuf, size_t n)
{
	char *chunk = kmalloc(PIPE_SIZE);
	size_t done = 0;
	long r = 0;

	if (!chunk)
		return -ENOMEM;
	if (!user_range_ok(ubuf, n, false)) {
		kfree(chunk);
		return -EFAULT;
	}
	while (done < n) {
		size_t k = MIN(n - done, (size_t)PIPE_SIZE);
		if (copy_from_user(chunk, ubuf + done, k) < 0) {
			r = -EFAULT;
			break;
		}
		size_t part = 0;
		while (part < k) {
			r = blocking(do_write, f, chunk + part, k - part);
			if (r <= 0)
				break;
			part += (size_t)r;
		}
		done += part;
		if (r <= 0)
			break;
	}
	kfree(chunk);
	return done ? (long)done : r;
}

long sys_read(const long a[6])
{
	struct file *f = fd_get((int)a[0]);
	if (!f)
		return -EBADF;
	return read_to_user(f, (uintptr_t)a[1], (size_t)a[2]);
}

long sys_write(const long a[6])
{
	struct file *f = fd_get((int)a[0]);
	if (!f)
		return -EBADF;
	return write_from_user(f, (uintptr_t)a[1], (size_t)a[2]);
}

/* readv and writev: each buffer in turn, stopping at the first short transfer. */
static long vector_io(const long a[6], bool write)
{
	struct file *f = fd_get((int)a[0]);
	uintptr_t uiov = (uintptr_t)a[1];
	long iovcnt = a[2], total = 0;
	struct {
		uintptr_t base;
		size_t len;
	} iov;

	if (!f)
		return -EBADF;
	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	for (long i = 0; i < iovcnt; i++) {
		if (copy_from_user(&iov, uiov + (uintptr_t)i * sizeof(iov), sizeof(iov)) < 0)
			return total ? total : -EFAULT;
		if (iov.len == 0)
			continue;
		long r = write ? write_from_user(f, iov.base, iov.len)
		               : read_to_user(f, iov.base, iov.len);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov.len)
			break;
	}
	return total;
}

long sys_readv(const long a[6])
{
	return vector_io(a, false);
}

long sys_writev(const long a[6])
{
	return vector_io(a, true);
}

/* A path argument, copied in. */
static long get_path(uintptr_t upath, char **out)
{
	char *path = kmalloc(FS_PATH_MAX);
	if (!path)
		return -ENOMEM;
	long r = strncpy_from_user(path, upath, FS_PATH_MAX);
	if (r < 0) {
		kfree(path);
		return r;
	}
	*out = path;
	return 0;
}

/* The directory a *at() call starts from: the working directory, or -EBADF / -ENOTDIR. */
static long at_dir(long dirfd, const char *path, struct inode **dir)
{
	*dir = myproc()->cwd;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return 0;
	struct file *f = fd_get((int)dirfd);
	if (!f)
		return -EBADF;
	if (!f->node || !S_ISDIR(f->node->mode))
		return -ENOTDIR;
	*dir = f->node;
	return 0;
}

static long do_openat(long dirfd, uintptr_t upath, long flags, long mode)
{
	char *path;
	struct inode *dir;
	struct file *f;
	long r = get_path(upath, &path);
	if (r < 0)
		return r;
	r = at_dir(dirfd, path, &dir);
	if (r == 0)
		r = file_open(dir, path, (int)flags, (uint32_t)mode, &f);
	kfree(path);
	if (r < 0)
		return r;
	r = fd_install(f, 0, flags & O_CLOEXEC);
	if (r < 0)
		file_close(f);
	return r;
}

long sys_open(const long a[6])
{
	return do_openat(AT_FDCWD, (uintptr_t)a[0], a[1], a[2]);
}

long sys_openat(const long a[6])
{
	return do_openat(a[0], (uintptr_t)a[1], a[2], a[3]);
}

long sys_close(const long a[6])
{
	struct proc *p = myproc();
	int fd = (int)a[0];
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	p->files[fd] = NULL;
	p->fd_cloexec[fd] = 0;
	file_close(f);
	return 0;
}

long sys_lseek(const long a[6])
{
	struct file *f = fd_get((int)a[0]);
	if (!f)
		return -EBADF;
	return file_seek(f, (off_t)a[1], (int)a[2]);
}

long sys_dup(const long a[6])
{
	struct file *f = fd_get((int)a[0]);
	if (!f)
		return -EBADF;
	long fd = fd_install(f, 0, false);
	if (fd >= 0)
		file_dup(f);
	return fd;
}

/* dup2 and dup3. */
static long do_dup3(long oldfd, long newfd, long flags, bool is_dup3)
{
	// LAB 5: Make newfd refer to oldfd's open file (file_dup), closing what newfd had
	// first. dup2 with newfd == oldfd returns newfd (if oldfd is valid); dup3 refuses that
	// with -EINVAL and takes O_CLOEXEC in its flags (any other flag: -EINVAL). A bad oldfd,
	// or a newfd outside [0, NOFILE): -EBADF. Returns newfd.
	//= BEGIN LAB 5
	struct proc *p = myproc();
	struct file *f = fd_get((int)oldfd);
	if (!f || newfd < 0 || newfd >= NOFILE)
		return -EBADF;
	if (oldfd == newfd)
		return is_dup3 ? -EINVAL : newfd;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (p->files[newfd])
		file_close(p->files[newfd]);
	p->files[newfd] = file_dup(f);
	p->fd_cloexec[newfd] = (flags & O_CLOEXEC) != 0;
	return newfd;
	//= STUB
	//= (void)oldfd, (void)newfd, (void)flags, (void)is_dup3;
	//= return -ENOSYS;
	//= END
}

long sys_dup2(const long a[6])
{
	return do_dup3(a[0], a[1], 0, false);
}

long sys_dup3(const long a[6])
{
	return do_dup3(a[0], a[1], a[2], true);
}

long sys_fcntl(const long a[6])
{
	struct proc *p = myproc();
	int fd = (int)a[0];
	struct file *f = fd_get(fd);
	long r;

	if (!f)
		return -EBADF;
	switch (a[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (a[2] < 0 || a[2] >= NOFILE)
			return -EINVAL;
		r = fd_install(f, (int)a[2], a[1] == F_DUPFD_CLOEXEC);
		if (r >= 0)
			file_dup(f);
		return r;
	case F_GETFD:
		return p->fd_cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		p->fd_cloexec[fd] = (a[2] & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return f->flags;
	default:
		return -EINVAL;
	}
}

static long do_pipe(uintptr_t ufds, long flags)
{
	struct file *rf, *wf;
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	long r = pipe_create(&rf, &wf, (int)(flags & O_NONBLOCK));
	if (r < 0)
		return r;
	fds[0] = fd_install(rf, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(wf, 0, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds)) < 0) {
		r = fds[1] < 0 ? -EMFILE : -EFAULT;
		struct proc *p = myproc();
		if (fds[0] >= 0)
			p->files[fds[0]] = NULL;
		if (fds[1] >= 0)
			p->files[fds[1]] = NULL;
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
	return do_pipe((uintptr_t)a[0], a[1]);
}

/* Linux's struct stat on x86-64. */
struct linux_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	int64_t reserved[3];
};

static long stat_out(const struct kstat *ks, uintptr_t ubuf)
{
	struct linux_stat st;
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
	struct file *f = fd_get((int)a[0]);
	if (!f)
		return -EBADF;
	long r = file_stat(f, &ks);
	return r < 0 ? r : stat_out(&ks, (uintptr_t)a[1]);
}

long sys_stat(const long a[6])
{
	char *path;
	struct inode *node;
	struct kstat ks;
	long r = get_path((uintptr_t)a[0], &path);
	if (r < 0)
		return r;
	r = ramfs_lookup(myproc()->cwd, path, &node);
	kfree(path);
	if (r < 0)
		return r;
	ramfs_stat(node, &ks);
	return stat_out(&ks, (uintptr_t)a[1]);
}

long sys_mkdir(const long a[6])
{
	char *path;
	long r = get_path((uintptr_t)a[0], &path);
	if (r < 0)
		return r;
	r = ramfs_mkdir(myproc()->cwd, path, (uint32_t)a[1] & 07777);
	kfree(path);
	return r;
}

long sys_unlink(const long a[6])
{
	char *path;
	long r = get_path((uintptr_t)a[0], &path);
	if (r < 0)
		return r;
	r = ramfs_unlink(myproc()->cwd, path);
	kfree(path);
	return r;
}

long sys_chdir(const long a[6])
{
	struct proc *p = myproc();
	struct inode *node;
	char *path;
	long r = get_path((uintptr_t)a[0], &path);
	if (r < 0)
		return r;
	r = ramfs_lookup(p->cwd, path, &node);
	kfree(path);
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
	char *buf = kmalloc(FS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	struct inode *cwd = myproc()->cwd ? myproc()->cwd : ramfs_root();
	long r = ramfs_path(cwd, buf, MIN((size_t)a[1], (size_t)FS_PATH_MAX));
	if (r >= 0)
		r = copy_to_user((uintptr_t)a[0], buf, (size_t)r + 1) < 0 ? -EFAULT : r + 1;
	kfree(buf);
	return r;
}

/* getdents64: as many whole entries as fit in the buffer. */
long sys_getdents64(const long a[6])
{
	struct file *f = fd_get((int)a[0]);
	uintptr_t ubuf = (uintptr_t)a[1];
	size_t size = (size_t)a[2], used = 0;
	struct fs_dirent *de = kmalloc(sizeof(*de));
	struct {
		uint64_t d_ino;
		int64_t d_off;
		uint16_t d_reclen;
		uint8_t d_type;
	} __attribute__((packed)) hdr;
	long r = 0;

	if (!de)
		return -ENOMEM;
	if (!f) {
		kfree(de);
		return -EBADF;
	}
	while ((r = file_readdir(f, de)) == 1) {
		size_t namelen = strlen(de->name) + 1;
		size_t reclen = ROUNDUP(sizeof(hdr) + namelen, 8);
		if (used + reclen > size) {
			r = used ? 0 : -EINVAL;
			break;
		}
		hdr.d_ino = de->ino;
		hdr.d_off = f->off + 1;
		hdr.d_reclen = (uint16_t)reclen;
		hdr.d_type = de->type;
		char pad[8] = { 0 };
		if (copy_to_user(ubuf + used, &hdr, sizeof(hdr)) < 0 ||
		    copy_to_user(ubuf + used + sizeof(hdr), de->name, namelen) < 0 ||
		    copy_to_user(ubuf + used + sizeof(hdr) + namelen, pad,
		                 reclen - sizeof(hdr) - namelen) < 0) {
			r = -EFAULT;
			break;
		}
		used += reclen;
		f->off++;
	}
	kfree(de);
	return r < 0 && !(r == -EINVAL && used) ? r : (long)used;
}
