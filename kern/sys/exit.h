/*
 * Ending processes (kern/sys/exit.c).
 */
#ifndef SPARROW_KERN_SYS_EXIT_H
#define SPARROW_KERN_SYS_EXIT_H

/* End the running process with the given wait status (Linux's encoding, WSTATUS_*): release
 * its files, memory and children, and leave a zombie for its parent. Does not return. */
void do_exit(int status) __attribute__((noreturn));

#endif
