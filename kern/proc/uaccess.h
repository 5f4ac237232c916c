/*
 * The one way the kernel touches user memory. Every system call copies its arguments in
 * and its results out through these; none dereferences a user pointer itself.
 */
#ifndef SPARROW_KERN_PROC_UACCESS_H
#define SPARROW_KERN_PROC_UACCESS_H

#include <types.h>

/* Copy n bytes between kernel memory and the running process's memory at user address
 * uaddr. Returns 0, or -EFAULT if any byte is outside the user half, unmapped, not
 * user-accessible, or (copy_to_user) not writable. */
int copy_from_user(void *dst, uintptr_t usrc, size_t n);
int copy_to_user(uintptr_t udst, const void *src, size_t n);

/* Copy a NUL-terminated string of at most max bytes (NUL included) from user memory.
 * Returns its length, -EFAULT, or -ENAMETOOLONG if there is no NUL within max bytes. */
long strncpy_from_user(char *dst, uintptr_t usrc, size_t max);

/* Is [uaddr, uaddr + n) user memory the process may read (or write)? Pages of its regions
 * not touched yet are brought in as a page fault would. */
bool user_range_ok(uintptr_t uaddr, size_t n, bool write);
/* How many bytes from uaddr on (at most n) the process may read (or write): a copy of
 * that many bytes works. Linux's read and write transfer that much before a bad page. */
size_t user_prefix(uintptr_t uaddr, size_t n, bool write);

#endif
