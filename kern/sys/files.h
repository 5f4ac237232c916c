/*
 * What the file system calls share (kern/sys/sys_rw.c): the running process's open file
 * behind a descriptor, and moving data between an open file and user memory.
 */
#ifndef SPARROW_KERN_SYS_FILES_H
#define SPARROW_KERN_SYS_FILES_H

#include <types.h>

struct file;
struct inode;
struct kstat;

/* The running process's open file behind fd, or NULL (-EBADF). */
struct file *fd_file(int fd);
/* read and write of n bytes at user address ubuf, as the system calls do them: the bytes
 * done, or an error if none was (-EFAULT, -EINTR, the file's). */
long read_to_user(struct file *f, uintptr_t ubuf, size_t n);
long write_from_user(struct file *f, uintptr_t ubuf, size_t n);

/* Lab 5 (kern/sys/sys_path.c). A path argument, copied into path (PATH_MAX bytes, on
 * the caller's stack: a call that frees memory, unlink say, must work when there is none):
 * 0, -EFAULT or -ENAMETOOLONG. */
long get_path(uintptr_t upath, char *path);
/* The directory a *at() call starts from for path: the working directory, or dirfd's
 * (-EBADF, -ENOTDIR); an absolute path ignores dirfd; an empty one is -ENOENT. */
long at_dir(int dirfd, const char *path, struct inode **dir);
/* Copy what stat found out as Linux's struct stat (inc/stat.h). */
long stat_out(const struct kstat *ks, uintptr_t ubuf);
/* Copy out Linux's struct statfs for the file system node is on (NULL: a pipe's). */
long statfs_out(struct inode *node, uintptr_t ubuf);

#endif
