/*
 * What the file system calls share (kern/sys/sys_rw.c): the running process's open file
 * behind a descriptor, and moving data between an open file and user memory.
 */
#ifndef SPARROW_KERN_SYS_FILES_H
#define SPARROW_KERN_SYS_FILES_H

#include <types.h>

struct file;

/* The running process's open file behind fd, or NULL (-EBADF). */
struct file *fd_file(int fd);
/* read and write of n bytes at user address ubuf, as the system calls do them: the bytes
 * done, or an error if none was (-EFAULT, -EINTR, the file's). */
long read_to_user(struct file *f, uintptr_t ubuf, size_t n);
long write_from_user(struct file *f, uintptr_t ubuf, size_t n);

#endif
