/*
 * Kernel formatted printing to the console, on top of lib/printfmt.c.
 */
#ifndef SPARROW_KERN_CORE_PRINTK_H
#define SPARROW_KERN_CORE_PRINTK_H

#include <stdarg.h>

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

#endif
