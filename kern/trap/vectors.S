/*
 * The entry points of the exception vectors and the common path every trap takes: save the
 * interrupted registers as a struct trapframe (kern/trap/trap.h), call trap(), restore them
 * and return with iretq.
 */
#include "trap/trap.h"
#include "trap/trapasm.inc"

/*
 * One stub per vector. The CPU pushes an error code for some exceptions only; the others
 * push a 0 so that every trap frame has the same layout. Each stub then pushes its vector
 * number and joins alltraps. The stubs' addresses are collected in trap_vectors[] for
 * kern/trap/idt.c.
 */
	.section .rodata
	.balign 8
	.globl trap_vectors
trap_vectors:
	.text

.macro VECTOR n, cpu_pushes_error
	.text
	.balign 16
	.type vector\n, @function
vector\n:
	.if \cpu_pushes_error == 0
	pushq $0
	.endif
	pushq $\n
	jmp alltraps
	.size vector\n, . - vector\n
	.section .rodata
	.quad vector\n
	.text
.endm

	VECTOR 0, 0	/* divide error */
	VECTOR 1, 0	/* debug */
	VECTOR 2, 0	/* NMI */
	VECTOR 3, 0	/* breakpoint */
	VECTOR 4, 0	/* overflow */
	VECTOR 5, 0	/* bound range */
	VECTOR 6, 0	/* invalid opcode */
	VECTOR 7, 0	/* device not available */
	VECTOR 8, 1	/* double fault */
	VECTOR 9, 0	/* (coprocessor segment overrun, not used since the 386) */
	VECTOR 10, 1	/* invalid TSS */
	VECTOR 11, 1	/* segment not present */
	VECTOR 12, 1	/* stack-segment fault */
	VECTOR 13, 1	/* general protection */
	VECTOR 14, 1	/* page fault */
	VECTOR 15, 0	/* (reserved) */
	VECTOR 16, 0	/* x87 floating-point error */
	VECTOR 17, 1	/* alignment check */
	VECTOR 18, 0	/* machine check */
	VECTOR 19, 0	/* SIMD floating-point */
	VECTOR 20, 0	/* virtualization */
	VECTOR 21, 1	/* control protection */
	VECTOR 22, 0
	VECTOR 23, 0
	VECTOR 24, 0
	VECTOR 25, 0
	VECTOR 26, 0
	VECTOR 27, 0
	VECTOR 28, 0	/* hypervisor injection */
	VECTOR 29, 1	/* VMM communication */
	VECTOR 30, 1	/* security */
	VECTOR 31, 0
	/* Hardware interrupts, IRQ 0-15 from the PIC (lab 3 remaps them here). */
	VECTOR 32, 0
	VECTOR 33, 0
	VECTOR 34, 0
	VECTOR 35, 0
	VECTOR 36, 0
	VECTOR 37, 0
	VECTOR 38, 0
	VECTOR 39, 0
	VECTOR 40, 0
	VECTOR 41, 0
	VECTOR 42, 0
	VECTOR 43, 0
	VECTOR 44, 0
	VECTOR 45, 0
	VECTOR 46, 0
	VECTOR 47, 0

/*
 * Common path. On entry the stack holds, from the top: err, trapno (pushed by the stub) and
 * the CPU's rip, cs, rflags, rsp, ss. In 64-bit mode the CPU aligned the stack to 16 bytes
 * before pushing, so after the 15 registers below %rsp is 16-byte aligned again, as the
 * System V ABI wants at a call.
 */
	.text
	.globl alltraps, trapret
	.type alltraps, @function
	.cfi_sections .debug_frame
alltraps:
	.cfi_startproc simple
	.cfi_signal_frame		/* the "caller" is the trapped instruction itself */
	/* A program may set RFLAGS.AC (popf), which lets the kernel touch user pages freely
	 * despite SMAP; an interrupt or exception does not clear it. So clear it first. */
	clac
	/* From user mode (the low bits of the saved cs, 16 bytes above trapno and err, are
	 * 3), swap in the kernel's %gs, as syscall_entry does; the way out swaps back. */
	testb $3, 24(%rsp)
	jz 1f
	swapgs
1:	PUSH_REGS
	cld				/* the C code assumes the direction flag clear */
	movq %rsp, %rdi			/* trap(struct trapframe *tf) */
	/* A frame record for the trapped code: its rip as the "return address" and its rbp
	 * as the saved frame pointer, so a backtrace from inside trap() goes on into the
	 * function that trapped and its callers. */
	pushq TF_RIP(%rdi)
	pushq %rbp
	movq %rsp, %rbp
	/* Unwind information for gdb, valid from here to the call: the trapped code's stack
	 * pointer (the CFA) is tf->rsp, its rip and rbp are in the trap frame. %rbp points 16
	 * bytes below the trap frame. DW_OP_breg6 is "%rbp + offset". */
	.cfi_escape 0x0f, 0x04, 0x76, 0xb0, 0x01, 0x06	/* CFA = *(rbp + 16 + 20*8): tf->rsp */
	.cfi_escape 0x10, 0x10, 0x03, 0x76, 0x98, 0x01	/* rip at rbp + 16 + 17*8: tf->rip */
	.cfi_escape 0x10, 0x06, 0x03, 0x76, 0xd0, 0x00	/* rbp at rbp + 16 + 8*8: tf->rbp */
	call trap
	addq $16, %rsp			/* drop the frame record */
trapret:
	POP_REGS
	addq $16, %rsp			/* trapno and err */
	testb $3, 8(%rsp)		/* back to user mode: the user's %gs again */
	jz 1f
	swapgs
1:	iretq
	.cfi_endproc
	.size alltraps, . - alltraps
