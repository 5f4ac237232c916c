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
#if LAB >= 5
#include <resource.h>
#include "fs/fdtable.h"
#include "fs/fs.h"
#endif
#if LAB >= 4
#include <sysinfo.h>
#include "dev/qemu.h"
#include "mm/page.h"
#include "sched/sched.h"
#endif

long sys_getpid(const long a[6])
{
	(void)a;
	return proc_tgid(myproc());
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
#if LAB >= 7
	myproc()->clear_child_tid = (uintptr_t)a[0]; /* cleared, and a futex woken, at exit */
#endif
	return myproc()->pid; /* the caller's thread id */
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

#if LAB >= 5
/* set_robust_list(head, len): the list of futexes a thread holds, for the kernel to release
 * when the thread dies. Checked and accepted; with one thread per process nobody could
 * wait on them (lab 7's threads use it). */
long sys_set_robust_list(const long a[6])
{
	return a[1] == 24 ? 0 : -EINVAL; /* sizeof(struct robust_list_head) */
}

/* ---- who: one user, root ------------------------------------------------------------- */

/* Every process runs as root (uid and gid 0), as the auxiliary vector says, without the
 * capability to become anybody else: setuid(0) works, any other id is -EPERM. */
long sys_getuid(const long a[6])
{
	(void)a;
	return 0;
}

long sys_setuid(const long a[6])
{
	if ((uint32_t)a[0] == (uint32_t)-1)
		return -EINVAL;
	return (uint32_t)a[0] == 0 ? 0 : -EPERM;
}

/* setreuid, setregid (2 ids), setresuid, setresgid (3): each -1 (unchanged) or 0. */
static long set_ids(const long a[6], int n)
{
	for (int i = 0; i < n; i++)
		if ((uint32_t)a[i] != (uint32_t)-1 && (uint32_t)a[i] != 0)
			return -EPERM;
	return 0;
}

long sys_setreuid(const long a[6])
{
	return set_ids(a, 2);
}

long sys_setresuid(const long a[6])
{
	return set_ids(a, 3);
}

/* getresuid, getresgid: the real, effective and saved ids, all 0. */
long sys_getresuid(const long a[6])
{
	uint32_t zero = 0;
	for (int i = 0; i < 3; i++)
		if (copy_to_user((uintptr_t)a[i], &zero, sizeof(zero)) < 0)
			return -EFAULT;
	return 0;
}

/* getgroups(size, list): root is in no supplementary group. */
long sys_getgroups(const long a[6])
{
	return (int)a[0] < 0 ? -EINVAL : 0;
}

#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* prctl: the process's name (what ps shows), 16 bytes with the NUL, as Linux's comm. */
long sys_prctl(const long a[6])
{
	struct proc *p = myproc();
	char name[PROC_NAME_LEN];

	switch ((int)a[0]) {
	case PR_SET_NAME:
		for (size_t i = 0; i < sizeof(name); i++) {
			if (copy_from_user(&name[i], (uintptr_t)a[1] + i, 1) < 0)
				return -EFAULT;
			if (name[i] == '\0')
				break;
		}
		name[sizeof(name) - 1] = '\0';
		strlcpy(p->name, name, sizeof(p->name));
		return 0;
	case PR_GET_NAME:
		memset(name, 0, sizeof(name));
		strlcpy(name, p->name, sizeof(name));
		return copy_to_user((uintptr_t)a[1], name, sizeof(name));
	default:
		return -EINVAL;
	}
}

/* ---- resource limits ------------------------------------------------------------------- */

#define INF RLIM_INFINITY

/* What Sparrow gives: each limit says what is true of the kernel (docs/syscalls.md). Hard
 * and soft limits start equal; a program may lower either, but nobody may raise a hard
 * limit (no process has CAP_SYS_RESOURCE). */
static const struct proc_rlimit rlim_default[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { INF, INF },       [RLIMIT_FSIZE] = { FS_MAX_FILE, FS_MAX_FILE },
	[RLIMIT_DATA] = { INF, INF },      [RLIMIT_STACK] = { USTACK_SIZE, USTACK_SIZE },
	[RLIMIT_CORE] = { 0, 0 },          [RLIMIT_RSS] = { INF, INF },
	[RLIMIT_NPROC] = { NPROC, NPROC }, [RLIMIT_NOFILE] = { FD_MAX, FD_MAX },
	[RLIMIT_MEMLOCK] = { INF, INF },   [RLIMIT_AS] = { INF, INF },
	[RLIMIT_LOCKS] = { INF, INF },     [RLIMIT_SIGPENDING] = { INF, INF },
	[RLIMIT_MSGQUEUE] = { 0, 0 },      [RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },        [RLIMIT_RTTIME] = { INF, INF },
};
_Static_assert(RLIM_NLIMITS == PROC_RLIMITS, "a limit for each of Linux's");

void proc_limits_init(struct proc *p)
{
	memcpy(p->rlim, rlim_default, sizeof(p->rlim));
	p->umask = 022;
}

/* Linux's do_prlimit: read (into old) and set (from new) limit `resource` of p. */
static long do_prlimit(struct proc *p, unsigned int resource, const struct rlimit *new,
                       struct rlimit *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	struct proc_rlimit *r = &p->rlim[resource];
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > FD_MAX)
			return -EPERM; /* Linux's nr_open */
	}
	if (old)
		*old = (struct rlimit){ r->cur, r->max };
	if (new) {
		if (new->rlim_max > r->max)
			return -EPERM;
		r->cur = new->rlim_cur;
		r->max = new->rlim_max;
		if (resource == RLIMIT_NOFILE && p->files)
			p->files->limit = (int)r->cur;
	}
	return 0;
}

long sys_getrlimit(const long a[6])
{
	struct rlimit old;
	long r = do_prlimit(myproc(), (unsigned int)a[0], NULL, &old);
	return r < 0 ? r : copy_to_user((uintptr_t)a[1], &old, sizeof(old));
}

long sys_setrlimit(const long a[6])
{
	struct rlimit new;
	if (copy_from_user(&new, (uintptr_t)a[1], sizeof(new)) < 0)
		return -EFAULT;
	return do_prlimit(myproc(), (unsigned int)a[0], &new, NULL);
}

long sys_prlimit64(const long a[6])
{
	struct rlimit new, old;
	uintptr_t unew = (uintptr_t)a[2], uold = (uintptr_t)a[3];
	if (unew && copy_from_user(&new, unew, sizeof(new)) < 0)
		return -EFAULT;
	struct proc *p = a[0] ? proc_find((int)a[0]) : myproc();
	if (!p || p->state == PROC_ZOMBIE)
		return -ESRCH;
	long r = do_prlimit(p, (unsigned int)a[1], unew ? &new : NULL, uold ? &old : NULL);
	if (r == 0 && uold && copy_to_user(uold, &old, sizeof(old)) < 0)
		r = -EFAULT;
	return r;
}

/* sched_getaffinity(pid, len, mask): one CPU, number 0; the mask is one long. */
long sys_sched_getaffinity(const long a[6])
{
	unsigned int len = (unsigned int)a[1];
	uint64_t mask = 1;
	if (len * 8 < 1 || len % sizeof(long))
		return -EINVAL;
	struct proc *p = a[0] ? proc_find((int)a[0]) : myproc();
	if (!p || p->state == PROC_ZOMBIE)
		return -ESRCH;
	return copy_to_user((uintptr_t)a[2], &mask, sizeof(mask)) < 0 ? -EFAULT
	                                                              : (long)sizeof(mask);
}
#endif
