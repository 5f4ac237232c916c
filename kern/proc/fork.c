/*
 * fork (lab 4): a new process that is a copy of the caller. The address space is shared
 * copy-on-write (kern/mm/cow.c), the registers are copied, and the child's fork() returns
 * 0.
 */
#include <errno.h>
#include <string.h>
#include "mm/cow.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "trap/trap.h"
#if LAB >= 5
#include "fs/fd.h"
#endif

long sys_fork(const long a[6])
{
	struct proc *parent = myproc();
	long err;
	(void)a;

	struct proc *child = proc_alloc(&err);
	if (!child)
		return err; /* -EAGAIN: the table is full; -ENOMEM */
	if (vm_cow_copy(child->pml4, parent->pml4) < 0) {
		proc_free(child); /* destroys the partial copy, dropping its references */
		return -ENOMEM;
	}
	*child->tf = *parent->tf;
	child->tf->rax = 0; /* fork() returns 0 in the child */
	/* The parent's FPU registers are live on the CPU: save them for the child. */
	asm volatile("fxsave (%0)" : : "r"(child->fpu) : "memory");
	child->fs_base = parent->fs_base;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->nice = parent->nice;
	memcpy(child->name, parent->name, sizeof(child->name));
	child->parent = parent;
#if LAB >= 5
	child->mmap_low = parent->mmap_low;
	fd_fork(child, parent);
#endif
	proc_set_state(child, PROC_RUNNABLE);
	return child->pid;
}
