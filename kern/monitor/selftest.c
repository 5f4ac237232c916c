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
#include "core/tables.h"

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

/* Lab 1's self-tests; the later labs' are in their own files (SELFTEST). */
static const struct selftest tests[] = {
	{ "printf", test_printf, "printf formats, compared with C's printf by the grader" },
	{ "backtrace", selftest_backtrace, "backtrace through nested calls" },
	{ "panic", selftest_panic, "a deliberate kernel panic" },
};

/* The self-test called name: lab 1's, then those the later labs' files add. */
static const struct selftest *find_test(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
		if (strcmp(tests[i].name, name) == 0)
			return &tests[i];
	for (const struct selftest *const *t = __selftest_start; t < __selftest_end; t++)
		if (strcmp((*t)->name, name) == 0)
			return *t;
	return NULL;
}

bool selftest_run(const char *name)
{
	const struct selftest *t = find_test(name);
	if (!t)
		return false;
	printk("Running kernel self-test '%s'\n", name);
	t->fn();
	return true;
}

void selftest_list(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
		printk("  %-12s %s\n", tests[i].name, tests[i].what);
	for (const struct selftest *const *t = __selftest_start; t < __selftest_end; t++)
		printk("  %-12s %s\n", (*t)->name, (*t)->what);
}
