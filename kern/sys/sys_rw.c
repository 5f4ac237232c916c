/*
 * Reading and writing through descriptors (lab 3 on): read, write, readv, writev and ioctl.
 * They work on any open file (kern/fs/file.h): in lab 3 the console is the only one;
 * lab 5's files, pipes and devices need nothing more here. Data moves through a buffer on
 * the kernel stack, a chunk at a time, so no call needs memory to succeed.
 */
#include <errno.h>
#include <limits.h>
#include <memlayout.h>
#include "fs/fdtable.h"
#include "fs/file.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sys/files.h"
#include "sys/syscall.h"
#if LAB >= 4
#include "sched/sched.h"
#endif

#define READ_CHUNK 1024 /* bytes read into the kernel at a time */
#define IOV_MAX    1024 /* iovecs in one readv or writev (Linux's UIO_MAXIOV) */

struct file *fd_file(int fd)
{
	return fd_get(myproc()->files, fd);
}

/* As Linux's access_ok: a range that lies in user space (whether mapped or not). */
static bool user_space(uintptr_t ubuf, size_t n)
{
	return n <= USER_LIMIT && ubuf <= USER_LIMIT - n;
}

/* Run a read or write of f, waiting while it says -EAGAIN (an empty pipe, a full one, a
 * console without a whole line). -EINTR if the process is killed meanwhile (lab 6:
 * -ERESTARTSYS, also when a signal comes). */
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
		if (proc_interrupted(myproc()))
			return -ERESTARTSYS;
#if LAB >= 4
		sleep_on(chan);
#else
		asm volatile("sti; hlt; cli" ::: "memory"); /* lab 3: nothing else could run */
#endif
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

/* A long transfer lets time go on and others run between chunks. */
static void between_chunks(void)
{
#if LAB >= 4
	cond_resched();
#endif
}

long read_to_user(struct file *f, uintptr_t ubuf, size_t n)
{
	char chunk[READ_CHUNK];
	size_t done = 0;
	long r = 0;

	if (!user_space(ubuf, n))
		return -EFAULT;
	while (done < n) {
		/* As much as the memory there can take: a bad page ends the read there. */
		size_t k = user_prefix(ubuf + done, MIN(n - done, sizeof(chunk)), true);
		if (k == 0) {
			r = -EFAULT;
			break;
		}
		r = blocking(do_read, f, chunk, k);
		if (r <= 0)
			break;
		copy_to_user(ubuf + done, chunk, (size_t)r); /* checked: it cannot fail */
		done += (size_t)r;
		if ((size_t)r < k)
			break; /* a short read: do not wait again for the rest */
		between_chunks();
	}
	return done ? (long)done : r;
}

long write_from_user(struct file *f, uintptr_t ubuf, size_t n)
{
	/* A pipe takes a write of up to PIPE_SIZE bytes in one piece, so that is the chunk. */
	char chunk[PIPE_SIZE];
	size_t done = 0;
	long r = 0;

	if (!user_space(ubuf, n))
		return -EFAULT;
	while (done < n) {
		size_t want = MIN(n - done, sizeof(chunk));
		size_t k = user_prefix(ubuf + done, want, false);
		if (k == 0) {
			r = -EFAULT;
			break;
		}
		copy_from_user(chunk, ubuf + done, k);
		size_t part = 0;
		while (part < k) {
			r = blocking(do_write, f, chunk + part, k - part);
			if (r <= 0)
				break;
			part += (size_t)r;
		}
#if LAB >= 6
		if (r == -EPIPE) { /* no reader left: SIGPIPE, as Linux sends */
			struct sig_info info = { .code = SI_USER, .pid = myproc()->pid };
			signal_send(myproc(), SIGPIPE, &info);
		}
#endif
		done += part;
		if (r <= 0 || k < want)
			break;
		between_chunks();
	}
	return done ? (long)done : r;
}

long sys_read(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	return read_to_user(f, (uintptr_t)a[1], (size_t)a[2]);
}

long sys_write(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	return write_from_user(f, (uintptr_t)a[1], (size_t)a[2]);
}

struct iovec {
	uintptr_t base;
	size_t len;
};

/* readv and writev. As on Linux, the whole vector is checked first (every buffer in user
 * space, the total representable); then each buffer in turn, stopping at a short one. */
static long vector_io(const long a[6], bool write)
{
	struct file *f = fd_file((int)a[0]);
	uintptr_t uiov = (uintptr_t)a[1];
	size_t iovcnt = (size_t)a[2], total = 0;
	struct iovec iov;

	if (!f)
		return -EBADF;
	if (iovcnt > IOV_MAX)
		return -EINVAL;
	for (size_t i = 0; i < iovcnt; i++) {
		if (copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov)) < 0)
			return -EFAULT;
		if (iov.len > (size_t)SSIZE_MAX - total)
			return -EINVAL;
		if (!user_space(iov.base, iov.len))
			return -EFAULT;
		total += iov.len;
	}
	total = 0;
	for (size_t i = 0; i < iovcnt; i++) {
		copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov));
		if (iov.len == 0)
			continue;
		long r = write ? write_from_user(f, iov.base, iov.len)
		               : read_to_user(f, iov.base, iov.len);
		if (r < 0)
			return total ? (long)total : r;
		total += (size_t)r;
		if ((size_t)r < iov.len)
			break;
	}
	return (long)total;
}

long sys_readv(const long a[6])
{
	return vector_io(a, false);
}

long sys_writev(const long a[6])
{
	return vector_io(a, true);
}

long sys_ioctl(const long a[6])
{
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	return file_ioctl(f, (unsigned int)a[1], (uintptr_t)a[2]);
}
