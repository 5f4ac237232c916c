/*
 * swtch(struct context **old, struct context *new): the kernel half of a context switch.
 * Push the callee-saved registers and the flags (the caller of swtch has saved the rest,
 * as the ABI says), store the resulting stack pointer in *old, load new as the stack
 * pointer and pop what was saved there. The `ret` then continues wherever that stack last
 * called swtch, or at the start address of a new process. The flags travel with each
 * process, so a flag one of them left set in the kernel (AC, NT, DF) never reaches another.
 * The layout is struct context's (kern/proc/proc.h), checked in kern/proc/proc.c.
 */
	.text
	.globl swtch
	.type swtch, @function
swtch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushfq
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popfq
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size swtch, . - swtch

/*
 * Where a new process's first swtch() returns to (its context's rip): the stack pointer is
 * then at the process's trap frame, and userret enters user mode from it.
 */
	.text
	.globl proc_start
	.type proc_start, @function
proc_start:
	jmp userret
	.size proc_start, . - proc_start

	.section .note.GNU-stack, "", @progbits
