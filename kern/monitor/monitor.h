/*
 * The kernel monitor: a small command interpreter on the console for looking inside the
 * running kernel (and, from lab 3, at a stopped user program).
 */
#ifndef SPARROW_KERN_MONITOR_MONITOR_H
#define SPARROW_KERN_MONITOR_MONITOR_H

struct trapframe;

/* Make the monitor the kernel debugger (core/panic.h): panics and breakpoints end here. */
void monitor_init(void);
/* Read and run commands until one asks to leave (lab 3's continue/step). tf is the
 * stopped user program's trap frame, or NULL when there is none. */
void monitor(struct trapframe *tf);

/* Lab 3 commands (kern/monitor/mon_proc.c). */
int mon_run(int argc, char **argv, struct trapframe *tf);
int mon_continue(int argc, char **argv, struct trapframe *tf);
int mon_step(int argc, char **argv, struct trapframe *tf);

#endif
