/*
 * The physical page allocator. page_init() turns the boot loader's memory map into one
 * struct page per 4 KiB frame and a free list of every usable frame; page_alloc() and
 * page_free() take frames off that list and put them back, in constant time.
 */
#include <elf.h>
#include <string.h>
#include <memlayout.h>
#include "mm/page.h"
#include "boot/multiboot.h"
#include "core/cmdline.h"
#include "core/panic.h"
#include "core/printk.h"

struct page *pages;
size_t npages;
physaddr_t phys_top;
bool page_poison;

struct page *page_free_list;
static size_t nfree;   /* frames on page_free_list */
static size_t nusable; /* frames not reserved */

/*
 * Physical memory that must never be handed out although the memory map calls it usable:
 * page-aligned [start, end) ranges, collected by collect_reserved().
 */
#define MAX_RESERVED 32
static struct range {
	physaddr_t start, end;
	const char *what;
} reserved[MAX_RESERVED];
static int nreserved;

static void reserve(physaddr_t start, physaddr_t end, const char *what)
{
	if (end <= start)
		return;
	if (nreserved == MAX_RESERVED)
		panic("page_init: more than %d reserved ranges (raise MAX_RESERVED)", MAX_RESERVED);
	reserved[nreserved].start = ROUNDDOWN(start, PGSIZE);
	reserved[nreserved].end = ROUNDUP(end, PGSIZE);
	reserved[nreserved].what = what;
	nreserved++;
}

/* If [pa, pa + size) overlaps a reserved range, the end of that range; else 0. */
static physaddr_t reserved_overlap(physaddr_t pa, size_t size)
{
	for (int i = 0; i < nreserved; i++)
		if (pa < reserved[i].end && reserved[i].start < pa + size)
			return reserved[i].end;
	return 0;
}

/* Everything in physical memory the kernel still uses, or must not touch. */
static void collect_reserved(void)
{
	extern char __kernel_end[];

	reserve(0, 0x100000, "the first MiB (BIOS data, VGA memory, option ROMs)");
	reserve(KERNLOAD, KV2P(__kernel_end), "the kernel image");
	reserve(mb_info_start(), mb_info_end(), "the multiboot2 boot information");
	for (int i = 0; i < mb_module_count(); i++)
		reserve(mb_module(i)->mod_start, mb_module(i)->mod_end, "a GRUB module");
	/* GRUB loads the sections the kernel image does not map (the symbol and string
	 * tables backtraces use) somewhere in free memory and records where. */
	for (int i = 0; i < mb_section_count(); i++) {
		const struct elf64_shdr *sh = mb_section(i);
		if (sh->sh_addr != 0 && sh->sh_addr < KERNBASE && sh->sh_size != 0)
			reserve(sh->sh_addr, sh->sh_addr + sh->sh_size, "a kernel ELF section");
	}
}

/* The lowest page-aligned physical address above 1 MiB with size free bytes, inside a
 * usable region and below BOOT_MAPPED (so the boot page tables reach it). */
static physaddr_t find_space(const struct mem_region *r, int n, size_t size)
{
	for (int i = 0; i < n; i++) {
		if (r[i].type != MB2_MEM_AVAILABLE)
			continue;
		physaddr_t pa = ROUNDUP(MAX(r[i].base, (physaddr_t)0x100000), PGSIZE);
		physaddr_t end = MIN(ROUNDDOWN(r[i].base + r[i].length, PGSIZE), BOOT_MAPPED);
		while (pa + size <= end) {
			physaddr_t skip = reserved_overlap(pa, size);
			if (!skip)
				return pa;
			pa = skip;
		}
	}
	panic("page_init: no room in usable memory for the frame table (%lu KiB)", size / 1024);
}

/* Fill the frame at pa with the 64-bit value v (zero, or PAGE_POISON). */
static void fill_frame(physaddr_t pa, uint64_t v)
{
	uint64_t *p = P2V(pa);
	size_t n = PGSIZE / 8;

	asm volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(v) : "memory");
}

/* A poisoned frame about to be handed out again: panic if anything wrote to it. */
static void check_poison(const struct page *pp)
{
	const uint64_t *p = page2kva(pp);

	for (size_t i = 0; i < PGSIZE / 8; i++)
		if (p[i] != PAGE_POISON)
			panic("page_alloc: frame 0x%lx was written after it was freed (offset "
			      "0x%lx "
			      "holds 0x%lx)",
			      page2pa(pp), i * 8, p[i]);
}

