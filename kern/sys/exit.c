/*
 * The end of a process's life: exit releases what it holds and leaves a zombie until its
 * parent collects the status with wait4 (lab 4); kill marks another process to end.
 */
#include <errno.h>
#include <x86.h>
#include <signal.h>
#include "core/cpu.h"
#include "core/panic.h"
#include "core/printk.h"
#include "fs/fdtable.h"
#include "mm/kas.h"
#include "mm/uvm.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sys/exit.h"
#include "sys/syscall.h"
#if LAB >= 4
#include <wait.h>
#include "sched/sched.h"
#endif
#if LAB >= 5
#include "fs/fs.h"
#endif
#if LAB >= 7
#include "proc/thread.h"
#include "sys/clone.h"
#endif

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGILL:
		return "SIGILL";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGFPE:
		return "SIGFPE";
	case SIGKILL:
		return "SIGKILL";
	case SIGSEGV:
		return "SIGSEGV";
	case SIGTERM:
		return "SIGTERM";
	default:
		return "a signal";
	}
}

#if LAB >= 4
/* Exit's part in lab 4: free the address space, give the children to init. */
static void exit_release(struct proc *p)
{
	// LAB 4: Free what an exiting process no longer needs, before it becomes a zombie:
	// its address space (switch CR3 to kern_pml4 first: mm_destroy refuses the loaded
	// one, and set p->mm to NULL). Then give each of its children to init (initproc,
	// unless p is init itself, or to nobody: NULL); a child that is already a zombie must
	// still be collected, so wake init if it gets one, or free it at once if it has no
	// parent now.
	//= BEGIN LAB 4
	lcr3(V2P(kern_pml4));
	mm_destroy(p->mm);
	p->mm = NULL;
	struct proc *heir = initproc != p ? initproc : NULL;
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = &procs[i];
		if (c->state == PROC_UNUSED || c->parent != p)
			continue;
		c->parent = heir;
		if (c->state == PROC_ZOMBIE) {
			if (heir)
				wakeup(heir);
			else
				proc_free(c);
		}
	}
	if (p == initproc)
		initproc = NULL;
	//= STUB
	//= (void)p;
	//= panic("LAB 4: exit_release() is not implemented (kern/sys/exit.c)");
	//= END
}
#endif

void do_exit(int status)
{
	struct proc *p = myproc();

#if LAB >= 7
	/* Lab 7: the tid word, vfork's parent; a leader waits for its threads to end. */
	status = thread_exit_begin(p, status);
#endif
	fdtable_destroy(p->files);
	p->files = NULL;
#if LAB >= 5
	if (p->cwd)
		inode_put(p->cwd);
	p->cwd = NULL;
#endif
#if LAB >= 7
	if (!thread_is_leader(p))
		thread_vanish(p); /* a thread ends silently: the group ends with its leader */
#endif
#if LAB >= 4
	exit_release(p);
#endif
	if (!p->parent) {
		if (status & 0x7f)
			printk("[pid %d] %s killed by signal %d (%s)\n", p->pid, p->name,
			       status & 0x7f, signal_name(status & 0x7f));
		else
			printk("[pid %d] %s exited with status %d\n", p->pid, p->name,
			       (status >> 8) & 0xff);
	}
#if LAB >= 6
	/* Lab 6: SIGCHLD tells the parent. A parent that ignores it does not wait: the child
	 * is freed once it is off the CPU, and a parent asleep in wait4 finds it gone. */
	uint64_t user, kernel;
	cpu_ticks(p, &user, &kernel);
	if (signal_exited(p, status, user, kernel)) {
		wakeup(p->parent);
		p->parent = NULL;
	}
#endif
	p->exit_status = status;
	proc_set_state(p, PROC_ZOMBIE);
#if LAB >= 4
	if (p->parent)
		wakeup(p->parent); /* it may be in wait4 */
	sched();
#else
	swtch(&p->context, mycpu()->scheduler);
#endif
	panic("a zombie ran again");
}

long sys_exit(const long a[6])
{
	do_exit(WSTATUS_EXITED(a[0]));
}

void do_group_exit(int status)
{
#if LAB >= 7
	thread_group_kill(myproc(), status);
#endif
	do_exit(status);
}

