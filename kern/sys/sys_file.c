/*
 * The descriptor system calls (lab 5): closing, seeking, duplicating, fcntl (with record
 * locks), pipes, fstat and directory listings; the calls that take paths are in
 * kern/sys/sys_path.c. Everything goes through the open-file interface (kern/fs/file.h) and the
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
#include "fs/lock.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sys/files.h"
#include "sys/syscall.h"
#include "sched/sched.h"

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

/* lseek's whence values, which a struct flock uses too (inc/unistd.h has them, with the
 * user library's declarations). */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* The range a struct flock names in f, as lock.c takes it: Linux's checks and errors. */
static long flock_range(struct file *f, const struct flock *fl, struct lock_range *r)
{
	off_t base;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->off;
		break;
	case SEEK_END:
		base = f->node ? (off_t)f->node->size : 0;
		break;
	default:
		return -EINVAL;
	}
	if (fl->l_start > LOCK_END - base)
		return -EOVERFLOW;
	off_t start = base + fl->l_start;
	if (start < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > LOCK_END - start)
			return -EOVERFLOW;
		r->end = start + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		if (start + fl->l_len < 0)
			return -EINVAL;
		r->end = start - 1;
		start += fl->l_len;
	} else {
		r->end = LOCK_END;
	}
	r->start = start;
	r->type = fl->l_type;
	if (r->type != F_RDLCK && r->type != F_WRLCK && r->type != F_UNLCK)
		return -EINVAL;
	return 0;
}

/* fcntl's record locks: F_GETLK, F_SETLK, F_SETLKW, and the same for locks owned by the
 * open file (F_OFD_*) rather than by the process (its descriptor table). */
static long fcntl_lock(struct file *f, unsigned int cmd, uintptr_t uarg)
{
	struct proc *p = myproc();
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	void *owner = ofd ? (void *)f : (void *)p->files, *key = lock_key(f), *blocker;
	struct lock_range r, got;
	struct flock fl;
	int acc = f->flags & O_ACCMODE;
	long e;

	if (copy_from_user(&fl, uarg, sizeof(fl)) < 0)
		return -EFAULT;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
			return -EINVAL;
		if ((e = flock_range(f, &fl, &r)) < 0)
			return e;
		if (ofd && fl.l_pid != 0)
			return -EINVAL;
		if (lock_test(key, owner, &r, &got)) {
			fl.l_type = (short)got.type;
			fl.l_whence = SEEK_SET;
			fl.l_start = got.start;
			fl.l_len = got.end == LOCK_END ? 0 : got.end - got.start + 1;
			fl.l_pid = got.pid;
		} else {
			fl.l_type = F_UNLCK;
		}
		return copy_to_user(uarg, &fl, sizeof(fl));
	}
	if ((e = flock_range(f, &fl, &r)) < 0)
		return e;
	if ((r.type == F_RDLCK && acc != O_RDONLY && acc != O_RDWR) ||
	    (r.type == F_WRLCK && acc != O_WRONLY && acc != O_RDWR))
		return -EBADF;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	for (;;) {
		e = lock_set(key, owner, ofd ? -1 : p->pid, &r, &blocker);
		if (e != -EAGAIN || !wait)
			return e;
		if (p->killed)
			return -EINTR;
		if ((e = lock_wait_begin(owner, ofd ? NULL : blocker)) < 0)
			return e;
		sleep_on(lock_channel());
		lock_wait_end(owner);
	}
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
		if ((int)a[2] < 0 || (int)a[2] >= t->limit)
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
	case F_SETFL:
		/* Only these two may change; the rest of arg is ignored, as on Linux. */
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) |
		           ((int)a[2] & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_lock(f, (unsigned int)a[1], (uintptr_t)a[2]);
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

long sys_fstat(const long a[6])
{
	struct kstat ks;
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	long r = file_stat(f, &ks);
	return r < 0 ? r : stat_out(&ks, (uintptr_t)a[1]);
}

long sys_fstatfs(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	return statfs_out(f->node, (uintptr_t)a[1]);
}

/* fsync, fdatasync: the file system is memory, always up to date; as Linux, files without
 * a place to sync to (pipes, the console) say -EINVAL. sync: nothing to do. */
long sys_fsync(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	return f->node && !S_ISCHR(f->node->mode) ? 0 : -EINVAL;
}

long sys_sync(const long a[6])
{
	(void)a;
	return 0;
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
