/*
 * Kernel threads (lab 7): tasks that run kernel code only, scheduled like processes and
 * listed by ps, with no user half (their address space is the kernel's alone).
 */
#ifndef SPARROW_KERN_PROC_KTHREAD_H
#define SPARROW_KERN_PROC_KTHREAD_H

struct proc;

/* A RUNNABLE kernel thread that calls fn(arg) (which must never return) with interrupts
 * off, named [name]; NULL if the process table is full or memory is short. */
struct proc *kthread_create(void (*fn)(void *), void *arg, const char *name);

#endif
