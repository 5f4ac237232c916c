/*
 * User programs (lab 6): non-local jumps. setjmp saves the callee-saved registers, the
 * stack pointer and the return address; longjmp goes back there, setjmp then returning val
 * (1 if val is 0). sigsetjmp(env, 1) also saves the signal mask, which siglongjmp restores:
 * the way out of a signal handler (lib/user/setjmp.S).
 */
#ifndef SPARROW_INC_SETJMP_H
#define SPARROW_INC_SETJMP_H

#include <signal.h>

/* rbx, rbp, r12-r15, rsp, the return address; then for sigsetjmp: whether the mask was
 * saved, and the mask. */
typedef struct {
	unsigned long regs[8];
	unsigned long mask_saved;
	sigset_t mask;
} jmp_buf[1], sigjmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int val) __attribute__((noreturn));
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
void siglongjmp(sigjmp_buf env, int val) __attribute__((noreturn));

#endif
