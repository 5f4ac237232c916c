/*
 * The ELF loader's back half, the initial user stack, and installing the new image in a
 * process. The address space being built is not the one loaded in CR3, so everything is
 * written through the direct map: put_user() finds the frame behind each user page with
 * the page-table walker.
 */
#include <auxv.h>
#include <errno.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "core/cpu.h"
#include "core/random.h"
#include "mm/page.h"
#include "mm/uvm.h"
#if LAB >= 7
#include "proc/thread.h"
#endif
#include "proc/elf.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "trap/trap.h"
#if LAB >= 4
#include "proc/fpu.h"
#endif
#if LAB >= 7
#include "proc/aslr.h"
#endif

#define STACK_PAGES_MIN 4 /* pages mapped for the stack at start; more on demand */

/* Copy n bytes to user address va of pml4 (which need not be loaded), through the direct
 * map. The pages must be mapped. */
static int put_user(pte_t *pml4, uintptr_t va, const void *src, size_t n)
{
	const uint8_t *s = src;
	while (n > 0) {
		physaddr_t pa = vm_translate(pml4, va);
		if (pa == (physaddr_t)-1)
			return -EFAULT;
		size_t k = MIN(n, PGSIZE - va % PGSIZE);
		memcpy(P2V(pa), s, k);
		va += k;
		s += k;
		n -= k;
	}
	return 0;
}

/* The page-table permissions for an ELF segment's flags: always user, writable only if the
 * segment says so, executable only if it says so. */
static pte_t segment_perm(uint32_t flags)
{
	pte_t perm = PTE_U;
	if (flags & PF_W)
		perm |= PTE_W;
	if (!(flags & PF_X))
		perm |= PTE_NX;
	return perm;
}

/* Map the pages of one checked PT_LOAD segment (zero-filled) and copy its file bytes in. A
 * page shared with an earlier segment keeps its frame and gets both segments' rights. */
static int load_segment(pte_t *pml4, const uint8_t *img, const struct elf64_phdr *ph)
{
	// LAB 3: Map every page of [p_vaddr, p_vaddr + p_memsz) with segment_perm(p_flags),
	// each backed by a fresh zeroed frame (page_alloc(ALLOC_ZERO) + vm_insert), then copy
	// the p_filesz bytes at img + p_offset to p_vaddr with put_user(). The rest (bss) stays
	// zero. If a page is already mapped (two segments sharing a page), keep that frame and
	// widen its permissions: writable if either is, executable if either is.
	//= BEGIN LAB 3
	pte_t perm = segment_perm(ph->p_flags);
	uintptr_t start = ROUNDDOWN(ph->p_vaddr, PGSIZE);
	uintptr_t end = ROUNDUP(ph->p_vaddr + ph->p_memsz, PGSIZE);

	for (uintptr_t va = start; va < end; va += PGSIZE) {
		pte_t *pte = vm_lookup(pml4, va, NULL);
		if (pte) {
			pte_t old = *pte;
			pte_t both = (old | perm) & (PTE_W | PTE_U);
			if ((old & PTE_NX) && (perm & PTE_NX))
				both |= PTE_NX;
			vm_protect(pml4, va, PGSIZE, both);
			continue;
		}
		struct page *pp = page_alloc(ALLOC_ZERO);
		if (!pp)
			return -ENOMEM;
		if (vm_insert(pml4, pp, va, perm) < 0) {
			page_free(pp);
			return -ENOMEM;
		}
	}
	return put_user(pml4, ph->p_vaddr, img + ph->p_offset, ph->p_filesz);
	//= STUB
	//= (void)pml4;
	//= (void)img;
	//= (void)ph;
	//= (void)segment_perm;
	//= return -ENOEXEC;
	//= END
}

