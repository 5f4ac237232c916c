/*
 * Kernel stacks with guard pages. Each stack lives in its own KSTACK_SLOT of the KSTACKS
 * area: an unmapped guard page, then KSTACK_SIZE of mapped memory, so running off the
 * bottom page-faults instead of silently overwriting whatever lies below.
 */
#include <memlayout.h>
#include "mm/kas.h"
#include "mm/page.h"
#include "core/panic.h"

#define KSTACK_MAX 1024 /* stacks at once: plenty for the labs' processes and CPUs */

static bool slot_used[KSTACK_MAX];

static uintptr_t slot_stack_bottom(int slot)
{
	return KSTACKS + (uintptr_t)slot * KSTACK_SLOT + PGSIZE;
}

void *kstack_alloc(void)
{
	int slot = 0;

	while (slot < KSTACK_MAX && slot_used[slot])
		slot++;
	if (slot == KSTACK_MAX)
		return NULL;
	uintptr_t bottom = slot_stack_bottom(slot);
	for (uintptr_t va = bottom; va < bottom + KSTACK_SIZE; va += PGSIZE) {
		struct page *pp = page_alloc(ALLOC_ZERO);
		if (!pp || vm_insert(kern_pml4, pp, va, PTE_W | PTE_NX) < 0) {
			if (pp)
				page_free(pp);
			vm_unmap(kern_pml4, bottom, va - bottom);
			return NULL;
		}
	}
	slot_used[slot] = true;
	return (void *)(bottom + KSTACK_SIZE);
}

void kstack_free(void *top)
{
	uintptr_t bottom = (uintptr_t)top - KSTACK_SIZE;
	uintptr_t slot = (bottom - PGSIZE - KSTACKS) / KSTACK_SLOT;

	if (bottom < KSTACKS + PGSIZE || slot >= KSTACK_MAX || slot_stack_bottom(slot) != bottom ||
	    !slot_used[slot])
		panic("kstack_free: %p is not the top of an allocated kernel stack", top);
	vm_unmap(kern_pml4, bottom, KSTACK_SIZE);
	slot_used[slot] = false;
}
