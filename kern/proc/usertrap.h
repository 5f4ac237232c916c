/*
 * Exceptions from user mode (lab 3): the trap layer hands them to user_trap (registered in
 * trap_hooks at boot).
 */
#ifndef SPARROW_KERN_PROC_USERTRAP_H
#define SPARROW_KERN_PROC_USERTRAP_H

struct trapframe;

/* An exception the running process raised in user mode. */
void user_trap(struct trapframe *tf);
/* Mark the running process to die of signal, printing "[pid N NAME] user fault: WHAT, rip
 * 0x..." first. It ends on its way back to user mode. (Lab 6: send it the fault's signal;
 * the line is printed if that kills it.) */
void proc_kill_fault(struct trapframe *tf, int signal, const char *what);

#endif
