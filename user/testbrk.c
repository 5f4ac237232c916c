/*
 * testbrk: the heap, through the raw brk system call (which returns the break, unchanged
 * when a request fails). It grows, is touched, shrinks, grows again with fresh zeroed
 * pages; memory given back faults; a child's heap is its own; huge requests fail cleanly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PAGE_SIZE 4096
#define GROW      (1L << 20) /* 1 MiB */
#define LIMIT     (256L << 20)

static char bss_end_marker[PAGE_SIZE]; /* in the bss, which the heap follows */

/* The system call itself: the C library's brk() returns 0 or -1, not the break. */
static uintptr_t set_break(uintptr_t addr)
{
	return (uintptr_t)raw_syscall(SYS_brk, (long)addr, 0, 0, 0, 0, 0);
}

/* Bytes in [from, to) that are not zero. */
static long nonzero(uintptr_t from, uintptr_t to)
{
	long n = 0;
	for (const volatile char *p = (char *)from; p < (char *)to; p++)
		n += *p != 0;
	return n;
}

int main(void)
{
	check_prefix = "testbrk";
	bss_end_marker[0] = 1;

	uintptr_t start = set_break(0), bss = (uintptr_t)(bss_end_marker + PAGE_SIZE);
	check(start >= bss && start < bss + GROW && set_break(0) == start,
	      "brk(0) returns the break, just past the program's data and bss (%#lx)", start);

	uintptr_t top = start + GROW + 123;
	uintptr_t r = set_break(top);
	long nz = r == top ? nonzero(start, top) : -1;
	check(r == top && nz == 0,
	      "brk grows the heap by 1 MiB + 123 bytes; the new memory reads as zeros "
	      "(%ld nonzero)",
	      nz);
	if (r != top) {
		verdict("testbrk: FAIL");
		return 1;
	}
	for (uintptr_t p = start; p < top; p += 512)
		*(volatile long *)p = (long)p;
	long bad = 0;
	for (uintptr_t p = start; p < top; p += 512)
		bad += *(volatile long *)p != (long)p;
	check(bad == 0, "every page of it can be written and read back (%ld wrong)", bad);

	/* Shrink to one page, then grow again: the kept page keeps its data, the rest is new
	 * (from the page boundary: the page the break ends in stays whole). */
	r = set_break(start + PAGE_SIZE);
	uintptr_t r2 = set_break(top);
	nz = nonzero(ROUNDUP(start + PAGE_SIZE, PAGE_SIZE), top);
	check(r == start + PAGE_SIZE && r2 == top && nz == 0 && *(long *)start == (long)start,
	      "shrink to one page and grow again: that page kept its data, the others read as "
	      "zeros (%ld nonzero)",
	      nz);

	/* Memory given back is unmapped. */
	set_break(start + PAGE_SIZE);
	pid_t pid = fork();
	if (pid == 0) {
		*(volatile char *)(start + GROW / 2) = 1;
		exit(0);
	}
	int status = reap_within(pid, 300);
	check(status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "after the heap shrinks, touching what it gave back kills a child with SIGSEGV "
	      "(status %#x)",
	      status);
	set_break(top);

	/* fork: the child's heap is a copy, and its break its own. */
	*(volatile long *)(start + 8) = 42;
	pid = fork();
	if (pid == 0) {
		*(volatile long *)(start + 8) = 7;
		bool ok = set_break(top + GROW) == top + GROW;
		exit(ok && *(volatile long *)(start + 8) == 7 ? 0 : 1);
	}
	status = reap_within(pid, 300);
	check(status == 0 && *(volatile long *)(start + 8) == 42 && set_break(0) == top,
	      "a child's writes to its heap and its own brk leave the parent's heap and break "
	      "alone (status %#x)",
	      status);

	/* Requests that must fail, leaving the break where it was. */
	r = set_break(start + 4 * LIMIT);
	r2 = set_break(0);
	check(r == top && r2 == top,
	      "a grow to 1 GiB, past the 256 MiB limit, fails: brk returns the old break (%#lx)",
	      r);
	r = set_break(start + LIMIT - PAGE_SIZE);
	r2 = set_break(0);
	check(r == top && r2 == top,
	      "a grow to nearly 256 MiB, more than the machine's free memory, fails the same way");
	r = set_break(start - PAGE_SIZE);
	check(r == top, "brk below the start of the heap fails: it returns the old break");
	r = set_break(top + GROW);
	nz = r == top + GROW ? nonzero(top, top + GROW) : -1;
	check(r == top + GROW && nz == 0,
	      "then the heap still grows: another MiB, zeroed (%ld nonzero)", nz);

	verdict("testbrk: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
