/*
 * sleeptest: nanosleep sleeps at least as long as asked (in whole timer ticks), not much
 * longer, and without using CPU time; the clock it is measured with, clock_gettime, and
 * both calls' refusals of bad arguments.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>

#define NSEC_PER_TICK (1000000000L / CLK_TCK)
#define SLACK         10 /* ticks a sleep may last beyond what was asked */

/* Sleep for sec seconds and nsec nanoseconds; check the time taken against want ticks. */
static void timed_sleep(time_t sec, long nsec, long want)
{
	struct timespec ts = { sec, nsec };
	long t0 = ticks_now();
	int r = nanosleep(&ts, NULL);
	long took = ticks_now() - t0;
	check(r == 0 && took >= want && took <= want + SLACK,
	      "nanosleep(%ld s %ld ns) took %ld ticks (%ld to %ld; returned %d, errno %d)",
	      (long)sec, nsec, took, want, want + SLACK, r, r ? errno : 0);
}

/* Check that a call failed with the error number want. */
static void refused(const char *what, int r, int want)
{
	check(r == -1 && errno == want, "%s fails with errno %d (returned %d, errno %d)", what,
	      want, r, errno);
	errno = 0;
}

int main(void)
{
	check_prefix = "sleeptest";
	struct timespec ts, ts2;

	/* The clock. */
	int r = clock_gettime(CLOCK_MONOTONIC, &ts);
	clock_gettime(CLOCK_MONOTONIC, &ts2);
	check(r == 0 && ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L &&
	              (ts2.tv_sec > ts.tv_sec ||
	               (ts2.tv_sec == ts.tv_sec && ts2.tv_nsec >= ts.tv_nsec)),
	      "clock_gettime(CLOCK_MONOTONIC) gives a valid time that does not go back");
	check(clock_gettime(CLOCK_REALTIME, &ts) == 0, "clock_gettime(CLOCK_REALTIME) works");
	refused("clock_gettime(99)", clock_gettime(99, &ts), EINVAL);
	refused("clock_gettime(CLOCK_MONOTONIC, NULL)", clock_gettime(CLOCK_MONOTONIC, NULL),
	        EFAULT);

	/* Sleeps of 1, 5 and 20 ticks, one second, and almost nothing. */
	timed_sleep(0, NSEC_PER_TICK, 1);
	timed_sleep(0, 5 * NSEC_PER_TICK, 5);
	timed_sleep(0, 20 * NSEC_PER_TICK, 20);
	timed_sleep(1, 0, CLK_TCK);
	timed_sleep(0, 1, 0);
	timed_sleep(0, 0, 0);

	/* Sleeping takes no CPU time; the clock of times() moves on meanwhile. */
	struct tms t0, t1;
	clock_t c0 = times(&t0);
	timed_sleep(0, 20 * NSEC_PER_TICK, 20);
	clock_t c1 = times(&t1);
	long cpu = (t1.tms_utime + t1.tms_stime) - (t0.tms_utime + t0.tms_stime);
	check(cpu <= 2 && c1 - c0 >= 20,
	      "a 20-tick sleep used %ld ticks of CPU time (at most 2) while times() moved on %ld "
	      "ticks (at least 20)",
	      cpu, (long)(c1 - c0));

	/* Bad requests. */
	ts = (struct timespec){ 0, 1000000000L };
	refused("nanosleep(tv_nsec 1000000000)", nanosleep(&ts, NULL), EINVAL);
	ts = (struct timespec){ 0, -1 };
	refused("nanosleep(tv_nsec -1)", nanosleep(&ts, NULL), EINVAL);
	ts = (struct timespec){ -1, 0 };
	refused("nanosleep(tv_sec -1)", nanosleep(&ts, NULL), EINVAL);
	refused("nanosleep(NULL)", nanosleep(NULL, NULL), EFAULT);
	refused("nanosleep(0x1)", nanosleep((struct timespec *)1, NULL), EFAULT);
	refused("nanosleep(kernel address)",
	        nanosleep((struct timespec *)0xffff800000100000UL, NULL), EFAULT);

	verdict("sleeptest: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
