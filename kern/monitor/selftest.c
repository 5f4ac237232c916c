/*
 * Kernel self-tests for the graders and for students: `make run-printf-nox` boots straight
 * into the printf test, then powers off. Each test prints what the kernel actually did; the
 * expected output lives in grade/labN.py, not here.
 */
#include <string.h>
#include <x86.h>
#include "monitor/selftest.h"
#include "debug/debug.h"
#include "core/printk.h"
#include "core/panic.h"
#if LAB >= 2
#include "mm/mmtest.h"
#endif
#if LAB >= 3
#include "trap/trap.h"
#endif

/* printf: each line is compared with what C's printf gives for the same format. */
static void test_printf(void)
{
	/* Through a volatile, so the compiler cannot see (and warn about) the NULL %s. */
	const char *volatile null_string = NULL;

	printk("pf01 [%d] [%i] [%u] [%d]\n", 0, -42, 3000000000U, 2147483647);
	printk("pf02 [%x] [%X] [%#x] [%08x]\n", 0xbeef, 0xBEEF, 255, 0xabc);
	printk("pf03 [%o] [%o] [%o] [%#o]\n", 0, 8, 0777, 8);
	printk("pf04 [%5o] [%-5o] [%05o] [%.4o]\n", 8, 8, 8, 8);
	printk("pf05 [%lo] [%llo] [%zo]\n", 01234567012345670L, 0777777777777777777777ULL,
	       (size_t)0644);
	printk("pf06 [%ld] [%lld] [%lu]\n", (-9223372036854775807L - 1), 9223372036854775807LL,
	       18446744073709551615UL);
	printk("pf07 [%lx] [%zx] [%llX]\n", 0xfedcba9876543210UL, (size_t)0x1000,
	       0xABCDEF0123456789ULL);
	printk("pf08 [%5d] [%-5d|] [%05d] [%+d] [% d]\n", 42, 42, -42, 7, 7);
	printk("pf09 [%s] [%.3s] [%10s] [%-10s|] [%s]\n", "sparrow", "sparrow", "bird", "bird",
	       null_string);
	printk("pf10 [%c%c%c] [%%] [%5c]\n", 'o', 'k', '!', 'x');
	printk("pf11 [%p] [%p]\n", (void *)0xffffffff80100000UL, (void *)NULL);
	printk("pf12 [%*d] [%-*d|] [%.*s]\n", 6, 12, 6, 12, 2, "abc");
	printk("pf13 [%hhu] [%hd] [%hx]\n", (unsigned char)300, (short)-2, (unsigned short)0xffff);
}

/* backtrace: a few nested calls, then a backtrace from the innermost one. noinline keeps
 * each level a real frame even at -O2 (noipa: no inlining, no cloning or renaming). */
static __attribute__((noipa)) int test_backtrace(int depth)
{
	printk("entering test_backtrace %d\n", depth);
	if (depth > 0)
		test_backtrace(depth - 1);
	else
		backtrace_print(read_rbp());
	printk("leaving test_backtrace %d\n", depth);
	return depth;
}

static void selftest_backtrace(void)
{
	test_backtrace(5);
}

/* panic: what a student sees when the kernel breaks an invariant. */
static __attribute__((noipa)) void selftest_panic(void)
{
	panic("self-test panic, value %d", 42);
}

#if LAB >= 3
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
#endif

static const struct selftest {
	const char *name;
	void (*fn)(void);
	const char *what;
} tests[] = {
	{ "printf", test_printf, "printf formats, compared with C's printf by the grader" },
	{ "backtrace", selftest_backtrace, "backtrace through nested calls" },
	{ "panic", selftest_panic, "a deliberate kernel panic" },
#if LAB >= 2
	{ "pf-write-text", mmtest_write_text, "write to kernel text: must page-fault" },
	{ "pf-write-rodata", mmtest_write_rodata, "write to kernel rodata: must page-fault" },
	{ "pf-exec-data", mmtest_exec_data, "execute kernel data: must page-fault (NX)" },
	{ "pf-exec-directmap", mmtest_exec_directmap, "execute the direct map: must page-fault" },
	{ "pf-read-guard", mmtest_read_guard, "read the boot stack's guard page: must page-fault" },
	{ "pf-user-read", mmtest_user_read, "kernel reads a user page: must page-fault (SMAP)" },
	{ "pf-user-exec", mmtest_user_exec, "kernel runs a user page: must page-fault (SMEP)" },
	{ "double-free", mmtest_double_free, "free a frame twice: must panic" },
	{ "free-referenced", mmtest_free_referenced, "free a referenced frame: must panic" },
	{ "use-after-free", mmtest_use_after_free, "write a freed frame: the allocator notices" },
	{ "oom", mmtest_oom, "allocate every frame: NULL, not a panic; then free them" },
#endif
#if LAB >= 3
	{ "kstackoverflow", selftest_kstack_overflow,
	  "unbounded recursion in the kernel: a double fault, reported" },
	{ "spurious-irq", selftest_spurious_irq, "a spurious IRQ 7 and 15: ignored, no EOI" },
#endif
};

bool selftest_run(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
		if (strcmp(tests[i].name, name) == 0) {
			printk("Running kernel self-test '%s'\n", name);
			tests[i].fn();
			return true;
		}
	}
	return false;
}

void selftest_list(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
		printk("  %-12s %s\n", tests[i].name, tests[i].what);
}
