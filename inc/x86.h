/*
 * Inline wrappers for the x86-64 instructions the kernel needs (port I/O, control
 * registers, MSRs). Each is one instruction, named after it, so gdb and the manuals match.
 */
#ifndef SPARROW_INC_X86_H
#define SPARROW_INC_X86_H

#include <types.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t read_rbp(void)
{
	uint64_t rbp;
	asm volatile("movq %%rbp, %0" : "=r"(rbp));
	return rbp;
}

static inline uint64_t rcr0(void)
{
	uint64_t v;
	asm volatile("movq %%cr0, %0" : "=r"(v));
	return v;
}

static inline void lcr0(uint64_t v)
{
	asm volatile("movq %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t rcr2(void)
{
	uint64_t v;
	asm volatile("movq %%cr2, %0" : "=r"(v));
	return v;
}

/* The debug status register: which debug condition raised #DB (lab 6's SIGTRAP). */
static inline uint64_t rdr6(void)
{
	uint64_t v;
	asm volatile("movq %%dr6, %0" : "=r"(v));
	return v;
}

static inline void ldr6(uint64_t v)
{
	asm volatile("movq %0, %%dr6" : : "r"(v));
}

static inline uint64_t rcr3(void)
{
	uint64_t v;
	asm volatile("movq %%cr3, %0" : "=r"(v));
	return v;
}

static inline void lcr3(uint64_t v)
{
	asm volatile("movq %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t rcr4(void)
{
	uint64_t v;
	asm volatile("movq %%cr4, %0" : "=r"(v));
	return v;
}

static inline void lcr4(uint64_t v)
{
	asm volatile("movq %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* The operand of lidt/lgdt: a 16-bit limit (size - 1) and a 64-bit base address. */
struct pseudodesc {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void lidt(const struct pseudodesc *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

static inline void lgdt(const struct pseudodesc *p)
{
	asm volatile("lgdt %0" : : "m"(*p));
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;
	asm volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

/* SMAP: let the kernel touch user pages (stac) until clac. Only the checked user-copy
 * routine (lab 3) may do this. */
static inline void stac(void)
{
	asm volatile("stac" ::: "memory", "cc");
}

static inline void clac(void)
{
	asm volatile("clac" ::: "memory", "cc");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
                         uint32_t *d)
{
	uint32_t ra, rb, rc, rd;
	asm volatile("cpuid" : "=a"(ra), "=b"(rb), "=c"(rc), "=d"(rd) : "a"(leaf), "c"(sub));
	if (a)
		*a = ra;
	if (b)
		*b = rb;
	if (c)
		*c = rc;
	if (d)
		*d = rd;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause");
}

static inline void hlt(void)
{
	asm volatile("hlt");
}

static inline void cli(void)
{
	asm volatile("cli" ::: "memory");
}

static inline void sti(void)
{
	asm volatile("sti" ::: "memory");
}

/* Control-register and MSR bits used by the boot code and the memory system. */
#define CR0_PE         (1UL << 0)
#define CR0_MP         (1UL << 1)
#define CR0_EM         (1UL << 2)
#define CR0_NE         (1UL << 5)  /* x87 errors as exceptions (#MF), not an external IRQ */
#define CR0_AM         (1UL << 18) /* user-mode alignment checks when RFLAGS.AC is set */
#define CR0_WP         (1UL << 16)
#define CR0_PG         (1UL << 31)
#define CR4_PAE        (1UL << 5)
#define CR4_PGE        (1UL << 7)
#define CR4_OSFXSR     (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_SMEP       (1UL << 20)
#define CR4_SMAP       (1UL << 21)

#define RFLAGS_RESERVED (1UL << 1) /* always set */
#define RFLAGS_CF       (1UL << 0)
#define RFLAGS_PF       (1UL << 2)
#define RFLAGS_AF       (1UL << 4)
#define RFLAGS_ZF       (1UL << 6)
#define RFLAGS_SF       (1UL << 7)
#define RFLAGS_TF       (1UL << 8)  /* trap after each instruction (single step) */
#define RFLAGS_IF       (1UL << 9)  /* interrupts enabled */
#define RFLAGS_DF       (1UL << 10) /* string instructions go down */
#define RFLAGS_OF       (1UL << 11)
#define RFLAGS_NT       (1UL << 14) /* nested task: iretq would be a task return */
#define RFLAGS_RF       (1UL << 16) /* resume: no instruction breakpoint on the next one */
#define RFLAGS_AC       (1UL << 18) /* alignment check; with SMAP: kernel may access user pages */
/* What a program may set in its own flags (popf, and a signal frame in lab 6): the
 * arithmetic flags, TF, DF and AC. IF is always on in user mode, NT always off. */
#define RFLAGS_USER                                                                          \
	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF | RFLAGS_DF | \
	 RFLAGS_OF | RFLAGS_AC)

/* CPUID feature bits: leaf, register and bit. */
#define CPUID_1_EDX_PGE        (1U << 13) /* leaf 1: global pages */
#define CPUID_7_EBX_SMEP       (1U << 7)  /* leaf 7: supervisor-mode execution prevention */
#define CPUID_7_EBX_SMAP       (1U << 20) /* leaf 7: supervisor-mode access prevention */
#define CPUID_80000001_EDX_NX  (1U << 20) /* leaf 0x80000001: no-execute page bit */
#define CPUID_80000001_EDX_1GB (1U << 26) /* leaf 0x80000001: 1 GiB pages */

#define MSR_EFER           0xC0000080
#define EFER_SCE           (1UL << 0)
#define EFER_LME           (1UL << 8)
#define EFER_NXE           (1UL << 11)
#define MSR_STAR           0xC0000081
#define MSR_LSTAR          0xC0000082
#define MSR_FMASK          0xC0000084
#define MSR_FS_BASE        0xC0000100
#define MSR_GS_BASE        0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102

#endif
