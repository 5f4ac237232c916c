/*
 * Formatted output shared by the kernel, user programs and the host tests.
 * lib/printfmt.c holds the one formatter; each side supplies its own putch (console, buffer...).
 */
#ifndef SPARROW_INC_STDIO_H
#define SPARROW_INC_STDIO_H

#include <types.h>
#include <stdarg.h>

/*
 * Format fmt like C99 printf, handing each output character to putch(ch, arg).
 * Returns the number of characters emitted. Supports %d %i %u %o %x %X %p %s %c %%,
 * the flags - 0 + space #, width and precision (with '*'), and the sizes hh h l ll z j t.
 */
int vprintfmt(void (*putch)(int ch, void *arg), void *arg, const char *fmt, va_list ap);
int printfmt(void (*putch)(int ch, void *arg), void *arg, const char *fmt, ...);

/*
 * Format into buf, writing at most n bytes including the terminating NUL (always written
 * when n > 0). Returns the length the full output would have had, as C99 specifies, so a
 * result >= n means the output was truncated.
 */
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...);

/*
 * User programs only (lib/user/ustdio.c): printf and friends on file descriptors. Output to a
 * descriptor is buffered per line.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
#if LAB >= 5
/* "s: message for errno" on standard error (just the message if s is NULL or empty). */
void perror(const char *s);
#endif

#endif
