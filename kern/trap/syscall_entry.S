/*
 * The system-call entry and the way back to user mode.
 *
 * `syscall` (from user mode): the CPU saves the user %rip in %rcx and %rflags in %r11,
 * loads %cs/%ss from STAR, clears the %rflags bits in FMASK (IF among them: interrupts stay
 * off in the kernel) and jumps to LSTAR = syscall_entry. It does not switch stacks: %rsp is
 * still the user's. So the entry swaps in the kernel %gs (per-CPU data), parks the user
 * %rsp there, loads the process's kernel stack, and builds a struct trapframe exactly as a
 * trap from user mode would have, so the rest of the kernel sees one kind of frame.
 */
#include "core/cpu.h"
#include "trap/trap.h"
#include "trap/trapasm.inc"

	.text
	.globl syscall_entry
	.type syscall_entry, @function
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USER_RSP
	movq %gs:CPU_KSTACK_TOP, %rsp
	/* What the CPU pushes on a trap from user mode ... */
	pushq $USER_SS
	pushq %gs:CPU_USER_RSP
	pushq %r11			/* user rflags */
	pushq $USER_CS
	pushq %rcx			/* user rip */
	pushq %rax			/* err: the call's number, kept to restart it (lab 6) */
	pushq $T_SYSCALL		/* trapno */
	/* ... and what alltraps pushes. */
	PUSH_REGS
	/* No cld: FMASK cleared DF already (kern/trap/trap.c, syscall_init). */
	movq %rsp, %rdi			/* trap_hooks.syscall(struct trapframe *tf) */
	pushq TF_RIP(%rdi)		/* a frame record, as in alltraps */
	pushq %rbp
	movq %rsp, %rbp
	call *trap_hooks + TRAP_HOOKS_SYSCALL(%rip)
	addq $16, %rsp
	.size syscall_entry, . - syscall_entry
	/* and on into userret, just below */

/*
 * Return to user mode from the trap frame at %rsp, used after system calls and to start
 * a new process. sysret is the fast way, but it can only restore rip from %rcx and rflags
 * from %r11, and it must not be used with a non-canonical rip (the #GP would be taken in
 * kernel mode with the user's stack). So it is used only when the frame's rcx and r11 are
 * what sysret leaves there (as after any system call the syscall instruction made); when
 * the frame asks for anything else (a new program's registers, a signal handler's, those
 * rt_sigreturn restores), iretq restores every register.
 */
	.globl userret
	.type userret, @function
userret:
	movq TF_RIP(%rsp), %rcx
	movq %rcx, %rax
	sarq $47, %rax			/* canonical user rip: bits 63..47 all zero */
	jnz 1f
	cmpq $USER_CS, TF_CS(%rsp)
	jne 1f
	cmpq %rcx, TF_RCX(%rsp)		/* sysret takes rip from rcx ... */
	jne 1f
	movq TF_RFLAGS(%rsp), %r11
	cmpq %r11, TF_R11(%rsp)		/* ... and rflags from r11 */
	jne 1f
	testq $0x100, %r11		/* the trap flag (single-stepping) needs iretq */
	jnz 1f
	POP_REGS
	movq 5 * 8(%rsp), %rsp		/* the user rsp, past trapno, err, rip, cs, rflags */
	swapgs
	sysretq

1:	jmp trapret			/* iretq, as after any trap */
	.size userret, . - userret

	.section .note.GNU-stack, "", @progbits
