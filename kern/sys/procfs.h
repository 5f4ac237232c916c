/*
 * /proc (lab 5, kern/sys/procfs.c).
 */
#ifndef SPARROW_KERN_SYS_PROCFS_H
#define SPARROW_KERN_SYS_PROCFS_H

struct proc;

/* Make /proc and its files in the file system, and follow processes from now on. */
void procfs_init(void);
/* fork: the child's cmdline and exe are its parent's. */
void procfs_fork(struct proc *child, struct proc *parent);
/* p now runs the program at path (from its working directory) with argv: its cmdline and
 * exe say so. */
void procfs_exec(struct proc *p, const char *path, char *const argv[]);

#endif
