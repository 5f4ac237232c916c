/*
 * Programs the kernel starts itself (kern/sys/exec.c): the init= program and the monitor's
 * run command.
 */
#ifndef SPARROW_KERN_SYS_EXEC_H
#define SPARROW_KERN_SYS_EXEC_H

struct proc;

/* A new process running the program at path (lab 3-4: in the ramdisk; lab 5: in the file
 * system) with argv (NULL-terminated), parent as its parent (NULL: none) and the console on
 * descriptors 0, 1 and 2. Returns it, RUNNABLE, or NULL with *err set, having said why. */
struct proc *spawn(const char *path, char *const argv[], struct proc *parent, long *err);
#if LAB >= 5
/* At boot: the page tables execve's windows (EXECBUF, the arguments) use. */
void exec_init(void);
#endif
/* Run the processes there are until every one has ended (lab 3: the one process; lab 4:
 * the scheduler). */
void run_processes(void);

#endif
