/*
 * sigalarm: SIGALRM. alarm wakes pause and returns what was left of the previous alarm;
 * setitimer's periodic timer wakes sigsuspend again and again, and getitimer counts down;
 * a nanosleep cut short by a handler fails with EINTR and reports the time left; by
 * default SIGALRM kills; a child does not inherit its parent's timer.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

static volatile int alarms, code;

static void on_alarm(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	alarms += sig == SIGALRM;
	code = si->si_code;
}

int main(void)
{
	check_prefix = "sigalarm";
	struct sigaction sa = { .sa_sigaction = on_alarm, .sa_flags = SA_SIGINFO };
	sigaction(SIGALRM, &sa, NULL);

	unsigned first = alarm(5);
	unsigned left = alarm(1);
	check(first == 0 && left == 5, "alarm(5) returns 0; alarm(1) then returns 5 (%u, %u)",
	      first, left);
	long start = ticks_now();
	errno = 0;
	int r = pause();
	long took = ticks_now() - start;
	check(r == -1 && errno == EINTR && alarms == 1 && code == SI_KERNEL && took >= 90 &&
	              took <= 200,
	      "pause returns -1 EINTR once the alarm's handler has run, after about a second, "
	      "si_code SI_KERNEL (%ld ticks, code %d)",
	      took, code);
	check(alarm(0) == 0, "the alarm is gone once it has fired: alarm(0) returns 0");
	alarm(100);
	left = alarm(0);
	check(left == 100, "alarm(0) cancels a pending alarm and returns its seconds (%u)", left);

	struct itimerval it = { .it_interval = { 0, 50000 }, .it_value = { 0, 100000 } }, now;
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &now);
	check(now.it_interval.tv_sec == 0 && now.it_interval.tv_usec == 50000 &&
	              now.it_value.tv_sec == 0 && now.it_value.tv_usec > 0 &&
	              now.it_value.tv_usec <= 100000,
	      "getitimer: the interval as set, the value counting down (%ld us)",
	      now.it_value.tv_usec);
	alarms = 0;
	sigset_t none = 0;
	start = ticks_now();
	for (int i = 0; i < 4; i++)
		sigsuspend(&none);
	took = ticks_now() - start;
	struct itimerval off = { { 0, 0 }, { 0, 0 } }, old;
	setitimer(ITIMER_REAL, &off, &old);
	check(alarms == 4 && took >= 24 && took <= 60,
	      "a 100 ms timer repeating every 50 ms wakes sigsuspend 4 times in about 250 ms (%d "
	      "times, %ld ticks)",
	      alarms, took);
	check(old.it_interval.tv_usec == 50000, "setitimer returns the old timer");
	getitimer(ITIMER_REAL, &now);
	check(now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0, "and disarms it");

	struct timespec req = { 3, 0 }, rem = { -1, -1 };
	struct itimerval soon = { { 0, 0 }, { 0, 200000 } };
	setitimer(ITIMER_REAL, &soon, NULL);
	errno = 0;
	r = nanosleep(&req, &rem);
	check(r == -1 && errno == EINTR && rem.tv_sec == 2 && rem.tv_nsec >= 700000000,
	      "nanosleep(3 s) interrupted after 0.2 s by a handler: EINTR, and about 2.8 s left "
	      "(%ld.%09ld)",
	      rem.tv_sec, rem.tv_nsec);

	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		for (;;)
			pause();
	}
	int status = reap_within(pid, 500);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM,
	      "by default SIGALRM kills (status %#x)", status);

	alarm(1);
	pid = fork();
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		unsigned inherited = alarm(0);
		exit(inherited == 0 ? 0 : 1);
	}
	status = reap_within(pid, 500);
	alarm(0);
	check(status == 0, "a child does not inherit its parent's alarm (status %#x)", status);

	verdict("sigalarm: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
