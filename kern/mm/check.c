/*
 * The memory self-checks, run at every boot from lab 2 on. Each tests one part (frame
 * allocator, page tables, kernel address space, heap), prints one `check_...() succeeded!`
 * line, and on failure panics naming the exact condition that broke.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "mm/check.h"
#include "mm/kas.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "boot/multiboot.h"
#include "core/panic.h"
#include "core/printk.h"

/* assert() that also names the check: "check_vm: check failed: pp0->refcount == 1". */
#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond))                                            \
			panic("%s: check failed: %s", __func__, #cond); \
	} while (0)

extern char __text_start[], __rodata_start[], __data_start[], __bootstack_guard[];
extern char __bootstack_start[], __kernel_end[];

/* Is every frame of [start, end) reserved (never on the free list)? */
static bool all_reserved(physaddr_t start, physaddr_t end)
{
	for (physaddr_t pa = ROUNDDOWN(start, PGSIZE); pa < MIN(end, phys_top); pa += PGSIZE)
		if (!(pa2page(pa)->flags & PG_RESERVED))
			return false;
	return true;
}

static bool frame_is_zero(const struct page *pp)
{
	const uint64_t *p = page2kva(pp);

	for (size_t i = 0; i < PGSIZE / 8; i++)
		if (p[i] != 0)
			return false;
	return true;
}

void check_page_alloc(void)
{
	size_t nfree = page_free_count(), n = 0;
	struct page *first = page_free_list, *prev = NULL;

	/* The free list: exactly nfree frames, each marked free, in address order (nothing has
	 * been freed yet), none of them reserved. */
	CHECK(nfree > 0);
	for (struct page *pp = page_free_list; pp; pp = pp->next) {
		CHECK(pp >= pages && pp < pages + npages);
		CHECK(pp->flags == PG_FREE);
		CHECK(pp->refcount == 0);
		CHECK(prev == NULL || prev < pp);
		CHECK(++n <= nfree);
		prev = pp;
	}
	CHECK(n == nfree);
	CHECK(page_usable_count() == nfree);

	/* What must never be handed out. */
	CHECK(all_reserved(0, 0x100000));
	CHECK(all_reserved(KERNLOAD, KV2P(__kernel_end)));
	CHECK(all_reserved(mb_info_start(), mb_info_end()));
	CHECK(all_reserved(V2P(pages), V2P(pages + npages)));
	for (int i = 0; i < mb_module_count(); i++)
		CHECK(all_reserved(mb_module(i)->mod_start, mb_module(i)->mod_end));
	struct mem_region r[MAX_MEM_REGIONS];
	int nr = MIN(mb_mmap_regions(r, MAX_MEM_REGIONS), MAX_MEM_REGIONS);
	for (int i = 0; i < nr; i++)
		if (r[i].type != MB2_MEM_AVAILABLE)
			CHECK(all_reserved(r[i].base, r[i].base + r[i].length));

	/* Allocation takes frames off the front of the list. */
	struct page *pp0 = page_alloc(0), *pp1 = page_alloc(0), *pp2 = page_alloc(0);
	CHECK(pp0 && pp1 && pp2);
	CHECK(pp0 == first);
	CHECK(pp0 != pp1 && pp1 != pp2 && pp0 != pp2);
	CHECK(pp0->refcount == 0 && !(pp0->flags & PG_FREE));
	CHECK(page_free_count() == nfree - 3);
	CHECK(page2pa(pp2) >= 0x100000 && page2pa(pp2) < phys_top);
	CHECK(pa2page(page2pa(pp1) + 123) == pp1);
	memset(page2kva(pp0), 0x55, PGSIZE);

	/* page_free puts a frame at the front, poisoned with page_poison; ALLOC_ZERO zeroes. */
	page_free(pp0);
	CHECK(page_free_list == pp0 && (pp0->flags & PG_FREE));
	CHECK(page_free_count() == nfree - 2);
	if (page_poison)
		CHECK(((uint64_t *)page2kva(pp0))[0] == PAGE_POISON &&
		      ((uint64_t *)page2kva(pp0))[PGSIZE / 8 - 1] == PAGE_POISON);
	struct page *pz = page_alloc(ALLOC_ZERO);
	CHECK(pz == pp0);
	CHECK(frame_is_zero(pz));

	/* With no free frame, page_alloc says so with NULL instead of panicking. */
	struct page *saved = page_free_list;
	page_free_list = NULL;
	CHECK(page_alloc(0) == NULL);
	page_free(pp1);
	CHECK(page_alloc(0) == pp1);
	CHECK(page_alloc(ALLOC_ZERO) == NULL);
	page_free_list = saved;

	/* Reference counts: the frame goes back to the free list with its last reference. */
	page_incref(pp1);
	page_incref(pp1);
	CHECK(pp1->refcount == 2);
	page_decref(pp1);
	CHECK(pp1->refcount == 1 && !(pp1->flags & PG_FREE));
	page_decref(pp1);
	CHECK(pp1->refcount == 0 && (pp1->flags & PG_FREE) && page_free_list == pp1);

	page_free(pp2);
	page_free(pz);
	CHECK(page_free_count() == nfree);
	printk("check_page_alloc() succeeded!\n");
}

