/*
 * clone (lab 7): a new task that shares with its creator what the flags say (address space,
 * descriptor table, working directory, handlers; a thread of the same group), fork and
 * vfork as clone with fixed flags, and the parts of a thread's life that sleep: vfork's
 * wait, a group leader waiting for its threads at exit, execve in a thread.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "fs/fdtable.h"
#include "core/panic.h"
#include "fs/fs.h"
#include "mm/kas.h"
#include "mm/uvm.h"
#include "proc/fpu.h"
#include "proc/proc.h"
#include "proc/thread.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "sys/clone.h"
#include "sys/procfs.h"
#include "sys/syscall.h"
#include "trap/trap.h"

/* The flags clone knows; any other bit is ignored, as Linux ignores the ones it retired. */
#define CLONE_SHARE_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)

/* Does Linux accept this combination of flags? A thread (CLONE_THREAD) must share the
 * handlers (CLONE_SIGHAND), and shared handlers need a shared address space (CLONE_VM: a
 * handler is an address). Sparrow has no namespaces: their flags are refused too. */
static bool clone_flags_valid(unsigned long flags)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return false;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return false;
	return !(flags & (CLONE_NEWNS | CLONE_NAMESPACES));
}

/* Give child (an EMBRYO from proc_alloc) parent's address space, descriptor table, working
 * directory and umask, and handlers: the same ones where flags say to share, copies
 * otherwise. 0, or -ENOMEM with child's share of what was done left for proc_free. */
static int clone_share(struct proc *child, struct proc *parent, unsigned long flags)
{
	// LAB 7: The four shared objects. CLONE_VM: child->mm is parent->mm itself, else a
	// copy-on-write copy (mm_copy, as fork). CLONE_FILES: the same descriptor table, else
	// fdtable_copy. Both copies can fail: -ENOMEM. CLONE_FS: the same fs_id (tasks with the
	// same id share cwd and umask, clone_fs_changed keeps them equal), else a new one
	// (thread_new_share_id); either way child starts with parent's cwd (a reference:
	// inode_get) and umask. CLONE_SIGHAND: the same sighand_id, else a new one (the
	// handlers themselves are copied by signal_fork).
	//= BEGIN LAB 7
	child->mm = flags & CLONE_VM ? parent->mm : mm_copy(parent->mm);
	if (!child->mm)
		return -ENOMEM;
	child->files = flags & CLONE_FILES ? parent->files : fdtable_copy(parent->files);
	if (!child->files)
		return -ENOMEM;
	child->fs_id = flags & CLONE_FS ? parent->fs_id : thread_new_share_id();
	child->cwd = parent->cwd;
	if (child->cwd)
		inode_get(child->cwd);
	child->umask = parent->umask;
	child->sighand_id = flags & CLONE_SIGHAND ? parent->sighand_id : thread_new_share_id();
	return 0;
	//= STUB
	//= (void)child, (void)parent, (void)flags;
	//= return -ENOSYS;
	//= END
}

/* CLONE_CHILD_SETTID: the new task's first code, in its own address space, writes its tid
 * at set_child_tid, then goes to user mode as proc_start does (rsp at its trap frame). */
static void clone_child_start(void)
{
	struct proc *p = myproc();
	int tid = p->pid;
	copy_to_user(p->set_child_tid, &tid, sizeof(tid)); /* a bad address: Linux ignores it */
	asm volatile("mov %0, %%rsp; jmp userret" ::"r"(p->tf) : "memory");
	__builtin_unreachable();
}

/* The caller waits until its vfork child execs or exits (vfork_release), or until it is
 * killed itself (as on Linux, the wait is killable: its group may be ending). */
static void vfork_wait(struct proc *parent, struct proc *child)
{
	parent->vfork_wait = true;
	child->vfork_parent = parent;
	proc_set_state(child, PROC_RUNNABLE);
	while (parent->vfork_wait && !parent->killed)
		sleep_on(&parent->vfork_wait);
	if (parent->vfork_wait) { /* killed: the child (still running) lets go of it */
		parent->vfork_wait = false;
		child->vfork_parent = NULL;
	}
}

