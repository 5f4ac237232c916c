/*
 * User programs: opening files and controlling descriptors (open, openat, creat, fcntl),
 * with Linux's flag values.
 */
#ifndef SPARROW_INC_FCNTL_H
#define SPARROW_INC_FCNTL_H

#include <types.h>

/* open's flags: one access mode, or'ed with any of the others. */
#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100 /* make the file if it does not exist (open's third argument: its mode) */
#define O_EXCL      00000200 /* with O_CREAT: fail with EEXIST if it exists */
#define O_TRUNC     00001000 /* empty a regular file opened for writing */
#define O_APPEND    00002000 /* every write goes to the end */
#define O_NONBLOCK  00004000 /* reads and writes that would wait fail with EAGAIN */
#define O_DIRECTORY 00200000 /* fail with ENOTDIR unless it is a directory */
#define O_CLOEXEC   02000000 /* close the descriptor in execve */

/* openat's dirfd meaning "relative to the working directory". */
#define AT_FDCWD (-100)

/* fcntl's commands and the descriptor flag. */
#define F_DUPFD         0    /* the lowest free descriptor >= arg, a copy of fd */
#define F_GETFD         1    /* the descriptor flags (FD_CLOEXEC) */
#define F_SETFD         2    /* set them to arg */
#define F_GETFL         3    /* the open file's flags (O_APPEND, the access mode ...) */
#define F_DUPFD_CLOEXEC 1030 /* F_DUPFD, with FD_CLOEXEC set on the copy */
#define FD_CLOEXEC      1

/* Open path; with O_CREAT pass the new file's mode (e.g. 0644) as a third argument.
 * Returns the lowest free descriptor, or -1 with errno (ENOENT, EEXIST, EISDIR, ENOTDIR...). */
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
/* open(path, O_WRONLY | O_CREAT | O_TRUNC, mode) */
int creat(const char *path, mode_t mode);
int fcntl(int fd, int cmd, ...);

#endif
