/*
 * Lab 3's write() and writev(): descriptors 1 and 2 are the console, nothing else exists
 * yet. (Lab 5 replaces this with file descriptors.) A whole buffer is checked before
 * anything of it is printed, so a bad pointer prints nothing and returns -EFAULT.
 */
#include <errno.h>
#include "dev/console.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"

#define CHUNK 256

#if LAB < 5 /* from lab 5 on, file descriptors do this (kern/fs/sys_file.c) */
#define IOV_MAX 1024

/* Print n bytes of user memory at buf on the console. */
static long console_write(uintptr_t buf, size_t n)
{
	char chunk[CHUNK];

	if (!user_range_ok(buf, n, false))
		return -EFAULT;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < CHUNK ? n - done : CHUNK;
		if (copy_from_user(chunk, buf + done, k) < 0)
			return done ? (long)done : -EFAULT;
		for (size_t i = 0; i < k; i++)
			cputchar(chunk[i]);
		done += k;
	}
	return (long)n;
}

long sys_write(const long a[6])
{
	int fd = (int)a[0];

	if (fd != 1 && fd != 2)
		return -EBADF;
	return console_write((uintptr_t)a[1], (size_t)a[2]);
}

/* writev: the buffers of an iovec array, one after the other (static musl binaries print
 * through it). */
long sys_writev(const long a[6])
{
	int fd = (int)a[0];
	uintptr_t uiov = (uintptr_t)a[1];
	long iovcnt = a[2];
	struct iovec {
		uintptr_t base;
		size_t len;
	} iov;
	long total = 0;

	if (fd != 1 && fd != 2)
		return -EBADF;
	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	for (long i = 0; i < iovcnt; i++) {
		if (copy_from_user(&iov, uiov + (uintptr_t)i * sizeof(iov), sizeof(iov)) < 0)
			return total ? total : -EFAULT;
		long r = console_write(iov.base, iov.len);
		if (r < 0)
			return total ? total : r;
		total += r;
	}
	return total;
}
#endif
