/*
 * User programs: system-call wrappers. Each returns what the kernel returned, except that an
 * error (-ERRNO from the kernel) becomes -1 with errno set, as in C libraries.
 */
#ifndef SPARROW_INC_UNISTD_H
#define SPARROW_INC_UNISTD_H

#include <types.h>

extern int errno;
extern char **environ;

/* The raw system call: returns the kernel's value, -ERRNO included; errno untouched. */
long raw_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);
/* syscall(2) as in C libraries: -1 and errno on error. */
long syscall(long n, ...);

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
pid_t getpid(void);
void _exit(int status) __attribute__((noreturn));
int arch_prctl(int code, unsigned long addr);

#if LAB >= 4
/* Lab 4. The rest of the process calls are in <wait.h>, <signal.h>, <sched.h>, <time.h>. */

/* A copy of the calling process: returns the child's pid in the parent, 0 in the child;
 * -1 with errno EAGAIN (process table full) or ENOMEM. */
pid_t fork(void);
pid_t getppid(void);

/* reboot(2)'s commands, as in glibc's <sys/reboot.h>. */
#define RB_AUTOBOOT    0x01234567
#define RB_HALT_SYSTEM 0xcdef0123
#define RB_POWER_OFF   0x4321fedc
/* Stop the machine (glibc's reboot(cmd): the wrapper supplies Linux's two magic numbers).
 * Returns only on error. */
int reboot(int cmd);
#endif

#endif
