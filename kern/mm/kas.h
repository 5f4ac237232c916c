/*
 * The kernel's own address space: page tables built by kas_init() to replace the boot
 * tables, mapping the kernel image with per-section permissions and all physical memory.
 */
#ifndef SPARROW_KERN_MM_KAS_H
#define SPARROW_KERN_MM_KAS_H

#include "mm/vm.h"

/* The kernel's top-level table. Its upper half is shared by every address space. */
extern pte_t *kern_pml4;

/* Build the kernel address space, switch to it and turn on the protections it relies on
 * (EFER.NXE, CR0.WP, CR4.SMEP, CR4.SMAP). Needs page_init(). */
void kas_init(void);

/* A kernel stack of KSTACK_SIZE bytes in the KSTACKS area, with an unmapped guard page
 * below it. Returns its top (the initial stack pointer), or NULL when out of memory. */
void *kstack_alloc(void);
void kstack_free(void *top);

#endif
