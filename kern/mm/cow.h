/*
 * Copy-on-write (lab 4): fork shares a process's writable pages read-only, marked PTE_COW;
 * the first write to such a page gets a private copy (or, if nobody else shares it any
 * more, simply makes it writable again).
 */
#ifndef SPARROW_KERN_MM_COW_H
#define SPARROW_KERN_MM_COW_H

#include "mm/vm.h"

/* Make dst share src's pages in [va, va + size) (fork calls it for each region): writable
 * pages become read-only + PTE_COW in both, read-only pages are shared as they are; every
 * shared frame gains a reference. src's TLB is not flushed: the caller flushes it once
 * (vm_flush_all) after the last range. Returns 0 or -ENOMEM (dst may then hold part of the
 * copy: the caller destroys it). */
int vm_cow_copy(pte_t *dst, pte_t *src, uintptr_t va, size_t size);

/* Give the page at va (a PTE_COW page of pml4) a private writable frame. Returns 0,
 * -EFAULT if va is not a copy-on-write page, or -ENOMEM. */
int vm_cow_break(pte_t *pml4, uintptr_t va);

#endif
