/*
 * Page tables. pt_walk() finds the entry of one address, descending the four levels of an
 * x86-64 page-table tree; the vm_iter iterator steps through the entries of a range; every
 * operation below (map, insert, unmap, lookup, protect, copy, destroy) is one of those two
 * plus a few lines.
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
		/* Above `stop` (so at level 2 or more), PTE_PS means a huge-page leaf. */
		if (l == stop || (*pte & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS)) {
			*level = l;
			return pte;
		}
		if (!(*pte & PTE_P)) {
			if (!alloc) {
				*level = l;
				return pte;
			}
			struct page *pp = page_alloc(ALLOC_ZERO);
			if (!pp)
				return NULL;
			pp->refcount = 1;
			*pte = page2pa(pp) | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
		}
		table = P2V(*pte & PTE_ADDR_MASK);
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
	it->level = PT_LEVELS;
	it->table[PT_LEVELS] = pml4;
	it->started = false;
	it->done = start > last;
}

/*
 * The iterator keeps the tables on the path to the current entry (table[l] is the level-l
 * table holding it, or above it), so moving on is one step along a table: down into a
 * present table, across an absent entry (skipping all it would map), up when a table ends.
 * A walk from the root for each entry would take four steps for every one of these.
 */
bool vm_iter_next(struct vm_iter *it)
{
	uintptr_t va = it->va;
	int l = it->level;
	bool step = it->started; /* first move past the current entry */

	if (it->done)
		return false;
	if (step && l < PT_LEVELS && PT_INDEX(va, l) < PT_ENTRIES - 1) {
		/* The common case, first: the next entry of the same table is one to visit. (Not
		 * at level 4, where the next entry may be across the hole between the halves.) */
		pte_t *pte = it->pte + 1;
		uintptr_t next = va + LEVEL_SIZE(l);
		if (next <= it->last && (*pte & PTE_P) && (l == it->stop || pte_is_leaf(*pte, l))) {
			it->va = next;
			it->pte = pte;
			return true;
		}
	}
	it->started = true;
	for (;;) {
		if (step) {
			/* The next entry of this table: past its last one, the next entry of the
			 * table above (where a new table of every level below begins). */
			uintptr_t next = ROUNDDOWN(va, LEVEL_SIZE(l)) + LEVEL_SIZE(l);
			if (next <= va) /* wrapped past the top of the address space */
				break;
			va = next;
			while (l < PT_LEVELS && PT_INDEX(va, l) == 0)
				l++;
		}
		step = true;
		if (va > it->last)
			break;
		if (!canonical(va)) { /* over the hole between the halves, from the root */
			va = KERNEL_HALF;
			l = PT_LEVELS;
			step = false;
			continue;
		}
		pte_t *table = it->table[l], *pte = &table[PT_INDEX(va, l)];
		if (!(*pte & PTE_P)) {
			/* Nothing below: skip all it maps, and the absent entries after it in this
			 * table up to the range's end, so that the step lands on a present one. */
			uintptr_t span = LEVEL_SIZE(l) * PT_ENTRIES; /* what the table maps */
			int i = PT_INDEX(va, l), end = PT_ENTRIES - 1;
			if ((va ^ it->last) < span) /* the range ends in this table */
				end = PT_INDEX(it->last, l);
			while (i < end && !(table[i + 1] & PTE_P))
				i++;
			va = (va & ~(span - 1)) | ((uintptr_t)i << LEVEL_SHIFT(l));
			continue;
		}
		if (l == it->stop || pte_is_leaf(*pte, l)) {
			it->va = ROUNDDOWN(va, LEVEL_SIZE(l));
			it->pte = pte;
			it->level = l;
			return true;
		}
		it->table[l - 1] = P2V(pte_addr(*pte, l)); /* down into the next table */
		l--;
		step = false;
	}
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
	 * freeing a table may empty the one above it. A table that maps only addresses inside
	 * the range is empty without looking: vm_unmap cleared its pages, and this loop the
	 * tables below it. One that maps addresses outside too must be looked at. */
	for (int level = 2; level <= PT_LEVELS; level++) {
		for (vm_iter_start(&it, pml4, va, va + (size - 1), level); vm_iter_next(&it);) {
			if (pte_is_leaf(*it.pte, it.level) || (it.va >= KERNEL_HALF))
				continue;
			pte_t *table = P2V(pte_addr(*it.pte, it.level));
			bool inside = it.va >= va &&
			              it.va + (LEVEL_SIZE(it.level) - 1) <= va + (size - 1);
			if (!inside && !table_empty(table))
				continue;
			*it.pte = 0;
			page_decref(pa2page(V2P(table)));
			freed = true;
		}
	}
	if (freed)
		vm_flush_all(pml4); /* the CPU may cache the tables' entries */
}

void vm_flush_all(pte_t *pml4)
{
	if (rcr3() == V2P(pml4))
		lcr3(V2P(pml4));
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
	if (rcr3() == V2P(pml4))
		panic("vm_destroy: address space %p is the one loaded in CR3", pml4);
	/* Every page of the user half, then every table, bottom-up (all empty by then). */
	vm_unmap(pml4, 0, USER_TOP);
	vm_prune(pml4, 0, USER_TOP);
	kpage_free(pml4);
}
