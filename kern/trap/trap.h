/*
 * Traps: the interrupt descriptor table, the common entry path (vectors.S) and the C
 * dispatcher. Lab 2 has the 32 processor exceptions, each fatal in the kernel; lab 3 adds
 * hardware interrupts, IST stacks, user mode and system calls to the same files.
 */
#ifndef SPARROW_KERN_TRAP_TRAP_H
#define SPARROW_KERN_TRAP_TRAP_H

/* Processor exception vectors (Intel SDM volume 3, table 6-1). */
#define T_DIVIDE      0   /* #DE divide error */
#define T_DEBUG       1   /* #DB debug */
#define T_NMI         2   /* non-maskable interrupt */
#define T_BRKPT       3   /* #BP breakpoint (int3) */
#define T_OFLOW       4   /* #OF overflow (into) */
#define T_BOUND       5   /* #BR bound range exceeded */
#define T_ILLOP       6   /* #UD invalid opcode */
#define T_DEVICE      7   /* #NM device (FPU) not available */
#define T_DBLFLT      8   /* #DF double fault */
#define T_TSS         10  /* #TS invalid TSS */
#define T_SEGNP       11  /* #NP segment not present */
#define T_STACK       12  /* #SS stack-segment fault */
#define T_GPFLT       13  /* #GP general protection */
#define T_PGFLT       14  /* #PF page fault */
#define T_FPERR       16  /* #MF x87 floating-point error */
#define T_ALIGN       17  /* #AC alignment check */
#define T_MCHK        18  /* #MC machine check */
#define T_SIMDERR     19  /* #XM SIMD floating-point exception */
#define T_VIRT        20  /* #VE virtualization exception */
#define T_CTRLPROT    21  /* #CP control-protection exception */
#define T_NEXCEPTIONS 32  /* vectors 0-31 are reserved for exceptions */
#define T_IRQ0        32  /* vectors 32-47: hardware interrupts (the PIC, lab 3 on) */
#define NVECTORS      48  /* vectors with a stub in vectors.S */
#define T_SYSCALL     256 /* the trapno of a frame the syscall entry builds (no IDT vector) */

/* Byte offsets in struct trapframe, for the assembly that builds and reads it (checked
 * against the structure in kern/trap/trap.c). */
#define TF_R11    (4 * 8)
#define TF_RCX    (12 * 8)
#define TF_TRAPNO (15 * 8)
#define TF_RIP    (17 * 8)
#define TF_CS     (18 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP    (20 * 8)
#define TF_SIZE   (22 * 8)
/* The offset of trap_hooks.syscall, which syscall_entry.S calls (checked in trap.c). */
#define TRAP_HOOKS_SYSCALL 8

#ifndef __ASSEMBLER__
#include <types.h>

/* The page-fault error code (Intel SDM volume 3, 4.7). */
#define PFE_P    0x01 /* 1: protection violation on a present page; 0: page not present */
#define PFE_W    0x02 /* 1: the access was a write; 0: a read */
#define PFE_U    0x04 /* 1: the access came from user mode (CPL 3) */
#define PFE_RSVD 0x08 /* 1: a paging entry had a reserved bit set */
#define PFE_I    0x10 /* 1: the access was an instruction fetch */
#define PFE_PK   0x20 /* 1: a protection-key violation */

/*
 * The registers of the interrupted code, as vectors.S leaves them on the stack: the lowest
 * address (the start of the struct) is what alltraps pushed last. trap() receives a
 * pointer to it; returning from trap() restores every field (lab 3 changes them to switch
 * to user mode or to return a system call's value in rax).
 */
struct trapframe {
	/* General-purpose registers, pushed by alltraps (rax first, so it is highest). */
	uint64_t r15;
	uint64_t r14;
	uint64_t r13;
	uint64_t r12;
	uint64_t r11;
	uint64_t r10;
	uint64_t r9;
	uint64_t r8;
	uint64_t rbp;
	uint64_t rdi;
	uint64_t rsi;
	uint64_t rdx;
	uint64_t rcx;
	uint64_t rbx;
	uint64_t rax;
	uint64_t trapno; /* the vector number, pushed by the vector's stub */
	uint64_t err;    /* error code: pushed by the CPU for some exceptions (8, 10-14, 17,
			    21), a 0 pushed by the stub for the others; for a system call
			    (T_SYSCALL), the call's number, for a restart (lab 6) */
	/* Pushed by the CPU on every trap in 64-bit mode. */
	uint64_t rip;    /* a fault: the faulting instruction; a trap: the next one */
	uint64_t cs;     /* code segment; its low two bits are the privilege level (0 kernel) */
	uint64_t rflags; /* flags, including IF (interrupts were enabled) */
	uint64_t rsp;    /* the stack pointer when the trap happened */
	uint64_t ss;     /* the stack segment */
};

#if LAB >= 3
/*
 * What the layers above do with traps from user mode, registered at boot
 * (kern/init/main.c); the trap layer never calls up into them otherwise.
 *   user_fault   an exception in user mode (kern/proc/usertrap.c)
 *   syscall      a system call, user_enter and user_return included (kern/sys/syscall.c);
 *                syscall_entry.S calls it directly
 *   user_enter   the first thing on every way in from user mode (CPU time accounting)
 *   user_return  the last thing before every return to user mode (kern/sys/syscall.c): a
 *                process marked to die ends there, a used-up time slice yields, and (lab 6)
 *                signals are delivered
 */
struct trap_hooks {
	void (*user_fault)(struct trapframe *tf);
	void (*syscall)(struct trapframe *tf);
	void (*user_enter)(struct trapframe *tf);
	void (*user_return)(struct trapframe *tf);
};
extern struct trap_hooks trap_hooks;

/* A hardware interrupt handler for one IRQ line (which it unmasks); at most one a line. */
void irq_register(int irq, void (*handler)(struct trapframe *tf));
/* The IRQ dispatcher (kern/trap/irq.c), and its counts. */
void irq_handler(struct trapframe *tf);
extern unsigned long irq_counts[16];
extern unsigned long irq_spurious;
/* Set up the syscall instruction's MSRs (STAR, LSTAR, FMASK, EFER.SCE). */
void syscall_init(void);
#endif

/* Fill the IDT with the exception vectors and load it (lidt). */
void trap_init(void);
/* Called by alltraps (vectors.S) for every trap, with the registers saved in *tf. */
void trap(struct trapframe *tf);
/* The exception's name, for messages: "page fault", "general protection fault", ... */
const char *trap_name(uint64_t trapno);
/* Print every register of *tf, a few to a line. */
void trapframe_print(const struct trapframe *tf);

#endif /* !__ASSEMBLER__ */
#endif
