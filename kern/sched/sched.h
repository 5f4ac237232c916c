/*
 * Scheduling (lab 4): the timer, the scheduler loop, and the ways a process gives up the
 * CPU (yield at the end of its time slice, sleep until an event, exit), and the CPU time
 * each process uses.
 */
#ifndef SPARROW_KERN_SCHED_SCHED_H
#define SPARROW_KERN_SCHED_SCHED_H

#include <types.h>
#include <x86.h>
#include "proc/proc.h"

#define HZ 100 /* timer interrupts per second: one tick is 10 ms, and one time slice */

struct trapframe;
struct proc;

extern volatile uint64_t ticks; /* timer interrupts since boot */
extern uint64_t tsc_per_tick;   /* time-stamp counter cycles in a tick (measured at boot) */
/* Called on every tick, if set (the memory viewer redraws its panel). */
extern void (*timer_hook)(void);
extern uint64_t boot_time; /* the real-time clock at boot: seconds since 1970 (UTC) */

struct timespec;
/* The time of day (CLOCK_REALTIME): boot_time plus the ticks since. */
void clock_realtime(struct timespec *ts);

/* Program the PIT for HZ interrupts a second, measure the TSC against it, and register
 * IRQ 0. */
void timer_init(void);

/* Run processes until none is left (called from kmain's context, never from a process). */
void scheduler(void);
/* The running process gives up the CPU: RUNNING -> RUNNABLE, back to the scheduler. */
void yield(void);
/* Switch from the running process to the scheduler; its state must already be changed. */
void sched(void);
/* RUNNING -> SLEEPING until wakeup(chan). Callers re-check their condition in a loop. */
void sleep_on(void *chan);
/* sleep_on, but woken at tick `deadline` at the latest (poll, select with a timeout). */
void sleep_until(void *chan, uint64_t deadline);
/* Make every process sleeping on chan RUNNABLE. */
void wakeup(void *chan);
/* The timer's: wake the processes sleeping on `ticks` and those whose deadline has come. */
void wakeup_ticks(void);
/*
 * For long loops in the kernel, which runs with interrupts off: let a timer interrupt that
 * is due in, so the clock goes on, and give the CPU to others if the running process's time
 * slice is over. Call it only where sleeping would be fine.
 */
void cond_resched(void);

/* CPU time: the running process entered the kernel (from user mode) now, or leaves it.
 * On every system call, so inline. */
static inline void account_enter(struct proc *p)
{
	p->entered_tsc = rdtsc();
}

static inline void account_leave(struct proc *p)
{
	p->kernel_tsc += rdtsc() - p->entered_tsc;
}
/* p's CPU time so far, in ticks: in user mode and in the kernel. */
void cpu_ticks(struct proc *p, uint64_t *user, uint64_t *kernel);

#endif
