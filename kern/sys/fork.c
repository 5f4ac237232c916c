/*
 * fork (lab 4): a new process that is a copy of the caller. The address space is shared
 * copy-on-write (kern/mm/cow.c), the descriptors refer to the same open files, the
 * registers are copied, and the child's fork() returns 0.
 */
#include <errno.h>
#include <string.h>
#include "fs/fdtable.h"
#include "mm/uvm.h"
#include "proc/fpu.h"
#include "proc/proc.h"
#include "sys/syscall.h"
#include "trap/trap.h"
#if LAB >= 5
#include "fs/fs.h"
#include "sys/procfs.h"
#endif

long sys_fork(const long a[6])
{
	struct proc *parent = myproc();
	long err;
	(void)a;

	struct proc *child = proc_alloc(&err);
	if (!child)
		return err; /* -EAGAIN: the table is full; -ENOMEM */
	child->mm = mm_copy(parent->mm);
	child->files = child->mm ? fdtable_copy(parent->files) : NULL;
	if (!child->files) {
		proc_free(child); /* destroys the (partial) copy, dropping its references */
		return -ENOMEM;
	}
	*child->tf = *parent->tf;
	child->tf->rax = 0; /* fork() returns 0 in the child */
	/* The parent's FPU registers are live on the CPU: save them for the child. */
	fpu_save(child->fpu);
	child->fs_base = parent->fs_base;
	child->nice = parent->nice;
	memcpy(child->name, parent->name, sizeof(child->name));
	child->parent = parent;
#if LAB >= 6
	signal_fork(child, parent);
#endif
#if LAB >= 5
	child->cwd = parent->cwd;
	if (child->cwd)
		inode_get(child->cwd);
	child->umask = parent->umask;
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	procfs_fork(child, parent);
#endif
	proc_set_state(child, PROC_RUNNABLE);
	return child->pid;
}
