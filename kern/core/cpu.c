/*
 * GDT, TSS and per-CPU data. Long mode ignores segment bases and limits (except %fs/%gs
 * bases, which live in MSRs), so the GDT only says who may run where: kernel code and data
 * at privilege 0, user code and data at privilege 3, and the TSS.
 */
#include <x86.h>
#include <string.h>
#include "core/cpu.h"

struct cpu cpu0;

/* The offsets the assembly reaches through %gs (cpu.h). */
_Static_assert(offsetof(struct cpu, self) == 0 &&
                       offsetof(struct cpu, kstack_top) == CPU_KSTACK_TOP &&
                       offsetof(struct cpu, user_rsp) == CPU_USER_RSP,
               "CPU_KSTACK_TOP and CPU_USER_RSP must match struct cpu");

/* Separate stacks for a double fault and an NMI: a kernel stack overflow faults on the
 * guard page, the CPU cannot push onto the broken stack, and the double fault handler
 * still has somewhere to run and report it. */
static uint8_t df_stack[4096] __attribute__((aligned(16)));
static uint8_t nmi_stack[4096] __attribute__((aligned(16)));

/* A code or data descriptor: P, DPL, S=1, type; L for 64-bit code. */
#define SEG_KCODE 0x00209A0000000000UL /* P, DPL0, code exec/read, L */
#define SEG_KDATA 0x0000920000000000UL /* P, DPL0, data read/write */
#define SEG_UCODE 0x0020FA0000000000UL /* P, DPL3, code exec/read, L */
#define SEG_UDATA 0x0000F20000000000UL /* P, DPL3, data read/write */

/* The two-slot 64-bit TSS descriptor (type 9: available 64-bit TSS). */
static void set_tss_descriptor(uint64_t *slot, const struct tss *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;
	slot[0] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | 0x89UL << 40 |
	          ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	slot[1] = base >> 32;
}

void cpu_init(void)
{
	struct cpu *c = &cpu0;
	struct pseudodesc gdtr;

	c->self = c;
	memset(&c->tss, 0, sizeof(c->tss));
	c->tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(df_stack + sizeof(df_stack));
	c->tss.ist[IST_NMI - 1] = (uint64_t)(nmi_stack + sizeof(nmi_stack));
	c->tss.iomap_base = sizeof(c->tss);

	c->gdt[0] = 0;
	c->gdt[GDT_KCODE / 8] = SEG_KCODE;
	c->gdt[GDT_KDATA / 8] = SEG_KDATA;
	c->gdt[GDT_UDATA / 8] = SEG_UDATA;
	c->gdt[GDT_UCODE / 8] = SEG_UCODE;
	set_tss_descriptor(&c->gdt[GDT_TSS / 8], &c->tss);

	gdtr.limit = sizeof(c->gdt) - 1;
	gdtr.base = (uint64_t)c->gdt;
	lgdt(&gdtr);
	asm volatile("ltr %w0" : : "r"(GDT_TSS));

	/* User programs may use the x87 FPU and SSE: no emulation (CR0.EM clear), monitor
	 * coprocessor (CR0.MP), x87 errors as exceptions (#MF, CR0.NE; else they would go to a
	 * PIC line nobody listens to), and the OS saves SSE state and handles its exceptions
	 * (CR4.OSFXSR, CR4.OSXMMEXCPT). The kernel itself is built without SSE. */
	lcr0((rcr0() & ~CR0_EM) | CR0_MP | CR0_NE);
	lcr4(rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	asm volatile("fninit");

	/* In the kernel %gs points at the per-CPU data; the user's (0 to start with) waits in
	 * KERNEL_GS_BASE until swapgs on the way out. */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void cpu_set_kstack(uint64_t top)
{
	cpu0.tss.rsp[0] = top;
	cpu0.kstack_top = top;
}
