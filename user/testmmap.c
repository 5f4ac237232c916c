/*
 * testmmap: anonymous private mappings. mmap gives zeroed pages, MAP_FIXED the address asked;
 * after fork parent and child each see only their own writes (mprotect included); touching
 * memory after munmap, or writing it after mprotect(PROT_READ), kills with SIGSEGV.
 */
#include <errno.h>
#include <mman.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PAGE_SIZE 4096
#define PAGES     16

static const int RW = PROT_READ | PROT_WRITE;
static const int ANON = MAP_PRIVATE | MAP_ANONYMOUS;

static bool killed_by_segv(int status)
{
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

/* Set the first word of each of n pages at p to mark + page number. */
static void mark(char *p, int n, long mark)
{
	for (int i = 0; i < n; i++)
		*(volatile long *)(p + i * PAGE_SIZE) = mark + i;
}

/* The pages among n at p whose first word is not mark + page number. */
static int unmarked(const char *p, int n, long mark)
{
	int bad = 0;
	for (int i = 0; i < n; i++)
		bad += *(const volatile long *)(p + i * PAGE_SIZE) != mark + i;
	return bad;
}

int main(void)
{
	check_prefix = "testmmap";

	char *p = mmap(NULL, PAGES * PAGE_SIZE, RW, ANON, -1, 0);
	bool zero = p != MAP_FAILED;
	for (long i = 0; zero && i < PAGES * PAGE_SIZE; i++)
		zero = p[i] == 0;
	check(p != MAP_FAILED && (uintptr_t)p % PAGE_SIZE == 0 && zero,
	      "mmap of %d pages returns a page-aligned address, and the memory reads as zeros",
	      PAGES);
	if (p == MAP_FAILED) {
		verdict("testmmap: FAIL");
		return 1;
	}
	mark(p, PAGES, 1000);
	check(unmarked(p, PAGES, 1000) == 0, "every page can be written and read back");
	char *q = mmap(NULL, 2 * PAGE_SIZE, RW, ANON, -1, 0);
	check(q != MAP_FAILED && (q + 2 * PAGE_SIZE <= p || q >= p + PAGES * PAGE_SIZE) &&
	              unmarked(p, PAGES, 1000) == 0,
	      "a second mapping does not overlap the first");
	errno = 0;
	void *bad = mmap(NULL, 0, RW, ANON, -1, 0);
	check(bad == MAP_FAILED && errno == EINVAL, "mmap of 0 bytes fails with EINVAL");

	/* fork: each side writes half the pages, then both check all of them. */
	pid_t pid = fork();
	if (pid == 0) {
		mark(p, PAGES / 2, 2000);
		sleep_ticks(5);
		exit(unmarked(p, PAGES / 2, 2000) == 0 && unmarked(p + PAGES / 2 * PAGE_SIZE,
		                                                   PAGES / 2, 1000 + PAGES / 2) == 0
		             ? 0
		             : 1);
	}
	mark(p + PAGES / 2 * PAGE_SIZE, PAGES / 2, 3000);
	sleep_ticks(2);
	int status = reap_within(pid, 300);
	check(status == 0,
	      "after fork, the child sees its own writes to a private mapping and not "
	      "the parent's (status %#x)",
	      status);
	check(unmarked(p, PAGES / 2, 1000) == 0 &&
	              unmarked(p + PAGES / 2 * PAGE_SIZE, PAGES / 2, 3000) == 0,
	      "and the parent sees its own writes and not the child's");

	/* munmap: the pages are gone. */
	int r = munmap(p + PAGES / 2 * PAGE_SIZE, PAGES / 2 * PAGE_SIZE);
	check(r == 0, "munmap of the upper half succeeds");
	pid = fork();
	if (pid == 0) {
		if (unmarked(p, PAGES / 2, 1000) != 0) /* the lower half is still there */
			exit(1);
		*(volatile char *)(p + PAGES / 2 * PAGE_SIZE) = 1;
		exit(0);
	}
	status = reap_within(pid, 300);
	check(killed_by_segv(status),
	      "touching memory after munmap kills the process with SIGSEGV (status %#x)", status);
	char *fixed = mmap(p + PAGES / 2 * PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0);
	check(fixed == p + PAGES / 2 * PAGE_SIZE && fixed[0] == 0,
	      "MAP_FIXED maps a fresh zeroed page at the address asked");
	errno = 0;
	r = munmap(p + 1, PAGE_SIZE);
	check(r == -1 && errno == EINVAL, "munmap of an unaligned address fails with EINVAL");

	/* mprotect. */
	q[0] = 'A';
	r = mprotect(q, PAGE_SIZE, PROT_READ);
	pid = fork();
	if (pid == 0) {
		if (q[0] != 'A')
			exit(1);
		*(volatile char *)q = 'B';
		exit(0);
	}
	status = reap_within(pid, 300);
	check(r == 0 && q[0] == 'A' && killed_by_segv(status),
	      "after mprotect(PROT_READ) the page reads, and a write kills with SIGSEGV "
	      "(status %#x)",
	      status);
	r = mprotect(q, PAGE_SIZE, RW);
	q[0] = 'C';
	check(r == 0 && q[0] == 'C', "mprotect(PROT_READ | PROT_WRITE) makes it writable again");

	/* mprotect of a page shared copy-on-write must not let one side write into the other's. */
	q[PAGE_SIZE] = 'D';
	pid = fork();
	if (pid == 0) {
		sleep_ticks(5);
		exit(q[PAGE_SIZE] == 'D' ? 0 : 1);
	}
	r = mprotect(q + PAGE_SIZE, PAGE_SIZE, RW);
	q[PAGE_SIZE] = 'E';
	status = reap_within(pid, 300);
	check(r == 0 && status == 0,
	      "mprotect on a page shared with a child keeps it copy-on-write: the child does not "
	      "see the parent's later write (status %#x)",
	      status);

	r = munmap(q, 2 * PAGE_SIZE) | munmap(p, PAGES / 2 * PAGE_SIZE + PAGE_SIZE);
	check(r == 0, "munmap of everything succeeds");
	verdict("testmmap: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
