/*
 * Checked user-memory access. Each page of the range is looked up in the running process's
 * page tables first: it must be in the user half, present, user-accessible and, for a
 * write, writable. Only then is it touched, between stac and clac: with SMAP on, those are
 * the only instructions that let the kernel read or write a user page at all.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#if LAB >= 4
#include "mm/cow.h"
#endif

/* Can the running process access the page holding va (for a write, if write)? */
static bool user_page_ok(uintptr_t va, bool write)
{
	// LAB 3: Look the page up in the running process's page tables (myproc()->pml4,
	// vm_lookup) and allow the access only if the entry is present and user-accessible,
	// and writable when write is true. (Lab 4 adds copy-on-write pages here.)
	//= BEGIN LAB 3
	struct proc *p = myproc();
	if (!p || va >= USER_TOP)
		return false;
	pte_t *pte = vm_lookup(p->pml4, va, NULL);
	if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U))
		return false;
#if LAB >= 4
	if (write && !(*pte & PTE_W) && vm_cow_break(p->pml4, va) == 0)
		return true;
#endif
	return !write || (*pte & PTE_W);
	//= STUB
	//= (void)va;
	//= (void)write;
	//= return false;
	//= END
}

bool user_range_ok(uintptr_t uaddr, size_t n, bool write)
{
	if (n == 0)
		return true;
	if (uaddr >= USER_TOP || n > USER_TOP - uaddr)
		return false;
	for (uintptr_t va = ROUNDDOWN(uaddr, PGSIZE); va < uaddr + n; va += PGSIZE)
		if (!user_page_ok(va, write))
			return false;
	return true;
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
