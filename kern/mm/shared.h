/*
 * Shared mappings (lab 7): a MAP_SHARED region's pages are not the process's own but an
 * object's (a file's, or the unnamed file behind MAP_SHARED|MAP_ANONYMOUS), so every
 * process that maps the object, and read() and write() on the file, see the same frames.
 */
#ifndef SPARROW_KERN_MM_SHARED_H
#define SPARROW_KERN_MM_SHARED_H

#include <types.h>
#include "mm/uvm.h"

struct page;

/* What the memory layer asks of an object (the file system implements it: kern/fs/filemap.c). */
struct vm_object_ops {
	/* The frame holding page pn of obj, made (zeroed) if the object has none there yet:
	 * 0 and *out, -EIO if pn lies past the object's end (the access is SIGBUS), or
	 * -ENOMEM. The object keeps its own reference: a mapping takes another. */
	int (*page)(void *obj, size_t pn, struct page **out);
	/* Take and drop a reference on obj: each region that maps it holds one. */
	void (*hold)(void *obj);
	void (*release)(void *obj);
};

/* Map [start, start + len) of mm (page-aligned, free of regions) to obj's pages from page
 * pgoff on, with prot and flags (VMA_NOWRITE: mprotect may never add PROT_WRITE). The
 * region holds obj; its pages come on first touch. 0, or mm_map's errors. */
int mm_map_shared(struct mm *mm, uintptr_t start, size_t len, uint32_t prot, uint32_t flags,
                  const struct vm_object_ops *ops, void *obj, size_t pgoff);

/* mm_fault's case of a shared region v with nothing mapped at va (page-aligned, an access
 * v allows): map the object's page there. 0, -EIO (past the object's end), -ENOMEM. */
int shared_fault(struct mm *mm, struct vma *v, uintptr_t va);

/* fork's case of a shared region [va, va + size): dst maps the very frames src maps there,
 * with the same permissions (each mapping takes a reference), so that a write by either
 * process is seen by the other. 0, or -ENOMEM (the caller destroys dst). */
int shared_fork(pte_t *dst, pte_t *src, uintptr_t va, size_t size);

#endif
