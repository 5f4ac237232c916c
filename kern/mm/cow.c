/*
 * Copy-on-write, built on the page-table walker (vm_iter) and frame reference counts.
 */
#include <errno.h>
#include <string.h>
#include <memlayout.h>
#include "mm/cow.h"
#include "mm/page.h"

int vm_cow_copy(pte_t *dst, pte_t *src, uintptr_t va, size_t size)
{
	struct vm_iter it;

	// LAB 4: Visit every present leaf of src in [va, va + size) (vm_iter, stop = 1). A
	// writable page (PTE_W) becomes read-only and PTE_COW in src (no TLB flush here: the
	// caller flushes once for all pages); then insert the same frame at the same address
	// in dst (vm_insert takes the reference) with the same permissions. Read-only pages
	// (program text) are shared without PTE_COW: nobody may write them.
	//= BEGIN LAB 4
	if (size == 0)
		return 0;
	for (vm_iter_start(&it, src, va, va + (size - 1), 1); vm_iter_next(&it);) {
		pte_t pte = *it.pte;
		if (pte & PTE_W) {
			pte = (pte & ~PTE_W) | PTE_COW;
			*it.pte = pte;
		}
		struct page *pp = pa2page(pte_addr(pte, it.level));
		int r = vm_insert(dst, pp, it.va, pte & PTE_PERM_MASK);
		if (r < 0)
			return r;
	}
	return 0;
	//= STUB
	//= (void)dst, (void)src, (void)va, (void)size, (void)it;
	//= return -ENOMEM;
	//= END
}

int vm_cow_break(pte_t *pml4, uintptr_t va)
{
	va = ROUNDDOWN(va, PGSIZE);
	pte_t *pte = vm_lookup(pml4, va, NULL);
	if (!pte || !(*pte & PTE_COW))
		return -EFAULT;

	// LAB 4: The frame behind *pte is shared copy-on-write. If this mapping holds the only
	// reference (refcount 1), just make it writable again: set PTE_W, clear PTE_COW and
	// flush. Otherwise allocate a new frame, copy the page into it (through the direct
	// map: page2kva), and vm_insert it at va writable and without PTE_COW (vm_insert drops
	// the old mapping's reference). Out of memory: -ENOMEM, leaving the mapping as it was.
	//= BEGIN LAB 4
	struct page *old = pa2page(pte_addr(*pte, 1));
	pte_t perm = ((*pte & PTE_PERM_MASK) | PTE_W) & ~PTE_COW;
	if (old->refcount == 1) {
		*pte = (*pte & ~PTE_COW) | PTE_W;
		vm_flush(pml4, va);
		return 0;
	}
	struct page *copy = page_alloc(0);
	if (!copy)
		return -ENOMEM;
	memcpy(page2kva(copy), page2kva(old), PGSIZE);
	if (vm_insert(pml4, copy, va, perm) < 0) {
		page_free(copy);
		return -ENOMEM;
	}
	return 0;
	//= STUB
	//= (void)pte;
	//= return -ENOMEM;
	//= END
}
