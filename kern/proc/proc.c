/*
 * The process table: allocating and freeing processes, finding one by pid, and the one
 * function that changes a process's state.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include "core/panic.h"
#include "core/printk.h"
#include "mm/kas.h"
#include "mm/uvm.h"
#include "core/cpu.h"
#include "proc/proc.h"
#include "trap/trap.h"
#if LAB >= 7
#include "proc/thread.h"
#endif

struct proc procs[NPROC];
struct proc *initproc;
struct proc *runq;
struct proc *sleepers;
static int next_pid = 1;

#define PID_MAX 32768 /* pids are reused after this, as on Linux */

extern void proc_start(void);

/* swtch.S pushes and pops exactly these, in this order. */
_Static_assert(offsetof(struct context, rflags) == 0 && offsetof(struct context, r15) == 8 &&
                       offsetof(struct context, rbp) == 48 && offsetof(struct context, rip) == 56 &&
                       sizeof(struct context) == 64,
               "struct context must match kern/proc/swtch.S");

static const char *const state_names[] = {
	[PROC_UNUSED] = "UNUSED",   [PROC_EMBRYO] = "EMBRYO",     [PROC_RUNNABLE] = "RUNNABLE",
	[PROC_RUNNING] = "RUNNING", [PROC_SLEEPING] = "SLEEPING", [PROC_ZOMBIE] = "ZOMBIE",
};

const char *proc_state_name(enum proc_state s)
{
	return (unsigned)s < ARRAY_SIZE(state_names) ? state_names[s] : "?";
}

/* The arrows of the diagram in proc.h, and nothing else. */
static bool legal(enum proc_state from, enum proc_state to)
{
	switch (from) {
	case PROC_UNUSED:
		return to == PROC_EMBRYO;
	case PROC_EMBRYO:
		return to == PROC_RUNNABLE || to == PROC_UNUSED; /* UNUSED: creation failed */
	case PROC_RUNNABLE:
		return to == PROC_RUNNING;
	case PROC_RUNNING:
		return to == PROC_RUNNABLE || to == PROC_SLEEPING || to == PROC_ZOMBIE;
	case PROC_SLEEPING:
		return to == PROC_RUNNABLE;
	case PROC_ZOMBIE:
		return to == PROC_UNUSED;
	}
	return false;
}

void (*proc_state_hook)(struct proc *p, enum proc_state to);

/* Take p out of the list at *head, where it is. */
static void list_remove(struct proc **head, struct proc *p)
{
	while (*head != p)
		head = &(*head)->qnext;
	*head = p->qnext;
	p->qnext = NULL;
}

/* Put p at the end of the list at *head. */
static void list_append(struct proc **head, struct proc *p)
{
	while (*head)
		head = &(*head)->qnext;
	*head = p;
	p->qnext = NULL;
}

void proc_set_state(struct proc *p, enum proc_state to)
{
	if (!legal(p->state, to))
		panic("process %d: illegal state change %s -> %s", p->pid,
		      proc_state_name(p->state), proc_state_name(to));
	if (proc_state_hook)
		proc_state_hook(p, to);
	if (p->state == PROC_RUNNABLE)
		list_remove(&runq, p);
	else if (p->state == PROC_SLEEPING)
		list_remove(&sleepers, p);
	p->state = to;
	if (to == PROC_RUNNABLE)
		list_append(&runq, p);
	else if (to == PROC_SLEEPING)
		list_append(&sleepers, p);
}

/* A pid no process has: the next one after the last handed out, wrapping at PID_MAX. */
static int alloc_pid(void)
{
	for (;;) {
		int pid = next_pid;
		next_pid = next_pid % PID_MAX + 1;
		bool used = false;
		for (int i = 0; i < NPROC; i++)
			used |= procs[i].state != PROC_UNUSED && procs[i].pid == pid;
		if (!used)
			return pid; /* NPROC < PID_MAX, so one is always free */
	}
}

void (*proc_made_hook)(struct proc *p);
void (*proc_freed_hook)(struct proc *p);

struct proc *proc_alloc(long *err)
{
	struct proc *p = NULL;
	for (int i = 0; i < NPROC && !p; i++)
		if (procs[i].state == PROC_UNUSED)
			p = &procs[i];
	if (!p) {
		*err = -EAGAIN;
		return NULL;
	}

	void *kstack = kstack_alloc();
	if (!kstack) {
		*err = -ENOMEM;
		return NULL;
	}
	memset(p, 0, sizeof(*p));
	proc_set_state(p, PROC_EMBRYO);
	p->pid = alloc_pid();
	p->kstack = (uintptr_t)kstack;
#if LAB >= 6
	p->pgid = p->sid = p->pid; /* its own group and session, unless fork says otherwise */
#endif
#if LAB >= 7
	thread_init(p); /* a group of one, until clone says otherwise */
#endif

	/* The top of the kernel stack: the user registers, and below them a context whose
	 * "return address" is proc_start, so the first swtch() to p enters user mode. It
	 * starts with interrupts off, as the kernel always runs. */
	p->tf = (struct trapframe *)(p->kstack - sizeof(struct trapframe));
	memset(p->tf, 0, sizeof(*p->tf));
	p->context = (struct context *)((uintptr_t)p->tf - sizeof(struct context));
	memset(p->context, 0, sizeof(*p->context));
	p->context->rip = (uint64_t)proc_start;
	p->context->rflags = RFLAGS_RESERVED;
	if (proc_made_hook)
		proc_made_hook(p);
	return p;
}

void proc_free(struct proc *p)
{
	if (proc_freed_hook)
		proc_freed_hook(p);
	if (p->mm)
		mm_destroy(p->mm);
	if (p->kstack)
		kstack_free((void *)p->kstack);
	p->mm = NULL;
	p->kstack = 0;
	proc_set_state(p, PROC_UNUSED);
}

struct proc *proc_find(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != PROC_UNUSED && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

void wake_process(struct proc *p)
{
	if (p->state == PROC_SLEEPING)
		proc_set_state(p, PROC_RUNNABLE);
}
