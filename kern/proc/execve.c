/*
 * execve (lab 5): replace the running program. Arguments are copied into the kernel, the
 * new image is built in a new address space from the file's pages (mapped contiguously at
 * EXECBUF for the loader), and only when all of that worked does the process switch to it:
 * a failed exec returns an error to the old program, intact.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "core/cpu.h"
#include "fs/fd.h"
#include "fs/fs.h"
#include "mm/kas.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"
#include "trap/trap.h"

#define ARG_PAGES (ARG_MAX / PGSIZE)
#define EXECARGS  (EXECBUF + EXECBUF_SIZE) /* the copied-in strings, mapped contiguously */

/* Copied-in argument and environment strings, packed one after the other in ARG_PAGES
 * pages mapped at EXECARGS, so one string may span pages. */
struct args {
	struct page *pages[ARG_PAGES];
	int npages;
	size_t used;
	char **vec; /* argv then envp pointers, each list NULL-terminated (a page of its own) */
};

static long args_init(struct args *a)
{
	if (!(a->vec = kpage_alloc(0)))
		return -ENOMEM;
	for (; a->npages < ARG_PAGES; a->npages++) {
		struct page *pp = page_alloc(0);
		if (!pp)
			return -ENOMEM;
		a->pages[a->npages] = pp;
		if (vm_map(kern_pml4, EXECARGS + (uintptr_t)a->npages * PGSIZE, page2pa(pp), PGSIZE,
		           PTE_W | PTE_NX) < 0) {
			a->npages++;
			return -ENOMEM;
		}
	}
	return 0;
}

static void args_free(struct args *a)
{
	vm_unmap(kern_pml4, EXECARGS, (size_t)ARG_PAGES * PGSIZE);
	for (int i = 0; i < a->npages; i++)
		page_free(a->pages[i]);
	if (a->vec)
		kpage_free(a->vec);
}

/* Copy the NULL-terminated array of user strings at uvec into a->vec from index *k. */
static long copy_strings(struct args *a, uintptr_t uvec, int *k)
{
	char *base = (char *)EXECARGS;
	for (int i = 0; uvec; i++) {
		uintptr_t ustr;
		if (*k >= (int)(PGSIZE / sizeof(char *)) - 2 || *k >= MAX_ARGS)
			return -E2BIG;
		if (copy_from_user(&ustr, uvec + (uintptr_t)i * sizeof(ustr), sizeof(ustr)) < 0)
			return -EFAULT;
		if (!ustr)
			break;
		if (a->used >= ARG_MAX)
			return -E2BIG;
		long len = strncpy_from_user(base + a->used, ustr, ARG_MAX - a->used);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : len;
		a->vec[(*k)++] = base + a->used;
		a->used += (size_t)len + 1;
	}
	a->vec[(*k)++] = NULL;
	return 0;
}

/* Map the file's data pages at EXECBUF, in order (holes as a zero page). */
static long map_file(struct inode *node)
{
	static struct page *zero;
	if (!zero && !(zero = page_alloc(ALLOC_ZERO)))
		return -ENOMEM;
	for (size_t off = 0; off < node->size; off += PGSIZE) {
		size_t pn = off / PGSIZE, per = PGSIZE / sizeof(void *);
		void *page =
		        node->map && node->map[pn / per] ? node->map[pn / per][pn % per] : NULL;
		physaddr_t pa = page ? V2P(page) : page2pa(zero);
		if (vm_map(kern_pml4, EXECBUF + off, pa, PGSIZE, PTE_NX) < 0)
			return -ENOMEM;
	}
	return 0;
}

static const char *basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

long sys_execve(const long a[6])
{
	struct proc *p = myproc();
	struct args args = { 0 };
	struct inode *node;
	struct exec_result res;
	const char *why = "";
	char *path = kmalloc(FS_PATH_MAX);
	int k = 0;
	long r;

	r = path ? args_init(&args) : -ENOMEM;
	if (r < 0)
		goto out;
	r = strncpy_from_user(path, (uintptr_t)a[0], FS_PATH_MAX);
	if (r >= 0)
		r = copy_strings(&args, (uintptr_t)a[1], &k);
	int envp = k;
	if (r >= 0)
		r = copy_strings(&args, (uintptr_t)a[2], &k);
	if (r >= 0)
		r = ramfs_lookup(p->cwd, path, &node);
	if (r >= 0 && !S_ISREG(node->mode))
		r = -EACCES;
	if (r >= 0 && node->size > EXECBUF_SIZE)
		r = -ENOEXEC;
	if (r < 0)
		goto out;

	// LAB 5: Build the new program image in a fresh address space (vm_create) with
	// exec_load, from the file's pages mapped at EXECBUF (map_file) and the copied-in
	// argument vectors (args.vec, and args.vec + envp). Unmap EXECBUF either way. If loading
	// fails, destroy the new address space and return the error: the old program must go
	// on. Otherwise switch, in this order: load the new address space (lcr3) and destroy the
	// old one; reset the user registers (*p->tf) to all zeros except rip = the entry point,
	// rsp = the new stack, cs = USER_CS, ss = USER_SS and rflags = RFLAGS_IF | 0x2 (bit 1
	// is always set); clear the %fs base (p->fs_base and MSR_FS_BASE); give the process
	// the initial FPU state (copy fpu_initial into p->fpu and load it with fxrstor, since
	// the registers are live); set the heap (brk_start = brk = res.brk) and mmap_low =
	// MMAP_TOP; rename the process (the path's last component); close the close-on-exec
	// descriptors (fd_exec); and set r = 0 (the new program starts with rax = 0).
	//= BEGIN LAB 5
	pte_t *pml4 = vm_create();
	if (!pml4) {
		r = -ENOMEM;
		goto out;
	}
	r = map_file(node);
	if (r == 0)
		r = exec_load(pml4, (const void *)EXECBUF, node->size, args.vec, args.vec + envp,
		              &res, &why);
	vm_unmap(kern_pml4, EXECBUF, ROUNDUP(node->size, PGSIZE));
	if (r < 0) {
		vm_destroy(pml4);
		goto out;
	}
	pte_t *old = p->pml4;
	p->pml4 = pml4;
	lcr3(V2P(pml4));
	vm_destroy(old);

	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->rip = res.entry;
	p->tf->rsp = res.rsp;
	p->tf->cs = USER_CS;
	p->tf->ss = USER_SS;
	p->tf->rflags = RFLAGS_IF | 0x2;
	p->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	memcpy(p->fpu, fpu_initial, sizeof(p->fpu));
	asm volatile("fxrstor (%0)" : : "r"(p->fpu) : "memory");
	p->brk_start = p->brk = res.brk;
	p->mmap_low = MMAP_TOP;
	strlcpy(p->name, basename(path), sizeof(p->name));
	fd_exec(p);
	r = 0;
	//= STUB
	//= (void)res, (void)why, (void)map_file, (void)basename, (void)envp;
	//= r = -ENOSYS;
	//= END
out:
	(void)why;
	args_free(&args);
	kfree(path);
	return r;
}
