/*
 * Thread groups (lab 7): the bookkeeping of tasks that share a tgid, an address space, a
 * descriptor table, handlers: who else uses what, ending a group, and which thread takes a
 * signal sent to the whole process. clone and the waiting parts are in kern/sys/clone.c.
 */
#include <signal.h>
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/thread.h"

static uint64_t next_share_id = 1;

uint64_t thread_new_share_id(void)
{
	return next_share_id++;
}

void thread_init(struct proc *p)
{
	p->tgid = p->pid;
	p->leader = p;
	p->exit_signal = SIGCHLD;
	p->fs_id = thread_new_share_id();
	p->sighand_id = thread_new_share_id();
}

/* A task that still runs its course: not a free slot, not a zombie. */
static bool live(const struct proc *q)
{
	return q->state != PROC_UNUSED && q->state != PROC_ZOMBIE;
}

int thread_others(const struct proc *p)
{
	int n = 0;
	for (int i = 0; i < NPROC; i++) {
		const struct proc *q = &procs[i];
		n += q != p && live(q) && q->tgid == p->tgid && !q->kthread;
	}
	return n;
}

bool thread_mm_shared(const struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (&procs[i] != p && procs[i].state != PROC_UNUSED && procs[i].mm == p->mm)
			return true;
	return false;
}

bool thread_files_shared(const struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (&procs[i] != p && procs[i].state != PROC_UNUSED && procs[i].files == p->files)
			return true;
	return false;
}

void thread_group_kill(struct proc *p, int status)
{
	if (p->leader->execing && p->leader != p)
		return; /* the leader's execve ends p alone */
	// LAB 7: End p's whole thread group. Record the group's wait status on its leader
	// (p->leader: group_exit and group_status), unless another thread got there first:
	// the first exit_group or fatal signal decides. Then mark every other live task of the
	// group (same tgid, not a zombie) to die at its next return to user mode (killed =
	// SIGKILL, as lab 4's kill does) and wake it if it sleeps (wake_process).
	//= BEGIN LAB 7
	struct proc *leader = p->leader;
	if (!leader->group_exit) {
		leader->group_exit = true;
		leader->group_status = status;
	}
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q == p || !live(q) || q->tgid != p->tgid)
			continue;
		if (!q->killed)
			q->killed = SIGKILL;
		wake_process(q);
	}
	//= STUB
	//= (void)p, (void)status;
	//= END
}

struct proc *thread_signal_target(struct proc *p, int sig)
{
	struct proc *leader = p->leader;
	if (live(leader) && !(leader->sig.blocked & SIGBIT(sig)))
		return leader;
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (live(q) && q->tgid == p->tgid && !q->killed && !(q->sig.blocked & SIGBIT(sig)))
			return q;
	}
	/* Everybody blocks it: it waits on a live thread until one unblocks it. */
	if (live(leader))
		return leader;
	for (int i = 0; i < NPROC; i++)
		if (live(&procs[i]) && procs[i].tgid == p->tgid)
			return &procs[i];
	return p;
}

void thread_sighand_changed(struct proc *p, int sig)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q != p && q->state != PROC_UNUSED && q->sighand_id == p->sighand_id) {
			q->sig.action[sig - 1] = p->sig.action[sig - 1];
			if (signal_ignores(q, sig))
				q->sig.pending &= ~SIGBIT(sig);
		}
	}
}

bool thread_exec(struct proc *p)
{
	p->sighand_id = thread_new_share_id(); /* signal_exec resets p's handlers alone */
	p->clear_child_tid = 0;
	return thread_mm_shared(p);
}
