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
#include "usyscall.h"
#if LAB >= 4
#include <wait.h>
#include <signal.h>
#include <sched.h>
#include <time.h>
#include <sysinfo.h>
#endif

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

long syscall(long n, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return syscall_result(raw_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}

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

#if LAB >= 4
/* Lab 4: processes, time and scheduling. (Its headers are not in earlier labs' handouts.) */

pid_t fork(void)
{
	return (pid_t)SYSCALL3(SYS_fork, 0, 0, 0);
}

pid_t getppid(void)
{
	return (pid_t)SYSCALL3(SYS_getppid, 0, 0, 0);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage)
{
	return (pid_t)syscall_result(
	        raw_syscall(SYS_wait4, pid, (long)status, options, (long)rusage, 0, 0));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

int kill(pid_t pid, int sig)
{
	return (int)SYSCALL3(SYS_kill, pid, sig, 0);
}

int sched_yield(void)
{
	return (int)SYSCALL3(SYS_sched_yield, 0, 0, 0);
}

int getpriority(int which, int who)
{
	/* The kernel returns 20 - nice (1..40), so that no success looks like an error. */
	long r = SYSCALL3(SYS_getpriority, which, who, 0);
	return r < 0 ? -1 : 20 - (int)r;
}

int setpriority(int which, int who, int nice)
{
	return (int)SYSCALL3(SYS_setpriority, which, who, nice);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)SYSCALL3(SYS_nanosleep, req, rem, 0);
}

int clock_gettime(clockid_t clock, struct timespec *tp)
{
	return (int)SYSCALL3(SYS_clock_gettime, clock, tp, 0);
}

clock_t times(struct tms *buf)
{
	return (clock_t)SYSCALL3(SYS_times, buf, 0, 0);
}

int sysinfo(struct sysinfo *info)
{
	return (int)SYSCALL3(SYS_sysinfo, info, 0, 0);
}

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793

/* The monotonic clock in timer ticks, and sleeping for n of them: what the lab 4 test
 * programs measure time in. */
long ticks_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * CLK_TCK + ts.tv_nsec / (1000000000L / CLK_TCK);
}

int sleep_ticks(long n)
{
	struct timespec ts = { n / CLK_TCK, n % CLK_TCK * (1000000000L / CLK_TCK) };
	return nanosleep(&ts, NULL);
}

/* Wait at most `ticks` for child pid, polling (a test must not hang on a kernel bug): its
 * wait status, or -1 if it did not end in time (it is then killed and reaped). */
int reap_within(pid_t pid, long ticks)
{
	long end = ticks_now() + ticks;
	int status = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0)
			return -1;
		if (ticks_now() >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		sleep_ticks(1);
	}
}

int reboot(int cmd)
{
	return (int)syscall_result(raw_syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	                                       (unsigned int)cmd, 0, 0, 0));
}
#endif
