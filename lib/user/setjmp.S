/*
 * The assembly of the signal library (lab 6): setjmp and longjmp, their signal-mask
 * saving kin sigsetjmp and siglongjmp (inc/setjmp.h has the jmp_buf layout), and
 * __restore_rt, where every handler lib/user/signal.c installs returns to.
 */
#include <syscall.h>

#define JB_MASK_SAVED 64
#define JB_MASK       72

	.text
/* int setjmp(jmp_buf env): the callee-saved registers, the stack pointer the caller will
 * have and the return address; 0. */
	.globl setjmp
	.type setjmp, @function
setjmp:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rdx
	movq %rdx, 48(%rdi)
	movq (%rsp), %rdx
	movq %rdx, 56(%rdi)
	xorl %eax, %eax
	ret
	.size setjmp, . - setjmp

/* void longjmp(jmp_buf env, int val): back into setjmp's caller, setjmp returning val (1
 * if val is 0). */
	.globl longjmp
	.type longjmp, @function
longjmp:
	movl %esi, %eax
	testl %eax, %eax
	jnz 1f
	movl $1, %eax
1:	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	jmpq *56(%rdi)
	.size longjmp, . - longjmp

/* int sigsetjmp(sigjmp_buf env, int savemask): setjmp, and if savemask the signal mask
 * (rt_sigprocmask(SIG_BLOCK, NULL, &env->mask, 8)). */
	.globl sigsetjmp
	.type sigsetjmp, @function
sigsetjmp:
	movslq %esi, %rsi
	movq %rsi, JB_MASK_SAVED(%rdi)
	testq %rsi, %rsi
	jz setjmp
	pushq %rdi
	leaq JB_MASK(%rdi), %rdx	/* oldset */
	xorl %esi, %esi			/* set: NULL */
	xorl %edi, %edi			/* SIG_BLOCK */
	movl $8, %r10d			/* sizeof(sigset_t) */
	movl $SYS_rt_sigprocmask, %eax
	syscall
	popq %rdi
	jmp setjmp			/* saves our caller's context, as if called from it */
	.size sigsetjmp, . - sigsetjmp

/* void siglongjmp(sigjmp_buf env, int val): the saved mask back
 * (rt_sigprocmask(SIG_SETMASK, &env->mask, NULL, 8)), then longjmp. */
	.globl siglongjmp
	.type siglongjmp, @function
siglongjmp:
	cmpq $0, JB_MASK_SAVED(%rdi)
	je longjmp
	pushq %rdi
	pushq %rsi
	leaq JB_MASK(%rdi), %rsi	/* set */
	xorl %edx, %edx			/* oldset: NULL */
	movl $2, %edi			/* SIG_SETMASK */
	movl $8, %r10d
	movl $SYS_rt_sigprocmask, %eax
	syscall
	popq %rsi
	popq %rdi
	jmp longjmp
	.size siglongjmp, . - siglongjmp

/* Where a handler returns: the kernel left the signal frame (struct ucontext, then the
 * siginfo) right above the return address it popped, and rt_sigreturn reads it there.
 * These exact bytes (mov $15, %rax; syscall) are what debuggers look for to unwind
 * through a signal frame. */
	.globl __restore_rt
	.type __restore_rt, @function
__restore_rt:
	movq $SYS_rt_sigreturn, %rax
	syscall
	hlt				/* not reached: rt_sigreturn does not return here */
	.size __restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits
