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

#endif
