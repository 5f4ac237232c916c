/*
 * User program entry. The kernel starts a program here with %rsp pointing at argc, then
 * argv[], NULL, envp[], NULL and the auxiliary vector (System V ABI, figure 3.9); %rsp is
 * 16-byte aligned. __libc_start (lib/user/libmain.c) decodes that and calls main.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp		/* the outermost frame: backtraces stop here */
	movq %rsp, %rdi		/* __libc_start(initial stack pointer) */
	andq $-16, %rsp
	call __libc_start
	hlt			/* not reached: __libc_start calls exit */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
