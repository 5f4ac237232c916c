/*
 * Kernel panic: print where and why, a symbolized backtrace, then hand the machine to the
 * monitor (or power off, when the command line says onpanic=poweroff, as the graders do).
 */
#include <stdarg.h>
#include <x86.h>
#include "core/panic.h"
#include "core/printk.h"
#include "core/cmdline.h"
#include "debug/debug.h"
#include "dev/qemu.h"

const char *panicstr;
void (*debugger)(struct trapframe *tf);

void _panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	cli();
	if (panicstr) {
		/* A panic while panicking (say, in the backtrace): print and stop, no recursion. */
		printk("kernel panic (nested) at %s:%d\n", file, line);
		qemu_poweroff_or_halt();
	}
	panicstr = fmt;

	printk("kernel panic at %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	backtrace_print(read_rbp());

	if (cmdline_flag("onpanic", "poweroff"))
		qemu_poweroff();
	if (!debugger)
		qemu_poweroff_or_halt();
	for (;;)
		debugger(NULL);
}
