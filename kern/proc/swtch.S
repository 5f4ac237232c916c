/*
 * swtch(struct context **old, struct context *new): the kernel half of a context switch.
 * Push the callee-saved registers (the caller of swtch has saved the rest, as the ABI
 * says), store the resulting stack pointer in *old, load new as the stack pointer and pop
 * the registers saved there. The `ret` then continues wherever that stack last called
 * swtch, or at the start address of a new process.
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
	movq %rsp, (%rdi)
	movq %rsi, %rsp
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
