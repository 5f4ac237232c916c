/*
 * System calls about the running process and the system: getpid, arch_prctl (lab 3);
 * sysinfo and reboot (lab 4); and what static C-library (musl) binaries ask at start-up
 * (lab 5), answered simply: one thread per process, signal handlers accepted but never
 * run (lab 6 runs them: kern/sys/sys_signal.c), a fixed uname, random bytes.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "core/random.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sys/syscall.h"
#if LAB >= 4
#include <sysinfo.h>
#include "dev/qemu.h"
#include "mm/page.h"
#include "sched/sched.h"
#endif

long sys_getpid(const long a[6])
{
	(void)a;
	return myproc()->pid;
}

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

long sys_arch_prctl(const long a[6])
{
	struct proc *p = myproc();
	switch ((int)a[0]) {
	case ARCH_SET_FS:
		if ((uint64_t)a[1] >= USER_LIMIT)
			return -EPERM;
		p->fs_base = (uint64_t)a[1];
		wrmsr(MSR_FS_BASE, p->fs_base);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((uintptr_t)a[1], &p->fs_base, sizeof(p->fs_base));
	default:
		return -EINVAL;
	}
}

#if LAB >= 4
#define REBOOT_MAGIC1        0xfee1dead
#define REBOOT_MAGIC2        672274793
#define REBOOT_CMD_POWER_OFF 0x4321fedc

long sys_sysinfo(const long a[6])
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ticks / HZ);
	si.totalram = page_usable_count();
	si.freeram = page_free_count();
	si.mem_unit = PGSIZE;
	for (int i = 0; i < NPROC; i++)
		si.procs += procs[i].state != PROC_UNUSED;
	return copy_to_user((uintptr_t)a[0], &si, sizeof(si));
}

long sys_reboot(const long a[6])
{
	if ((unsigned int)a[0] != REBOOT_MAGIC1 || a[1] != REBOOT_MAGIC2)
		return -EINVAL;
	if ((unsigned int)a[2] != REBOOT_CMD_POWER_OFF)
		return -EINVAL;
	qemu_poweroff();
}
#endif

#if LAB >= 5
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

#if LAB < 6
#define NSIG       64
#define SIGKILL    9
#define SIGSTOP    19
#define SIGSET_LEN 8 /* the kernel's sigset_t: 64 bits */

/* rt_sigprocmask(how, set, oldset, sigsetsize): nothing is delivered to handlers before
 * lab 6, so the mask is always empty; the arguments are checked as Linux does. */
long sys_rt_sigprocmask(const long a[6])
{
	uint64_t set = 0;
	if (a[3] != SIGSET_LEN)
		return -EINVAL;
	if (a[1] && copy_from_user(&set, (uintptr_t)a[1], sizeof(set)) < 0)
		return -EFAULT;
	if (a[1] && (a[0] < 0 || a[0] > 2))
		return -EINVAL;
	set = 0;
	if (a[2] && copy_to_user((uintptr_t)a[2], &set, sizeof(set)) < 0)
		return -EFAULT;
	return 0;
}

/* rt_sigaction(sig, act, oldact, sigsetsize): checked and accepted, never used: before lab 6
 * every signal ends the process (lab 4's kill) whatever handler a program asks for. */
long sys_rt_sigaction(const long a[6])
{
	uint8_t act[32];
	int sig = (int)a[0];
	if (a[3] != SIGSET_LEN || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (a[1] && copy_from_user(act, (uintptr_t)a[1], sizeof(act)) < 0)
		return -EFAULT;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	memset(act, 0, sizeof(act));
	if (a[2] && copy_to_user((uintptr_t)a[2], act, sizeof(act)) < 0)
		return -EFAULT;
	return 0;
}
#endif /* lab 6 replaces both: kern/sys/sys_signal.c */

long sys_uname(const long a[6])
{
	char u[6][65];
	memset(u, 0, sizeof(u));
	strlcpy(u[0], "Linux", 65);                   /* sysname: the ABI programs may rely on */
	strlcpy(u[1], "sparrow", 65);                 /* nodename */
	strlcpy(u[2], "6.1.0-sparrow", 65);           /* release: new enough for any C library */
	strlcpy(u[3], "Sparrow teaching kernel", 65); /* version */
	strlcpy(u[4], "x86_64", 65);                  /* machine */
	return copy_to_user((uintptr_t)a[0], u, sizeof(u));
}

#define GRND_ALL 0x7 /* GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE */

long sys_getrandom(const long a[6])
{
	uint8_t chunk[256];
	uintptr_t ubuf = (uintptr_t)a[0];
	size_t n = (size_t)a[1], done = 0;
	if ((unsigned int)a[2] & ~GRND_ALL)
		return -EINVAL;
	while (done < n) {
		size_t k = user_prefix(ubuf + done, MIN(n - done, sizeof(chunk)), true);
		if (k == 0)
			break;
		random_bytes(chunk, k);
		copy_to_user(ubuf + done, chunk, k);
		done += k;
		if (done % (64 * 1024) == 0)
			cond_resched(); /* a long request lets time go on and others run */
	}
	return done ? (long)done : (n ? -EFAULT : 0);
}
#endif