/* The entry of level `level` on the way to va must be a present, writable, user table. */
static void check_table_entry(pte_t *pml4, uintptr_t va, int level)
{
	int l;
	pte_t *e = pt_walk(pml4, va, level, false, &l);

	CHECK(l == level);
	CHECK((*e & (PTE_P | PTE_W | PTE_U | PTE_PS)) == (PTE_P | PTE_W | PTE_U));
	CHECK(pa2page(pte_addr(*e, level))->refcount == 1);
}

/* Map page a, then page b, at va in the loaded address space: reading va must show b at
 * once, which it does only if the TLB entry for va was flushed. */
static void check_tlb(pte_t *pml4, uintptr_t va)
{
	struct page *a = page_alloc(0), *b = page_alloc(0);

	CHECK(a && b);
	*(uint64_t *)page2kva(a) = 0xAAAA;
	*(uint64_t *)page2kva(b) = 0xBBBB;
	lcr3(V2P(pml4));
	CHECK(vm_insert(pml4, a, va, PTE_W | PTE_NX) == 0);
	CHECK(*(volatile uint64_t *)va == 0xAAAA);
	CHECK(vm_insert(pml4, b, va, PTE_W | PTE_NX) == 0);
	CHECK(*(volatile uint64_t *)va == 0xBBBB);
	*(volatile uint64_t *)va = 0xCCCC;
	CHECK(*(uint64_t *)page2kva(b) == 0xCCCC);
	vm_unmap(pml4, va, PGSIZE);
	CHECK(vm_lookup(pml4, va, NULL) == NULL);
	lcr3(V2P(kern_pml4));
	CHECK((a->flags & PG_FREE) && (b->flags & PG_FREE));
}

/* An empty top-level table: check_vm() runs before the kernel address space exists, so
 * its address spaces have no kernel half (they are never loaded). */
static pte_t *empty_pml4(void)
{
	pte_t *pml4 = kpage_alloc(ALLOC_ZERO);

	CHECK(pml4 != NULL);
	return pml4;
}

