/*
 * The monitor's memory commands: showmappings (what a virtual range maps to), pt (the four
 * page-table entries behind one address) and meminfo (frames free and used). They read
 * the page tables loaded in CR3 through the same walker as the rest of the kernel.
 */
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "core/tables.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "core/printk.h"

/* The address space the CPU is using now. */
static pte_t *current_pml4(void)
{
	return P2V(rcr3() & PTE_ADDR_MASK);
}

/* Parse a hexadecimal address ("0x" optional); false if s is not one. */
static bool parse_addr(const char *s, uintptr_t *out)
{
	char *end;

	*out = strtoul(s, &end, 16);
	return end != s && *end == '\0';
}

/* "r-x kernel", "rw- user": what a leaf entry allows. */
static void print_perms(pte_t pte)
{
	printk("r%c%c %s", (pte & PTE_W) ? 'w' : '-', (pte & PTE_NX) ? '-' : 'x',
	       (pte & PTE_U) ? "user" : "kernel");
}

static const char *size_name(int level)
{
	static const char *const names[] = { "", "4K", "2M", "1G", "512G" };
	return names[level];
}

static void print_unmapped(uintptr_t start, uintptr_t last)
{
	printk("  %016lx-%016lx  not mapped\n", start, last);
}

static int mon_showmappings(int argc, char **argv, struct trapframe *tf)
{
	uintptr_t start, last;
	struct vm_iter it;
	(void)tf;

	if (argc != 3 || !parse_addr(argv[1], &start) || !parse_addr(argv[2], &last) ||
	    last < start) {
		printk("usage: showmappings VA1 VA2   (hexadecimal, VA1 <= VA2; both pages "
		       "shown)\n");
		return 0;
	}
	start = ROUNDDOWN(start, PGSIZE);
	last = ROUNDDOWN(last, PGSIZE) + (PGSIZE - 1);
	printk("Mappings of %016lx-%016lx (CR3 0x%lx):\n", start, last, rcr3() & PTE_ADDR_MASK);
	uintptr_t next = start; /* the first address not yet described */
	bool covered = false;   /* next wrapped past the top of the address space */
	for (vm_iter_start(&it, current_pml4(), start, last, 1); vm_iter_next(&it);) {
		uintptr_t first = MAX(it.va, start);
		uintptr_t end = it.va + (LEVEL_SIZE(it.level) - 1);
		if (first > next)
			print_unmapped(next, first - 1);
		printk("  %016lx-%016lx  %-2s -> %016lx  ", it.va, end, size_name(it.level),
		       pte_addr(*it.pte, it.level));
		print_perms(*it.pte);
		printk("\n");
		next = end + 1;
		covered = next == 0 || end >= last;
	}
	if (!covered && next <= last)
		print_unmapped(next, last);
	return 0;
}

static const char *const level_names[] = { "", "PT", "PD", "PDPT", "PML4" };

static int mon_pt(int argc, char **argv, struct trapframe *tf)
{
	uintptr_t va;
	pte_t *pml4 = current_pml4();
	(void)tf;

	if (argc != 2 || !parse_addr(argv[1], &va)) {
		printk("usage: pt VA   (hexadecimal)\n");
		return 0;
	}
	if (va >= USER_TOP && va < KERNEL_HALF) {
		printk("%016lx is not canonical: no page table can map it\n", va);
		return 0;
	}
	printk("Page-table walk for %016lx (CR3 0x%lx):\n", va, V2P(pml4));
	for (int l = PT_LEVELS; l >= 1; l--) {
		int level;
		pte_t *pte = pt_walk(pml4, va, l, false, &level);
		if (level != l)
			break; /* the walk ended above: that entry is already printed */
		printk("  %-4s index %3lu at 0x%09lx: %016lx  ", level_names[l], PT_INDEX(va, l),
		       V2P(pte), *pte);
		if (!(*pte & PTE_P)) {
			printk("not present\n");
			printk("  %016lx is not mapped\n", va);
			return 0;
		}
		if (!pte_is_leaf(*pte, l)) {
			printk("table at 0x%lx %s%s\n", pte_addr(*pte, l),
			       (*pte & PTE_W) ? "w" : "-", (*pte & PTE_U) ? "u" : "-");
			continue;
		}
		printk("%s page at 0x%lx ", size_name(l), pte_addr(*pte, l));
		print_perms(*pte);
		printk("\n  %016lx -> physical %016lx\n", va,
		       pte_addr(*pte, l) + (va & (LEVEL_SIZE(l) - 1)));
		return 0;
	}
	return 0;
}

static int mon_meminfo(int argc, char **argv, struct trapframe *tf)
{
	size_t usable = page_usable_count(), nfree = page_free_count();
	(void)argc, (void)argv, (void)tf;

	printk("Physical memory: %lu frames (%lu KiB) below 0x%lx\n", npages, npages * 4, phys_top);
	printk("Frames: %lu usable, %lu free, %lu in use, %lu reserved\n", usable, nfree,
	       usable - nfree, npages - usable);
	kmalloc_print();
	return 0;
}

MONITOR_COMMAND("showmappings", "showmappings VA1 VA2: each page's frame and permissions",
                mon_showmappings);
MONITOR_COMMAND("pt", "pt VA: the page-table entries at each level for VA", mon_pt);
MONITOR_COMMAND("meminfo", "physical frames free and in use, and the kernel heap", mon_meminfo);
