/*
 * User-side system calls: the `syscall` instruction with Linux's register convention
 * (number in %rax; arguments in %rdi, %rsi, %rdx, %r10, %r8, %r9; result in %rax; the CPU
 * uses %rcx and %r11 for the return address and flags), and the thin wrappers around it.
 */
#include <types.h>
#include <stdarg.h>
#include <errno.h>
#include <syscall.h>
#include <unistd.h>
#include <stdlib.h>

int errno;

long raw_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 asm("r10") = a4;
	register long r8 asm("r8") = a5;
	register long r9 asm("r9") = a6;
	long ret;

	asm volatile("syscall"
	             : "=a"(ret)
	             : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
	             : "rcx", "r11", "memory");
	return ret;
}

/* Turn a kernel result into the C library convention. */
static long check(long ret)
{
	if (ret < 0 && ret >= -MAX_ERRNO) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

long syscall(long n, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return check(raw_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}

#define SYSCALL3(n, a, b, c) check(raw_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0))

ssize_t read(int fd, void *buf, size_t n)
{
	return SYSCALL3(SYS_read, fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return SYSCALL3(SYS_write, fd, buf, n);
}

int close(int fd)
{
	return (int)SYSCALL3(SYS_close, fd, 0, 0);
}

pid_t getpid(void)
{
	return (pid_t)SYSCALL3(SYS_getpid, 0, 0, 0);
}

int arch_prctl(int code, unsigned long addr)
{
	return (int)SYSCALL3(SYS_arch_prctl, code, addr, 0);
}

void _exit(int status)
{
	for (;;)
		raw_syscall(SYS_exit_group, status, 0, 0, 0, 0, 0);
}