void check_vm(void)
{
	const uintptr_t va = UTEXT, big = 0x40000000;
	size_t nfree0 = page_free_count();
	int level, n;
	struct vm_iter it;

	pte_t *pml4 = empty_pml4();

	/* Nothing mapped: the walker stops at the empty top-level entry. */
	pte_t *pte = pt_walk(pml4, va, 1, false, &level);
	CHECK(pte == &pml4[PT_INDEX(va, 4)] && level == 4 && *pte == 0);
	CHECK(vm_lookup(pml4, va, NULL) == NULL);
	CHECK(vm_translate(pml4, va) == (physaddr_t)-1);

	/* With alloc, the walker builds the three missing tables and returns the PT entry. */
	struct page *pp0 = page_alloc(0), *pp1 = page_alloc(0);
	CHECK(pp0 && pp1);
	size_t before = page_free_count();
	pte = pt_walk(pml4, va, 1, true, &level);
	CHECK(pte != NULL && level == 1 && *pte == 0);
	CHECK(page_free_count() == before - 3);
	for (int l = PT_LEVELS; l > 1; l--)
		check_table_entry(pml4, va, l);
	CHECK(pt_walk(pml4, va, 1, true, &level) == pte && page_free_count() == before - 3);

	/* vm_insert maps a frame and takes a reference on it. */
	CHECK(vm_insert(pml4, pp0, va, PTE_W | PTE_U) == 0);
	CHECK(pp0->refcount == 1);
	CHECK(vm_lookup(pml4, va, &level) == pte && level == 1);
	CHECK((*pte & (PTE_P | PTE_W | PTE_U | PTE_NX | PTE_NOREF)) == (PTE_P | PTE_W | PTE_U));
	CHECK(vm_translate(pml4, va + 0x123) == page2pa(pp0) + 0x123);
	/* Again, with other permissions: still one reference, the new permissions. */
	CHECK(vm_insert(pml4, pp0, va, PTE_U | PTE_NX) == 0);
	CHECK(pp0->refcount == 1 && (*pte & (PTE_W | PTE_NX)) == PTE_NX);
	/* At a second address: two references, and no new table. */
	CHECK(vm_insert(pml4, pp0, va + PGSIZE, PTE_W | PTE_U) == 0);
	CHECK(pp0->refcount == 2 && page_free_count() == before - 3);
	/* Replacing pp0 at va by pp1 drops one of pp0's references. */
	CHECK(vm_insert(pml4, pp1, va, PTE_W | PTE_U) == 0);
	CHECK(pp0->refcount == 1 && pp1->refcount == 1);
	CHECK(vm_translate(pml4, va) == page2pa(pp1));
	CHECK(vm_insert(pml4, pp1, USER_TOP, 0) == -EINVAL);

	/* The iterator finds exactly those two pages in the whole user half, in order. */
	n = 0;
	for (vm_iter_start(&it, pml4, 0, USER_TOP - 1, 1); vm_iter_next(&it); n++)
		CHECK(it.level == 1 && it.va == va + (uintptr_t)n * PGSIZE);
	CHECK(n == 2);

	/* vm_protect changes permissions, not frames. */
	CHECK(vm_protect(pml4, va, 2 * PGSIZE, PTE_U) == 0);
	CHECK((*vm_lookup(pml4, va, NULL) & (PTE_W | PTE_U)) == PTE_U);
	CHECK((*vm_lookup(pml4, va + PGSIZE, NULL) & (PTE_W | PTE_U)) == PTE_U);
	CHECK(vm_translate(pml4, va + PGSIZE) == page2pa(pp0));

	/* vm_unmap drops the last references: both frames are free again. */
	vm_unmap(pml4, va, 2 * PGSIZE);
	CHECK(vm_lookup(pml4, va, NULL) == NULL && vm_lookup(pml4, va + PGSIZE, NULL) == NULL);
	CHECK((pp0->flags & PG_FREE) && (pp1->flags & PG_FREE));
	CHECK(page_free_count() == before - 1);

	/* vm_map: 2 MiB pages where alignment and size allow, 4 KiB pages for the rest, and
	 * no references taken. */
	CHECK(vm_map(pml4, big, PGSIZE_2M, 2 * PGSIZE_2M + PGSIZE, PTE_W | PTE_NX) == 0);
	pte = vm_lookup(pml4, big + PGSIZE_2M, &level);
	CHECK(pte && level == 2 &&
	      (*pte & (PTE_PS | PTE_NOREF | PTE_W | PTE_NX | PTE_U)) ==
	              (PTE_PS | PTE_NOREF | PTE_W | PTE_NX));
	CHECK(vm_translate(pml4, big + PGSIZE_2M + 0x12345) == 2 * PGSIZE_2M + 0x12345);
	pte = vm_lookup(pml4, big + 2 * PGSIZE_2M, &level);
	CHECK(pte && level == 1 && pte_addr(*pte, 1) == 3 * PGSIZE_2M);
	CHECK(vm_lookup(pml4, big + 2 * PGSIZE_2M + PGSIZE, NULL) == NULL);
	CHECK(vm_map(pml4, big + PGSIZE_2M, 0, PGSIZE, 0) == -EEXIST);
	/* The walker stops at a huge page even when asked to go down to level 1. */
	pte = pt_walk(pml4, big + PGSIZE, 1, true, &level);
	CHECK(pte && level == 2 && (*pte & PTE_PS));
	vm_unmap(pml4, big, 2 * PGSIZE_2M + PGSIZE);
	CHECK(vm_lookup(pml4, big, NULL) == NULL &&
	      vm_lookup(pml4, big + 2 * PGSIZE_2M, NULL) == NULL);

	/* Destroying the address space frees every table it had. */
	vm_destroy(pml4);
	CHECK(page_free_count() == nfree0);
	printk("check_vm() succeeded!\n");
}

