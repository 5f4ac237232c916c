/*
 * Inside the user library: turning a kernel result (a value, or -ERRNO) into the C library
 * convention (-1 with errno set). Shared by lib/user/syscall.c and the lab 5 wrappers.
 */
#ifndef SPARROW_LIB_USYSCALL_H
#define SPARROW_LIB_USYSCALL_H

#include <errno.h>
#include <unistd.h>

static inline long syscall_result(long ret)
{
	if (ret < 0 && ret >= -MAX_ERRNO) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* A system call with up to three (or six) arguments, each passed as a long. */
#define SYSCALL3(n, a, b, c) \
	syscall_result(raw_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0))
#define SYSCALL6(n, a, b, c, d, e, f) \
	syscall_result(               \
	        raw_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))

#endif
