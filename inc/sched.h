/*
 * User programs: the scheduler's side. A process's priority is its nice value, -20 (most
 * favoured) to 19; a runnable process with a lower nice value always runs before one with
 * a higher value, and processes with the same value share the CPU round-robin. A child
 * starts with its parent's nice value. (POSIX spreads these over <sched.h> and
 * <sys/resource.h>.)
 */
#ifndef SPARROW_INC_SCHED_H
#define SPARROW_INC_SCHED_H

#include <types.h>

#define PRIO_PROCESS 0 /* `who` is a pid (0: the caller); the only kind Sparrow has */
#define PRIO_PGRP    1
#define PRIO_USER    2

#define NICE_MIN (-20) /* setpriority clamps nice values to [NICE_MIN, NICE_MAX] */
#define NICE_MAX 19

/* Give up the CPU to the next runnable process of the same priority. */
int sched_yield(void);
/* The nice value of process `who` (0: the caller). -1 is a valid result: clear errno first
 * and check it. (The system call itself returns 20 - nice, so it is never negative.) */
int getpriority(int which, int who);
/* Set it; a value lower than the present one fails with EACCES: no process may make
 * itself (or another) more favoured than it is. */
int setpriority(int which, int who, int nice);

/* Lab 7: clone's flags (Linux's): what the new task shares with its creator. The low byte
 * is the signal its parent gets when it ends (0: none). */
#define CSIGNAL              0x000000ff
#define CLONE_VM             0x00000100 /* the address space */
#define CLONE_FS             0x00000200 /* the working directory and umask */
#define CLONE_FILES          0x00000400 /* the descriptor table */
#define CLONE_SIGHAND        0x00000800 /* the signal handlers (needs CLONE_VM) */
#define CLONE_VFORK          0x00004000 /* the caller waits until the child execs or exits */
#define CLONE_PARENT         0x00008000 /* the child is the caller's sibling */
#define CLONE_THREAD         0x00010000 /* a thread of the caller's group (needs SIGHAND) */
#define CLONE_NEWNS          0x00020000 /* namespaces: Sparrow has none (EINVAL) */
#define CLONE_SYSVSEM        0x00040000 /* System V semaphore undo: accepted, nothing to share */
#define CLONE_SETTLS         0x00080000 /* the child's %fs base is clone's tls argument */
#define CLONE_PARENT_SETTID  0x00100000 /* the child's tid is written at ptid (the caller's) */
#define CLONE_CHILD_CLEARTID 0x00200000 /* at the child's end: 0 at ctid and a futex wake */
#define CLONE_CHILD_SETTID   0x01000000 /* the child writes its tid at ctid (its memory) */
#define CLONE_NAMESPACES     0x7e000000 /* CLONE_NEWCGROUP ... CLONE_NEWNET: EINVAL */

#endif
