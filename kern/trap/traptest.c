/*
 * Lab 3's trap self-tests, selected with test=NAME (kern/monitor/selftest.c): a kernel
 * stack overflow must end in a reported double fault on its own stack, and spurious IRQs 7
 * and 15 must be ignored. The graders decide whether what they print is right.
 */
#include "core/printk.h"
#include "core/tables.h"
#include "trap/trap.h"

/* Recurse until the stack runs into its guard page. The page fault cannot be delivered on
 * the broken stack, so the CPU raises a double fault, which has its own stack (IST). */
static volatile int recurse_forever = 1; /* the compiler must not see that it never stops */

static __attribute__((noipa)) int recurse(int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (!recurse_forever)
		return pad[0];
	return recurse(depth + 1) + pad[0];
}

static void selftest_kstack_overflow(void)
{
	recurse(0);
}
SELFTEST("kstackoverflow", selftest_kstack_overflow,
         "unbounded recursion in the kernel: a double fault, reported");

/* A spurious IRQ 7 or 15 (no interrupt in service on the line) is ignored: no
 * end-of-interrupt, which would end another one. */
static void selftest_spurious_irq(void)
{
	struct trapframe tf = { .trapno = T_IRQ0 + 7 };
	unsigned long before = irq_spurious;

	irq_handler(&tf);
	tf.trapno = T_IRQ0 + 15;
	irq_handler(&tf);
	printk("spurious-irq: 2 interrupts on lines 7 and 15 with none in service: %lu ignored "
	       "as spurious\n",
	       irq_spurious - before);
}
SELFTEST("spurious-irq", selftest_spurious_irq, "a spurious IRQ 7 and 15: ignored, no EOI");
