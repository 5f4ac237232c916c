/*
 * clone and the life of a task in a thread group (lab 7): making tasks that share what the
 * flags say, vfork's wait, a thread's exit, execve in a thread, and CLONE_FS's shared
 * working directory. The bookkeeping that does not sleep is in kern/proc/thread.h.
 */
#ifndef SPARROW_KERN_SYS_CLONE_H
#define SPARROW_KERN_SYS_CLONE_H

#include <types.h>
#include "sys/syscall.h"

struct proc;

sysfn_t sys_clone, sys_vfork, sys_fork_clone, sys_futex;

/* do_exit's start: clear and wake the clear-tid word, release a vfork parent, and for a
 * group's leader wait until its other threads are gone; let go of a shared address space
 * and descriptor table. Returns the wait status the group ends with. */
int thread_exit_begin(struct proc *p, int status);
/* do_exit for a thread that is not its group's leader: it ends silently (nobody waits for
 * a thread), once its files are released. */
void thread_vanish(struct proc *p) __attribute__((noreturn));
/* execve: end p's other threads, then p is the group (and stops sharing its descriptor
 * table). 0, or -EINTR (p was killed meanwhile). */
int thread_exec_alone(struct proc *p);
/* A successful execve: p's vfork parent (if any) goes on. */
void clone_exec_done(struct proc *p);
/* chdir, fchdir, umask: every task sharing p's (CLONE_FS) gets its directory and umask. */
void clone_fs_changed(struct proc *p);
/* Wake the tasks waiting in FUTEX_WAIT on the word at uaddr of p's address space; how many
 * (at most n) were woken (kern/sys/futex.c). */
int futex_wake_addr(struct proc *p, uintptr_t uaddr, int n);

#endif
