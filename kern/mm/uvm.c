/*
 * User address spaces: the region list of a process and the page faults it takes. Pages
 * are allocated when first touched; the page tables are the walker's (kern/mm/vm.c).
 */
#include <errno.h>
#include <string.h>
#include <memlayout.h>
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/uvm.h"
#if LAB >= 4
#include "mm/cow.h"
#endif
#if LAB >= 7
#include "mm/shared.h"
#endif

static void vma_free(struct mm *mm, struct vma *v);

struct mm *mm_create(void)
{
	struct mm *mm = kmalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	memset(mm, 0, sizeof(*mm));
	if (!(mm->pml4 = vm_create())) {
		kfree(mm);
		return NULL;
	}
	mm->mmap_top = MMAP_TOP;
	return mm;
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	/* Region by region, as fork copies: only the tables under the regions are looked at,
	 * not the whole (mostly empty) user half. vm_destroy then finds it empty. */
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		mm->vmas = v->next;
		vm_unmap(mm->pml4, v->start, v->end - v->start);
		vm_prune(mm->pml4, v->start, v->end - v->start);
		vma_free(mm, v);
	}
	vm_destroy(mm->pml4);
	kfree(mm);
}

pte_t mm_perm(uint32_t prot)
{
	pte_t perm = PTE_NX;
	if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC))
		perm |= PTE_U; /* PROT_NONE: present pages stay, but not for the program */
	if (prot & PROT_WRITE)
		perm |= PTE_W;
	if (prot & PROT_EXEC)
		perm &= ~PTE_NX;
	return perm;
}

struct vma *mm_find(struct mm *mm, uintptr_t va)
{
	for (struct vma *v = mm->vmas; v && v->start <= va; v = v->next)
		if (va < v->end)
			return v;
	return NULL;
}

/* Is [start, start + len) a page-aligned range a program may map? */
static bool user_range(uintptr_t start, size_t len)
{
	return start % PGSIZE == 0 && len % PGSIZE == 0 && len > 0 && start >= UMIN &&
	       start < USER_LIMIT && len <= USER_LIMIT - start;
}

static struct vma *vma_new(struct mm *mm, uintptr_t start, uintptr_t end, uint32_t prot,
                           uint32_t flags)
{
	if (mm->nvmas >= MM_MAX_REGIONS)
		return NULL;
	struct vma *v = kmalloc(sizeof(*v));
	if (!v)
		return NULL;
	*v = (struct vma){ .next = NULL, .start = start, .end = end, .prot = prot, .flags = flags };
	mm->nvmas++;
	return v;
}

/* A new region over [start, end) like v: its permissions, flags and (lab 7) object, held
 * once more, from the object's page that start maps. */
static struct vma *vma_like(struct mm *mm, const struct vma *v, uintptr_t start, uintptr_t end)
{
	struct vma *c = vma_new(mm, start, end, v->prot, v->flags);
#if LAB >= 7
	if (c && v->obj_ops) {
		c->obj_ops = v->obj_ops;
		c->obj = v->obj;
		c->pgoff = v->pgoff + (start - v->start) / PGSIZE;
		c->obj_ops->hold(c->obj);
	}
#endif
	return c;
}

static void vma_free(struct mm *mm, struct vma *v)
{
#if LAB >= 7
	if (v->obj_ops)
		v->obj_ops->release(v->obj);
#endif
	mm->nvmas--;
	kfree(v);
}

/* Is v a shared mapping (lab 7), whose pages are never copy-on-write? */
static bool vma_shared(const struct vma *v)
{
#if LAB >= 7
	return v && v->obj_ops;
#else
	(void)v;
	return false;
#endif
}

/* Can b follow a directly in one region? */
static bool mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags && !vma_shared(a) &&
	       !vma_shared(b);
}

int mm_map(struct mm *mm, uintptr_t start, size_t len, uint32_t prot, uint32_t flags)
{
	struct vma want = { .start = start, .end = start + len, .prot = prot, .flags = flags };
	return mm_map_vma(mm, &want);
}

int mm_map_vma(struct mm *mm, const struct vma *want)
{
	uintptr_t start = want->start, end = want->end;
	struct vma **link = &mm->vmas, *prev = NULL;

	if (end < start || !user_range(start, end - start))
		return -EINVAL;
	while (*link && (*link)->end <= start) {
		prev = *link;
		link = &(*link)->next;
	}
	if (*link && (*link)->start < end)
		return -EEXIST;
	/* Next to a region with the same permissions: grow that one instead. */
	if (prev && mergeable(prev, want)) {
		prev->end = end;
		struct vma *next = prev->next;
		if (next && mergeable(prev, next)) {
			prev->end = next->end;
			prev->next = next->next;
			vma_free(mm, next);
		}
		return 0;
	}
	if (*link && mergeable(want, *link)) {
		(*link)->start = start;
		return 0;
	}
	struct vma *v = vma_like(mm, want, start, end);
	if (!v)
		return -ENOMEM;
	v->next = *link;
	*link = v;
	return 0;
}

/* Make start a region boundary: cut the region holding start (if any) in two. */
static int split_at(struct mm *mm, uintptr_t start)
{
	struct vma *v = mm_find(mm, start);
	if (!v || v->start == start)
		return 0;
	struct vma *upper = vma_like(mm, v, start, v->end);
	if (!upper)
		return -ENOMEM;
	upper->next = v->next;
	v->next = upper;
	v->end = start;
	return 0;
}

