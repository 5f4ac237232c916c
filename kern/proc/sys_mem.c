/*
 * Memory for programs (lab 5): the heap (brk), and anonymous private mappings (mmap,
 * munmap, mprotect), which is what C libraries' malloc uses. Pages are allocated when
 * mapped; fork shares them copy-on-write like everything else.
 */
#include <errno.h>
#include <mman.h> /* PROT_*, MAP_*: as user programs pass them */
#include <memlayout.h>
#include "mm/cow.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/syscall.h"

#define BRK_MAX (256UL << 20) /* the heap may grow to 256 MiB */

/* Map fresh zeroed pages over [start, end) with perm; on failure unmap what was mapped. */
static long map_zero(pte_t *pml4, uintptr_t start, uintptr_t end, pte_t perm)
{
	for (uintptr_t va = start; va < end; va += PGSIZE) {
		struct page *pp = page_alloc(ALLOC_ZERO);
		if (!pp || vm_insert(pml4, pp, va, perm) < 0) {
			if (pp)
				page_free(pp);
			vm_unmap(pml4, start, va - start);
			return -ENOMEM;
		}
	}
	return 0;
}

long sys_brk(const long a[6])
{
	struct proc *p = myproc();
	uintptr_t want = (uintptr_t)a[0];

	if (want < p->brk_start || want > p->brk_start + BRK_MAX || want > p->mmap_low)
		return (long)p->brk; /* as Linux: the unchanged break says it failed */
	uintptr_t old_top = ROUNDUP(p->brk, PGSIZE), new_top = ROUNDUP(want, PGSIZE);
	if (new_top > old_top) {
		if (map_zero(p->pml4, old_top, new_top, PTE_U | PTE_W | PTE_NX) < 0)
			return (long)p->brk;
	} else if (new_top < old_top) {
		vm_unmap(p->pml4, new_top, old_top - new_top);
	}
	p->brk = want;
	return (long)p->brk;
}

static pte_t prot_perm(long prot)
{
	pte_t perm = PTE_NX;
	if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC))
		perm |= PTE_U; /* PROT_NONE: mapped, but not for the program */
	if (prot & PROT_WRITE)
		perm |= PTE_W;
	if (prot & PROT_EXEC)
		perm &= ~PTE_NX;
	return perm;
}

/* Is [va, va + len) free of mappings? */
static bool range_free(pte_t *pml4, uintptr_t va, size_t len)
{
	struct vm_iter it;
	vm_iter_start(&it, pml4, va, va + len - 1, 1);
	return !vm_iter_next(&it);
}

long sys_mmap(const long a[6])
{
	struct proc *p = myproc();
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = ROUNDUP((size_t)a[1], PGSIZE);
	long prot = a[2], flags = a[3];

	if (!(flags & MAP_ANONYMOUS) || !(flags & MAP_PRIVATE) || (flags & MAP_SHARED))
		return -EINVAL; /* only anonymous private memory (documented) */
	if (a[1] <= 0 || len > MMAP_TOP || addr % PGSIZE)
		return -EINVAL;
	if (flags & MAP_FIXED) {
		if (addr < UTEXT || addr > MMAP_TOP - len)
			return -EINVAL;
		vm_unmap(p->pml4, addr, len);
	} else {
		/* Below everything handed out so far, in the first free range. */
		addr = ROUNDDOWN(p->mmap_low - len, PGSIZE);
		while (addr >= ROUNDUP(p->brk_start + BRK_MAX, PGSIZE) &&
		       !range_free(p->pml4, addr, len))
			addr -= PGSIZE;
		if (addr < ROUNDUP(p->brk_start + BRK_MAX, PGSIZE))
			return -ENOMEM;
		p->mmap_low = addr;
	}
	long r = map_zero(p->pml4, addr, addr + len, prot_perm(prot));
	return r < 0 ? r : (long)addr;
}

long sys_munmap(const long a[6])
{
	struct proc *p = myproc();
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = ROUNDUP((size_t)a[1], PGSIZE);

	if (addr % PGSIZE || a[1] <= 0 || addr >= USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	vm_unmap(p->pml4, addr, len);
	return 0;
}

long sys_mprotect(const long a[6])
{
	struct proc *p = myproc();
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = ROUNDUP((size_t)a[1], PGSIZE);
	pte_t perm = prot_perm(a[2]);
	struct vm_iter it;

	if (addr % PGSIZE || addr >= USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	if (len == 0)
		return 0;
	for (vm_iter_start(&it, p->pml4, addr, addr + len - 1, 1); vm_iter_next(&it);) {
		/* A page still shared copy-on-write gets its private copy first, so the new
		 * permissions are this process's alone. */
		if ((*it.pte & PTE_COW) && vm_cow_break(p->pml4, it.va) < 0)
			return -ENOMEM;
		vm_protect(p->pml4, it.va, PGSIZE, perm);
	}
	return 0;
}