/* Every page of the kernel-image range [start, end) maps its own physical address with
 * all of the `set` bits and none of the `clear` bits. */
static void check_image(const char *start, const char *end, pte_t set, pte_t clear)
{
	for (const char *p = start; p < end; p += PGSIZE) {
		int level;
		pte_t *pte = vm_lookup(kern_pml4, (uintptr_t)p, &level);
		CHECK(pte != NULL);
		CHECK(vm_translate(kern_pml4, (uintptr_t)p) == KV2P(p));
		CHECK((*pte & set) == set);
		CHECK((*pte & clear) == 0);
	}
}

void check_kas(void)
{
	struct vm_iter it;

	CHECK(rcr3() == V2P(kern_pml4));
	CHECK(rdmsr(MSR_EFER) & EFER_NXE);
	CHECK(rcr0() & CR0_WP);
	CHECK(rcr4() & CR4_SMEP);
	CHECK(rcr4() & CR4_SMAP);

	/* The image, section by section, and what must stay unmapped around it. */
	check_image(__text_start, __rodata_start, PTE_P, PTE_W | PTE_NX | PTE_U);
	check_image(__rodata_start, __data_start, PTE_P | PTE_NX, PTE_W | PTE_U);
	check_image(__data_start, __bootstack_guard, PTE_P | PTE_W | PTE_NX, PTE_U);
	check_image(__bootstack_start, __kernel_end, PTE_P | PTE_W | PTE_NX, PTE_U);
	CHECK(vm_lookup(kern_pml4, (uintptr_t)__bootstack_guard, NULL) == NULL);
	CHECK(vm_lookup(kern_pml4, (uintptr_t)__kernel_end, NULL) == NULL);
	CHECK(vm_lookup(kern_pml4, KERNBASE, NULL) == NULL);
	CHECK(vm_lookup(kern_pml4, KERNLINK, NULL) == NULL);

	/* The direct map: all of [0, phys_top) in large pages, writable, not executable. */
	uintptr_t expect = DIRECTMAP;
	for (vm_iter_start(&it, kern_pml4, DIRECTMAP, DIRECTMAP_END - 1, 1); vm_iter_next(&it);) {
		CHECK(it.va == expect);
		CHECK(it.level >= 2);
		CHECK((*it.pte & (PTE_P | PTE_W | PTE_NX | PTE_U)) == (PTE_P | PTE_W | PTE_NX));
		CHECK(pte_addr(*it.pte, it.level) == it.va - DIRECTMAP);
		expect += LEVEL_SIZE(it.level);
	}
	CHECK(expect == DIRECTMAP + phys_top);

	/* Nothing in the kernel half is user-accessible at any level, and nothing is both
	 * writable and executable. The user half of the kernel's tables is empty. */
	for (int level = PT_LEVELS; level >= 1; level--) {
		for (vm_iter_start(&it, kern_pml4, KERNEL_HALF, ~0UL, level); vm_iter_next(&it);) {
			CHECK(!(*it.pte & PTE_U));
			if (pte_is_leaf(*it.pte, it.level))
				CHECK(!(*it.pte & PTE_W) || (*it.pte & PTE_NX));
		}
	}
	vm_iter_start(&it, kern_pml4, 0, USER_TOP - 1, 1);
	CHECK(!vm_iter_next(&it));

	/* A new address space shares the kernel half. Load it, and check that changing one of
	 * its mappings flushes the TLB (vm_unmap's vm_flush). */
	size_t nfree0 = page_free_count();
	pte_t *pml4 = vm_create();
	CHECK(pml4 != NULL);
	CHECK(memcmp(pml4 + PT_ENTRIES / 2, kern_pml4 + PT_ENTRIES / 2, PGSIZE / 2) == 0);
	check_tlb(pml4, UTEXT);
	vm_destroy(pml4);
	CHECK(page_free_count() == nfree0);

	/* A kernel stack has an unmapped guard page below it. */
	char *top = kstack_alloc();
	CHECK(top != NULL);
	CHECK(vm_lookup(kern_pml4, (uintptr_t)(top - KSTACK_SIZE - 1), NULL) == NULL);
	for (char *p = top - KSTACK_SIZE; p < top; p += PGSIZE) {
		pte_t *pte = vm_lookup(kern_pml4, (uintptr_t)p, NULL);
		CHECK(pte && (*pte & (PTE_W | PTE_NX | PTE_U)) == (PTE_W | PTE_NX));
	}
	top[-1] = 1;
	top[-KSTACK_SIZE] = 2;
	size_t nfree = page_free_count();
	kstack_free(top);
	CHECK(vm_lookup(kern_pml4, (uintptr_t)(top - 1), NULL) == NULL);
	CHECK(page_free_count() == nfree + KSTACK_SIZE / PGSIZE);
	printk("check_kas() succeeded!\n");
}