void page_init(void)
{
	struct mem_region r[MAX_MEM_REGIONS];
	int n = MIN(mb_mmap_regions(r, MAX_MEM_REGIONS), MAX_MEM_REGIONS);
	physaddr_t top = 0;

	for (int i = 0; i < n; i++)
		if (r[i].type == MB2_MEM_AVAILABLE)
			top = MAX(top, r[i].base + r[i].length);
	if (top == 0)
		panic("page_init: the memory map has no usable memory");
	const char *poison = cmdline_get("poison");
	page_poison = poison && strcmp(poison, "0") != 0;
	phys_top = MIN(ROUNDUP(top, PGSIZE_2M), (physaddr_t)DIRECTMAP_SIZE);
	npages = phys_top / PGSIZE;

	/* The frame table itself goes in the first free space, and is reserved too. */
	collect_reserved();
	size_t table_size = ROUNDUP(npages * sizeof(struct page), PGSIZE);
	physaddr_t table_pa = find_space(r, n, table_size);
	reserve(table_pa, table_pa + table_size, "the frame table (pages[])");
	pages = P2V(table_pa);
	for (size_t i = 0; i < npages; i++)
		pages[i] = (struct page){ .next = NULL, .refcount = 0, .flags = PG_RESERVED };

	page_free_list = NULL;
	nfree = 0;
	// LAB 2: Build the free list. Every frame starts out PG_RESERVED. Clear that flag on
	// each frame lying wholly inside a usable region of the memory map (r[0..n) of type
	// MB2_MEM_AVAILABLE, below phys_top), set it again on the frames of every range in
	// reserved[0..nreserved), then put each frame left unreserved on page_free_list, marked
	// PG_FREE, lowest address first, and count them in nfree. One pass per step: the time
	// must grow linearly with the memory size.
	//= BEGIN LAB 2
	for (int i = 0; i < n; i++) {
		if (r[i].type != MB2_MEM_AVAILABLE)
			continue;
		physaddr_t start = ROUNDUP(r[i].base, PGSIZE);
		physaddr_t end = MIN(ROUNDDOWN(r[i].base + r[i].length, PGSIZE), phys_top);
		for (physaddr_t pa = start; pa < end; pa += PGSIZE)
			pages[pa >> PGSHIFT].flags = 0;
	}
	for (int i = 0; i < nreserved; i++)
		for (physaddr_t pa = reserved[i].start; pa < MIN(reserved[i].end, phys_top);
		     pa += PGSIZE)
			pages[pa >> PGSHIFT].flags = PG_RESERVED;
	struct page **tail = &page_free_list;
	for (struct page *pp = pages, *end = pages + npages; pp < end; pp++) {
		if (pp->flags & PG_RESERVED)
			continue;
		pp->flags = PG_FREE;
		*tail = pp;
		tail = &pp->next;
		nfree++;
	}
	//= STUB
	//= printk("LAB 2: page_init() does not build the free list yet (kern/mm/page.c)\n");
	//= END
	nusable = nfree;

	printk("Physical memory: %lu frames (%lu MiB) below 0x%lx, %lu free; frame table at "
	       "0x%lx (%lu KiB)\n",
	       npages, phys_top >> 20, phys_top, nfree, table_pa, table_size / 1024);
}

struct page *page_alloc(int flags)
{
	// LAB 2: Take the first frame off page_free_list and return it with refcount 0, or return
	// NULL when the list is empty (running out of memory is not a kernel bug). Clear its
	// PG_FREE flag; if it has PG_POISONED, check_poison() it and clear that flag too; with
	// ALLOC_ZERO in flags, zero it (fill_frame()).
	//= BEGIN LAB 2
	struct page *pp = page_free_list;
	if (!pp)
		return NULL;
	page_free_list = pp->next;
	pp->next = NULL;
	nfree--;
	if (pp->flags & PG_POISONED)
		check_poison(pp);
	pp->flags &= ~(PG_FREE | PG_POISONED);
	if (flags & ALLOC_ZERO)
		fill_frame(page2pa(pp), 0);
	return pp;
	//= STUB
	//= (void)flags;
	//= (void)check_poison;
	//= return NULL;
	//= END
}

void page_free(struct page *pp)
{
	// LAB 2: Put pp at the head of page_free_list, marked PG_FREE. Freeing a reserved frame,
	// a frame already free (freed twice) or one still referenced (refcount != 0) is a
	// kernel bug: panic with a message that gives the frame's physical address (0x...).
	// With page_poison on (the kernel option poison=1), first fill the frame with
	// PAGE_POISON and mark it PG_POISONED, so a use after free shows.
	//= BEGIN LAB 2
	physaddr_t pa = page2pa(pp);
	if (pp->flags & PG_RESERVED)
		panic("page_free: frame 0x%lx is reserved, never allocated", pa);
	if (pp->flags & PG_FREE)
		panic("page_free: frame 0x%lx freed twice", pa);
	if (pp->refcount != 0)
		panic("page_free: frame 0x%lx is still referenced (refcount %u)", pa, pp->refcount);
	if (page_poison) {
		fill_frame(pa, PAGE_POISON);
		pp->flags |= PG_POISONED;
	}
	pp->flags |= PG_FREE;
	pp->next = page_free_list;
	page_free_list = pp;
	nfree++;
	//= STUB
	//= (void)pp;
	//= (void)fill_frame;
	//= END
}

void page_incref(struct page *pp)
{
	if (pp->flags & (PG_FREE | PG_RESERVED))
		panic("page_incref: frame 0x%lx is %s", page2pa(pp),
		      (pp->flags & PG_FREE) ? "free" : "reserved");
	pp->refcount++;
}

void page_decref(struct page *pp)
{
	if (pp->refcount == 0)
		panic("page_decref: frame 0x%lx has no references to drop", page2pa(pp));
	if (--pp->refcount == 0)
		page_free(pp);
}

void *kpage_alloc(int flags)
{
	struct page *pp = page_alloc(flags & ALLOC_ZERO);

	if (!pp)
		return NULL;
	pp->refcount = 1;
	if (flags & ALLOC_HEAP)
		pp->flags |= PG_HEAP;
	return page2kva(pp);
}

void kpage_free(void *kva)
{
	struct page *pp = pa2page(V2P(kva));

	pp->flags &= ~PG_HEAP;
	page_decref(pp);
}

struct page *pa2page(physaddr_t pa)
{
	if (pa >= phys_top)
		panic("pa2page: physical address 0x%lx is above the end of memory (0x%lx)", pa,
		      phys_top);
	return &pages[pa >> PGSHIFT];
}

size_t page_free_count(void)
{
	return nfree;
}

size_t page_usable_count(void)
{
	return nusable;
}
