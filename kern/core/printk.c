/*
 * printk: the kernel's printf. Formatting is lib/printfmt.c (shared with user space);
 * this file only sends the characters to the console.
 */
#include <stdio.h>
#include "core/printk.h"
#include "dev/console.h"

static void putch(int c, void *arg)
{
	(void)arg;
	cputchar(c);
}

int vprintk(const char *fmt, va_list ap)
{
	return vprintfmt(putch, NULL, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
