/*
 * panic() for broken kernel invariants, and assert() built on it. Never for bad user input.
 */
#ifndef SPARROW_KERN_CORE_PANIC_H
#define SPARROW_KERN_CORE_PANIC_H

void _panic(const char *file, int line, const char *fmt, ...)
        __attribute__((noreturn, format(printf, 3, 4)));
void _warn(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define panic(...) _panic(__FILE__, __LINE__, __VA_ARGS__)
#define warn(...)  _warn(__FILE__, __LINE__, __VA_ARGS__)

#define assert(x)                                          \
	do {                                               \
		if (!(x))                                  \
			panic("assertion failed: %s", #x); \
	} while (0)

/* Set once the kernel has panicked; the monitor uses it to say so in its prompt. */
extern const char *panicstr;

#endif
