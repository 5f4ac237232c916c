/*
 * The CPU's own state: the GDT (kernel and user segments, the TSS), the TSS (the stack the
 * CPU switches to on entry from user mode, and the IST stacks for double faults and NMIs),
 * and the per-CPU data the kernel reaches through %gs.
 */
#ifndef SPARROW_KERN_CORE_CPU_H
#define SPARROW_KERN_CORE_CPU_H

/* Segment selectors. The order is fixed by syscall/sysret: STAR gives the kernel code
 * selector (its data selector is +8) and a base whose +8 is user data and +16 user code. */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x18
#define GDT_UCODE 0x20
#define GDT_TSS   0x28 /* 16 bytes: two slots */
#define USER_CS   (GDT_UCODE | 3)
#define USER_SS   (GDT_UDATA | 3)

/* Offsets in struct cpu that assembly uses through %gs. */
#define CPU_KSTACK_TOP 8
#define CPU_USER_RSP   16

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2

#ifndef __ASSEMBLER__
#include <types.h>

struct proc;
struct context;

/* The 64-bit task-state segment (Intel SDM volume 3, 8.7). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3]; /* rsp[0]: the kernel stack for traps from user mode */
	uint64_t reserved1;
	uint64_t ist[7]; /* ist[n-1]: the stack for IDT gates with IST = n */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base; /* past the TSS limit: no I/O permission bitmap */
} __attribute__((packed));

/* Per-CPU data, at %gs:0 while in the kernel (swapgs exchanges it with the user's %gs). */
struct cpu {
	struct cpu *self;          /* %gs:0 */
	uint64_t kstack_top;       /* %gs:8: where the syscall entry switches its stack */
	uint64_t user_rsp;         /* %gs:16: the user %rsp, saved by the syscall entry */
	struct proc *proc;         /* the running process, or NULL */
	struct context *scheduler; /* switch here to leave a process (kern/sched/sched.c) */
	bool need_resched;         /* lab 4: the running process's time slice is over */
	struct tss tss;
	uint64_t gdt[7];
};

extern struct cpu cpu0;

static inline struct cpu *mycpu(void)
{
	return &cpu0; /* one CPU (a later lab may bring more) */
}

/* Load the GDT and TSS, set up %gs for the per-CPU data. */
void cpu_init(void);
/* The kernel stack the CPU switches to on a trap or system call from user mode. */
void cpu_set_kstack(uint64_t top);

#endif /* !__ASSEMBLER__ */
#endif
