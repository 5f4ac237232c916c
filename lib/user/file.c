/*
 * User-side file system calls (lab 5): opening, descriptors, pipes, file status,
 * directories and terminals. Each is the system call with errno set on failure.
 */
#include <types.h>
#include <stdarg.h>
#include <syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stat.h>
#include <dirent.h>
#include <uio.h>
#include <ioctl.h>
#include <limits.h>
#include "usyscall.h"

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	/* The mode argument is there only when the call may create the file. */
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)SYSCALL3(SYS_open, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)SYSCALL6(SYS_openat, dirfd, path, flags, mode, 0, 0);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

/* F_DUPFD and F_SETFD take an integer argument; F_GETFD none (reading it anyway is
 * harmless: the kernel ignores it). */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	return (int)SYSCALL3(SYS_fcntl, fd, cmd, arg);
}

off_t lseek(int fd, off_t off, int whence)
{
	return (off_t)SYSCALL3(SYS_lseek, fd, off, whence);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	return SYSCALL3(SYS_readv, fd, iov, iovcnt);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return SYSCALL3(SYS_writev, fd, iov, iovcnt);
}

int dup(int oldfd)
{
	return (int)SYSCALL3(SYS_dup, oldfd, 0, 0);
}

int dup2(int oldfd, int newfd)
{
	return (int)SYSCALL3(SYS_dup2, oldfd, newfd, 0);
}

int dup3(int oldfd, int newfd, int flags)
{
	return (int)SYSCALL3(SYS_dup3, oldfd, newfd, flags);
}

int pipe(int fds[2])
{
	return (int)SYSCALL3(SYS_pipe, fds, 0, 0);
}

int pipe2(int fds[2], int flags)
{
	return (int)SYSCALL3(SYS_pipe2, fds, flags, 0);
}

int stat(const char *path, struct stat *st)
{
	return (int)SYSCALL3(SYS_stat, path, st, 0);
}

int fstat(int fd, struct stat *st)
{
	return (int)SYSCALL3(SYS_fstat, fd, st, 0);
}

int mkdir(const char *path, mode_t mode)
{
	return (int)SYSCALL3(SYS_mkdir, path, mode, 0);
}

int rmdir(const char *path)
{
	return (int)SYSCALL3(SYS_rmdir, path, 0, 0);
}

int unlink(const char *path)
{
	return (int)SYSCALL3(SYS_unlink, path, 0, 0);
}

int chdir(const char *path)
{
	return (int)SYSCALL3(SYS_chdir, path, 0, 0);
}

/* The system call returns the path's length (its NUL included); C's getcwd returns buf. */
char *getcwd(char *buf, size_t size)
{
	char *mine = NULL;

	if (buf == NULL) {
		if (size == 0)
			size = PATH_MAX;
		buf = mine = malloc(size);
		if (buf == NULL)
			return NULL;
	}
	if (SYSCALL3(SYS_getcwd, buf, size, 0) < 0) {
		free(mine);
		return NULL;
	}
	return buf;
}

ssize_t getdents64(int fd, void *buf, size_t size)
{
	return SYSCALL3(SYS_getdents64, fd, buf, size);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	return (int)SYSCALL3(SYS_ioctl, fd, request, arg);
}

int isatty(int fd)
{
	struct termios t;

	return ioctl(fd, TCGETS, &t) == 0;
}
