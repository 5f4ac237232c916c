/*
 * The end of a process's life (lab 4): exit gives back its memory and its children, the
 * parent collects the exit status with wait4, and kill makes another process exit.
 */
#include <errno.h>
#include <x86.h>
#include <signal.h>
#include <wait.h>
#include "core/panic.h"
#include "core/printk.h"
#include "mm/kas.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#if LAB >= 5
#include "fs/fd.h"
#endif

void exit_release(struct proc *p)
{
#if LAB >= 5
	fd_exit(p); /* open files, pipes included, and the working directory */
#endif
	// LAB 4: Free what an exiting process no longer needs, before it becomes a zombie:
	// its address space (switch CR3 to kern_pml4 first: vm_destroy refuses the loaded
	// one). Then give each of its children to init (initproc, unless p is init itself, or
	// to nobody: NULL); a child that is already a zombie must still be collected, so wake
	// init if it gets one, or free it at once if it has no parent now.
	//= BEGIN LAB 4
	lcr3(V2P(kern_pml4));
	vm_destroy(p->pml4);
	p->pml4 = NULL;
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
	//= panic("LAB 4: exit_release() is not implemented (kern/proc/wait.c)");
	//= END
}

/* Collect the zombie child c: its status and times go to the parent, its slot is freed. */
static long reap(struct proc *p, struct proc *c, uintptr_t ustatus)
{
	int status = c->exit_status;
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) < 0)
		return -EFAULT;
	long pid = c->pid;
	p->cutime += c->utime + c->cutime;
	p->cstime += c->stime + c->cstime;
	proc_free(c);
	return pid;
}

long sys_wait4(const long a[6])
{
	struct proc *p = myproc();
	long pid = a[0];
	uintptr_t ustatus = (uintptr_t)a[1];
	long options = a[2];

	if (options & ~WNOHANG)
		return -EINVAL;
	if (pid == 0 || pid < -1)
		pid = -1; /* one process group for everybody: "my group" is "any child" */

	// LAB 4: Wait for a child to exit. Look for children of p (matching pid if pid > 0).
	// A zombie among them: reap() it and return its pid. None at all: -ECHILD. Otherwise
	// return 0 with WNOHANG, -EINTR if p has been killed, or sleep_on(p) (an exiting child
	// wakes its parent) and look again.
	//= BEGIN LAB 4
	for (;;) {
		bool have = false;
		for (int i = 0; i < NPROC; i++) {
			struct proc *c = &procs[i];
			if (c->state == PROC_UNUSED || c->parent != p || (pid > 0 && c->pid != pid))
				continue;
			have = true;
			if (c->state == PROC_ZOMBIE)
				return reap(p, c, ustatus);
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (p->killed)
			return -EINTR;
		sleep_on(p);
	}
	//= STUB
	//= (void)p, (void)pid, (void)ustatus, (void)reap;
	//= printk("LAB 4: wait4 is not implemented (kern/proc/wait.c)\n");
	//= return -ENOSYS;
	//= END
}

long sys_kill(const long a[6])
{
	long pid = a[0];
	int sig = (int)a[1];

	if (sig < 0 || sig > 64)
		return -EINVAL;
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q->state == PROC_UNUSED || q->pid != pid)
			continue;
		if (sig == 0 || q->state == PROC_ZOMBIE)
			return 0;
		/* Signals whose default action is to do nothing. */
		if (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH)
			return 0;
		if (!q->killed)
			q->killed = sig;
		wake_process(q); /* a sleeper wakes up to die */
		return 0;
	}
	return -ESRCH;
}

long sys_getppid(const long a[6])
{
	(void)a;
	struct proc *p = myproc();
	return p->parent ? p->parent->pid : 0;
}
