/*
 * Checked user-memory access. Each page of the range is checked first: it must be below
 * USER_LIMIT, present, user-accessible and, for a write, writable, or become so as a page
 * fault would make it (a stack page touched for the first time, a copy-on-write page). Only
 * then is it touched, between stac and clac: with SMAP on, those are the only instructions
 * that let the kernel read or write a user page at all.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "mm/uvm.h"
#include "proc/proc.h"
#include "proc/uaccess.h"

/* Can the running process access the page holding va (for a write, if write)? */
static bool user_page_ok(uintptr_t va, bool write)
{
	// LAB 3: Look the page up in the running process's page tables (myproc()->mm->pml4,
	// vm_lookup): the access is fine if the entry is present and user-accessible, and
	// writable when write is true. If it is not (yet), do what a page fault from user mode
	// would: mm_fault(mm, va, write ? FAULT_WRITE : 0) maps a stack or heap page touched
	// for the first time (and, from lab 4, copies a copy-on-write page); the access is fine
	// if it returns 0. Addresses at or above USER_LIMIT never are.
	//= BEGIN LAB 3
	struct proc *p = myproc();
	if (!p || va >= USER_LIMIT)
		return false;
	pte_t *pte = vm_lookup(p->mm->pml4, va, NULL);
	if (pte && (*pte & PTE_U) && (!write || (*pte & PTE_W)))
		return true;
	return mm_fault(p->mm, va, write ? FAULT_WRITE : 0) == 0;
	//= STUB
	//= (void)va;
	//= (void)write;
	//= return false;
	//= END
}

size_t user_prefix(uintptr_t uaddr, size_t n, bool write)
{
	size_t ok = 0;
	if (uaddr >= USER_LIMIT)
		return 0;
	n = MIN(n, USER_LIMIT - uaddr);
	while (ok < n && user_page_ok(uaddr + ok, write))
		ok += MIN(n - ok, PGSIZE - (uaddr + ok) % PGSIZE);
	return ok;
}

bool user_range_ok(uintptr_t uaddr, size_t n, bool write)
{
	return n == 0 || (n <= USER_LIMIT && user_prefix(uaddr, n, write) == n);
}

int copy_from_user(void *dst, uintptr_t usrc, size_t n)
{
	if (!user_range_ok(usrc, n, false))
		return -EFAULT;
	stac();
	memcpy(dst, (const void *)usrc, n);
	clac();
	return 0;
}

int copy_to_user(uintptr_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n, true))
		return -EFAULT;
	stac();
	memcpy((void *)udst, src, n);
	clac();
	return 0;
}

long strncpy_from_user(char *dst, uintptr_t usrc, size_t max)
{
	/* Page by page, so a string that ends just before an unmapped page is fine. */
	for (size_t i = 0; i < max;) {
		uintptr_t va = usrc + i;
		if (va < usrc || !user_range_ok(va, 1, false))
			return -EFAULT;
		size_t chunk = MIN(max - i, PGSIZE - va % PGSIZE);
		stac();
		for (size_t k = 0; k < chunk; k++) {
			dst[i + k] = ((const char *)va)[k];
			if (dst[i + k] == '\0') {
				clac();
				return (long)(i + k);
			}
		}
		clac();
		i += chunk;
	}
	return -ENAMETOOLONG;
}
