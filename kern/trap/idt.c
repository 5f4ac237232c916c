/*
 * The interrupt descriptor table: one 16-byte gate per vector telling the CPU where to go
 * (the stubs in vectors.S), with which code segment and from which privilege level the
 * vector may be raised by an `int` instruction.
 */
#include <x86.h>
#include "trap/trap.h"
#if LAB >= 3
#include "core/cpu.h"
#include "core/printk.h"
#endif

#define KERNEL_CS 0x08 /* the 64-bit kernel code segment (kern/boot/entry.S) */

#define GATE_INTERRUPT 0xE /* interrupt gate: the CPU clears IF on entry */
#define GATE_PRESENT   0x80
#define GATE_DPL(dpl)  ((dpl) << 5) /* the lowest privilege allowed to `int n` this vector */

/* An IDT entry (Intel SDM volume 3, figure 6-8). */
struct gate {
	uint16_t offset_low;  /* handler address bits 0-15 */
	uint16_t selector;    /* code segment to run the handler in */
	uint8_t ist;          /* interrupt stack table index (lab 3), 0: the current stack */
	uint8_t type_attr;    /* present, DPL, gate type */
	uint16_t offset_mid;  /* handler address bits 16-31 */
	uint32_t offset_high; /* handler address bits 32-63 */
	uint32_t reserved;
};

static struct gate idt[256];

/* The stubs' addresses, in vector order (vectors.S). */
extern const uintptr_t trap_vectors[NVECTORS];

static void set_gate(int vector, uintptr_t handler, int dpl, int ist)
{
	struct gate *g = &idt[vector];

	g->offset_low = (uint16_t)handler;
	g->selector = KERNEL_CS;
	g->ist = (uint8_t)ist;
	g->type_attr = GATE_PRESENT | GATE_DPL(dpl) | GATE_INTERRUPT;
	g->offset_mid = (uint16_t)(handler >> 16);
	g->offset_high = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void trap_init(void)
{
	static struct pseudodesc idtr;

	_Static_assert(sizeof(struct gate) == 16, "an IDT gate is 16 bytes");
	for (int v = 0; v < NVECTORS; v++)
		set_gate(v, trap_vectors[v], 0, 0);
#if LAB >= 3
	/* An NMI can arrive anywhere, even in the first instructions of the system-call
	 * entry, while %rsp is still the user's: it always gets a stack of its own. */
	set_gate(T_NMI, trap_vectors[T_NMI], 0, IST_NMI);
	// LAB 3: Let user programs raise the breakpoint exception themselves (int3): its gate
	// needs DPL 3, while every other gate stays DPL 0, so `int $14` from user mode is a
	// general-protection fault. Give the double fault its own stack (IST_DOUBLE_FAULT), so
	// it can be reported even when the kernel stack is broken (a stack overflow).
	//= BEGIN LAB 3
	set_gate(T_BRKPT, trap_vectors[T_BRKPT], 3, 0);
	set_gate(T_DBLFLT, trap_vectors[T_DBLFLT], 0, IST_DOUBLE_FAULT);
	//= STUB
	//= printk("LAB 3: the user-mode gates of the IDT are not set up (kern/trap/idt.c)\n");
	//= END
#endif
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uintptr_t)idt;
	lidt(&idtr);
}
