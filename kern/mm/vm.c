/*
 * Page tables. pt_walk() is the only code that descends the four levels of an x86-64
 * page-table tree; the vm_iter iterator runs it over a range, and every operation below
 * (map, insert, unmap, lookup, protect, copy, destroy) is one of those two plus a few lines.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include "mm/vm.h"
#include "mm/kas.h"
#include "mm/page.h"
#include "core/panic.h"

/* Is va a canonical address (outside the hole between the two halves)? */
static bool canonical(uintptr_t va)
{
	return va < USER_TOP || va >= KERNEL_HALF;
}

pte_t *pt_walk(pte_t *pml4, uintptr_t va, int stop, bool alloc, int *level)
{
	// LAB 2: Walk from pml4 (level 4) down toward va, one level per step: the entry for va
	// in a level-l table is table[PT_INDEX(va, l)]. Stop and return the entry (setting
	// *level) when you reach level `stop`, or a present huge-page leaf (pte_is_leaf), or a
	// non-present entry when alloc is false. With alloc true, fill a non-present entry
	// with a new zeroed table from page_alloc() (refcount 1) linked as present and writable
	// and, for user-half addresses only, user-accessible (the leaf decides the real
	// permissions); return NULL if there is no memory. A table's entries are reached
	// through the direct map: P2V(pte_addr(entry, l)).
	//= BEGIN LAB 2
	pte_t *table = pml4;
	for (int l = PT_LEVELS;; l--) {
		pte_t *pte = &table[PT_INDEX(va, l)];
		bool present = *pte & PTE_P;
		if (l == stop || (present && pte_is_leaf(*pte, l)) || (!present && !alloc)) {
			*level = l;
			return pte;
		}
		if (!present) {
			struct page *pp = page_alloc(ALLOC_ZERO);
			if (!pp)
				return NULL;
			pp->refcount = 1;
			*pte = page2pa(pp) | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
		}
		table = P2V(pte_addr(*pte, l));
	}
	//= STUB
	//= (void)pml4, (void)va, (void)stop, (void)alloc, (void)level;
	//= panic("LAB 2: pt_walk() is not implemented (kern/mm/vm.c)");
	//= END
}

void vm_iter_start(struct vm_iter *it, pte_t *pml4, uintptr_t start, uintptr_t last, int stop)
{
	it->pml4 = pml4;
	it->va = start;
	it->last = last;
	it->stop = stop;
	it->pte = NULL;
	it->level = 0;
	it->started = false;
	it->done = start > last;
}

bool vm_iter_next(struct vm_iter *it)
{
	uintptr_t va = it->va;

	if (it->done)
		return false;
	if (it->started) {
		/* Step over everything the current entry maps. */
		uintptr_t next = it->va + LEVEL_SIZE(it->level);
		if (next <= va) /* wrapped past the top of the address space */
			goto done;
		va = next;
	}
	it->started = true;
	for (;;) {
		if (va > it->last)
			goto done;
		if (!canonical(va)) {
			va = KERNEL_HALF;
			continue;
		}
		int level;
		pte_t *pte = pt_walk(it->pml4, va, it->stop, false, &level);
		uintptr_t base = ROUNDDOWN(va, LEVEL_SIZE(level));
		if (*pte & PTE_P) {
			it->va = base;
			it->pte = pte;
			it->level = level;
			return true;
		}
		/* Nothing below this entry: skip all it would map. */
		uintptr_t next = base + LEVEL_SIZE(level);
		if (next <= va)
			goto done;
		va = next;
	}
done:
	it->done = true;
	return false;
}

void vm_flush(pte_t *pml4, uintptr_t va)
{
	if (va >= KERNEL_HALF || rcr3() == V2P(pml4))
		invlpg(va);
}

/* A huge page met while changing [va, va + size) must lie wholly inside it: splitting
 * one is not supported, and no caller needs it. */
