/*
 * /proc (lab 5, kern/sys/procfs.c).
 */
#ifndef SPARROW_KERN_SYS_PROCFS_H
#define SPARROW_KERN_SYS_PROCFS_H

/* Make /proc and its files in the file system. */
void procfs_init(void);

#endif
