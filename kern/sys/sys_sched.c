/*
 * Scheduling system calls (lab 4): sched_yield, and priorities as nice values with
 * setpriority/getpriority. Nobody may lower a nice value (make a process more favoured):
 * Sparrow has no privileged users, and a program at -20 that spins would starve everybody
 * else, init and the shell included (the scheduler is strict-priority). Raising one is
 * fine, as for an unprivileged user on Linux (whose default RLIMIT_NICE allows no lowering).
 */
#include <errno.h>
#include <sched.h> /* PRIO_PROCESS, NICE_MIN, NICE_MAX */
#include "proc/proc.h"
#include "sys/syscall.h"
#include "sched/sched.h"

long sys_sched_yield(const long a[6])
{
	(void)a;
	yield();
	return 0;
}

/* The process `who` names (0: the caller), or NULL. */
static struct proc *target(long which, long who)
{
	if (which != PRIO_PROCESS)
		return NULL;
	if (who == 0)
		return myproc();
	struct proc *p = proc_find((int)who);
	return p && p->state != PROC_ZOMBIE ? p : NULL;
}

long sys_setpriority(const long a[6])
{
	if (a[0] != PRIO_PROCESS)
		return -EINVAL;
	struct proc *p = target(a[0], a[1]);
	if (!p)
		return -ESRCH;
	long nice = a[2] < NICE_MIN ? NICE_MIN : a[2] > NICE_MAX ? NICE_MAX : a[2];
	if (nice < p->nice)
		return -EACCES;
	p->nice = (int)nice;
	return 0;
}

long sys_getpriority(const long a[6])
{
	if (a[0] != PRIO_PROCESS)
		return -EINVAL;
	struct proc *p = target(a[0], a[1]);
	if (!p)
		return -ESRCH;
	return 20 - p->nice; /* Linux's raw value: always positive; libc turns it back */
}
