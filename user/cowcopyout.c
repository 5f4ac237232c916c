/*
 * cowcopyout: the kernel writes into copy-on-write pages. After fork, one process has
 * system calls store their results (clock_gettime, times, sysinfo, wait4's status, a
 * result straddling two pages) into pages it shares with the other; the kernel must give
 * the writer its own copies first, as a write from user mode would, so the other process
 * still sees its original bytes. Both directions: the child writes while the parent
 * checks, then the parent writes while a child checks.
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
#define NPAGES    8

/* The shared pages. Page k holds pattern(k, i) at byte i until a system call writes in it. */
static unsigned char buf[NPAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static unsigned char pattern(int page, int i)
{
	return (unsigned char)(page * 16 + i * 7 + 1);
}

/* Do pages [first, last] still hold their pattern, except for bytes [skip, skip + n) of
 * the whole buffer? */
static bool intact(int first, int last, const void *skip, size_t n)
{
	for (int k = first; k <= last; k++)
		for (int i = 0; i < PAGE_SIZE; i++) {
			const unsigned char *p = &buf[k][i];
			if ((const char *)p >= (const char *)skip &&
			    (const char *)p < (const char *)skip + n)
				continue;
			if (*p != pattern(k, i))
				return false;
		}
	return true;
}

/*
 * Have the kernel write into pages 0-5 (`who` is "child" or "parent") and check that the
 * writer sees the results and that the rest of each page kept its bytes.
 */
static void kernel_writes(const char *who)
{
	/* clock_gettime into page 0. */
	struct timespec *ts = (struct timespec *)&buf[0][64];
	int r = clock_gettime(CLOCK_MONOTONIC, ts);
	check(r == 0 && ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L &&
	              intact(0, 0, ts, sizeof(*ts)),
	      "%s: clock_gettime into a shared page (returned %d, errno %d)", who, r, errno);

	/* times into page 1. */
	struct tms *tm = (struct tms *)&buf[1][128];
	clock_t c = times(tm);
	check(c != -1 && tm->tms_utime >= 0 && tm->tms_stime >= 0 && tm->tms_cutime >= 0 &&
	              intact(1, 1, tm, sizeof(*tm)),
	      "%s: times into a shared page (returned %ld, errno %d)", who, c, errno);

	/* sysinfo into page 2. */
	struct sysinfo *si = (struct sysinfo *)&buf[2][256];
	r = sysinfo(si);
	check(r == 0 && si->mem_unit != 0 && si->procs >= 2 && si->freeram <= si->totalram &&
	              intact(2, 2, si, sizeof(*si)),
	      "%s: sysinfo into a shared page (returned %d, errno %d)", who, r, errno);

	/* wait4's status into page 3. */
	int *status = (int *)&buf[3][300];
	pid_t kid = fork();
	if (kid == 0)
		exit(42);
	pid_t w = waitpid(kid, status, 0);
	check(w == kid && *status == 42 << 8 && intact(3, 3, status, sizeof(*status)),
	      "%s: wait4's status into a shared page (waitpid %d, status %#x, errno %d)", who, w,
	      *status, errno);

	/* A result that straddles pages 4 and 5: both need their own copies. */
	ts = (struct timespec *)((char *)buf + 5 * PAGE_SIZE - 8);
	r = clock_gettime(CLOCK_MONOTONIC, ts);
	check(r == 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L &&
	              intact(4, 5, ts, sizeof(*ts)),
	      "%s: clock_gettime across two shared pages (returned %d, errno %d)", who, r, errno);
}

int main(void)
{
	check_prefix = "cowcopyout";
	int status;

	for (int k = 0; k < NPAGES; k++)
		for (int i = 0; i < PAGE_SIZE; i++)
			buf[k][i] = pattern(k, i);

	/* 1. The child makes the kernel write; the parent's pages must not change. */
	pid_t child = fork();
	if (child < 0) {
		check(false, "fork failed, errno %d", errno);
		return 1;
	}
	if (child == 0) {
		check_failures = 0;
		kernel_writes("child");
		/* Program text is read-only and shared, but not copy-on-write. */
		errno = 0;
		int r = clock_gettime(CLOCK_MONOTONIC, (struct timespec *)(uintptr_t)main);
		check(r < 0 && errno == EFAULT,
		      "child: clock_gettime into program text fails with EFAULT (returned %d, "
		      "errno %d)",
		      r, errno);
		exit(check_failures ? 1 : 0);
	}
	pid_t w = waitpid(child, &status, 0);
	check(w == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the child exited with status 0 (waitpid %d, status %#x)", w, status);
	check(intact(0, NPAGES - 1, NULL, 0),
	      "parent: its pages are unchanged after the child's system calls wrote into them");

	/* 2. The parent makes the kernel write while a child watches its own pages. */
	child = fork();
	if (child < 0) {
		check(false, "fork failed, errno %d", errno);
		return 1;
	}
	if (child == 0) {
		check_failures = 0;
		sleep_ticks(10); /* the parent writes meanwhile */
		check(intact(0, NPAGES - 1, NULL, 0), "child: its pages are unchanged after the "
		                                      "parent's system calls wrote into them");
		exit(check_failures ? 1 : 0);
	}
	kernel_writes("parent");
	w = waitpid(child, &status, 0);
	check(w == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the second child exited with status 0 (waitpid %d, status %#x)", w, status);

	/* 3. Page 6 is copy-on-write no more: its other sharer is gone. */
	struct timespec *ts = (struct timespec *)&buf[6][0];
	int r = clock_gettime(CLOCK_MONOTONIC, ts);
	check(r == 0 && ts->tv_nsec >= 0 && intact(6, 7, ts, sizeof(*ts)),
	      "parent: clock_gettime into a page it no longer shares (returned %d, errno %d)", r,
	      errno);

	verdict("cowcopyout: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
