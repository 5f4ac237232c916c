/*
 * panic() for broken kernel invariants, and assert() built on it. Never for bad user input.
 * After the message and a backtrace a panic hands the machine to the kernel debugger (the
 * monitor, which registers itself), or powers off (onpanic=poweroff).
 */
#ifndef SPARROW_KERN_CORE_PANIC_H
#define SPARROW_KERN_CORE_PANIC_H

struct trapframe;

void _panic(const char *file, int line, const char *fmt, ...)
        __attribute__((noreturn, format(printf, 3, 4)));

#define panic(...) _panic(__FILE__, __LINE__, __VA_ARGS__)

#define assert(x)                                          \
	do {                                               \
		if (!(x))                                  \
			panic("assertion failed: %s", #x); \
	} while (0)

/* Set once the kernel has panicked; the monitor uses it to say so in its prompt. */
extern const char *panicstr;

/* The kernel debugger: the monitor sets it at boot (kern/monitor/monitor.c). A panic calls
 * it with NULL and never comes back; a program stopped at a breakpoint (lab 3) calls it
 * with its registers and goes on when it returns. NULL: there is none (then a panic halts). */
extern void (*debugger)(struct trapframe *tf);

#endif
