/*
 * Building the kernel address space: the kernel image with one set of permissions per
 * section (W^X: nothing both writable and executable), all physical memory in the direct
 * map, nothing user-accessible. Then the switch from the boot page tables to these.
 */
#include <x86.h>
#include <memlayout.h>
#include "mm/kas.h"
#include "mm/page.h"
#include "core/panic.h"
#include "core/printk.h"

pte_t *kern_pml4;

/* Section boundaries from kern/boot/kernel.ld; each is page-aligned. */
extern char __text_start[], __rodata_start[], __data_start[], __bootstack_guard[];
extern char __bootstack_start[], __kernel_end[];

/* Map the kernel-image range [start, end) at its link address with permissions perm. */
static void map_image(const char *start, const char *end, pte_t perm, const char *what)
{
	int r = vm_map(kern_pml4, (uintptr_t)start, KV2P(start), (size_t)(end - start), perm);

	if (r < 0)
		panic("kas_init: cannot map the kernel's %s (error %d)", what, r);
}

/* Does CPUID leaf `leaf` report bit `bit` in register `reg` (0 ebx, 1 edx)? */
static bool cpu_has(uint32_t leaf, int reg, uint32_t bit)
{
	uint32_t max, b, d;

	cpuid(leaf & 0x80000000, 0, &max, NULL, NULL, NULL);
	if (max < leaf)
		return false;
	cpuid(leaf, 0, NULL, &b, NULL, &d);
	return ((reg == 0 ? b : d) & bit) != 0;
}

/* Before trusting the new tables with the machine: do they map the code that is running,
 * its stack and the direct map? A student's bug here would otherwise be a triple fault. */
static void check_before_switch(void)
{
	uintptr_t here = (uintptr_t)kas_init, stack = read_rbp();

	if (vm_translate(kern_pml4, here) != KV2P(here))
		panic("kas_init: the new page tables do not map the kernel text (%p); "
		      "not switching to them",
		      (void *)here);
	if (vm_translate(kern_pml4, stack) != KV2P(stack))
		panic("kas_init: the new page tables do not map the boot stack (%p); "
		      "not switching to them",
		      (void *)stack);
	if (vm_translate(kern_pml4, (uintptr_t)kern_pml4) != V2P(kern_pml4))
		panic("kas_init: the new page tables do not map the direct map; not switching");
}

void kas_init(void)
{
	if (!cpu_has(0x80000001, 1, CPUID_80000001_EDX_NX))
		panic("kas_init: this CPU has no NX bit (run QEMU with -cpu max)");
	kern_pml4 = kpage_alloc(ALLOC_ZERO);
	if (!kern_pml4)
		panic("kas_init: no memory for the kernel's top-level page table");

	/* Give each kernel-half top-level entry in use its table now, so those entries never
	 * change and vm_create() can share them with every address space by copying. */
	int level;
	for (physaddr_t pa = 0; pa < phys_top; pa += LEVEL_SIZE(4))
		if (!pt_walk(kern_pml4, DIRECTMAP + pa, 3, true, &level))
			panic("kas_init: out of memory for the direct map's tables");
	if (!pt_walk(kern_pml4, KSTACKS, 3, true, &level))
		panic("kas_init: out of memory for the kernel image's tables");

	// LAB 2: Map the kernel image at its link addresses with map_image(), one call per
	// part, each with the least permission it needs (no PTE_U anywhere):
	//   .text       [__text_start, __rodata_start)         read-only, executable
	//   .rodata     [__rodata_start, __data_start)         read-only, PTE_NX
	//   .data, .bss [__data_start, __bootstack_guard)      PTE_W, PTE_NX
	//   boot stack  [__bootstack_start, __kernel_end)      PTE_W, PTE_NX
	// (the guard page between the last two stays unmapped). Then map all physical memory,
	// [0, phys_top), at DIRECTMAP, writable and not executable, with vm_map(); panic if
	// that fails.
	//= BEGIN LAB 2
	map_image(__text_start, __rodata_start, 0, ".text");
	map_image(__rodata_start, __data_start, PTE_NX, ".rodata");
	map_image(__data_start, __bootstack_guard, PTE_W | PTE_NX, ".data and .bss");
	map_image(__bootstack_start, __kernel_end, PTE_W | PTE_NX, "boot stack");
	if (vm_map(kern_pml4, DIRECTMAP, 0, phys_top, PTE_W | PTE_NX) < 0)
		panic("kas_init: cannot build the direct map");
	//= STUB
	//= (void)map_image;
	//= printk("LAB 2: kas_init() does not map the kernel yet (kern/mm/kas.c)\n");
	//= END
	check_before_switch();

	/* With EFER.NXE clear, bit 63 of a page-table entry is a reserved bit: it must be on
	 * before the first table with PTE_NX is loaded. */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	lcr3(V2P(kern_pml4));

	// LAB 2: Make the kernel obey the permissions too: set CR0.WP (without it, kernel
	// writes ignore read-only pages) and, when the CPU has them (cpu_has(7, 0, ...) with
	// CPUID_7_EBX_SMEP / CPUID_7_EBX_SMAP), CR4.SMEP (no executing user pages in kernel
	// mode) and CR4.SMAP (no touching user pages in kernel mode, except between stac and
	// clac).
	//= BEGIN LAB 2
	lcr0(rcr0() | CR0_WP);
	if (cpu_has(7, 0, CPUID_7_EBX_SMEP))
		lcr4(rcr4() | CR4_SMEP);
	if (cpu_has(7, 0, CPUID_7_EBX_SMAP))
		lcr4(rcr4() | CR4_SMAP);
	//= END
	if (!(rcr4() & CR4_SMEP) || !(rcr4() & CR4_SMAP))
		printk("kas_init: warning: SMEP or SMAP is off (does this CPU have them? QEMU "
		       "offers both with -cpu max)\n");
}
