/* A tiny static x86-64 program for the loader's host tests: it only calls exit(0). */
	.text
	.globl _start
_start:
	movl $60, %eax
	xorl %edi, %edi
	syscall
	.data
	.quad 42
	.bss
	.space 8192
	.section .note.GNU-stack, "", @progbits
