/*
 * The system calls static C-library (musl) binaries make at start-up and now and then
 * (lab 5), answered simply: one thread per process, no signal handlers (accepted and
 * ignored, see docs/syscalls.md), a fixed uname, random bytes.
 */
#include <errno.h>
#include <string.h>
#include "core/random.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"

long sys_set_tid_address(const long a[6])
{
	(void)a;
	return myproc()->pid; /* the thread id of a one-thread process is its pid */
}

long sys_gettid(const long a[6])
{
	(void)a;
	return myproc()->pid;
}

/* rt_sigprocmask(how, set, oldset, sigsetsize): no signal is ever delivered to a handler,
 * so the mask is always empty. */
long sys_rt_sigprocmask(const long a[6])
{
	uint64_t empty = 0;
	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (a[0] < 0 || a[0] > 2)
		return -EINVAL;
	if (a[2] && copy_to_user((uintptr_t)a[2], &empty, sizeof(empty)) < 0)
		return -EFAULT;
	return 0;
}

/* rt_sigaction(sig, act, oldact, sigsetsize): accepted, never used: signals terminate the
 * process (lab 4's kill) whatever handler a program asks for. */
long sys_rt_sigaction(const long a[6])
{
	uint8_t none[32];
	if (a[0] < 1 || a[0] > 64 || a[3] != sizeof(uint64_t))
		return -EINVAL;
	memset(none, 0, sizeof(none));
	if (a[2] && copy_to_user((uintptr_t)a[2], none, sizeof(none)) < 0)
		return -EFAULT;
	return 0;
}

long sys_uname(const long a[6])
{
	char u[6][65];
	memset(u, 0, sizeof(u));
	strlcpy(u[0], "Sparrow", 65);         /* sysname */
	strlcpy(u[1], "sparrow", 65);         /* nodename */
	strlcpy(u[2], "5.0", 65);             /* release: the lab */
	strlcpy(u[3], "teaching kernel", 65); /* version */
	strlcpy(u[4], "x86_64", 65);          /* machine */
	return copy_to_user((uintptr_t)a[0], u, sizeof(u));
}

long sys_getrandom(const long a[6])
{
	uint8_t chunk[256];
	size_t n = (size_t)a[1], done = 0;
	while (done < n) {
		size_t k = MIN(n - done, sizeof(chunk));
		random_bytes(chunk, k);
		if (copy_to_user((uintptr_t)a[0] + done, chunk, k) < 0)
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}
