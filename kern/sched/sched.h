/*
 * Scheduling (lab 4): the timer, the scheduler loop, and the ways a process gives up the
 * CPU (yield at the end of its time slice, sleep until an event, exit).
 */
#ifndef SPARROW_KERN_SCHED_SCHED_H
#define SPARROW_KERN_SCHED_SCHED_H

#include <types.h>

#define HZ 100 /* timer interrupts per second: one tick is 10 ms, and one time slice */

struct trapframe;
struct proc;

extern volatile uint64_t ticks; /* timer interrupts since boot */

/* Program the PIT for HZ interrupts a second and unmask IRQ 0. */
void timer_init(void);
/* IRQ 0: count the tick, wake sleepers, preempt user code at the end of its slice. */
void timer_interrupt(struct trapframe *tf);

/* Run processes until none is left (called from kmain's context, never from a process). */
void scheduler(void);
/* The running process gives up the CPU: RUNNING -> RUNNABLE, back to the scheduler. */
void yield(void);
/* Switch from the running process to the scheduler; its state must already be changed. */
void sched(void);
/* RUNNING -> SLEEPING until wakeup(chan). Callers re-check their condition in a loop. */
void sleep_on(void *chan);
/* Make every process sleeping on chan RUNNABLE. */
void wakeup(void *chan);
/* Wake p if it sleeps, whatever it sleeps on (kill uses this). */
void wake_process(struct proc *p);

/* Exit's part in lab 4: free the address space, give the children to init. */
void exit_release(struct proc *p);

#endif
