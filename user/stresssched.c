/*
 * stresssched: round robin shares the CPU fairly. Eight children each compute until they
 * have used 25 ticks of user time (times()), yielding now and then. Taking turns a tick
 * at a time, they all finish within a few rounds (of 8 ticks) of one another, about 200
 * ticks after the start; a scheduler that let one run to the end before the next would
 * spread their finishing times over 175 ticks. First, sched_yield() must really hand the
 * CPU over.
 *
 * (The children yield right after a tick of theirs is counted, not at random moments:
 * times() samples which process runs at each tick, so yielding in the middle of slices
 * would make the counts, and the finishing order, noisy even under a fair scheduler.)
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define NCHILD      8
#define WORK_TICKS  25           /* user time each child must use */
#define MAX_SPREAD  (4 * NCHILD) /* ticks between the first and the last to finish */
#define MAX_TICKS   1000         /* a child gives up after this long */
#define CHUNK       20000        /* loop iterations between two looks at the clock */
#define YIELD_EVERY 5            /* user ticks between two sched_yield() calls */
#define FAILED      0x80         /* in a child's exit status: it could not finish */
#define NYIELDS     10           /* sched_yield() calls beside a spinner ... */
#define MIN_YIELDED 5            /* ... that must take at least this many ticks */

/*
 * Child k: compute until WORK_TICKS of user time are used. The exit status carries the
 * tick it finished at, modulo 128 (the parent, reaping it soon after, rebuilds the whole
 * number), plus FAILED if it gave up.
 */
static void __attribute__((noreturn)) child(int k, long start)
{
	struct tms t;
	long chunks = 0, yields = 0, last = 0;

	for (;;) {
		for (volatile long i = 0; i < CHUNK; i++)
			;
		times(&t);
		if (t.tms_utime >= WORK_TICKS)
			break;
		chunks++;
		/* Every YIELD_EVERY ticks of user time, give a turn away: the tick was counted
		 * as the last slice ended, so this is the start of the next one. */
		if (t.tms_utime != last && t.tms_utime % YIELD_EVERY == 0) {
			sched_yield();
			yields++;
		}
		last = t.tms_utime;
		if (ticks_now() - start > MAX_TICKS) {
			verdict("stresssched: child %d: only %ld user ticks after %d ticks: FAIL",
			        k, (long)t.tms_utime, MAX_TICKS);
			exit(FAILED);
		}
	}
	long done = ticks_now();
	printf("stresssched: child %d (pid %d) finished %ld ticks after the start: %ld user ticks, "
	       "%ld system, %ld chunks, %ld yields\n",
	       k, getpid(), done - start, (long)t.tms_utime, (long)t.tms_stime, chunks, yields);
	exit((int)(done % 128));
}

/*
 * sched_yield() gives the CPU to another runnable process: beside a spinning child, each
 * call lets the child run until its time slice ends, so NYIELDS calls take about NYIELDS
 * ticks (and no time at all if sched_yield does nothing).
 */
static void check_yield(void)
{
	long start = ticks_now();
	pid_t pid = fork();
	if (pid == 0) {
		while (ticks_now() < start + 5 * NYIELDS)
			for (volatile long i = 0; i < CHUNK; i++)
				;
		exit(0);
	}
	if (pid < 0) {
		check(false, "fork failed, errno %d", errno);
		return;
	}
	long t0 = ticks_now();
	for (int i = 0; i < NYIELDS; i++)
		sched_yield();
	long took = ticks_now() - t0;
	waitpid(pid, NULL, 0);
	check(took >= MIN_YIELDED,
	      "%d sched_yield() calls beside a spinning child took %ld ticks (at least %d)",
	      NYIELDS, took, MIN_YIELDED);
}

int main(void)
{
	check_prefix = "stresssched";
	pid_t pids[NCHILD];

	check_yield();
	long start = ticks_now();

	for (int k = 0; k < NCHILD; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			child(k, start);
		if (pids[k] < 0) {
			check(false, "fork failed, errno %d", errno);
			return 1;
		}
	}

	int finished = 0;
	long first = -1, last = -1;
	for (int n = 0; n < NCHILD; n++) {
		int status = 0;
		pid_t pid = wait(&status);
		long reaped = ticks_now();
		if (pid < 0) {
			check(false, "wait failed, errno %d", errno);
			break;
		}
		if (!WIFEXITED(status) || (WEXITSTATUS(status) & FAILED)) {
			printf("stresssched: pid %d ended with status %#x\n", pid, status);
			continue;
		}
		/* It finished at the last tick before `reaped` that is congruent mod 128. */
		long done = reaped - (reaped - WEXITSTATUS(status)) % 128;
		finished++;
		if (first < 0 || done < first)
			first = done;
		if (done > last)
			last = done;
	}
	check(finished == NCHILD, "%d of %d children used %d ticks of user time", finished, NCHILD,
	      WORK_TICKS);
	check(finished > 0 && last - first <= MAX_SPREAD,
	      "they finished within %ld ticks of each other (at most %d), %ld to %ld ticks after "
	      "the start",
	      last - first, MAX_SPREAD, first - start, last - start);

	struct tms t;
	times(&t);
	check(t.tms_cutime >= NCHILD * WORK_TICKS,
	      "the children's user time adds up to %ld ticks in tms_cutime (at least %d)",
	      (long)t.tms_cutime, NCHILD * WORK_TICKS);
	verdict("stresssched: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