void check_kmalloc(void)
{
	static const size_t sizes[] = {
		1, 8, 16, 17, 24, 100, 128, 200, 500, 1000, 1024, 1025, 4096
	};
	enum { PER_SIZE = 4, N = ARRAY_SIZE(sizes) * PER_SIZE };
	static unsigned char *p[N];
	struct kmalloc_stats st0, st;
	size_t nfree = page_free_count();

	kmalloc_stats(&st0);
	/* Objects are 16-byte aligned, in the direct map, and do not overlap. */
	for (int i = 0; i < N; i++) {
		size_t size = sizes[i / PER_SIZE];
		p[i] = kmalloc(size);
		CHECK(p[i] != NULL);
		CHECK((uintptr_t)p[i] % 16 == 0);
		CHECK((uintptr_t)p[i] >= DIRECTMAP &&
		      (uintptr_t)p[i] + size <= DIRECTMAP + phys_top);
		memset(p[i], i, size);
	}
	for (int i = 0; i < N; i++)
		for (size_t j = 0; j < sizes[i / PER_SIZE]; j++)
			CHECK(p[i][j] == (unsigned char)i);
	kmalloc_stats(&st);
	CHECK(st.objects == st0.objects + N);

	/* What kmalloc refuses: nothing, and more than a page. */
	CHECK(kmalloc(0) == NULL);
	CHECK(kmalloc(KMALLOC_MAX + 1) == NULL);
	kfree(NULL);

	/* A freed object is the next one its size class hands out. */
	unsigned char *q = p[5 * PER_SIZE];
	kfree(q);
	p[5 * PER_SIZE] = kmalloc(sizes[5]);
	CHECK(p[5 * PER_SIZE] == q);

	/* More objects than a slab holds, then everything back: the pages return too. */
	static void *many[600];
	for (size_t i = 0; i < ARRAY_SIZE(many); i++) {
		many[i] = kmalloc(16);
		CHECK(many[i] != NULL);
	}
	for (size_t i = 0; i < ARRAY_SIZE(many); i++)
		kfree(many[i]);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	kmalloc_stats(&st);
	CHECK(st.objects == st0.objects && st.pages == st0.pages);
	CHECK(page_free_count() == nfree);
	printk("check_kmalloc() succeeded!\n");
}