int mm_unmap(struct mm *mm, uintptr_t start, size_t len)
{
	uintptr_t end = start + len;
	int r;

	if ((r = split_at(mm, start)) < 0 || (r = split_at(mm, end)) < 0)
		return r;
	for (struct vma **link = &mm->vmas; *link;) {
		struct vma *v = *link;
		if (v->start >= start && v->end <= end) {
			*link = v->next;
			vma_free(mm, v);
		} else {
			link = &v->next;
		}
	}
	vm_unmap(mm->pml4, start, len);
	vm_prune(mm->pml4, start, len);
	return 0;
}

/* Does a run of regions cover [start, end) without a gap? */
static bool covered(struct mm *mm, uintptr_t start, uintptr_t end)
{
	uintptr_t at = start;
	for (struct vma *v = mm->vmas; v && at < end; v = v->next) {
		if (v->end <= at)
			continue;
		if (v->start > at)
			return false;
		at = v->end;
	}
	return at >= end;
}

int mm_protect(struct mm *mm, uintptr_t start, size_t len, uint32_t prot)
{
	uintptr_t end = start + len;
	struct vm_iter it;
	int r;

	if (!covered(mm, start, end))
		return -ENOMEM;
#if LAB >= 7
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > start && (v->flags & VMA_NOWRITE) && (prot & PROT_WRITE))
			return -EACCES; /* as Linux: the file was not opened for writing */
#endif
	if ((r = split_at(mm, start)) < 0 || (r = split_at(mm, end)) < 0)
		return r;
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->start >= start)
			v->prot = prot;
	/* The pages already there. A private one that another process shares (after fork) may
	 * only be written once it is this process's own: it becomes copy-on-write, not
	 * writable. A shared mapping's page is everyone's: it becomes writable. */
	pte_t perm = mm_perm(prot);
	struct vma *v = mm_find(mm, start);
	for (vm_iter_start(&it, mm->pml4, start, end - 1, 1); vm_iter_next(&it);) {
		pte_t p = perm;
		while (v && v->end <= it.va)
			v = v->next;
		if ((p & PTE_W) && !vma_shared(v) &&
		    ((*it.pte & PTE_COW) || pa2page(pte_addr(*it.pte, 1))->refcount > 1))
			p = (p & ~PTE_W) | PTE_COW;
		*it.pte = (*it.pte & ~PTE_PERM_MASK) | p;
		vm_flush(mm->pml4, it.va);
	}
	return 0;
}

uintptr_t mm_gap(struct mm *mm, size_t len, uintptr_t lowest)
{
	uintptr_t top = mm->mmap_top, lo = MAX(lowest, (uintptr_t)UMIN), best = 0;

	if (len == 0 || len % PGSIZE)
		return 0;
	/* The regions go upwards; the last gap below top that fits is the highest. */
	for (struct vma *v = mm->vmas;; v = v->next) {
		uintptr_t hi = v ? MIN(v->start, top) : top;
		if (hi > lo && hi - lo >= len)
			best = hi - len;
		if (!v || v->end >= top)
			break;
		lo = MAX(lo, v->end);
	}
	return best;
}

int mm_fault(struct mm *mm, uintptr_t va, int access)
{
	va = ROUNDDOWN(va, PGSIZE);
	struct vma *v = mm_find(mm, va);
	if (!v)
		return -EFAULT;
	if (v->prot == PROT_NONE || ((access & FAULT_WRITE) && !(v->prot & PROT_WRITE)) ||
	    ((access & FAULT_EXEC) && !(v->prot & PROT_EXEC)))
		return -EACCES;
	pte_t *pte = vm_lookup(mm->pml4, va, NULL);
#if LAB >= 7
	if (!pte && vma_shared(v))
		return shared_fault(mm, v, va); /* the object's page */
#endif
	if (!pte) {
		/* The first touch of this page: a zeroed one. */
		struct page *pp = page_alloc(ALLOC_ZERO);
		if (!pp)
			return -ENOMEM;
		if (vm_insert(mm->pml4, pp, va, mm_perm(v->prot)) < 0) {
			page_free(pp);
			return -ENOMEM;
		}
		return 0;
	}
#if LAB >= 4
	if ((access & FAULT_WRITE) && (*pte & PTE_COW))
		return vm_cow_break(mm->pml4, va);
#endif
	if ((access & FAULT_WRITE) && !(*pte & PTE_W))
		return -EACCES;
	return 0; /* the page allows it (a stale TLB entry): try again */
}

#if LAB >= 4
struct mm *mm_copy(struct mm *src)
{
	struct mm *mm = mm_create();
	if (!mm)
		return NULL;
	struct vma **tail = &mm->vmas;
	for (struct vma *v = src->vmas; v; v = v->next) {
		struct vma *c = vma_like(mm, v, v->start, v->end);
		if (!c) {
			mm_destroy(mm);
			return NULL;
		}
		*tail = c;
		tail = &c->next;
	}
	mm->brk_start = src->brk_start;
	mm->brk = src->brk;
	mm->mmap_top = src->mmap_top;
	/* Every page lies in a region: copying the regions' ranges copies them all, and costs
	 * what is mapped, not the size of the user half. */
	int r = 0;
	for (struct vma *v = src->vmas; v && r == 0; v = v->next) {
#if LAB >= 7
		if (vma_shared(v)) {
			r = shared_fork(mm->pml4, src->pml4, v->start, v->end - v->start);
			continue;
		}
#endif
		r = vm_cow_copy(mm->pml4, src->pml4, v->start, v->end - v->start);
	}
	vm_flush_all(src->pml4); /* src's writable pages became read-only */
	if (r < 0) {
		mm_destroy(mm); /* drops the references the partial copy took */
		return NULL;
	}
	return mm;
}
#endif
