/*
 * Scheduling system calls (lab 4): sched_yield, and priorities as nice values with
 * setpriority/getpriority.
 */
#include <errno.h>
#include "proc/proc.h"
#include "proc/syscall.h"
#include "sched/sched.h"

#define PRIO_PROCESS 0
#define NICE_MIN     (-20)
#define NICE_MAX     19

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
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != PROC_UNUSED && procs[i].state != PROC_ZOMBIE &&
		    procs[i].pid == who)
			return &procs[i];
	return NULL;
}

long sys_setpriority(const long a[6])
{
	if (a[0] != PRIO_PROCESS)
		return -EINVAL;
	struct proc *p = target(a[0], a[1]);
	if (!p)
		return -ESRCH;
	long nice = a[2] < NICE_MIN ? NICE_MIN : a[2] > NICE_MAX ? NICE_MAX : a[2];
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
