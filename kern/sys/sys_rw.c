/*
 * Reading and writing through descriptors (lab 3 on): read, write, readv, writev and ioctl;
 * lab 5 adds pread64 and pwrite64.
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
#if LAB >= 5
#include "fs/fs.h"
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

/* pread64 and pwrite64: at offset off, which the file's own offset does not see. Files
 * that have offsets never wait, so this is a plain loop over chunks. */
static long positioned_io(const long a[6], bool write)
{
	uintptr_t ubuf = (uintptr_t)a[1];
	size_t n = (size_t)a[2], done = 0;
	off_t off = (off_t)a[3];
	char chunk[READ_CHUNK];
	long r = 0;

	if (off < 0)
		return -EINVAL;
	struct file *f = fd_file((int)a[0]);
	if (!f)
		return -EBADF;
	if (write ? !f->ops->pwrite : !f->ops->pread)
		return -ESPIPE;
	int acc = f->flags & O_ACCMODE;
	if (acc == O_ACCMODE || acc == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (!user_space(ubuf, n))
		return -EFAULT;
	while (done < n) {
		size_t k = user_prefix(ubuf + done, MIN(n - done, sizeof(chunk)), !write);
		if (k == 0) {
			r = -EFAULT;
			break;
		}
		if (write) {
			copy_from_user(chunk, ubuf + done, k);
			r = file_pwrite(f, chunk, k, off + (off_t)done);
		} else {
			r = file_pread(f, chunk, k, off + (off_t)done);
			if (r > 0)
				copy_to_user(ubuf + done, chunk,
				             (size_t)r); /* checked: cannot fail */
		}
		if (r <= 0)
			break;
		done += (size_t)r;
		if ((size_t)r < k)
			break;
		between_chunks();
	}
	return done ? (long)done : r;
}

long sys_pread64(const long a[6])
{
	return positioned_io(a, false);
}

long sys_pwrite64(const long a[6])
{
	return positioned_io(a, true);
}

#if LAB >= 5
/* sendfile(out_fd, in_fd, offset, count): copy from one file to another in the kernel,
 * from in_fd's offset (moved) or from *offset (updated, in_fd's left alone). */
long sys_sendfile(const long a[6])
{
	struct file *in = fd_file((int)a[1]), *out;
	uintptr_t uoff = (uintptr_t)a[2];
	size_t count = (size_t)a[3], done = 0;
	char chunk[READ_CHUNK];
	off_t pos = 0;
	long r = 0;

	if (!in || (in->flags & O_ACCMODE) == O_WRONLY || (in->flags & O_ACCMODE) == O_ACCMODE)
		return -EBADF;
	if (uoff) {
		if (copy_from_user(&pos, uoff, sizeof(pos)) < 0)
			return -EFAULT;
		if (!in->ops->pread)
			return -ESPIPE;
		if (pos < 0)
			return -EINVAL;
	}
	out = fd_file((int)a[0]);
	if (!out || (out->flags & O_ACCMODE) == O_RDONLY || (out->flags & O_ACCMODE) == O_ACCMODE)
		return -EBADF;
	if (out->flags & O_APPEND)
		return -EINVAL;
	if ((ssize_t)count < 0)
		return -EINVAL;
	if (uoff && (pos >= FS_MAX_FILE || count > (size_t)(FS_MAX_FILE - pos))) {
		if (pos >= FS_MAX_FILE)
			return -EOVERFLOW; /* as Linux: past the largest file there can be */
		count = (size_t)(FS_MAX_FILE - pos);
	}
	while (done < count) {
		size_t k = MIN(count - done, sizeof(chunk)), part = 0;
		r = uoff ? file_pread(in, chunk, k, pos) : blocking(do_read, in, chunk, k);
		if (r <= 0)
			break;
		size_t got = (size_t)r;
		while (part < got) {
			r = blocking(do_write, out, chunk + part, got - part);
			if (r <= 0)
				break;
			part += (size_t)r;
		}
		done += part;
		pos += (off_t)part;
		if (r <= 0 || got < k)
			break;
		between_chunks();
	}
	if (uoff && copy_to_user(uoff, &pos, sizeof(pos)) < 0)
		return -EFAULT;
	return done ? (long)done : r;
}
#endif

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
