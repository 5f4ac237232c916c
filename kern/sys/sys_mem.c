/*
 * Memory for programs (lab 5): the heap (brk), and private mappings (mmap, munmap,
 * mprotect): anonymous ones, which is what C libraries' malloc uses, and private copies of
 * files. Each adds, moves or removes regions of the address space (kern/mm/uvm.c); the
 * pages come when first touched (a file's are copied in at once), and fork shares them
 * copy-on-write like everything else. Lab 7 adds shared mappings (kern/mm/shared.c), of a
 * file or anonymous. The checks and their errors are Linux's, in Linux's order.
 */
#include <errno.h>
#include <mman.h>
#include <memlayout.h>
#include <fcntl.h>
#include <string.h>
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/page.h"
#include "mm/uvm.h"
#include "proc/proc.h"
#include "sys/files.h"
#include "sys/syscall.h"
#if LAB >= 7
#include "fs/filemap.h"
#include "mm/shared.h"
#endif

#define BRK_MAX      (256UL << 20) /* the heap may grow to 256 MiB */
#define PROT_ALL     (PROT_READ | PROT_WRITE | PROT_EXEC)
#define LONG_MAX_OFF 0x7fffffffffffffffL /* the largest file offset */

/* Linux's default overcommit rule (heuristic mode): pages are given when touched, so
 * memory may be promised more than once over, but no one request may be larger than all
 * of memory. A program touching more than there is gets killed (kern/proc/usertrap.c). */
static bool more_than_memory(size_t len)
{
	return len / PGSIZE > page_usable_count();
}

long sys_brk(const long a[6])
{
	struct mm *mm = myproc()->mm;
	uintptr_t want = (uintptr_t)a[0];

	if (want < mm->brk_start || want > mm->brk_start + BRK_MAX)
		return (long)mm->brk; /* as Linux: the unchanged break says it failed */
	uintptr_t old_top = ROUNDUP(mm->brk, PGSIZE), new_top = ROUNDUP(want, PGSIZE);
	if (new_top > old_top) {
		/* Fails if any region is in the way, a MAP_FIXED mapping say. */
		if (more_than_memory(new_top - old_top) ||
		    mm_map(mm, old_top, new_top - old_top, PROT_READ | PROT_WRITE, VMA_HEAP) < 0)
			return (long)mm->brk;
	} else if (new_top < old_top && mm_unmap(mm, new_top, old_top - new_top) < 0) {
		return (long)mm->brk;
	}
	mm->brk = want;
	return (long)mm->brk;
}

