/*
 * The physical page (frame) allocator: one struct page per 4 KiB frame of physical memory,
 * a free list, and reference counts (copy-on-write in lab 4 depends on them).
 */
#ifndef SPARROW_KERN_MM_PAGE_H
#define SPARROW_KERN_MM_PAGE_H

#include <types.h>
#include <memlayout.h>

/*
 * One per physical frame, in pages[] (frame number = index). A frame is in one of three
 * states: reserved (not RAM, or holding the kernel, the boot information, ...: never
 * allocated), free (on the free list, refcount 0), or allocated (off the list; refcount
 * counts the mappings and other owners that hold it).
 */
struct page {
	struct page *next; /* the next free frame, while this one is on the free list */
	uint32_t refcount; /* references held: page-table mappings and other owners */
	uint16_t flags;    /* PG_* below */
	uint16_t view;     /* the memory viewer's scratch: the owner it last found (memview.c) */
};

#define PG_RESERVED 0x1 /* never allocatable */
#define PG_FREE     0x2 /* on the free list */
#define PG_POISONED 0x4 /* filled with PAGE_POISON when freed (with page_poison) */
#define PG_HEAP     0x8 /* a page of the kernel heap (kpage_alloc(ALLOC_HEAP)), for the viewer */

/* page_alloc flags */
#define ALLOC_ZERO 0x1 /* fill the frame with zeros */
#define ALLOC_HEAP 0x2 /* kpage_alloc: a page of the kernel heap (marked PG_HEAP until freed) */

/*
 * With page_poison on, every freed frame is filled with this pattern, which is checked when
 * the frame is allocated again, so a write after free panics and a read after free returns
 * an obviously wrong value. As a pointer it is not canonical (a general-protection fault);
 * as code, 0xCC is int3 (a breakpoint trap). kmalloc poisons its free objects the same way.
 * It costs about 3,000 instructions per reused frame, so it is a kernel option: poison=1
 * (on by default in lab 2's checkpoint; `make CMDLINE=poison=1 ...` in the others).
 */
#define PAGE_POISON 0xCCCCCCCCCCCCCCCCUL
extern bool page_poison;

extern struct page *pages;  /* one per frame below phys_top */
extern size_t npages;       /* phys_top / PGSIZE */
extern physaddr_t phys_top; /* end of the highest RAM region, rounded up to 2 MiB */
/* Free frames, linked through page.next. Only page.c and the self-checks touch it. */
extern struct page *page_free_list;

/* Build pages[] and the free list from the multiboot2 memory map. */
void page_init(void);

/* A free frame (refcount 0; zeroed with ALLOC_ZERO), or NULL when there is none. */
struct page *page_alloc(int flags);
/* Return a frame to the free list. Its refcount must be 0: freeing a frame twice or one
 * still referenced is a kernel bug and panics with the frame's address. */
void page_free(struct page *pp);
/* Take and drop a reference; page_decref frees the frame when the last one goes. */
void page_incref(struct page *pp);
void page_decref(struct page *pp);

/* Allocate / free one frame and use it through the direct map (kmalloc's slabs, kernel
 * stacks...): NULL when memory runs out. */
void *kpage_alloc(int flags);
void kpage_free(void *kva);

/* Frame bookkeeping, for meminfo and the self-checks. */
size_t page_free_count(void);   /* frames on the free list */
size_t page_usable_count(void); /* frames that are not reserved */

/* Conversions between a struct page, its physical address and its direct-map address. */
static inline physaddr_t page2pa(const struct page *pp)
{
	return (physaddr_t)(pp - pages) << PGSHIFT;
}

static inline void *page2kva(const struct page *pp)
{
	return P2V(page2pa(pp));
}

/* The struct page of physical address pa; panics if pa is above all memory. */
struct page *pa2page(physaddr_t pa);

#endif
