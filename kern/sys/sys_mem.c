/*
 * Memory for programs (lab 5): the heap (brk), and anonymous private mappings (mmap,
 * munmap, mprotect), which is what C libraries' malloc uses. Each adds, moves or removes
 * regions of the address space (kern/mm/uvm.c); the pages come when first touched, and
 * fork shares them copy-on-write like everything else. The checks and their errors are
 * Linux's, in Linux's order.
 */
#include <errno.h>
#include <mman.h>
#include <memlayout.h>
#include "mm/page.h"
#include "mm/uvm.h"
#include "proc/proc.h"
#include "sys/syscall.h"

#define BRK_MAX  (256UL << 20) /* the heap may grow to 256 MiB */
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

/* Linux's default overcommit rule (heuristic mode): pages are given when touched, so
 * memory may be promised more than once over, but no one request may be larger than all
 * of memory. A program touching more than there is gets killed (kern/proc/usertrap.c). */
static bool more_than_memory(size_t len)
{
	return len / PGSIZE > page_usable_count();
}

long sys_brk(const long a[6])
{
	struct mm *mm = myproc()->mm;
	uintptr_t want = (uintptr_t)a[0];

	if (want < mm->brk_start || want > mm->brk_start + BRK_MAX)
		return (long)mm->brk; /* as Linux: the unchanged break says it failed */
	uintptr_t old_top = ROUNDUP(mm->brk, PGSIZE), new_top = ROUNDUP(want, PGSIZE);
	if (new_top > old_top) {
		/* Fails if any region is in the way, a MAP_FIXED mapping say. */
		if (more_than_memory(new_top - old_top) ||
		    mm_map(mm, old_top, new_top - old_top, PROT_READ | PROT_WRITE, VMA_HEAP) < 0)
			return (long)mm->brk;
	} else if (new_top < old_top && mm_unmap(mm, new_top, old_top - new_top) < 0) {
		return (long)mm->brk;
	}
	mm->brk = want;
	return (long)mm->brk;
}

/* Is [addr, addr + len) free of regions, page-aligned and where mmap may put things? */
static bool free_range(struct mm *mm, uintptr_t addr, size_t len)
{
	if (addr % PGSIZE || addr < UMIN || addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return false;
	for (struct vma *v = mm->vmas; v && v->start < addr + len; v = v->next)
		if (v->end > addr)
			return false;
	return true;
}

long sys_mmap(const long a[6])
{
	struct mm *mm = myproc()->mm;
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = (size_t)a[1];
	unsigned long prot = (unsigned long)a[2], flags = (unsigned long)a[3];

	if (len == 0)
		return -EINVAL;
	if ((flags & MAP_FIXED) && addr % PGSIZE)
		return -EINVAL;
	len = ROUNDUP(len, PGSIZE);
	if (len == 0 || len > USER_LIMIT) /* rounding wrapped, or too big for any place */
		return -ENOMEM;
	if (more_than_memory(len))
		return -ENOMEM;
	switch (flags & (MAP_SHARED | MAP_PRIVATE)) {
	case MAP_PRIVATE:
		break;
	case MAP_SHARED:
		return -EINVAL; /* shared mappings: not in Sparrow (docs/syscalls.md) */
	default:
		return -EINVAL;
	}
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV; /* mappings of files: not in Sparrow (docs/syscalls.md) */
	if (flags & MAP_FIXED) {
		if (addr >= USER_LIMIT || len > USER_LIMIT - addr)
			return -ENOMEM;
		if (addr < UMIN)
			return -EPERM; /* Linux's mmap_min_addr */
		long r = mm_unmap(mm, addr, len);
		if (r < 0)
			return r;
	} else if (!addr || !free_range(mm, addr, len)) {
		/* The hint is only a hint. Below the earlier mappings, leaving the heap room
		 * to grow; where there is no such room, anywhere. */
		addr = mm_gap(mm, len, ROUNDUP(mm->brk_start + BRK_MAX, PGSIZE));
		if (!addr)
			addr = mm_gap(mm, len, UMIN);
		if (!addr)
			return -ENOMEM;
	}
	long r = mm_map(mm, addr, len, (uint32_t)(prot & PROT_ALL), 0);
	return r < 0 ? r : (long)addr;
}

long sys_munmap(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = (size_t)a[1];

	if (addr % PGSIZE || len == 0 || addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return -EINVAL;
	return mm_unmap(myproc()->mm, addr, ROUNDUP(len, PGSIZE));
}

long sys_mprotect(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = (size_t)a[1];
	unsigned long prot = (unsigned long)a[2];

	if (addr % PGSIZE)
		return -EINVAL;
	if (prot & ~(unsigned long)PROT_ALL)
		return -EINVAL;
	if (len == 0)
		return 0;
	len = ROUNDUP(len, PGSIZE);
	if (len == 0 || addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return -ENOMEM;
	return mm_protect(myproc()->mm, addr, len, (uint32_t)prot);
}