/* p execs or exits: its vfork parent (if any) goes on. */
static void vfork_release(struct proc *p)
{
	struct proc *parent = p->vfork_parent;
	if (!parent)
		return;
	p->vfork_parent = NULL;
	parent->vfork_wait = false;
	wakeup(&parent->vfork_wait);
}

static long do_clone(unsigned long flags, uintptr_t newsp, uintptr_t ptid, uintptr_t ctid,
                     uintptr_t tls)
{
	struct proc *parent = myproc();
	struct proc *up = flags & CLONE_PARENT ? parent->leader->parent : parent->leader;
	long err;

	if (!clone_flags_valid(flags) || ((flags & CLONE_PARENT) && !up))
		return -EINVAL;
	if ((flags & CLONE_SETTLS) && tls >= USER_LIMIT)
		return -EPERM;
	struct proc *child = proc_alloc(&err);
	if (!child)
		return err; /* -EAGAIN: the table is full; -ENOMEM */
	err = clone_share(child, parent, flags);
	if (err < 0) {
		if (flags & CLONE_VM)
			child->mm = NULL; /* the parent's: not for proc_free to destroy */
		if (child->files && !(flags & CLONE_FILES))
			fdtable_destroy(child->files);
		if (child->cwd)
			inode_put(child->cwd);
		proc_free(child);
		return err;
	}

	*child->tf = *parent->tf;
	child->tf->rax = 0; /* clone returns 0 in the child */
	if (newsp)
		child->tf->rsp = newsp;
	fpu_save(child->fpu); /* the parent's FPU registers are live on the CPU */
	child->fs_base = flags & CLONE_SETTLS ? tls : parent->fs_base;
	child->nice = parent->nice;
	memcpy(child->name, parent->name, sizeof(child->name));
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	signal_fork(child, parent);
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		child->sig.altstack = (stack_t){ .ss_flags = SS_DISABLE }; /* a new stack */
	procfs_fork(child, parent);

	if (flags & CLONE_THREAD) { /* of the caller's group: nobody's child */
		child->tgid = parent->tgid;
		child->leader = parent->leader;
		child->parent = NULL;
		child->exit_signal = 0;
	} else {
		child->parent = up;
		int sig = (int)(flags & CSIGNAL);
		child->exit_signal = flags & CLONE_PARENT ? parent->leader->exit_signal
		                     : sig <= NSIG        ? sig
		                                          : 0;
	}
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = ctid;
	if (flags & CLONE_CHILD_SETTID) {
		child->set_child_tid = ctid;
		child->context->rip = (uint64_t)clone_child_start;
	}
	int tid = child->pid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(ptid, &tid, sizeof(tid)); /* as on Linux, a bad address is ignored */
	if (flags & CLONE_VFORK)
		vfork_wait(parent, child);
	else
		proc_set_state(child, PROC_RUNNABLE);
	return tid;
}

long sys_clone(const long a[6])
{
	/* Linux's x86-64 order: flags, new stack, parent's tid word, child's tid word, tls. */
	return do_clone((unsigned long)a[0], (uintptr_t)a[1], (uintptr_t)a[2], (uintptr_t)a[3],
	                (uintptr_t)a[4]);
}

long sys_fork_clone(const long a[6])
{
	(void)a;
	return do_clone(SIGCHLD, 0, 0, 0, 0);
}

