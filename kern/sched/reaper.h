/*
 * The reaper (lab 7): the kernel thread that frees exited tasks nobody will wait for.
 */
#ifndef SPARROW_KERN_SCHED_REAPER_H
#define SPARROW_KERN_SCHED_REAPER_H

#include <types.h>

struct proc;

/* Start it (once init exists: init keeps pid 1). */
void reaper_start(void);
/* p is a zombie nobody waits for, now off the CPU: the reaper frees it (true), or there is
 * no reaper and the caller must (false). */
bool reaper_take(struct proc *p);

#endif
