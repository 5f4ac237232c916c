/*
 * cowtest: fork shares memory copy-on-write. The parent first fills more memory than is
 * free, so a fork that copied it would fail; the fork must succeed. Then parent and
 * children write their own marks into shared pages and each must see only its own, three
 * and four processes sharing a page included. When every child has gone, free memory must
 * be back exactly where it was before the first fork: no frame leaked, none freed twice.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysinfo.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PAGE_SIZE 4096
#define BIG_PAGES (80 * 256) /* 80 MiB: more than the free memory of a 128 MiB machine */

/* The marks: each process writes its own into the first word of some pages. */
enum { ORIG, PARENT, CHILD, THREE_A, THREE_B, FOUR };
/* Which pages phase 1 (one child) and phase 2 (three and four sharers) write. */
#define IN_SET1(i) ((i) % 8 == 3)
#define IN_SET2(i) ((i) % 8 == 5)

static char big[BIG_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static long npages; /* the pages of big the parent filled */

static long free_pages(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return -1;
	return (long)(si.freeram * si.mem_unit / PAGE_SIZE);
}

static uint64_t mark(int who, long page)
{
	return (uint64_t)who << 32 | (uint64_t)page;
}

static uint64_t *first_word(long page)
{
	return (uint64_t *)big[page];
}

static uint64_t *last_word(long page)
{
	return (uint64_t *)&big[page][PAGE_SIZE - 8];
}

static void write_marks(int who, int set)
{
	for (long i = 0; i < npages; i++)
		if (set == 1 ? IN_SET1(i) : IN_SET2(i))
			*first_word(i) = mark(who, i);
}

/*
 * Check every filled page: the first word holds mark set1 or set2 on the pages of those
 * sets and the original mark elsewhere; the last word, which nobody writes after the
 * start, the original mark everywhere (a copied page is a whole copy). Returns the number
 * of wrong pages, printing the first.
 */
static long verify(const char *who, int set1, int set2)
{
	long bad = 0;
	for (long i = 0; i < npages; i++) {
		int want = IN_SET1(i) ? set1 : IN_SET2(i) ? set2 : ORIG;
		if (*first_word(i) == mark(want, i) && *last_word(i) == mark(ORIG, i))
			continue;
		if (bad++ == 0)
			printf("cowtest: %s: page %ld holds %#lx ... %#lx, want %#lx ... %#lx\n",
			       who, i, *first_word(i), *last_word(i), mark(want, i), mark(ORIG, i));
	}
	return bad;
}

/* In a child: check, report and exit (status 0: all its checks passed). */
static void __attribute__((noreturn)) child_done(const char *who, int set1, int set2)
{
	sleep_ticks(3); /* let the others write their marks first */
	long bad = verify(who, set1, set2);
	check(bad == 0, "%s sees only its own writes (%ld wrong pages)", who, bad);
	exit(check_failures ? 1 : 0);
}

/* Reap child pid and check that it exited with status 0. */
static void reap(pid_t pid, const char *who)
{
	int status = 0;
	pid_t r = waitpid(pid, &status, 0);
	check(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "%s exited with status 0 (waitpid %d, status %#x)", who, r, status);
}

int main(void)
{
	check_prefix = "cowtest";
	long free_start = free_pages();

	/* Fill pages until they outnumber the free frames: no room for a copy of them all. */
	while (npages < BIG_PAGES && (npages % 256 != 0 || npages <= free_pages())) {
		*first_word(npages) = mark(ORIG, npages);
		*last_word(npages) = mark(ORIG, npages);
		npages++;
	}
	long free_before = free_pages();
	check(npages > free_before,
	      "the parent filled %ld pages, more than the %ld free (%ld free at start)", npages,
	      free_before, free_start);

	/* Phase 1: parent and one child write the same pages. */
	pid_t child = fork();
	if (child < 0) {
		check(false, "fork failed with errno %d: fork must share pages, not copy them",
		      errno);
		return 1;
	}
	if (child == 0) {
		check_failures = 0; /* count only the child's own */
		long used = free_before - free_pages();
		check(used < npages / 8,
		      "the fork used %ld frames (page tables, kernel stack), far fewer than the "
		      "%ld pages shared",
		      used, npages);
		write_marks(CHILD, 1);
		child_done("the child", CHILD, ORIG);
	}
	sleep_ticks(1);
	write_marks(PARENT, 1);
	sleep_ticks(3);
	long bad = verify("the parent", PARENT, ORIG);
	check(bad == 0, "the parent sees only its own writes (%ld wrong pages)", bad);
	reap(child, "the child");

	/*
	 * Phase 2: three processes share the pages (parent, A, B), then four (A forks C after
	 * writing, so C shares A's copies too). All inherit the parent's phase-1 marks.
	 */
	pid_t a = fork();
	if (a == 0) {
		check_failures = 0;
		write_marks(THREE_A, 2);
		pid_t c = fork();
		if (c == 0) {
			check_failures = 0;
			write_marks(FOUR, 2);
			child_done("grandchild C", PARENT, FOUR);
		}
		if (c < 0)
			check(false, "child A's fork failed, errno %d", errno);
		else
			reap(c, "grandchild C");
		child_done("child A", PARENT, THREE_A);
	}
	pid_t b = fork();
	if (b == 0) {
		check_failures = 0;
		write_marks(THREE_B, 2);
		child_done("child B", PARENT, THREE_B);
	}
	if (a < 0 || b < 0)
		check(false, "phase 2 forks failed, errno %d", errno);
	write_marks(PARENT, 2);
	sleep_ticks(3);
	bad = verify("the parent", PARENT, PARENT);
	check(bad == 0, "with three sharers the parent sees only its own writes (%ld wrong pages)",
	      bad);
	if (a > 0)
		reap(a, "child A");
	if (b > 0)
		reap(b, "child B");

	long free_after = free_pages();
	check(free_after == free_before,
	      "free frames: %ld before the first fork, %ld after every child exited", free_before,
	      free_after);
	verdict("cowtest: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