long sys_exit_group(const long a[6])
{
	do_group_exit(WSTATUS_EXITED(a[0]));
}

#if LAB >= 4

/* Collect the zombie child c: its status and times go to the parent, its slot is freed.
 * As on Linux, a bad status pointer still reaps the child (and gets -EFAULT). */
static long reap(struct proc *p, struct proc *c, uintptr_t ustatus)
{
	int status = c->exit_status;
	long pid = c->pid;
	uint64_t user, kernel;
	cpu_ticks(c, &user, &kernel);
	p->cutime += user + c->cutime;
	p->cstime += kernel + c->cstime;
	proc_free(c);
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) < 0)
		return -EFAULT;
	return pid;
}

/* Is c one of the children p waits for with wait4(pid)? pid > 0: that one; -1: any. 0 and
 * less than -1 (lab 6: those in p's process group, those in process group -pid) mean any
 * child before lab 6: there is one process group for everybody. */
static bool waits_for(const struct proc *p, const struct proc *c, long pid)
{
	if (c->state == PROC_UNUSED || c->parent != proc_leader(p))
		return false;
#if LAB >= 7
	/* Lab 7: a child with another exit signal than SIGCHLD (a "clone" child) is waited for
	 * only with __WCLONE, and only it; __WALL: either kind. */
	if (!(p->wait_options & __WALL) &&
	    (c->exit_signal != SIGCHLD) != !!(p->wait_options & __WCLONE))
		return false;
#endif
	if (pid > 0)
		return c->pid == pid;
#if LAB >= 6
	if (pid == 0)
		return c->pgid == p->pgid;
	if (pid < -1)
		return c->pgid == -pid;
#endif
	return true;
}

long sys_wait4(const long a[6])
{
	struct proc *p = myproc();
	long pid = a[0];
	uintptr_t ustatus = (uintptr_t)a[1];
	long options = a[2];

#if LAB >= 7
	if (options & ~(WNOHANG | __WALL | __WCLONE))
		return -EINVAL;
	p->wait_options = (unsigned long)options; /* for waits_for */
#else
	if (options & ~WNOHANG)
		return -EINVAL;
#endif

	// LAB 4: Wait for a child to exit. Look for the children of p that waits_for(p, c, pid)
	// accepts. A zombie among them: reap() it and return its pid. None at all: -ECHILD.
	// Otherwise return 0 with WNOHANG, -ERESTARTSYS if proc_interrupted(p) (p has been
	// killed), or sleep_on(proc_leader(p)) (an exiting child wakes its parent, which is p
	// itself until lab 7's threads) and look again.
	//= BEGIN LAB 4
	for (;;) {
		bool have = false;
		for (int i = 0; i < NPROC; i++) {
			struct proc *c = &procs[i];
			if (!waits_for(p, c, pid))
				continue;
			have = true;
			if (c->state == PROC_ZOMBIE)
				return reap(p, c, ustatus);
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (proc_interrupted(p))
			return -ERESTARTSYS;
		sleep_on(proc_leader(p));
	}
	//= STUB
	//= (void)p, (void)pid, (void)ustatus, (void)reap, (void)waits_for;
	//= printk("LAB 4: wait4 is not implemented (kern/sys/exit.c)\n");
	//= return -ENOSYS;
	//= END
}

#if LAB < 6 /* lab 6's kill, with process groups, is in kern/sys/sys_signal.c */
long sys_kill(const long a[6])
{
	int pid = (int)a[0], sig = (int)a[1];

	if (sig < 0 || sig > 64)
		return -EINVAL;
	struct proc *q = pid > 0 ? proc_find(pid) : NULL;
	if (!q)
		return -ESRCH;
	if (sig == 0 || q->state == PROC_ZOMBIE)
		return 0;
	/* Signals whose default action is to do nothing. */
	if (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH)
		return 0;
	/* As on Linux, init gets only the signals it handles: none, here. Nobody can end the
	 * process everything else depends on. */
	if (q == initproc)
		return 0;
	if (!q->killed)
		q->killed = sig;
	wake_process(q); /* a sleeper wakes up to die */
	return 0;
}
#endif

long sys_getppid(const long a[6])
{
	(void)a;
	struct proc *p = proc_leader(myproc());
	return p->parent ? p->parent->pid : 0;
}
#endif