long sys_vfork(const long a[6])
{
	(void)a;
	return do_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/* ---- the end of a thread ---------------------------------------------------------------- */

int thread_exit_begin(struct proc *p, int status)
{
	if (p->clear_child_tid) { /* what pthread_join waits on */
		int zero = 0;
		if (copy_to_user(p->clear_child_tid, &zero, sizeof(zero)) == 0)
			futex_wake_addr(p, p->clear_child_tid, 1);
		p->clear_child_tid = 0;
	}
	vfork_release(p);
	if (!thread_is_leader(p)) {
		/* The status of the last thread to end is the group's, unless exit_group or a
		 * fatal signal decided it (Linux does the same). */
		if (!p->leader->group_exit)
			p->leader->group_status = status;
	} else {
		bool waited = false;
		while (thread_is_leader(p) && thread_others(p) > 0) {
			waited = true;
			sleep_on(&p->tgid); /* each thread that ends wakes its leader */
		}
		if (thread_is_leader(p) && (p->group_exit || waited))
			status = p->group_status;
		/* Its children go to init, which waits for SIGCHLD children only: as on Linux,
		 * nobody may make init miss one, whatever signal it was to get. */
		for (int i = 0; i < NPROC; i++)
			if (procs[i].state != PROC_UNUSED && procs[i].parent == p)
				procs[i].exit_signal = SIGCHLD;
	}
	if (p->mm && thread_mm_shared(p)) {
		lcr3(V2P(kern_pml4)); /* others run in it: not ours to destroy */
		p->mm = NULL;
	}
	if (p->files && thread_files_shared(p))
		p->files = NULL;
	return status;
}

void thread_vanish(struct proc *p)
{
	if (p->mm) {
		lcr3(V2P(kern_pml4));
		if (!thread_mm_shared(p))
			mm_destroy(p->mm);
		p->mm = NULL;
	}
	p->parent = NULL; /* the reaper frees it once it is off the CPU */
	wakeup(&p->leader->tgid);
	proc_set_state(p, PROC_ZOMBIE);
	sched();
	panic("a thread ran after its exit");
}

/* ---- execve in a thread ----------------------------------------------------------------- */

int thread_exec_alone(struct proc *p)
{
	struct proc *old = p->leader;
	if (thread_others(p) > 0 || old != p) {
		/* p becomes the leader now, so the old one ends as a plain thread does; it takes
		 * over the old leader's parent and children, and the others are told to die. */
		p->parent = old->parent;
		p->exit_signal = old->exit_signal;
		for (int i = 0; i < NPROC; i++) {
			struct proc *q = &procs[i];
			if (q->state == PROC_UNUSED)
				continue;
			if (q->parent == old && q != p)
				q->parent = p;
			if (q->tgid == p->tgid && q != p) {
				q->leader = p;
				if (q->state != PROC_ZOMBIE && !q->killed)
					q->killed = SIGKILL;
				wake_process(q);
			}
		}
		p->leader = p;
		p->execing = true;
		wakeup(&old->tgid); /* an old leader waiting for its threads ends now */
		while (thread_others(p) > 0)
			sleep_on(&p->tgid);
		/* p takes the group's pid once the old leader's slot is free (it is off the CPU:
		 * this CPU runs p). */
		if (old != p) {
			if (old->state == PROC_ZOMBIE)
				proc_free(old);
			if (proc_freed_hook)
				proc_freed_hook(p);
			p->pid = p->tgid;
			if (proc_made_hook)
				proc_made_hook(p);
		}
		p->execing = false;
	}
	/* The new program does not share its descriptor table with anybody. */
	if (thread_files_shared(p)) {
		struct fdtable *copy = fdtable_copy(p->files);
		if (!copy)
			return -ENOMEM;
		p->files = copy;
	}
	return 0;
}

void clone_exec_done(struct proc *p)
{
	vfork_release(p);
}

/* ---- CLONE_FS --------------------------------------------------------------------------- */

void clone_fs_changed(struct proc *p)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q == p || q->state == PROC_UNUSED || q->state == PROC_ZOMBIE ||
		    q->fs_id != p->fs_id)
			continue;
		if (p->cwd)
			inode_get(p->cwd);
		if (q->cwd)
			inode_put(q->cwd);
		q->cwd = p->cwd;
		q->umask = p->umask;
	}
}
