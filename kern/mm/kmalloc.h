/*
 * The kernel heap: kmalloc/kfree for small kernel objects (up to a page), in size classes
 * on top of the page allocator.
 */
#ifndef SPARROW_KERN_MM_KMALLOC_H
#define SPARROW_KERN_MM_KMALLOC_H

#include <types.h>

#define KMALLOC_MAX 4096 /* the largest request kmalloc serves (one page) */

/* size bytes, 16-byte aligned, not zeroed; NULL when out of memory, when size is 0 or
 * when it is larger than KMALLOC_MAX. */
void *kmalloc(size_t size);
/* Free what kmalloc returned; kfree(NULL) does nothing. Freeing anything else, or the
 * same object twice, panics. */
void kfree(void *ptr);

/* Counts for meminfo and the self-checks. */
struct kmalloc_stats {
	size_t objects; /* objects handed out and not yet freed */
	size_t bytes;   /* their size-class bytes */
	size_t pages;   /* pages the heap holds (slabs and whole-page objects) */
};
void kmalloc_stats(struct kmalloc_stats *st);
void kmalloc_print(void);

#endif