static void check_whole(const struct vm_iter *it, uintptr_t va, size_t size, const char *who)
{
	if (it->level > 1 &&
	    (it->va < va || it->va + (LEVEL_SIZE(it->level) - 1) > va + (size - 1)))
		panic("%s: [0x%lx, 0x%lx) covers only part of the %lu KiB page at 0x%lx", who, va,
		      va + size, LEVEL_SIZE(it->level) / 1024, it->va);
}

int vm_map(pte_t *pml4, uintptr_t va, physaddr_t pa, size_t size, pte_t perm)
{
	if ((va | pa | size) & (PGSIZE - 1) || !canonical(va) || !canonical(va + size - 1))
		return -EINVAL;
	// LAB 2: Map [va, va + size) to [pa, pa + size), one page at a time: a 2 MiB page
	// (a level-2 entry with PTE_PS) where va and pa are 2 MiB-aligned and at least 2 MiB
	// remain, else a 4 KiB page (level 1). Get each entry with pt_walk(..., alloc = true)
	// and set it to the address | (perm & PTE_PERM_MASK) | PTE_P | PTE_NOREF (and PTE_PS
	// for a 2 MiB page). Return -ENOMEM if pt_walk fails, -EEXIST if the entry is already
	// present; where a page table already covers a 2 MiB piece, map it with 4 KiB pages.
	//= BEGIN LAB 2
	for (size_t off = 0; off < size;) {
		uintptr_t v = va + off;
		physaddr_t p = pa + off;
		int want = ((v | p) % PGSIZE_2M == 0 && size - off >= PGSIZE_2M) ? 2 : 1;
		int level;
		pte_t *pte = pt_walk(pml4, v, want, true, &level);
		if (pte && want == 2 && level == 2 && (*pte & PTE_P) && !(*pte & PTE_PS)) {
			want = 1; /* a page table is in the way: fill it instead */
			pte = pt_walk(pml4, v, want, true, &level);
		}
		if (!pte)
			return -ENOMEM;
		if (level != want || (*pte & PTE_P))
			return -EEXIST;
		*pte = p | (perm & PTE_PERM_MASK) | PTE_P | PTE_NOREF | (want > 1 ? PTE_PS : 0);
		off += LEVEL_SIZE(want);
	}
	return 0;
	//= STUB
	//= (void)pml4, (void)perm;
	//= return -ENOMEM;
	//= END
}

int vm_insert(pte_t *pml4, struct page *pp, uintptr_t va, pte_t perm)
{
	if (va % PGSIZE || !canonical(va))
		return -EINVAL;
	// LAB 2: Find (allocating tables) the level-1 entry for va; -ENOMEM if you cannot.
	// Take a reference on pp (page_incref) *before* removing whatever va mapped before
	// (vm_unmap), so re-inserting the page already there does not free it. Then set the
	// entry to pp's physical address | (perm & PTE_PERM_MASK) | PTE_P.
	//= BEGIN LAB 2
	int level;
	pte_t *pte = pt_walk(pml4, va, 1, true, &level);
	if (!pte)
		return -ENOMEM;
	if (level != 1)
		return -EEXIST; /* inside a huge page */
	page_incref(pp);
	if (*pte & PTE_P)
		vm_unmap(pml4, va, PGSIZE);
	*pte = page2pa(pp) | (perm & PTE_PERM_MASK) | PTE_P;
	return 0;
	//= STUB
	//= (void)pml4, (void)pp, (void)perm;
	//= return -ENOMEM;
	//= END
}

void vm_unmap(pte_t *pml4, uintptr_t va, size_t size)
{
	if (size == 0)
		return;
	// LAB 2: Visit every present leaf in [va, va + size) with a vm_iter (stop = 1). For
	// each: check_whole() it, clear the entry, vm_flush() the TLB, and, unless the entry
	// had PTE_NOREF, drop the reference it held (page_decref on the frame's struct page,
	// pa2page(pte_addr(...))).
	//= BEGIN LAB 2
	struct vm_iter it;
	for (vm_iter_start(&it, pml4, va, va + (size - 1), 1); vm_iter_next(&it);) {
		pte_t old = *it.pte;
		check_whole(&it, va, size, "vm_unmap");
		*it.pte = 0;
		vm_flush(pml4, it.va);
		if (!(old & PTE_NOREF))
			page_decref(pa2page(pte_addr(old, it.level)));
	}
	//= STUB
	//= (void)pml4, (void)va, (void)check_whole;
	//= END
}

