/*
 * User address spaces (lab 3 on): a process's page tables and the regions of its memory.
 * A region (struct vma) is a page-aligned range of the user half with one set of
 * permissions. Pages of a region come into being when first touched, by a page fault or a
 * system call's checked copy (mm_fault), so a region costs nothing until it is used; a
 * touch outside every region is the program's error. Lab 4 shares pages copy-on-write
 * across fork; lab 5's brk and mmap add, move and remove regions.
 */
#ifndef SPARROW_KERN_MM_UVM_H
#define SPARROW_KERN_MM_UVM_H

#include <types.h>
#include <mman.h> /* PROT_READ, PROT_WRITE, PROT_EXEC: a region's permissions */
#include "mm/vm.h"

#if LAB >= 7
struct vm_object_ops;
#endif

/* One region, [start, end), in a list sorted by address. */
struct vma {
	struct vma *next;
	uintptr_t start, end; /* page-aligned; end is exclusive */
	uint32_t prot;        /* PROT_* */
	uint32_t flags;       /* VMA_* */
#if LAB >= 7
	/* A shared mapping (lab 7, kern/mm/shared.h): its pages are the pages of an object
	 * (a file), from page pgoff on for start; NULL for private memory. */
	const struct vm_object_ops *obj_ops;
	void *obj;
	size_t pgoff;
#endif
};

#define VMA_STACK 0x1 /* the stack (kern/proc/exec.c) */
#define VMA_HEAP  0x2 /* the heap: brk moves its end */
#if LAB >= 7
#define VMA_NOWRITE 0x4 /* never writable (a shared mapping of a read-only file) */
#endif

#define MM_MAX_REGIONS 4096 /* regions per address space (Linux allows 65530) */

/* An address space. */
struct mm {
	pte_t *pml4;         /* the page tables; the kernel half is shared by everyone */
	struct vma *vmas;    /* the regions, lowest first */
	int nvmas;           /* how many */
	uintptr_t brk_start; /* the heap: [brk_start, brk), grown and shrunk by brk */
	uintptr_t brk;
	uintptr_t mmap_top; /* mmap places regions downwards from here */
};

/* An empty address space (no regions, the kernel half shared); NULL if out of memory. */
struct mm *mm_create(void);
/* Free an address space: every page, table and region. Must not be the one in CR3. NULL:
 * nothing to do. */
void mm_destroy(struct mm *mm);

/* Add a region over [start, start + len) with prot and flags; its pages appear on first
 * touch. The range must be page-aligned, inside [UTEXT, USER_LIMIT) and free of regions:
 * -EINVAL, -EEXIST, or -ENOMEM (no memory, or MM_MAX_REGIONS reached). */
int mm_map(struct mm *mm, uintptr_t start, size_t len, uint32_t prot, uint32_t flags);
/* The same for a region like *want: its range, prot, flags and (lab 7) object, which the
 * new region holds once more. */
int mm_map_vma(struct mm *mm, const struct vma *want);
/* Remove [start, start + len) from the regions (cutting them where needed) and free its
 * pages and the page tables left empty. Unmapped parts are fine. 0 or -ENOMEM (a region
 * split in two needs memory). */
int mm_unmap(struct mm *mm, uintptr_t start, size_t len);
/* Give [start, start + len) the permissions prot. Every page of the range must be in a
 * region: else -ENOMEM and nothing changes (-EACCES: write to a VMA_NOWRITE region). A
 * private page shared with another process is never made writable here: it stays
 * copy-on-write, so a later write copies it first. */
int mm_protect(struct mm *mm, uintptr_t start, size_t len, uint32_t prot);
/* The region holding va, or NULL. */
struct vma *mm_find(struct mm *mm, uintptr_t va);
/* The highest page-aligned address a of a free range [a, a + len) below mm->mmap_top and
 * above lowest; 0 if there is none. */
uintptr_t mm_gap(struct mm *mm, size_t len, uintptr_t lowest);

/* What a fault (or a checked copy) needs of the page at va. */
#define FAULT_WRITE 0x1
#define FAULT_EXEC  0x2

/*
 * Make the page at va of mm accessible as `access` asks, if its region allows it: map a
 * zeroed page where none is yet, or (lab 4) give the process its own copy of a
 * copy-on-write page it writes, or (lab 7) map the page of a shared mapping's object.
 * Returns 0 when the access may be retried, -EFAULT when va is in no region (SEGV_MAPERR),
 * -EACCES when its region forbids the access (SEGV_ACCERR), -EIO when it is past the end
 * of a shared mapping's file (SIGBUS), or -ENOMEM.
 */
int mm_fault(struct mm *mm, uintptr_t va, int access);

/* The page-table permissions of a region's pages (user, and W and NX as prot says). */
pte_t mm_perm(uint32_t prot);

#if LAB >= 4
/* fork: a copy of src (regions, heap, mmap area) sharing every page copy-on-write. NULL
 * if out of memory. */
struct mm *mm_copy(struct mm *src);
#endif

#endif
