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
#define O_NOCTTY    00000400 /* (a terminal never becomes the controlling one: accepted) */
#define O_LARGEFILE 00100000 /* (files are always large: accepted) */
#define O_DIRECTORY 00200000 /* fail with ENOTDIR unless it is a directory */
#define O_NOFOLLOW  00400000 /* fail with ELOOP if the last name is a symbolic link */
#define O_CLOEXEC   02000000 /* close the descriptor in execve */

/* The *at calls' dirfd meaning "relative to the working directory", and their flags. */
#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100  /* a last name that is a link means the link */
#define AT_EACCESS          0x200  /* faccessat: the effective ids (Sparrow: the same) */
#define AT_REMOVEDIR        0x200  /* unlinkat: remove a directory, as rmdir */
#define AT_SYMLINK_FOLLOW   0x400  /* linkat: follow a last link */
#define AT_NO_AUTOMOUNT     0x800  /* (nothing is automounted: accepted) */
#define AT_EMPTY_PATH       0x1000 /* an empty path means dirfd itself */

/* fcntl's commands and the descriptor flag. */
#define F_DUPFD         0  /* the lowest free descriptor >= arg, a copy of fd */
#define F_GETFD         1  /* the descriptor flags (FD_CLOEXEC) */
#define F_SETFD         2  /* set them to arg */
#define F_GETFL         3  /* the open file's flags (O_APPEND, the access mode ...) */
#define F_SETFL         4  /* set O_APPEND and O_NONBLOCK to arg's */
#define F_GETLK         5  /* record locks (struct flock): the first lock in the way */
#define F_SETLK         6  /* take or release a lock; -EAGAIN if another owner's is in the way */
#define F_SETLKW        7  /* the same, waiting while another owner's is in the way */
#define F_OFD_GETLK     36 /* the same three for locks owned by the open file */
#define F_OFD_SETLK     37
#define F_OFD_SETLKW    38
#define F_DUPFD_CLOEXEC 1030 /* F_DUPFD, with FD_CLOEXEC set on the copy */
#define FD_CLOEXEC      1

/* A record lock (Linux x86-64's struct flock, 32 bytes): a byte range of a file, from
 * l_start counted as l_whence says (SEEK_SET, SEEK_CUR, SEEK_END), l_len bytes (0: to the
 * end, however far the file grows; negative: the bytes before l_start). */
struct flock {
	short l_type; /* F_RDLCK, F_WRLCK, F_UNLCK */
	short l_whence;
	int64_t l_start;
	int64_t l_len;
	int l_pid; /* F_GETLK: the owner of the lock in the way (-1 for an open file's) */
};
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

/* Open path; with O_CREAT pass the new file's mode (e.g. 0644) as a third argument.
 * Returns the lowest free descriptor, or -1 with errno (ENOENT, EEXIST, EISDIR, ENOTDIR...). */
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
/* open(path, O_WRONLY | O_CREAT | O_TRUNC, mode) */
int creat(const char *path, mode_t mode);
int fcntl(int fd, int cmd, ...);

#endif
