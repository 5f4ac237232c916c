/*
 * priority: a process with a lower nice value always runs before one with a higher value.
 * Two children spin side by side for one second, one at nice 5 and one at nice 15: the
 * first must get nearly all the CPU. Their parent, at nice 2, sleeps meanwhile and must
 * still wake up on time. Also checks setpriority/getpriority themselves: clamping, other
 * processes, a child inheriting its parent's nice value, and that nobody may lower a nice
 * value (EACCES): a program could otherwise make itself outrank everybody.
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

#define RUN_TICKS   100 /* how long the two spinners spin */
#define PARENT_NICE 2
#define HIGH_NICE   5
#define LOW_NICE    15
#define MIN_SHARE   90 /* the high one's share of the CPU, in percent, at least */

/* Spin until the clock reaches `end`; exit with the user ticks used (at most 255). */
static void __attribute__((noreturn)) spinner(long end)
{
	struct tms t;

	while (ticks_now() < end)
		for (volatile long i = 0; i < 10000; i++)
			;
	times(&t);
	exit(t.tms_utime < 255 ? (int)t.tms_utime : 255);
}

/* Reap pid: its user ticks (its exit status), or -1. */
static long reap(pid_t pid, const char *who)
{
	int status = 0;
	pid_t r = waitpid(pid, &status, 0);
	if (r == pid && WIFEXITED(status))
		return WEXITSTATUS(status);
	check(false, "the %s spinner ended badly (waitpid %d, status %#x)", who, r, status);
	return -1;
}

int main(void)
{
	check_prefix = "priority";
	int status;

	/* The calls themselves. */
	check(getpriority(PRIO_PROCESS, 0) == 0, "a program starts at nice 0 (getpriority says %d)",
	      getpriority(PRIO_PROCESS, 0));
	errno = 0;
	int r = setpriority(PRIO_PROCESS, 0, -100);
	check(r == -1 && errno == EACCES && getpriority(PRIO_PROCESS, 0) == 0,
	      "setpriority(-100) fails with EACCES (errno %d); getpriority still says %d", errno,
	      getpriority(PRIO_PROCESS, 0));
	pid_t pid = fork();
	if (pid == 0)
		exit(setpriority(PRIO_PROCESS, getpid(), 100) == 0 ? getpriority(PRIO_PROCESS, 0)
		                                                   : 0);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == NICE_MAX,
	      "setpriority(own pid, 100) is clamped to %d (getpriority says %d)", NICE_MAX,
	      WEXITSTATUS(status));
	errno = 0;
	r = getpriority(PRIO_PROCESS, 30000);
	check(r == -1 && errno == ESRCH, "getpriority(no such pid) fails with ESRCH (errno %d)",
	      errno);
	r = setpriority(PRIO_PROCESS, 0, PARENT_NICE);
	check(r == 0 && getpriority(PRIO_PROCESS, 0) == PARENT_NICE,
	      "raising one's own nice value to %d works (getpriority says %d)", PARENT_NICE,
	      getpriority(PRIO_PROCESS, 0));
	errno = 0;
	r = setpriority(PRIO_PROCESS, 0, 0);
	check(r == -1 && errno == EACCES, "lowering it back to 0 fails with EACCES (errno %d)",
	      errno);

	pid = fork();
	if (pid == 0)
		exit(getpriority(PRIO_PROCESS, 0) + 20);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) - 20 == PARENT_NICE,
	      "a child inherits its parent's nice value %d (it had %d)", PARENT_NICE,
	      WEXITSTATUS(status) - 20);

	/* Two spinners; the parent sets their nice values before they get to run. */
	long start = ticks_now(), end = start + RUN_TICKS;
	pid_t high = fork();
	if (high == 0)
		spinner(end);
	setpriority(PRIO_PROCESS, high, HIGH_NICE);
	pid_t low = fork();
	if (low == 0)
		spinner(end);
	setpriority(PRIO_PROCESS, low, LOW_NICE);
	if (high < 0 || low < 0) {
		check(false, "fork failed, errno %d", errno);
		return 1;
	}
	check(getpriority(PRIO_PROCESS, high) == HIGH_NICE &&
	              getpriority(PRIO_PROCESS, low) == LOW_NICE,
	      "the spinners have nice %d and %d", getpriority(PRIO_PROCESS, high),
	      getpriority(PRIO_PROCESS, low));

	/* The parent outranks both: it wakes up when its sleep ends, spinners or not. */
	struct timespec half = { 0, RUN_TICKS / 2 * (1000000000L / CLK_TCK) };
	long before = ticks_now();
	nanosleep(&half, NULL);
	long late = ticks_now() - before - RUN_TICKS / 2;
	check(late >= 0 && late <= 5,
	      "the parent (nice %d) woke %ld ticks after its sleep ended (at most 5)", PARENT_NICE,
	      late);

	long h = reap(high, "high-priority"), l = reap(low, "low-priority");
	check(h >= 0 && l >= 0 && h + l >= RUN_TICKS / 2,
	      "the spinners used %ld + %ld user ticks of the %d they ran for (at least half)", h, l,
	      RUN_TICKS);
	check(h >= 0 && l >= 0 && h * 100 >= MIN_SHARE * (h + l) && h + l > 0,
	      "nice %d got %ld%% of the CPU, nice %d the rest (at least %d%%)", HIGH_NICE,
	      h + l > 0 ? h * 100 / (h + l) : 0, LOW_NICE, MIN_SHARE);
	verdict("priority: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