static bool table_empty(const pte_t *table)
{
	for (int i = 0; i < PT_ENTRIES; i++)
		if (table[i])
			return false;
	return true;
}

void vm_prune(pte_t *pml4, uintptr_t va, size_t size)
{
	struct vm_iter it;
	bool freed = false;

	if (size == 0)
		return;
	/* Page tables first (pointed to by level-2 entries), then directories, then PDPTs:
	 * freeing a table may empty the one above it. */
	for (int level = 2; level <= PT_LEVELS; level++) {
		for (vm_iter_start(&it, pml4, va, va + (size - 1), level); vm_iter_next(&it);) {
			if (pte_is_leaf(*it.pte, it.level) || (it.va >= KERNEL_HALF))
				continue;
			pte_t *table = P2V(pte_addr(*it.pte, it.level));
			if (!table_empty(table))
				continue;
			*it.pte = 0;
			page_decref(pa2page(V2P(table)));
			freed = true;
		}
	}
	if (freed && rcr3() == V2P(pml4))
		lcr3(V2P(pml4)); /* the CPU may cache the tables' entries */
}

pte_t *vm_lookup(pte_t *pml4, uintptr_t va, int *level)
{
	if (!canonical(va))
		return NULL;
	// LAB 2: Walk to va without allocating (stop = 1); return the entry if it is present
	// (setting *level when level is not NULL), else NULL.
	//= BEGIN LAB 2
	int l;
	pte_t *pte = pt_walk(pml4, va, 1, false, &l);
	if (!(*pte & PTE_P))
		return NULL;
	if (level)
		*level = l;
	return pte;
	//= STUB
	//= (void)pml4, (void)level;
	//= return NULL;
	//= END
}

physaddr_t vm_translate(pte_t *pml4, uintptr_t va)
{
	int level;
	pte_t *pte = vm_lookup(pml4, va, &level);

	if (!pte)
		return (physaddr_t)-1;
	return pte_addr(*pte, level) + (va & (LEVEL_SIZE(level) - 1));
}

int vm_protect(pte_t *pml4, uintptr_t va, size_t size, pte_t perm)
{
	struct vm_iter it;

	if (size == 0)
		return 0;
	for (vm_iter_start(&it, pml4, va, va + (size - 1), 1); vm_iter_next(&it);) {
		check_whole(&it, va, size, "vm_protect");
		*it.pte = (*it.pte & ~PTE_PERM_MASK) | (perm & PTE_PERM_MASK);
		vm_flush(pml4, it.va);
	}
	return 0;
}

pte_t *vm_create(void)
{
	pte_t *pml4 = kpage_alloc(ALLOC_ZERO);

	if (!pml4)
		return NULL;
	/* The kernel half's top-level entries never change after kas_init(), so copying
	 * them shares every kernel mapping, present and future. */
	memcpy(pml4 + PT_ENTRIES / 2, kern_pml4 + PT_ENTRIES / 2, PT_ENTRIES / 2 * sizeof(pte_t));
	return pml4;
}

void vm_destroy(pte_t *pml4)
{
	struct vm_iter it;

	if (rcr3() == V2P(pml4))
		panic("vm_destroy: address space %p is the one loaded in CR3", pml4);
	vm_unmap(pml4, 0, USER_TOP);
	/* Now only tables are left in the user half. Free them bottom-up: the present entries
	 * of level 2 point at page tables, those of level 3 at directories, and so on. */
	for (int level = 2; level <= PT_LEVELS; level++) {
		for (vm_iter_start(&it, pml4, 0, USER_TOP - 1, level); vm_iter_next(&it);) {
			page_decref(pa2page(pte_addr(*it.pte, it.level)));
			*it.pte = 0;
		}
	}
	kpage_free(pml4);
}
