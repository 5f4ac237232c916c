/*
 * The C side of every trap: decide what happened and deal with it. In lab 2 every trap is
 * an exception raised by kernel code, which is a kernel bug: report it in one line, show
 * the registers and panic.
 */
#include <x86.h>
#include "trap/trap.h"
#include "core/panic.h"
#include "core/printk.h"
#if LAB >= 3
#include "core/cpu.h"
#endif

/* The assembly's view of struct trapframe (trap.h's TF_* offsets). */
_Static_assert(offsetof(struct trapframe, r11) == TF_R11 &&
                       offsetof(struct trapframe, rcx) == TF_RCX &&
                       offsetof(struct trapframe, trapno) == TF_TRAPNO &&
                       offsetof(struct trapframe, rip) == TF_RIP &&
                       offsetof(struct trapframe, cs) == TF_CS &&
                       offsetof(struct trapframe, rflags) == TF_RFLAGS &&
                       offsetof(struct trapframe, rsp) == TF_RSP &&
                       sizeof(struct trapframe) == TF_SIZE,
               "the TF_* offsets in trap.h must match struct trapframe");

#if LAB >= 3
struct trap_hooks trap_hooks;
_Static_assert(offsetof(struct trap_hooks, syscall) == TRAP_HOOKS_SYSCALL,
               "TRAP_HOOKS_SYSCALL in trap.h must match struct trap_hooks");
#endif

static const char *const exception_names[T_NEXCEPTIONS] = {
	[T_DIVIDE] = "divide error",
	[T_DEBUG] = "debug exception",
	[T_NMI] = "non-maskable interrupt",
	[T_BRKPT] = "breakpoint",
	[T_OFLOW] = "overflow",
	[T_BOUND] = "bound range exceeded",
	[T_ILLOP] = "invalid opcode",
	[T_DEVICE] = "device not available",
	[T_DBLFLT] = "double fault",
	[T_TSS] = "invalid TSS",
	[T_SEGNP] = "segment not present",
	[T_STACK] = "stack-segment fault",
	[T_GPFLT] = "general protection fault",
	[T_PGFLT] = "page fault",
	[T_FPERR] = "x87 floating-point error",
	[T_ALIGN] = "alignment check",
	[T_MCHK] = "machine check",
	[T_SIMDERR] = "SIMD floating-point exception",
	[T_VIRT] = "virtualization exception",
	[T_CTRLPROT] = "control-protection exception",
};

const char *trap_name(uint64_t trapno)
{
	if (trapno < T_NEXCEPTIONS && exception_names[trapno])
		return exception_names[trapno];
	if (trapno < T_NEXCEPTIONS)
		return "reserved exception";
	return "interrupt";
}

void trapframe_print(const struct trapframe *tf)
{
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", tf->rax, tf->rbx, tf->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", tf->rdx, tf->rsi, tf->rdi);
	printk("  rbp %016lx  r8  %016lx  r9  %016lx\n", tf->rbp, tf->r8, tf->r9);
	printk("  r10 %016lx  r11 %016lx  r12 %016lx\n", tf->r10, tf->r11, tf->r12);
	printk("  r13 %016lx  r14 %016lx  r15 %016lx\n", tf->r13, tf->r14, tf->r15);
	printk("  rip %016lx  rsp %016lx  rflags %08lx\n", tf->rip, tf->rsp, tf->rflags);
	printk("  cs %04lx  ss %04lx  trap %lu  err %#lx  cr2 %016lx  cr3 %016lx\n", tf->cs, tf->ss,
	       tf->trapno, tf->err, rcr2(), rcr3());
}

/* A page fault: the address (CR2) and the error code, decoded. */
static void print_page_fault(const struct trapframe *tf)
{
	uint64_t err = tf->err;
	const char *access = (err & PFE_I) ? "instruction fetch" : (err & PFE_W) ? "write" : "read";

	printk("kernel fault: page fault at 0x%lx (%s, %s, %s%s%s, error 0x%lx), rip 0x%lx\n",
	       rcr2(), access, (err & PFE_P) ? "protection violation" : "page not present",
	       (err & PFE_U) ? "user mode" : "kernel mode",
	       (err & PFE_RSVD) ? ", reserved bit set" : "",
	       (err & PFE_PK) ? ", protection key" : "", err, tf->rip);
}

/* An exception in kernel code: nothing can be fixed up in lab 2, so report and panic. */
static void kernel_fault(const struct trapframe *tf)
{
	if (tf->trapno == T_PGFLT)
		print_page_fault(tf);
	else
		printk("kernel fault: %s (error 0x%lx), rip 0x%lx\n", trap_name(tf->trapno),
		       tf->err, tf->rip);
	trapframe_print(tf);
	panic("unhandled %s in kernel mode", trap_name(tf->trapno));
}

/* A non-maskable interrupt: QEMU's `nmi` command, a watchdog, a hardware error. It may
 * arrive anywhere, so it runs on a stack of its own (lab 3's IST) and only says so. */
static void nmi(void)
{
	printk("kernel: non-maskable interrupt received and ignored (status port 0x61: 0x%x)\n",
	       inb(0x61));
}

void trap(struct trapframe *tf)
{
	if (tf->trapno == T_NMI) {
		nmi();
		return;
	}
#if LAB >= 3
	bool user = (tf->cs & 3) == 3;
	if (user)
		trap_hooks.user_enter(tf);
	if (tf->trapno >= T_IRQ0 && tf->trapno < NVECTORS)
		irq_handler(tf);
	else if (user)
		trap_hooks.user_fault(tf);
	else
		kernel_fault(tf);
	if (user)
		trap_hooks.user_return(tf);
#else
	if ((tf->cs & 3) == 0)
		kernel_fault(tf);
	panic("trap %lu from privilege level %lu: there is no user mode before lab 3", tf->trapno,
	      tf->cs & 3);
#endif
}

#if LAB >= 3
extern void syscall_entry(void);

void syscall_init(void)
{
	/* STAR[47:32]: kernel CS (SS = CS + 8). STAR[63:48]: base for sysret, which loads
	 * SS = base + 8 and CS = base + 16, both with RPL 3. */
	wrmsr(MSR_STAR, (uint64_t)GDT_KCODE << 32 | (uint64_t)(GDT_UDATA - 8) << 48);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Flags cleared on entry: IF (no interrupts in the kernel), TF, DF, AC (SMAP stays on)
	 * and NT (else a later iretq would be a task return). */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

#endif
