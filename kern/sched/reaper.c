/*
 * The reaper (lab 7): a kernel thread that frees the tasks nobody waits for (threads that
 * ended, children whose parent ignores SIGCHLD) once they are off the CPU: their kernel
 * stacks and table slots. The scheduler wakes it each time it switches away from one.
 */
#include "core/printk.h"
#include "proc/kthread.h"
#include "proc/proc.h"
#include "sched/reaper.h"
#include "sched/sched.h"

static struct proc *reaper_proc;
static char reaper_chan;

static void reaper(void *arg)
{
	(void)arg;
	for (;;) {
		for (int i = 0; i < NPROC; i++) {
			struct proc *q = &procs[i];
			if (q->state == PROC_ZOMBIE && !q->parent && q != myproc())
				proc_free(q);
		}
		sleep_on(&reaper_chan);
	}
}

void reaper_start(void)
{
	reaper_proc = kthread_create(reaper, NULL, "reaper");
	if (!reaper_proc)
		printk("reaper: cannot start: exited threads are freed by the scheduler\n");
	else
		reaper_proc->nice = -20; /* runs first when woken, so memory comes back soon */
}

bool reaper_take(struct proc *p)
{
	(void)p;
	if (!reaper_proc)
		return false;
	wakeup(&reaper_chan);
	return true;
}
