/*
 * Shared mappings (lab 7): regions whose pages belong to an object, mapped into every
 * process that maps it. Unlike private memory they are never copy-on-write: a fault maps
 * the object's frame itself, and fork gives the child the same frames.
 */
#include <errno.h>
#include "mm/cow.h"
#include "mm/page.h"
#include "mm/shared.h"

int mm_map_shared(struct mm *mm, uintptr_t start, size_t len, uint32_t prot, uint32_t flags,
                  const struct vm_object_ops *ops, void *obj, size_t pgoff)
{
	struct vma want = { .start = start,
		            .end = start + len,
		            .prot = prot,
		            .flags = flags,
		            .obj_ops = ops,
		            .obj = obj,
		            .pgoff = pgoff };
	return mm_map_vma(mm, &want);
}

int shared_fault(struct mm *mm, struct vma *v, uintptr_t va)
{
	// LAB 7: Map the object's page for va: its page number in the object is v->pgoff plus
	// va's page in the region. Ask the object for the frame (v->obj_ops->page; pass its
	// error on: -EIO is SIGBUS) and vm_insert that frame itself at va with the region's
	// permissions (mm_perm): not a copy, and never PTE_COW.
	//= BEGIN LAB 7
	struct page *pp;
	int r = v->obj_ops->page(v->obj, v->pgoff + (va - v->start) / PGSIZE, &pp);
	if (r < 0)
		return r;
	return vm_insert(mm->pml4, pp, va, mm_perm(v->prot));
	//= STUB
	//= (void)mm, (void)v, (void)va;
	//= return -EFAULT;
	//= END
}

int shared_fork(pte_t *dst, pte_t *src, uintptr_t va, size_t size)
{
	struct vm_iter it;

	// LAB 7: Visit every present page of src in [va, va + size) (vm_iter, stop = 1) and
	// insert the same frame at the same address in dst (vm_insert takes the reference),
	// with the same permissions. Unlike vm_cow_copy, src's entries stay as they are.
	//= BEGIN LAB 7
	if (size == 0)
		return 0;
	for (vm_iter_start(&it, src, va, va + (size - 1), 1); vm_iter_next(&it);) {
		struct page *pp = pa2page(pte_addr(*it.pte, it.level));
		int r = vm_insert(dst, pp, it.va, *it.pte & PTE_PERM_MASK);
		if (r < 0)
			return r;
	}
	return 0;
	//= STUB
	//= (void)it;
	//= return vm_cow_copy(dst, src, va, size); /* what fork does with private memory */
	//= END
}
