/*
 * Layout randomization (lab 7): each execve moves the stack, the mmap area and the heap
 * by a random number of pages, so an attacker cannot know where a program's data lies;
 * the kernel option aslr=0 keeps the fixed layout, for reproducible debugging.
 */
#include <memlayout.h>
#include "core/cmdline.h"
#include "core/random.h"
#include "proc/aslr.h"

/* A random multiple of PGSIZE below range (a power of two, at least a page). */
static uintptr_t random_pages(uintptr_t range)
{
	uint64_t r;
	random_bytes(&r, sizeof(r));
	return (uintptr_t)(r % (range / PGSIZE)) * PGSIZE;
}

void aslr_layout(struct layout *l)
{
	l->stack_top = USTACK_TOP;
	l->mmap_top = MMAP_TOP;
	l->heap_gap = 0;
	if (cmdline_flag("aslr", "0"))
		return;

	// LAB 7: Move the layout by whole pages drawn at random (random_pages): the stack top
	// down by less than ASLR_STACK_RANGE; the mmap area's top just below the stack's guard
	// page, then down by less than ASLR_MMAP_RANGE more; the heap up by less than
	// ASLR_HEAP_RANGE. inc/memlayout.h has the picture.
	//= BEGIN LAB 7
	l->stack_top -= random_pages(ASLR_STACK_RANGE);
	l->mmap_top = l->stack_top - USTACK_SIZE - PGSIZE - random_pages(ASLR_MMAP_RANGE);
	l->heap_gap = random_pages(ASLR_HEAP_RANGE);
	//= STUB
	//= (void)random_pages;
	//= END
}
