/*
 * File descriptors (lab 5): each process's table of references to shared open files, and
 * what fork, exec and exit do to it.
 */
#ifndef SPARROW_KERN_FS_FD_H
#define SPARROW_KERN_FS_FD_H

#include <types.h>

struct proc;
struct file;

/* The open file behind descriptor fd of the running process, or NULL (-EBADF). */
struct file *fd_get(int fd);
/* Install f in the lowest free descriptor >= min; returns it, or -EMFILE. */
int fd_install(struct file *f, int min, bool cloexec);

/* fork: the child's table refers to the same open files. */
void fd_fork(struct proc *child, struct proc *parent);
/* execve: close the descriptors marked close-on-exec. */
void fd_exec(struct proc *p);
/* exit: close every descriptor and drop the working directory. */
void fd_exit(struct proc *p);

#endif
