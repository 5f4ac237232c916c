/*
 * Kernel threads (lab 7): a struct proc whose saved context starts in kernel code instead
 * of returning to user mode. The scheduler switches to it as to any task; its address space
 * is one with no user regions, the kernel's own page table.
 */
#include <stdio.h>
#include <string.h>
#include <x86.h>
#include "mm/kas.h"
#include "mm/uvm.h"
#include "proc/kthread.h"
#include "proc/proc.h"

/* The address space of every kernel thread: no regions, the kernel's page table. */
static struct mm kthread_mm;

/* A kernel thread's first code, where swtch "returns" to: fn (in rbx) with arg (in r12),
 * both set by kthread_create in the saved context. fn never returns. */
void kthread_start(void);
asm(".text\n"
    ".globl kthread_start\n"
    "kthread_start:\n"
    "	mov %r12, %rdi\n"
    "	call *%rbx\n"
    "	ud2\n");

struct proc *kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	// LAB 7: A kernel thread is a process (proc_alloc) whose first swtch "returns" into
	// kthread_start rather than to user mode: set its context's rip to kthread_start, rbx
	// to fn and r12 to arg. Give it &kthread_mm as its address space (its pml4 is
	// kern_pml4: the scheduler loads it like any other), mark it p->kthread, name it
	// "[name]" (ps shows it so), and make it RUNNABLE.
	//= BEGIN LAB 7
	long err;
	struct proc *p = proc_alloc(&err);
	if (!p)
		return NULL;
	kthread_mm.pml4 = kern_pml4;
	p->mm = &kthread_mm;
	p->kthread = true;
	p->context->rip = (uint64_t)kthread_start;
	p->context->rbx = (uint64_t)fn;
	p->context->r12 = (uint64_t)arg;
	snprintf(p->name, sizeof(p->name), "[%s]", name);
	proc_set_state(p, PROC_RUNNABLE);
	return p;
	//= STUB
	//= (void)fn, (void)arg, (void)name, (void)kthread_mm;
	//= return NULL;
	//= END
}
