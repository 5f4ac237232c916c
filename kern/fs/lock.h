/*
 * Record locks (lab 5, kern/fs/lock.c): the advisory byte-range locks of fcntl's F_SETLK,
 * F_SETLKW and F_GETLK (POSIX locks, owned by a process's descriptor table) and of
 * F_OFD_SETLK... (owned by an open file).
 */
#ifndef SPARROW_KERN_FS_LOCK_H
#define SPARROW_KERN_FS_LOCK_H

#include <types.h>

#define LOCK_END 0x7fffffffffffffffL /* a range's end meaning "to the end of the file" */
#define LOCK_MAX 1024                /* locks in the whole system: then -ENOLCK */

struct file;

/* A lock's range and kind, and (from lock_test) who holds it. */
struct lock_range {
	int type;         /* F_RDLCK, F_WRLCK or F_UNLCK */
	off_t start, end; /* bytes start..end, both included */
	int pid;          /* the owner's pid, -1 for a lock an open file owns */
	void *owner;
};

/* What locks of f's file are keyed on: its node, else the pipe or the open file itself. */
void *lock_key(struct file *f);

/* The first lock on key that is in the way of want (owned by someone other than owner,
 * overlapping, and one of the two a write lock): 1 with *got filled, or 0. */
int lock_test(void *key, void *owner, const struct lock_range *want, struct lock_range *got);
/* Lock (F_RDLCK, F_WRLCK) or unlock (F_UNLCK) the range r of key for owner (pid for
 * F_GETLK): the owner's locks on those bytes are replaced; neighbours of the same type
 * merge. -EAGAIN if another owner's lock is in the way (*blocker says whose), -ENOLCK
 * when there is no room for the records. */
int lock_set(void *key, void *owner, int pid, const struct lock_range *r, void **blocker);
/* Every lock owner holds on key (owner closed a descriptor of it, or ended). */
void lock_release(void *key, void *owner);

/* F_SETLKW: owner is about to wait for blocker's lock. -EDEADLK if blocker waits, through
 * a chain of waiters, for owner; else 0, and owner is recorded as waiting until
 * lock_wait_end. -ENOLCK if too many wait at once. */
int lock_wait_begin(void *owner, void *blocker);
void lock_wait_end(void *owner);
/* What F_SETLKW sleeps on: woken whenever a lock goes or shrinks. */
void *lock_channel(void);

#endif
