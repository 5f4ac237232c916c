/*
 * Ending processes (kern/sys/exit.c).
 */
#ifndef SPARROW_KERN_SYS_EXIT_H
#define SPARROW_KERN_SYS_EXIT_H

/* End the running process with the given wait status (Linux's encoding, WSTATUS_*): release
 * its files, memory and children, and leave a zombie for its parent. Does not return. */
void do_exit(int status) __attribute__((noreturn));
/* End the running process's whole thread group (exit_group, a fatal signal, SIGKILL): from
 * lab 7 every other thread of it dies too; before, the same as do_exit. */
void do_group_exit(int status) __attribute__((noreturn));

#endif
