/*
 * Memory self-tests selected with test=NAME (kern/monitor/selftest.c): accesses the kernel's
 * page tables must forbid, each expected to end in a reported page fault; allocator misuse
 * expected to panic; and running out of memory, expected not to. The graders in
 * grade/lab2.py decide whether what these print is right.
 */
#include <x86.h>
#include <memlayout.h>
#include "core/tables.h"
#include "mm/kas.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "core/panic.h"
#include "core/printk.h"

typedef void (*code_fn)(void);

/* A read-only object in .rodata and a `ret` instruction in .data, to write and to run. */
static const uint64_t rodata_target = 0x53504152524F57;
static uint8_t data_code[16] = { 0xC3 };

static void did_not_fault(const char *what)
{
	printk("mmtest: %s did not fault: the page tables allow it\n", what);
}

static void mmtest_write_text(void)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)mmtest_write_text;

	printk("mmtest: writing to kernel text at %p\n", (void *)p);
	*p = 0xCC;
	did_not_fault("a write to kernel text");
}
SELFTEST("pf-write-text", mmtest_write_text, "write to kernel text: must page-fault");

static void mmtest_write_rodata(void)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)&rodata_target;

	printk("mmtest: writing to kernel rodata at %p\n", (void *)p);
	*p = 0;
	did_not_fault("a write to kernel rodata");
}
SELFTEST("pf-write-rodata", mmtest_write_rodata, "write to kernel rodata: must page-fault");

static void mmtest_exec_data(void)
{
	code_fn f = (code_fn)(uintptr_t)data_code;

	printk("mmtest: calling code in kernel data at %p\n", (void *)data_code);
	f();
	did_not_fault("executing kernel data");
}
SELFTEST("pf-exec-data", mmtest_exec_data, "execute kernel data: must page-fault (NX)");

static void mmtest_exec_directmap(void)
{
	struct page *pp = page_alloc(0);

	if (!pp)
		panic("mmtest: no memory");
	*(uint8_t *)page2kva(pp) = 0xC3; /* ret */
	code_fn f = (code_fn)(uintptr_t)page2kva(pp);
	printk("mmtest: calling code in the direct map at %p (physical 0x%lx)\n", page2kva(pp),
	       page2pa(pp));
	f();
	did_not_fault("executing the direct map");
}
SELFTEST("pf-exec-directmap", mmtest_exec_directmap, "execute the direct map: must page-fault");

static void mmtest_read_guard(void)
{
	extern char __bootstack_start[];
	volatile uint64_t *p = (volatile uint64_t *)((uintptr_t)__bootstack_start - 8);

	/* What a stack overflow of the boot stack would touch first. */
	printk("mmtest: reading below the boot stack at %p\n", (void *)p);
	(void)*p;
	did_not_fault("reading the boot stack's guard page");
}
SELFTEST("pf-read-guard", mmtest_read_guard, "read the boot stack's guard page: must page-fault");

/* Map a user page (PTE_U) at UTEXT in the kernel's own tables, holding a `ret`. */
static uintptr_t map_user_page(pte_t perm)
{
	struct page *pp = page_alloc(ALLOC_ZERO);

	if (!pp || vm_insert(kern_pml4, pp, UTEXT, PTE_U | perm) < 0)
		panic("mmtest: cannot map a user page");
	*(uint8_t *)page2kva(pp) = 0xC3;
	return UTEXT;
}

static void mmtest_user_read(void)
{
	volatile uint64_t *p = (volatile uint64_t *)map_user_page(PTE_W | PTE_NX);

	printk("mmtest: reading a user page at %p from the kernel (SMAP)\n", (void *)p);
	(void)*p;
	did_not_fault("a kernel read of a user page");
}
SELFTEST("pf-user-read", mmtest_user_read, "kernel reads a user page: must page-fault (SMAP)");

static void mmtest_user_exec(void)
{
	code_fn f = (code_fn)map_user_page(0);

	printk("mmtest: calling a user page at %p from the kernel (SMEP)\n", (void *)(uintptr_t)f);
	f();
	did_not_fault("kernel execution of a user page");
}
SELFTEST("pf-user-exec", mmtest_user_exec, "kernel runs a user page: must page-fault (SMEP)");

static void mmtest_double_free(void)
{
	struct page *pp = page_alloc(0);

	if (!pp)
		panic("mmtest: no memory");
	printk("mmtest: freeing frame 0x%lx twice\n", page2pa(pp));
	page_free(pp);
	page_free(pp);
	printk("mmtest: the second page_free of frame 0x%lx did not panic\n", page2pa(pp));
}
SELFTEST("double-free", mmtest_double_free, "free a frame twice: must panic");

static void mmtest_free_referenced(void)
{
	struct page *pp = page_alloc(0);

	if (!pp)
		panic("mmtest: no memory");
	page_incref(pp);
	printk("mmtest: freeing frame 0x%lx while it has a reference\n", page2pa(pp));
	page_free(pp);
	printk("mmtest: page_free of referenced frame 0x%lx did not panic\n", page2pa(pp));
}
SELFTEST("free-referenced", mmtest_free_referenced, "free a referenced frame: must panic");

static void mmtest_use_after_free(void)
{
	struct page *pp = page_alloc(0);

	if (!pp)
		panic("mmtest: no memory");
	volatile uint64_t *p = page2kva(pp);
	p[0] = 0x1234;
	page_free(pp);
	printk("mmtest: frame 0x%lx holds 0x%016lx after page_free\n", page2pa(pp), p[0]);
	p[100] = 42;
	printk("mmtest: wrote to frame 0x%lx after freeing it; allocating again\n", page2pa(pp));
	struct page *again = page_alloc(0);
	printk("mmtest: page_alloc returned frame 0x%lx and did not notice\n",
	       again ? page2pa(again) : 0);
}
SELFTEST("use-after-free", mmtest_use_after_free, "write a freed frame: the allocator notices");

static void mmtest_oom(void)
{
	size_t before = page_free_count(), n = 0, k = 0;
	struct page *taken = NULL, *pp;
	void *objs = NULL, *obj;

	printk("oom: %lu frames free\n", before);
	/* Chain the taken frames through page.next, unused while a frame is allocated. */
	while ((pp = page_alloc(0)) != NULL) {
		pp->next = taken;
		taken = pp;
		n++;
	}
	printk("oom: page_alloc returned NULL after %lu frames; %lu free\n", n, page_free_count());
	/* Everything that allocates memory must now fail cleanly. */
	while ((obj = kmalloc(64)) != NULL) {
		*(void **)obj = objs;
		objs = obj;
		k++;
	}
	printk("oom: kmalloc(64) returned NULL after %lu more objects\n", k);
	printk("oom: kmalloc(4096) %s\n", kmalloc(4096) ? "succeeded" : "returned NULL");
	printk("oom: vm_create() %s\n", vm_create() ? "succeeded" : "returned NULL");
	printk("oom: kstack_alloc() %s\n", kstack_alloc() ? "succeeded" : "returned NULL");
	while (objs) {
		obj = objs;
		objs = *(void **)obj;
		kfree(obj);
	}
	while (taken) {
		pp = taken;
		taken = pp->next;
		pp->next = NULL;
		page_free(pp);
	}
	printk("oom: freed everything: %lu frames free, %lu before\n", page_free_count(), before);
}
SELFTEST("oom", mmtest_oom, "allocate every frame: NULL, not a panic; then free them");
