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

#endif
