/*
 * spin: the timer takes the CPU away from a process that never gives it up. A child spins
 * forever; its parent still wakes up from a short sleep and kills it with SIGKILL. A second
 * child, asleep in a 10-second nanosleep, is killed with SIGTERM and must die at once, not
 * when its sleep ends.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

/* Reap child pid, waiting at most limit ticks: its pid, or 0 if it is still there. */
static pid_t reap(pid_t pid, int *status, long limit)
{
	long end = ticks_now() + limit;
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r != 0 || ticks_now() >= end)
			return r;
		sleep_ticks(1);
	}
}

int main(void)
{
	check_prefix = "spin";
	int status = 0;

	/* 1. A child that never gives up the CPU. */
	pid_t spinner = fork();
	if (spinner < 0) {
		check(false, "fork failed, errno %d", errno);
		return 1;
	}
	if (spinner == 0) {
		verdict("spin: child pid %d is spinning", getpid());
		for (volatile unsigned long n = 0;; n++)
			;
	}
	long t0 = ticks_now();
	sleep_ticks(5);
	long slept = ticks_now() - t0;
	check(slept >= 5 && slept <= 50,
	      "the parent slept %ld ticks (asked for 5, at most 50) while its child spun", slept);
	check(kill(spinner, 0) == 0, "kill(pid %d, 0): the spinning child exists", spinner);
	check(kill(spinner, SIGKILL) == 0, "kill(pid %d, SIGKILL) succeeds", spinner);
	long t1 = ticks_now();
	pid_t r = reap(spinner, &status, 100);
	check(r == spinner && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "the spinning child was killed by SIGKILL (waitpid %d, status %#x, after %ld ticks)",
	      r, status, ticks_now() - t1);
	errno = 0;
	int k = kill(spinner, 0);
	check(k == -1 && errno == ESRCH,
	      "kill(reaped pid, 0) fails with ESRCH (returned %d, errno %d)", k, errno);

	/* 2. A child asleep for 10 seconds: SIGTERM wakes it up to die. */
	pid_t sleeper = fork();
	if (sleeper < 0) {
		check(false, "fork failed, errno %d", errno);
		return 1;
	}
	if (sleeper == 0) {
		struct timespec ts = { 10, 0 };
		int ret = nanosleep(&ts, NULL);
		verdict("spin: the sleeping child's nanosleep returned %d (errno %d) instead of "
		        "dying: FAIL",
		        ret, errno);
		exit(1);
	}
	sleep_ticks(5); /* it is asleep by now */
	check(kill(sleeper, SIGTERM) == 0, "kill(pid %d, SIGTERM) succeeds", sleeper);
	t1 = ticks_now();
	status = 0;
	r = reap(sleeper, &status, 300);
	long took = ticks_now() - t1;
	check(r == sleeper && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	      "the sleeping child was killed by SIGTERM (waitpid %d, status %#x)", r, status);
	check(r == sleeper && took <= 50,
	      "it died %ld ticks after the kill (at most 50), not when its sleep ended", took);

	verdict("spin: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
