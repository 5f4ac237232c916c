/*
 * Assembly macros for the general-purpose half of struct trapframe (kern/trap/trap.h),
 * shared by the trap path (vectors.S) and the system-call path (syscall_entry.S) so both
 * build and unpack exactly the same frame.
 */
#ifndef SPARROW_KERN_TRAP_TRAPASM_H
#define SPARROW_KERN_TRAP_TRAPASM_H

/* Push rax ... r15: rax ends up highest, r15 at the start of the frame. */
.macro PUSH_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

/* The reverse of PUSH_REGS. */
.macro POP_REGS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

#endif
