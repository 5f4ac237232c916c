/*
 * Open files: the object a file descriptor points to, shared after fork and dup, and the
 * one set of operations every kind of file implements. Lab 3 has one kind, the console
 * (kern/fs/devices.c); lab 5 adds regular files and directories (kern/fs/open.c), pipes and
 * more devices.
 */
#ifndef SPARROW_KERN_FS_FILE_H
#define SPARROW_KERN_FS_FILE_H

#include <types.h>
#include <fcntl.h> /* O_RDONLY, O_APPEND ...: open's flags, as programs pass them */
#include <poll.h>  /* POLLIN, POLLOUT ...: what poll reports */

#define PIPE_SIZE 4096 /* a pipe's buffer; writes up to this size are atomic (PIPE_BUF) */

struct file;
struct inode;
struct kstat;
struct fs_dirent;

/*
 * What a kind of file does. Buffers are kernel memory: the system calls copy between them
 * and user memory. read and write move the offset themselves (pipes and devices have none);
 * both may return -EAGAIN: "nothing can be done now", and the caller sleeps on
 * file_wait_channel(f) and tries again (see docs/design-lab5-fs.md). ioctl gets the user
 * address of its argument. pread and pwrite work at a given offset, leaving the file's
 * alone. poll says what a read or write would do now: POLLIN (data, or end of file),
 * POLLOUT, POLLHUP, POLLERR. A NULL operation means: read, write -EINVAL; pread, pwrite,
 * seek -ESPIPE; ioctl -ENOTTY; stat the node's own; close nothing to do; poll: always
 * ready (POLLIN | POLLOUT).
 */
struct file_ops {
	ssize_t (*read)(struct file *f, void *buf, size_t n);
	ssize_t (*write)(struct file *f, const void *buf, size_t n);
	ssize_t (*pread)(struct file *f, void *buf, size_t n, off_t off);
	ssize_t (*pwrite)(struct file *f, const void *buf, size_t n, off_t off);
	int (*poll)(struct file *f);
	off_t (*seek)(struct file *f, off_t off, int whence);
	int (*stat)(struct file *f, struct kstat *st);
	long (*ioctl)(struct file *f, unsigned int request, uintptr_t uarg);
	void (*close)(struct file *f);         /* the last reference is gone: release priv */
	void *(*wait_channel)(struct file *f); /* what to sleep on after -EAGAIN */
};

/*
 * An open file. Every descriptor that refers to it (after dup or fork) shares it, and so
 * shares its offset and flags, as POSIX says; a second open makes a second one.
 */
struct file {
	const struct file_ops *ops;
	uint32_t refs;      /* descriptors (and anything else) holding it */
	int flags;          /* open's flags, O_CREAT, O_EXCL and O_TRUNC cleared */
	off_t off;          /* regular files: bytes; directories: the listing's entry index */
	struct inode *node; /* lab 5: files, directories, devices (referenced); else NULL */
	void *priv;         /* the kind's own: a pipe's state, a device's data */
};

/* An open file with ops and priv, one reference, no node (devices and pipes); NULL if out
 * of memory. */
struct file *file_alloc(const struct file_ops *ops, int flags, void *priv);
/* Another reference to f (dup, fork). */
struct file *file_dup(struct file *f);
/* Drop a reference; the last one closes the file (and, lab 5, drops its node). */
void file_close(struct file *f);

/* The operations, after the checks every kind shares: -EBADF for a read of a file not open
 * for reading or a write of one not open for writing. */
ssize_t file_read(struct file *f, void *buf, size_t n);
ssize_t file_write(struct file *f, const void *buf, size_t n);
/* pread and pwrite: -ESPIPE for a file without offsets (a pipe, the console), then the
 * checks above. */
ssize_t file_pread(struct file *f, void *buf, size_t n, off_t off);
ssize_t file_pwrite(struct file *f, const void *buf, size_t n, off_t off);
/* What f is ready for: POLL* bits (inc/poll.h). */
int file_poll(struct file *f);
off_t file_seek(struct file *f, off_t off, int whence);
long file_ioctl(struct file *f, unsigned int request, uintptr_t uarg);
/* What a caller that got -EAGAIN from f sleeps on (NULL: nothing will change, don't wait). */
void *file_wait_channel(struct file *f);

/* Wake everything sleeping on chan: the kernel sets this to the scheduler's wakeup() at boot,
 * so the file system never calls up into the scheduler; NULL (host tests): nobody sleeps.
 * While file_pollers (poll and select, which wait for any of several files) is not 0,
 * every wakeup also wakes what sleeps on &file_pollers. */
extern void (*file_wakeup_hook)(void *chan);
void file_wakeup(void *chan);
extern int file_pollers;

#if LAB >= 5
/*
 * Lab 5 (kern/fs/open.c). Open path (relative to cwd, NULL: the root) with open's flags;
 * mode gives the permission bits of a file O_CREAT makes. *out has one reference. Errors:
 * those of the path, -EEXIST (O_CREAT|O_EXCL), -EISDIR (a directory opened for writing),
 * -ENOTDIR (O_DIRECTORY), -ENOMEM.
 */
int file_open(struct inode *cwd, const char *path, int flags, uint32_t mode, struct file **out);
int file_stat(struct file *f, struct kstat *st);
/* The next entry of a directory listing (getdents64) without moving on: 1 with *de filled,
 * 0 at the end, -ENOTDIR. The caller adds 1 to f->off once it has used the entry. */
int file_readdir(struct file *f, struct fs_dirent *de);

/* Pipes (pipe.c): a read end (O_RDONLY) and a write end (O_WRONLY), each one reference.
 * 0, or -ENOMEM. flags may add O_NONBLOCK (kept in both files' flags for the caller). */
int pipe_create(struct file **rf, struct file **wf, int flags);
#endif

#endif
