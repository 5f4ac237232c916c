/*
 * Descriptor tables (lab 3 on): a process's numbered references to open files. Lab 3
 * starts every process with the console on descriptors 0, 1 and 2; lab 4's fork copies the
 * table; lab 5 adds open, dup, pipes and close-on-exec. The table knows nothing of
 * processes: each function takes the table to work on.
 */
#ifndef SPARROW_KERN_FS_FDTABLE_H
#define SPARROW_KERN_FS_FDTABLE_H

#include <types.h>
#include <limits.h>

#define FD_MAX   OPEN_MAX /* descriptors a process may have (inc/limits.h) */
#define FD_CHUNK 256      /* the table grows 256 descriptors (one page) at a time */

struct file;

struct fd_slot {
	struct file *file; /* NULL: the descriptor is free */
	bool cloexec;      /* FD_CLOEXEC: closed by execve */
};

struct fdtable {
	struct fd_slot *chunk[FD_MAX / FD_CHUNK]; /* descriptor fd is chunk[fd / FD_CHUNK] */
	int limit; /* descriptors from here up cannot be made: RLIMIT_NOFILE's soft limit */
};

/* An empty table, or NULL if out of memory. */
struct fdtable *fdtable_create(void);
/* Close every descriptor and free the table (NULL: nothing to do). */
void fdtable_destroy(struct fdtable *t);
/* fork: a new table whose descriptors refer to the same open files; NULL if out of memory. */
struct fdtable *fdtable_copy(struct fdtable *t);
/* execve: close the descriptors marked close-on-exec. */
void fdtable_exec(struct fdtable *t);

/* The open file behind fd, or NULL if fd is not open (-EBADF). */
struct file *fd_get(struct fdtable *t, int fd);
/* Install f (the table takes over the caller's reference) at the lowest free descriptor
 * >= min. The descriptor, or -EMFILE (none free below the limit), -ENOMEM. */
int fd_alloc(struct fdtable *t, struct file *f, int min, bool cloexec);
/* Install f at descriptor fd, closing what fd had. fd, or -EBADF (outside [0, limit)),
 * -ENOMEM. */
int fd_set(struct fdtable *t, int fd, struct file *f, bool cloexec);
/* Free descriptor fd; returns the file it held (the caller closes it), or NULL. As POSIX
 * says, closing a descriptor releases the record locks the process holds on its file. */
struct file *fd_remove(struct fdtable *t, int fd);
/* The close-on-exec flag of an open descriptor, and setting it. */
bool fd_cloexec(struct fdtable *t, int fd);
void fd_set_cloexec(struct fdtable *t, int fd, bool on);

#endif
