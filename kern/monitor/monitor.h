/*
 * The kernel monitor: a small command interpreter on the console for looking inside the
 * running kernel (and, from lab 3, at a stopped user program). Lab 1's commands are in
 * kern/monitor/monitor.c; later labs' files add theirs with MONITOR_COMMAND
 * (kern/core/tables.h).
 */
#ifndef SPARROW_KERN_MONITOR_MONITOR_H
#define SPARROW_KERN_MONITOR_MONITOR_H

struct trapframe;

/* Make the monitor the kernel debugger (core/panic.h): panics and breakpoints end here. */
void monitor_init(void);
/* Read and run commands until one asks to leave (lab 3's continue/step). tf is the
 * stopped user program's trap frame, or NULL when there is none. */
void monitor(struct trapframe *tf);

/* Called before each prompt, if set (lab 2's memory viewer redraws its panel). */
extern void (*monitor_prompt_hook)(void);

#endif