static int count_strings(char *const v[], size_t *bytes)
{
	int n = 0;
	for (; v && v[n]; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

/*
 * The initial stack, from the stack's top down (System V ABI for x86-64, 3.4.1):
 *
 *	16 random bytes (AT_RANDOM points here), then the argv and envp strings
 *	padding, so that the final rsp is 16-byte aligned
 *	auxv: (AT_PHDR, .), (AT_PHENT, .), ..., (AT_NULL, 0)
 *	NULL, envp[envc - 1] ... envp[0]
 *	NULL, argv[argc - 1] ... argv[0]
 *	argc                                   <- rsp
 */
static int build_stack(pte_t *pml4, uintptr_t top, const struct elf_info *info, char *const argv[],
                       char *const envp[], uintptr_t *rsp_out)
{
	size_t strbytes = 0;
	int argc = count_strings(argv, &strbytes);
	int envc = count_strings(envp, &strbytes);
	if (strbytes > ARG_MAX || argc + envc > MAX_ARGS)
		return -E2BIG;

	uint64_t auxv[][2] = {
		{ AT_PHDR, info->phdr_va },
		{ AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, info->phnum },
		{ AT_PAGESZ, PGSIZE },
		{ AT_ENTRY, info->entry },
		{ AT_RANDOM, 0 /* filled in below */ },
		{ AT_UID, 0 },
		{ AT_EUID, 0 },
		{ AT_GID, 0 },
		{ AT_EGID, 0 },
		{ AT_SECURE, 0 },
		{ AT_CLKTCK, 100 },
		{ AT_NULL, 0 },
	};
	size_t nvec = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * ARRAY_SIZE(auxv);
	size_t total = 16 + strbytes + 16 + nvec * 8; /* random bytes, strings, alignment */

	/* Map enough stack for all of it (and a little more for main's first frames). */
	size_t pages = MAX(STACK_PAGES_MIN, ROUNDUP(total, PGSIZE) / PGSIZE + 1);
	for (size_t i = 1; i <= pages; i++) {
		struct page *pp = page_alloc(ALLOC_ZERO);
		if (!pp)
			return -ENOMEM;
		if (vm_insert(pml4, pp, top - i * PGSIZE, PTE_U | PTE_W | PTE_NX) < 0) {
			page_free(pp);
			return -ENOMEM;
		}
	}

	// LAB 3: Build the initial stack pictured above. Copy the strings to the top of the
	// stack (the address top; with put_user), remembering where each lands; put 16 random bytes there for
	// AT_RANDOM (random_bytes()); then write argc, the argv pointers and NULL, the envp
	// pointers and NULL, and the auxiliary vector, starting at an address chosen so that
	// rsp (which points at argc) is a multiple of 16. Set *rsp_out.
	//= BEGIN LAB 3
	uint8_t rnd[16];
	uintptr_t rnd_va = top - sizeof(rnd);
	uintptr_t str = rnd_va; /* strings are placed downwards from here */
	uintptr_t sp = ROUNDDOWN(rnd_va - strbytes - nvec * 8, 16);
	size_t k = 0; /* the next vector slot: sp + 8 * k */

	random_bytes(rnd, sizeof(rnd));
	int r = put_user(pml4, rnd_va, rnd, sizeof(rnd));
	uint64_t word = (uint64_t)argc;
	if (r == 0)
		r = put_user(pml4, sp + 8 * k++, &word, 8);
	for (int pass = 0; pass < 2 && r == 0; pass++) {
		char *const *v = pass == 0 ? argv : envp;
		int n = pass == 0 ? argc : envc;
		for (int i = 0; i < n && r == 0; i++) {
			size_t len = strlen(v[i]) + 1;
			str -= len;
			word = str;
			r = put_user(pml4, str, v[i], len);
			if (r == 0)
				r = put_user(pml4, sp + 8 * k++, &word, 8);
		}
		word = 0;
		if (r == 0)
			r = put_user(pml4, sp + 8 * k++, &word, 8); /* the NULL after argv/envp */
	}
	auxv[5][1] = rnd_va;
	if (r == 0)
		r = put_user(pml4, sp + 8 * k, auxv, sizeof(auxv));
	*rsp_out = sp;
	return r;
	//= STUB
	//= (void)put_user;
	//= (void)total;
	//= *rsp_out = top;
	//= return 0;
	//= END
}

/* The region of one PT_LOAD segment. Two segments may share a page (the end of one and
 * the start of the next): that page gets both segments' permissions. */
static int add_region(struct mm *mm, const struct elf64_phdr *ph)
{
	uintptr_t start = ROUNDDOWN(ph->p_vaddr, PGSIZE);
	uintptr_t end = ROUNDUP(ph->p_vaddr + ph->p_memsz, PGSIZE);
	uint32_t prot = PROT_READ | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
	                (ph->p_flags & PF_X ? PROT_EXEC : 0);
	struct vma *shared = mm_find(mm, start);

	if (shared) {
		int r = mm_protect(mm, start, PGSIZE, shared->prot | prot);
		if (r < 0)
			return r;
		start += PGSIZE;
	}
	return start < end ? mm_map(mm, start, end - start, prot, 0) : 0;
}

int exec_load(struct mm *mm, const void *img, size_t size, char *const argv[], char *const envp[],
              struct exec_result *res, const char **why)
{
	/* Where the stack, the mmap area and the heap go: inc/memlayout.h's picture, moved at
	 * random from lab 7 on. */
	struct layout l = { .stack_top = USTACK_TOP, .mmap_top = MMAP_TOP, .heap_gap = 0 };
#if LAB >= 7
	aslr_layout(&l);
#endif
	uintptr_t stack_bottom = l.stack_top - USTACK_SIZE;
	struct elf_info info;
	int r = elf_check(img, size, UMIN, stack_bottom - PGSIZE, &info, why);
	if (r < 0)
		return r;
	for (int i = 0; i < info.phnum; i++) {
		if (info.ph[i].p_type != PT_LOAD || info.ph[i].p_memsz == 0)
			continue;
		r = add_region(mm, &info.ph[i]);
		if (r < 0) {
			*why = r == -ENOMEM ? "out of memory" : "segments overlap";
			return r == -ENOMEM ? r : -ENOEXEC;
		}
		r = load_segment(mm->pml4, img, &info.ph[i]);
		if (r < 0) {
			*why = r == -ENOMEM ? "out of memory" : "could not load a segment";
			return r;
		}
	}
	/* The stack: a region of USTACK_SIZE whose pages come as it grows; build_stack maps
	 * the first ones. The page below it belongs to no region, so an overflow faults. */
	r = mm_map(mm, stack_bottom, USTACK_SIZE, PROT_READ | PROT_WRITE, VMA_STACK);
	if (r == 0)
		r = build_stack(mm->pml4, l.stack_top, &info, argv, envp, &res->rsp);
	if (r < 0) {
		*why = r == -E2BIG ? "arguments too long" : "out of memory for the stack";
		return r;
	}
	res->entry = info.entry;
	mm->brk_start = mm->brk = ROUNDUP(info.end, PGSIZE) + l.heap_gap;
	mm->mmap_top = l.mmap_top;
	return 0;
}

/* The last path component: the process's name. */
static const char *basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

struct mm *exec_commit(struct proc *p, struct mm *mm, const struct exec_result *res,
                       const char *path)
{
	struct mm *old = p->mm;
	bool running = p == myproc();
#if LAB >= 7
	if (thread_exec(p))
		old = NULL; /* lab 7: a vfork parent runs in it: not the caller's to destroy */
#endif

	p->mm = mm;
	if (running)
		lcr3(V2P(mm->pml4));
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->rip = res->entry;
	p->tf->rsp = res->rsp;
	p->tf->cs = USER_CS;
	p->tf->ss = USER_SS;
	p->tf->rflags = RFLAGS_IF | RFLAGS_RESERVED;
	p->fs_base = 0;
	if (running)
		wrmsr(MSR_FS_BASE, 0);
#if LAB >= 4
	fpu_reset(p->fpu);
	if (running)
		fpu_restore(p->fpu);
#endif
	strlcpy(p->name, basename(path), sizeof(p->name));
#if LAB >= 6
	signal_exec(p);
#endif
	return old;
}
