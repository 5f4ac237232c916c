/*
 * User-side memory calls (lab 5): the program break (brk, sbrk) and mappings (mmap,
 * munmap, mprotect). The heap allocator on top of them is lib/user/malloc.c.
 */
#include <types.h>
#include <errno.h>
#include <syscall.h>
#include <unistd.h>
#include <mman.h>
#include "usyscall.h"

/* The break as the kernel last reported it; 0 until the first call asks. */
static uintptr_t cur_brk;

/* The raw system call never fails: it returns the new break, or the old one if it could not
 * move it (brk(0) just asks where it is). */
static uintptr_t move_break(uintptr_t addr)
{
	return (uintptr_t)raw_syscall(SYS_brk, (long)addr, 0, 0, 0, 0, 0);
}

int brk(void *addr)
{
	cur_brk = move_break((uintptr_t)addr);
	if (cur_brk != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(intptr_t incr)
{
	if (cur_brk == 0)
		cur_brk = move_break(0);
	uintptr_t old = cur_brk, want = old + (uintptr_t)incr;
	if (incr == 0)
		return (void *)old;
	/* Moving past either end of the address space wraps around: refuse that. */
	if ((incr > 0 && want < old) || (incr < 0 && want > old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	cur_brk = move_break(want);
	if (cur_brk != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)old;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = SYSCALL6(SYS_mmap, addr, len, prot, flags, fd, off);
	return r == -1 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t len)
{
	return (int)SYSCALL3(SYS_munmap, addr, len, 0);
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)SYSCALL3(SYS_mprotect, addr, len, prot);
}