/* Is [addr, addr + len) free of regions, page-aligned and where mmap may put things? */
static bool free_range(struct mm *mm, uintptr_t addr, size_t len)
{
	if (addr % PGSIZE || addr < UMIN || addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return false;
	for (struct vma *v = mm->vmas; v && v->start < addr + len; v = v->next)
		if (v->end > addr)
			return false;
	return true;
}

/* The file side of mmap (Linux's checks, after the address ones): regular files may be
 * mapped, privately and (lab 7) shared; anything else is -ENODEV, as a file that cannot be
 * mapped is on Linux. */
static long file_map_ok(struct file *f, unsigned long prot, unsigned long flags, off_t off,
                        size_t len)
{
	int acc = f->flags & O_ACCMODE;
	bool readable = acc == O_RDONLY || acc == O_RDWR,
	     writable = acc == O_WRONLY || acc == O_RDWR;
	bool mappable = f->node && S_ISREG(f->node->mode) && !f->node->dev_ops;

	if ((uint64_t)off + len < (uint64_t)off || (uint64_t)off + len > (uint64_t)LONG_MAX_OFF)
		return -EOVERFLOW;
	switch (flags & (MAP_SHARED | MAP_PRIVATE)) {
	case MAP_SHARED:
		if ((prot & PROT_WRITE) && !writable)
			return -EACCES;
		if (!readable)
			return -EACCES;
#if LAB >= 7
		return mappable ? 0 : -ENODEV;
#else
		return -ENODEV;         /* lab 7 brings shared mappings */
#endif
	case MAP_PRIVATE:
		if (!readable)
			return -EACCES;
		return mappable ? 0 : -ENODEV;
	default:
		return -EINVAL;
	}
}

/* Copy the file's bytes from off into the new region [addr, addr + len): the pages that
 * hold data; holes, and what lies past the end of the file, come zeroed when touched. */
static long copy_file_in(struct mm *mm, struct inode *node, off_t off, uintptr_t addr, size_t len,
                         unsigned long prot)
{
	for (size_t done = 0; done < len && (size_t)off + done < node->size; done += PGSIZE) {
		size_t pos = (size_t)off + done;
		const char *data = ramfs_page(node, pos / PGSIZE);
		if (!data)
			continue;
		struct page *pp = page_alloc(ALLOC_ZERO);
		if (!pp)
			return -ENOMEM;
		memcpy(page2kva(pp), data, MIN((size_t)PGSIZE, node->size - pos));
		if (vm_insert(mm->pml4, pp, addr + done, mm_perm((uint32_t)(prot & PROT_ALL))) <
		    0) {
			page_free(pp);
			return -ENOMEM;
		}
	}
	return 0;
}

#if LAB >= 7
/* A shared mapping at [addr, addr + len): of the file f from offset off, or for
 * MAP_ANONYMOUS (f NULL) of a new file that nothing else names, len bytes long. */
static long map_shared(struct mm *mm, uintptr_t addr, size_t len, unsigned long prot,
                       struct file *f, off_t off)
{
	if (!f && len > (size_t)FS_MAX_FILE)
		return -ENOMEM; /* larger than a ramfs file may be */
	struct inode *node = f ? f->node : ramfs_unnamed(len);
	if (!node)
		return -ENOMEM;
	/* mprotect may not make a read-only file's mapping writable, as on Linux. */
	uint32_t flags = f && (f->flags & O_ACCMODE) == O_RDONLY ? VMA_NOWRITE : 0;
	inode_get(node); /* an unnamed file goes with its mapping, if this fails */
	long r = mm_map_shared(mm, addr, len, (uint32_t)(prot & PROT_ALL), flags, &file_map_ops,
	                       node, (size_t)off / PGSIZE);
	inode_put(node);
	return r;
}
#endif

long sys_mmap(const long a[6])
{
	struct mm *mm = myproc()->mm;
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = (size_t)a[1];
	unsigned long prot = (unsigned long)a[2], flags = (unsigned long)a[3];
	off_t off = (off_t)a[5];
	struct file *f = NULL;

	if (off % PGSIZE)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && !(f = fd_file((int)a[4])))
		return -EBADF;
	if (len == 0)
		return -EINVAL;
	if ((flags & MAP_FIXED) && addr % PGSIZE)
		return -EINVAL;
	len = ROUNDUP(len, PGSIZE);
	if (len == 0 || len > USER_LIMIT) /* rounding wrapped, or too big for any place */
		return -ENOMEM;
	if (f && (uint64_t)off / PGSIZE + len / PGSIZE < (uint64_t)off / PGSIZE)
		return -EOVERFLOW;
	if (more_than_memory(len))
		return -ENOMEM;
	if (f) {
		long r = file_map_ok(f, prot, flags, off, len);
		if (r < 0)
			return r;
	} else {
		switch (flags & (MAP_SHARED | MAP_PRIVATE)) {
		case MAP_PRIVATE:
			break;
		case MAP_SHARED:
#if LAB >= 7
			break;
#else
			return -EINVAL; /* lab 7 brings shared mappings */
#endif
		default:
			return -EINVAL;
		}
	}
	if (flags & MAP_FIXED) {
		if (addr >= USER_LIMIT || len > USER_LIMIT - addr)
			return -ENOMEM;
		if (addr < UMIN)
			return -EPERM; /* Linux's mmap_min_addr */
		long r = mm_unmap(mm, addr, len);
		if (r < 0)
			return r;
	} else if (!addr || !free_range(mm, addr, len)) {
		/* The hint is only a hint. Below the earlier mappings, leaving the heap room
		 * to grow; where there is no such room, anywhere. */
		addr = mm_gap(mm, len, ROUNDUP(mm->brk_start + BRK_MAX, PGSIZE));
		if (!addr)
			addr = mm_gap(mm, len, UMIN);
		if (!addr)
			return -ENOMEM;
	}
#if LAB >= 7
	if (flags & MAP_SHARED) {
		long r = map_shared(mm, addr, len, prot, f, off);
		return r < 0 ? r : (long)addr;
	}
#endif
	long r = mm_map(mm, addr, len, (uint32_t)(prot & PROT_ALL), 0);
	if (r == 0 && f && (r = copy_file_in(mm, f->node, off, addr, len, prot)) < 0)
		mm_unmap(mm, addr, len);
	return r < 0 ? r : (long)addr;
}

long sys_munmap(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = (size_t)a[1];

	if (addr % PGSIZE || len == 0 || addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return -EINVAL;
	return mm_unmap(myproc()->mm, addr, ROUNDUP(len, PGSIZE));
}

long sys_mprotect(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = (size_t)a[1];
	unsigned long prot = (unsigned long)a[2];

	if (addr % PGSIZE)
		return -EINVAL;
	if (prot & ~(unsigned long)PROT_ALL)
		return -EINVAL;
	if (len == 0)
		return 0;
	len = ROUNDUP(len, PGSIZE);
	if (len == 0 || addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return -ENOMEM;
	return mm_protect(myproc()->mm, addr, len, (uint32_t)prot);
}
